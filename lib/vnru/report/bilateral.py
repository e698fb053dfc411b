"""The trade_products notebook's bilateral views in Comtrade mode: RCA map, complementarity and trade intensity
over time, the years each side reports (the Russian reporting gap from 2022). Each view is computed from the
imported dataset (``vnru.data.imported``) with the pure indices of ``vnru.analysis.bilateral``; a view whose
data is not imported is replaced by one line naming the Comtrade download that would unlock it (never skipped
silently).
"""

from dataclasses import dataclass, field

import pandas as pd

from vnru.analysis import bilateral as B
from vnru.analysis import product_view as V
from vnru.data import imported
from vnru.data.imported import MissingDownload

__all__ = ["IMPORT_HINT", "RUSSIAN_GAP_NOTE", "Views", "import_hint", "mirror_note", "plot_complementarity",
           "plot_intensity", "plot_rca_map", "plot_reporting", "show", "views"]

RUSSIAN_GAP_NOTE = ("Russia's customs stopped publishing trade by partner in April 2022: from 2022 Russia's side "
                    "exists only as its partners' mirror reports (here: Vietnam's statistics).")


IMPORT_HINT = ("**Composition, RCA, complementarity and trade intensity need a UN Comtrade download.** The figures "
               "above are what documents report, a few products at a time. For every product of full years, download "
               "Vietnam's and Russia's trade by HS code with all partners from comtradeplus.un.org, import it into "
               "a directory of your own with `vnru import comtrade TradeData_*.csv --data-dir mydata` and run this "
               "notebook with `data_dir=mydata` (README: *Importing a UN Comtrade download*).")


def mirror_note(gap: pd.DataFrame, pair_rows: pd.DataFrame, year: int):
    """Where the mirror gap of ``year`` is empty because one side has no product rows that year, the line that
    says so (with the Russian note from 2022) instead of an empty table; None where there is a gap to show."""
    if gap is not None and (gap["year"] == year).any():
        return None
    have = set(pair_rows.loc[pair_rows["year"] == year, "reporter"])
    missing = sorted({"VN", "RU"} - have)
    if not missing:
        return None
    from IPython.display import Markdown

    from vnru.report.labels import REPORTER_STATISTICS

    whose = " and ".join(REPORTER_STATISTICS[m] for m in missing)
    line = f"No mirror comparison for {year}: {whose} have no product rows for that year."
    return Markdown(line + (" " + RUSSIAN_GAP_NOTE if "RU" in missing and year >= 2022 else ""))


def import_hint(mode: str):
    """The paragraph that tells a run without imported data how to get the Comtrade-only views (None in
    Comtrade mode, where they are shown)."""
    if mode == "composition":
        return None
    from IPython.display import Markdown

    return Markdown(IMPORT_HINT)


@dataclass
class Views:
    rca: pd.DataFrame | None = None  # reporter, year, hs_code, rca (each side's exports to the world)
    complementarity: pd.DataFrame | None = None  # exporter, importer, year, tci
    intensity: pd.DataFrame | None = None  # exporter, importer, year, x_ij, x_i, m_j, m_w, tii
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)  # flow, year, reporter: who reports the pair
    gaps: pd.DataFrame = field(default_factory=pd.DataFrame)  # flow, year, missing reporter
    missing: list = field(default_factory=list)  # one line per view that cannot be drawn
    source_ids: list = field(default_factory=list)


def views(data_dir, pair_rows: pd.DataFrame, hs_level: int = 2) -> Views:
    """Every view that the imported data allows; ``missing`` says which download each other view needs.
    The years each side reports are those of the whole imported pair (whatever reporter was chosen), for the
    flows of ``pair_rows``."""
    out = Views(source_ids=sorted(pair_rows["source_id"].dropna().unique()))
    con = imported.connect(data_dir)
    try:
        coverage = imported.pair_years(con=con)
        out.coverage = coverage[coverage["flow"].isin(set(pair_rows["flow"]))].reset_index(drop=True)
        out.gaps = V.reporting_gaps(out.coverage)
        try:
            exports = imported.by_product(reporters=("VNM", "RUS"), digits=hs_level, con=con)
            out.rca = B.rca(exports, imported.world_by_product(digits=hs_level, con=con))
        except MissingDownload as exc:
            out.missing.append(f"RCA map: {exc}")
        tci = []
        for exporter, importer in (("VNM", "RUS"), ("RUS", "VNM")):
            try:
                tci.append(B.complementarity(
                    imported.by_product(reporters=(exporter,), flow="X", digits=hs_level, con=con),
                    imported.by_product(reporters=(importer,), flow="M", digits=hs_level, con=con)))
            except MissingDownload as exc:
                out.missing.append(f"Complementarity of {exporter}'s exports with {importer}'s imports: {exc}")
        out.complementarity = pd.concat(tci, ignore_index=True) if tci else None
        tii = []
        for exporter, importer in (("VNM", "RUS"), ("RUS", "VNM")):
            try:
                tii.append(B.trade_intensity(imported.intensity_totals(exporter, importer, con=con)))
            except MissingDownload as exc:
                out.missing.append(f"Trade intensity of {exporter}'s exports to {importer}: {exc}")
        out.intensity = pd.concat(tii, ignore_index=True) if tii else None
    finally:
        con.close()
    return out


