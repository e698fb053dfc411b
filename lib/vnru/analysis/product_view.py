"""What the trade_products notebook shows, as functions: mode, period labels, reported figures, tables.

Two kinds of product data reach the notebook. Curated figures (data/products.csv) are sparse: a few products,
many partial periods, sometimes two sources for one figure; they are shown as reported, period by period.
An imported UN Comtrade directory covers every product of a full year; it supports composition analytics.
"""

import pandas as pd

from vnru.analysis import evidence, hs
from vnru.analysis import products as P
from vnru.analysis.product_names import harmonise
from vnru.data.conventions import FLOWS, REPORTERS, period_text

MIN_CODES_FOR_COMPOSITION = 30  # a full year with this many HS codes at one level counts as complete
PRODUCT_FLOWS = tuple(f for f in FLOWS if f != "total")  # a product is exported or imported, never "total"


def select(products: pd.DataFrame, flow: str, reporter: str, start=None, end=None) -> pd.DataFrame:
    """Rows of the chosen flow ("both" = both) and reporter ("both" = both: each reporter's rows, kept apart by
    every table, chart and finding), in the years ``start``–``end`` (None = open)."""
    flows = list(PRODUCT_FLOWS) if flow == "both" else [flow]
    reporters = list(REPORTERS) if reporter == "both" else [reporter]
    keep = products["flow"].isin(flows) & products["reporter"].isin(reporters)
    if start is not None:
        keep &= products["year"] >= start
    if end is not None:
        keep &= products["year"] <= end
    return products[keep]


def one_kind(products: pd.DataFrame) -> pd.DataFrame:
    """The imported (Comtrade) rows when the frame holds any, else the curated ones: never both.

    Curated figures are what documents report (a few products, partial periods); imported ones cover every
    product. Added together they would count a product twice (``attrs["imported_source_ids"]``, set by
    ``load_products``, names the imported downloads)."""
    ids = products.attrs.get("imported_source_ids") or []
    if not ids:
        return products
    rows = products[products["source_id"].isin(ids)]
    rows.attrs.update(products.attrs, curated_rows_set_aside=int(len(products) - len(rows)))
    return rows


def full_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Full-year rows, plus full years summed from single months where all twelve months are present.

    A reporter, flow and year counts as complete when rows exist for each of its twelve single months. Per
    product, an annual row is used where there is one, else its twelve months summed: an annual row for one
    product never throws away the monthly figures of the others.
    """
    annual = frame[(frame["from_month"] == 1) & (frame["months"] == 12)]
    single = frame[(frame["from_month"] == frame["months"])]
    covered = single.groupby(["reporter", "flow", "year"], observed=True)["months"].nunique()
    complete = covered[covered == 12].index
    if len(complete) == 0:
        return annual
    keys = single.set_index(["reporter", "flow", "year"]).index
    summed = (single[keys.isin(complete)].groupby(["reporter", "flow", "year", "hs_code"], observed=True,
                                                  as_index=False)["value_usd_m"].sum())
    summed = summed.assign(from_month=1, months=12)
    have = annual.set_index(["reporter", "flow", "year", "hs_code"]).index
    summed = summed[~summed.set_index(["reporter", "flow", "year", "hs_code"]).index.isin(have)]
    return pd.concat([annual, summed], ignore_index=True)


def mode(frame: pd.DataFrame, hs_level: int) -> str:
    """"composition" when some full year has at least MIN_CODES_FOR_COMPOSITION codes at ``hs_level``, else
    "reported" (curated figures: shown as the sources report them)."""
    years = P.at_hs_level(full_years(frame), hs_level)
    if years.empty:
        return "reported"
    counts = years.groupby(["reporter", "flow", "year"], observed=True)["hs_code"].nunique()
    return "composition" if counts.max() >= MIN_CODES_FOR_COMPOSITION else "reported"


def period_label(year, from_month, months) -> str:
    """'2023', 'Jan–May 2024', 'Mar 2024' or 'Apr–Jun 2024': the period a figure covers, in words."""
    return period_text(year, from_month, months)


def reported(frame: pd.DataFrame) -> pd.DataFrame:
    """Curated figures with their period in words, partial periods marked and conflicting figures flagged.

    A figure conflicts when another source gives a different value for the same product, flow, reporter and
    period; two different HS codes (subheadings of one heading) are two products, never a conflict.
    """
    rows = frame.copy()
    rows["period"] = [period_label(*p) for p in zip(rows["year"], rows["from_month"], rows["months"], strict=True)]
    rows["partial"] = ~((rows["from_month"] == 1) & (rows["months"] == 12))
    rows = with_groups(rows)
    product = rows["hs_code"].astype("string").fillna(rows["group"])
    same = ["_product", "flow", "reporter", "year", "from_month", "months"]
    values = rows.assign(_product=product).groupby(same, observed=True, dropna=False)["value_usd_m"].transform(
        "nunique")
    rows["conflict"] = values > 1
    return rows.sort_values(["flow", "product", "year", "from_month", "months", "reporter"], ignore_index=True)


def with_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``group``, ``group_name``, ``aggregate`` and ``ranked_first``
    (vnru.analysis.product_names.harmonise: one name table, HS codes or named groups)."""
    return harmonise(rows)