def plot_rca_map(ax, rca: pd.DataFrame, year: int, source_ids, sources=None):
    """Each product's RCA in Vietnam's exports (x) against Russia's (y), log scales, for ``year``: products in
    the lower right are Vietnam's strengths, upper left Russia's; the lines mark RCA = 1."""
    from vnru.report.plots.common import COLORS, add_source_line, style_axes

    wide = rca[rca["year"] == year].pivot_table(index="hs_code", columns="reporter", values="rca")
    wide = wide.dropna()
    wide = wide[(wide > 0).all(axis=1)] if len(wide.columns) == 2 else wide.iloc[0:0]
    ax.scatter(wide.get("VNM", []), wide.get("RUS", []), s=14, alpha=0.6, color=COLORS["muted"])
    ax.axvline(1, color=COLORS["VN"], linewidth=0.8)
    ax.axhline(1, color=COLORS["RU"], linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    style_axes(ax, f"Revealed comparative advantage by product, {year} (derived)", "RCA of Vietnam's exports",
               "RCA of Russia's exports")
    return add_source_line(ax, source_ids, sources=sources, note="RCA (Balassa) derived from the imported data.")


def plot_complementarity(ax, tci: pd.DataFrame, source_ids, sources=None):
    """Trade complementarity (0-100) over time, one line per direction."""
    from vnru.report.plots.common import COLORS, add_source_line, style_axes

    for (exporter, importer), rows in tci.groupby(["exporter", "importer"]):
        ax.plot(rows["year"], rows["tci"], marker="o", color=COLORS["VN" if exporter == "VNM" else "RU"],
                label=f"{exporter}'s exports vs {importer}'s imports")
    style_axes(ax, "Trade complementarity index (derived)", "year", "TCI (0 = no overlap, 100 = perfect match)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, fontsize=8.5)
    return add_source_line(ax, source_ids, sources=sources, note="Complementarity derived from the imported data.")


def plot_intensity(ax, tii: pd.DataFrame, source_ids, sources=None):
    """Trade intensity over time, one line per direction; the line at 1 is "as much as the partner's weight in
    world imports"."""
    from vnru.report.plots.common import COLORS, add_source_line, style_axes

    for (exporter, importer), rows in tii.groupby(["exporter", "importer"]):
        ax.plot(rows["year"], rows["tii"], marker="o", color=COLORS["VN" if exporter == "VNM" else "RU"],
                label=f"{exporter}'s exports to {importer}")
    ax.axhline(1, color=COLORS["muted"], linewidth=0.8)
    style_axes(ax, "Trade intensity index (derived)", "year", "TII (1 = the partner's share of world imports)")
    ax.set_ylim(0, max(float(tii["tii"].max()) * 1.15, 1.5))
    ax.legend(frameon=False, fontsize=8.5)
    return add_source_line(ax, source_ids, sources=sources, note="TII = (x_ij/X_i)/(M_j/M_w), derived from the "
                           "imported data (each total as its reporter states it).")


def plot_reporting(ax, coverage: pd.DataFrame, source_ids, sources=None):
    """The years in which each side's statistics report the pair, per flow: a filled bar where a side reports,
    a hatched empty box where it does not (from 2022 Russia: not published, never filled in)."""
    from matplotlib.patches import Rectangle

    from vnru.report.chartdata import attach
    from vnru.report.labels import FLOW_TITLES, REPORTER_STATISTICS
    from vnru.report.plots.common import COLORS, add_source_line, style_axes, year_axis

    years = range(int(coverage["year"].min()), int(coverage["year"].max()) + 1)
    lanes = [(f, r) for f in sorted(set(coverage["flow"])) for r in ("VN", "RU")]
    seen = set(zip(coverage["flow"], coverage["year"].astype(int), coverage["reporter"], strict=True))
    for lane, (flow, reporter) in enumerate(lanes):
        for year in years:
            present = (flow, year, reporter) in seen
            ax.add_patch(Rectangle((year - 0.45, lane - 0.35), 0.9, 0.7, linewidth=0.8, edgecolor=COLORS[reporter],
                                   facecolor=COLORS[reporter] if present else "white",
                                   hatch=None if present else "///"))
    ax.set_yticks(range(len(lanes)), [f"{FLOW_TITLES[f]}: {REPORTER_STATISTICS[r]}" for f, r in lanes], fontsize=8.5)
    ax.set_ylim(len(lanes) - 0.5, -0.5)
    year_axis(ax, years[0], years[-1], turn_after=12)
    style_axes(ax, "Which side's statistics report the pair, by year", "year", None)
    ax.grid(False)
    attach(ax, pd.DataFrame([{"flow": f, "reporter": r, "year": y, "reports": (f, y, r) in seen}
                                    for f, r in lanes for y in years]))
    russian = any(r == "RU" and y >= 2022 and (f, y, r) not in seen for f, r in lanes for y in years)
    return add_source_line(ax, source_ids, sources=sources, note="Filled: the side reports product rows for the "
                           "flow; hatched: no rows (not filled in from the other side)."
                           + (" " + RUSSIAN_GAP_NOTE if russian else ""))


def show(result: Views, year: int, sources=None) -> dict:
    """Draw and display every view of ``result`` for ``year`` (one line for each view that cannot be drawn);
    the key results to record."""
    from IPython.display import Markdown, display

    from vnru.report.plots.common import new_axes
    from vnru.report.tables import show as table

    for line in result.missing:
        display(Markdown(f"*Not shown* — {line}"))
    records = {"indices_missing_downloads": len(result.missing)}
    if result.rca is not None:
        sides = result.rca.groupby("year")["reporter"].nunique()
        both = sorted(sides[sides == 2].index) or sorted(sides.index)
        shown = year if year in both else int(both[-1])  # a year with both sides' exports, where there is one
        plot_rca_map(new_axes(8, 6.5)[1], result.rca, shown, result.source_ids, sources=sources)
        strong = result.rca[(result.rca["year"] == shown) & (result.rca["rca"] > 1)]
        records.update({f"{r.lower()}_products_with_rca_above_1": int((strong["reporter"] == r).sum())
                        for r in ("VNM", "RUS")}, rca_year=shown)
    if result.complementarity is not None:
        plot_complementarity(new_axes(10, 5.5)[1], result.complementarity, result.source_ids, sources=sources)
        upto = result.complementarity[result.complementarity["year"] <= year].sort_values("year")
        for r in upto.groupby(["exporter", "importer"]).tail(1).itertuples():  # the latest year up to ``year``
            records[f"tci_{r.exporter.lower()}_{r.importer.lower()}"] = round(float(r.tci), 1)
            records[f"tci_{r.exporter.lower()}_{r.importer.lower()}_year"] = int(r.year)
    if result.intensity is not None:
        plot_intensity(new_axes(10, 5.5)[1], result.intensity, result.source_ids, sources=sources)
        upto = result.intensity[result.intensity["year"] <= year].sort_values("year")
        for r in upto.groupby(["exporter", "importer"]).tail(1).itertuples():
            records[f"tii_{r.exporter.lower()}_{r.importer.lower()}"] = round(float(r.tii), 2)
            records[f"tii_{r.exporter.lower()}_{r.importer.lower()}_year"] = int(r.year)
    if len(result.coverage):
        plot_reporting(new_axes(10, 3.5)[1], result.coverage, result.source_ids, sources=sources)
    if len(result.gaps):
        russian = ((result.gaps["missing"] == "RU") & (result.gaps["year"] >= 2022)).any()
        display(Markdown((RUSSIAN_GAP_NOTE + " " if russian else "") + "Years in which only one side reports:"))
        display(table(result.gaps, name="reporting-gaps"))
        records["years_with_one_side_only"] = int(result.gaps["year"].nunique())
    return records