def leaders(rows: pd.DataFrame) -> pd.DataFrame:
    """The leading product of each flow, reporter and period, by the leader rule of vnru.analysis.evidence:
    periods compared only with themselves, a source's own rank among products counts, aggregates left out,
    one item alone is no leader. Named by its harmonised group (``product``), with ``period``, ``by`` and
    ``compared`` (how many products competed)."""
    if "group" not in rows:
        rows = with_groups(rows)
    found = evidence.leaders(rows, ["flow", "reporter", "year", "from_month", "months"])
    cols = ["flow", "reporter", "year", "from_month", "months", "product", "value_usd_m", "by", "compared",
            "source_id"]
    if found.empty:
        return found.assign(product=pd.Series(dtype="object"))[cols]
    out = found.assign(product=found["group_name"], year=found["year"].astype(int),
                       from_month=found["from_month"].astype(int), months=found["months"].astype(int),
                       value_usd_m=found["value_usd_m"].astype("float64"))
    return out[cols].sort_values(["flow", "reporter", "year", "months", "from_month"], ignore_index=True)


def with_names(frame: pd.DataFrame, width: int = 45) -> pd.DataFrame:
    """``frame`` with a ``name`` column: the HS description of hs_code ("other" stays "other")."""
    names = {c: (hs.short_name(c, width) if c != P.OTHER else "all other products") for c in frame["hs_code"].unique()}
    return frame.assign(name=frame["hs_code"].map(names))


__all__ = [
    "MIN_CODES_FOR_COMPOSITION", "PRODUCT_FLOWS", "chapter_gaps", "contributions_in", "detail_year",
    "first_reporter", "flows_in", "full_years", "leaders", "mirror_gap_pct", "mode",
    "one_kind", "period_label", "report_results", "reported", "reporting_gaps", "select", "top_detail",
    "treemap_blocks", "with_groups", "with_names",
]


# --- what the trade_products notebook computes and records ------------------------------------------------------

def flows_in(frame: pd.DataFrame, valued=False) -> list:
    """The flows of PRODUCT_FLOWS that ``frame`` has rows of (with ``valued``: a reported value), in that order."""
    rows = frame[frame["value_usd_m"].notna()] if valued else frame
    present = set(rows["flow"])
    return [f for f in PRODUCT_FLOWS if f in present]


def first_reporter(annual: pd.DataFrame, reporter: str) -> str:
    """The reporter whose statistics lead the composition charts: Vietnam's when chosen and present, else Russia's."""
    return "VN" if reporter in ("VN", "both") and (annual["reporter"] == "VN").any() else "RU"


def detail_year(annual: pd.DataFrame, year: int) -> int:
    """The year to detail: ``year``, or the latest year of ``annual`` when ``year`` is 0."""
    return int(annual["year"].max()) if year == 0 else year


def top_detail(annual: pd.DataFrame, shares: pd.DataFrame, year: int, n: int) -> pd.DataFrame:
    """The ``n`` largest products of each flow and reporter in ``year``: value, share (from ``shares``, a
    ``products.composition``) and growth over the previous year, named, largest first."""
    keys = ["reporter", "flow", "year", "from_month", "months", "hs_code"]
    grown = P.growth(annual)[[*keys, "growth_pct"]]
    detail = with_names(shares[shares["year"] == year].merge(grown, on=keys, how="left"))
    detail = detail.sort_values(["flow", "reporter", "value_usd_m"], ascending=[True, True, False])
    return detail.groupby(["flow", "reporter"], observed=True).head(n)


def treemap_blocks(shares: pd.DataFrame, year: int, reporter: str, n: int) -> pd.DataFrame:
    """The blocks of a composition treemap of each flow in ``year``, in ``reporter``'s statistics: the ``n``
    largest products (of ``shares``, a ``products.composition``) named, largest first, then every other product
    summed as "all other products" (hs_code "other"); columns flow, reporter, year, hs_code, name,
    value_usd_m, share_pct (of the flow's total that year). Products without a positive value are left out."""
    rows = shares[(shares["year"] == year) & (shares["reporter"] == reporter) & (shares["value_usd_m"] > 0)]
    rows = rows.sort_values(["flow", "value_usd_m"], ascending=[True, False], kind="stable")
    rank = rows.groupby("flow", observed=True).cumcount()
    named, rest = rows[rank < n], rows[rank >= n]
    other = rest.groupby("flow", observed=True, as_index=False)[["value_usd_m", "share_pct"]].sum()
    other = other.assign(reporter=reporter, year=year, hs_code=P.OTHER)
    columns = ["flow", "reporter", "year", "hs_code", "value_usd_m", "share_pct"]
    blocks = pd.concat([named[columns], other[columns]], ignore_index=True)
    blocks = blocks.sort_values("flow", kind="stable", ignore_index=True)
    return with_names(blocks)[["flow", "reporter", "year", "hs_code", "name", "value_usd_m", "share_pct"]]


def contributions_in(annual: pd.DataFrame, year: int, reporter: str) -> pd.DataFrame:
    """``products.contributions`` to the change into ``year`` in ``reporter``'s statistics, named."""
    parts = with_names(P.contributions(annual))
    return parts[(parts["year"] == year) & (parts["reporter"] == reporter)]


def chapter_gaps(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """``products.mirror_gap`` by HS chapter of the full years of ``frame``, in ``year``, named."""
    gap = with_names(P.mirror_gap(P.at_hs_level(full_years(frame), 2)))
    return gap[gap["year"] == year]


def mirror_gap_pct(gap: pd.DataFrame) -> float | None:
    """The mirror gap of a whole flow in percent of Vietnam's figure: the sum of the products' gaps (Russia's
    figure minus Vietnam's) over the sum of Vietnam's figures × 100; None when Vietnam's figures sum to 0."""
    total = float(gap["value_vn"].sum())
    return None if total == 0 else float(gap["gap"].sum()) / total * 100


def _reported_results(rows: pd.DataFrame, lead: pd.DataFrame) -> dict:
    years = [int(rows["year"].min()), int(rows["year"].max())] if len(rows) else []
    lead = lead.assign(from_month=lead.get("from_month", 1), months=lead.get("months", 12))
    leading = {f"{r.flow}/{r.reporter}/{period_label(r.year, r.from_month, r.months)}": r.product  # the period:
               for r in lead.itertuples()}  # a leader of January–May is not the year's leader
    return {"products": int(rows["product"].nunique()), "partial_figures": int(rows["partial"].sum()),
            "conflicting_figures": int(rows["conflict"].sum()), "years": years, "leading_products": leading}


def _composition_results(year, hs_level, flows, detail, shares, index, parts, gap) -> dict:
    out = {"year": year, "hs_level": hs_level}
    for (f, r), best in detail.groupby(["flow", "reporter"], observed=True):
        in_flow = shares[(shares["flow"] == f) & (shares["reporter"] == r) & (shares["year"] == year)]
        out.update({f"{f}_{r.lower()}_top_product": str(best["hs_code"].iloc[0]),
                    f"{f}_{r.lower()}_top_share_pct": round(float(best["share_pct"].iloc[0]), 2),
                    f"{f}_{r.lower()}_total_usd_m": round(float(in_flow["value_usd_m"].sum()), 3)})
    out.update({f"{r.flow}_{r.reporter.lower()}_hhi": round(float(r.hhi), 1)
                for r in index[index["year"] == year].itertuples()})
    for f in flows:
        mine = parts[parts["flow"] == f]
        if len(mine):
            out.update({f"{f}_growth_pct": round(float(mine["total_growth_pct"].iloc[0]), 2),
                        f"{f}_largest_contributor": str(mine["hs_code"].iloc[0])})
    for f in flows if gap is not None else ():
        mine = gap[gap["flow"] == f]
        if len(mine):
            pct = mirror_gap_pct(mine)
            out[f"{f}_mirror_gap_pct"] = None if pct is None else round(pct, 2)
    return out


def report_results(mode: str, chosen: pd.DataFrame, flows=(), *, rows=None, lead=None, year=None, hs_level=None,
                   detail=None, shares=None, index=None, parts=None, gap=None, extra=None) -> dict:
    """The key results of a trade_products run, in the order recorded: the mode and the rows selected; in
    "reported" mode (``rows`` from ``reported``, ``lead`` from ``leaders``) the products, partial and conflicting
    figures, first and last year and the leading product of each flow, reporter and year; in "composition" mode
    the year and HS level, the top product, its share and the flow's total per flow and reporter (``detail``,
    ``shares``), the HHI (``index``), the growth of each flow and its largest contributor (``parts``) and, with
    ``gap`` (``chapter_gaps``), each flow's mirror gap in percent (``mirror_gap_pct``), rounded as shown."""
    out = {"mode": mode, "rows": len(chosen)}
    if mode == "reported":
        out.update(_reported_results(rows, lead))
    elif mode == "composition":
        out.update(_composition_results(year, hs_level, flows, detail, shares, index, parts, gap))
    out.update(extra or {})  # results of the bilateral indices (vnru.report.bilateral), recorded last
    return out


def reporting_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Years in which one reporter's statistics have product rows for a flow and the other's have none
    (e.g. Russia from 2022): flow, year, reporting, missing. Shown as a gap, never filled or hidden."""
    have = frame.dropna(subset=["reporter"]).groupby(["flow", "year"], observed=True)["reporter"].unique()
    rows = [{"flow": flow, "year": int(year), "reporting": "/".join(sorted(set(seen))),
             "missing": "/".join(sorted({"VN", "RU"} - set(seen)))}
            for (flow, year), seen in have.items() if set(seen) != {"VN", "RU"}]
    return pd.DataFrame(rows, columns=["flow", "year", "reporting", "missing"])
