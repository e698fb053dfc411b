"""Vietnam-Russia trade analytics: one figure per period, annual series per reporter, balance,
the mirror gap between the two reporters' statistics, CAGR tables and progress toward targets.

Pure functions on the DataFrames of ``vnru.load_trade()``/``load_targets()``. Growth arithmetic
(``yoy_growth``, ``implied_previous``, ``cagr``) lives in ``vnru.analysis.growth`` and is re-exported here.
"""

import numpy as np
import pandas as pd

from vnru.analysis.evidence import headline_order
from vnru.analysis.growth import TradeError, cagr, implied_previous, yoy_growth
from vnru.data.conventions import FLOWS, REPORTERS

__all__ = [
    "DEFAULT_PERIODS", "FLOWS", "HEADLINE_KEYS", "REPORTERS", "TradeError", "alternatives", "annual_series",
    "both_series", "by_reporter", "cagr", "cagr_periods", "flow_series", "full_years", "headline_table", "implied_previous",
    "implied_table", "in_window", "key_results", "latest_gap", "mirror_gap", "not_chosen", "numbered_events",
    "pick_figures", "report_results", "reporters_of", "sourced_table", "target_progress", "trade_balance",
    "trade_events", "yoy_growth",
]

PERIOD_KEY = ["reporter", "flow", "year", "months"]
# Analysis periods for the CAGR table: 1990s recovery, strategic partnership (2001), comprehensive
# strategic partnership (2012), EAEU free trade agreement in force (2016), the 2021 peak.
DEFAULT_PERIODS = ((1992, 2000), (2001, 2012), (2012, 2016), (2016, 2021), (2021, 2024), (2016, 2024))


def _check(name, value, allowed):
    if value not in allowed:
        raise TradeError(f"{name} must be one of {', '.join(map(repr, allowed))}; got {value!r}")


def pick_figures(trade, sources=None) -> pd.DataFrame:
    """One figure per reporter, flow, year and months covered; the others are counted, not dropped.

    The headline is chosen by the rules of evidence (vnru.analysis.evidence; sources make the kind
    and date of each document count). Adds ``n_reported`` and
    ``alternatives`` (every value reported for that period, sorted).
    """
    order = headline_order(trade, PERIOD_KEY, "value_usd_m", sources)
    counts = order.groupby(PERIOD_KEY, observed=True)["value_usd_m"].agg(
        n_reported="size", alternatives=lambda s: sorted(s.tolist()))
    best = order.drop_duplicates(PERIOD_KEY)
    return best.merge(counts.reset_index(), on=PERIOD_KEY, how="left").reset_index(drop=True)


def annual_series(trade, reporter, flow="total", include_partial=False, sources=None) -> pd.DataFrame:
    """One reporter's yearly series for one flow: full years only, unless ``include_partial``.

    Never mixes reporters. With ``include_partial`` a year that has no full-year figure is shown
    by its longest partial period, flagged ``partial`` (months < 12): a partial figure is not a year.
    """
    _check("reporter", reporter, REPORTERS)
    _check("flow", flow, FLOWS)
    rows = trade[(trade["reporter"] == reporter) & (trade["flow"] == flow)]
    picked = pick_figures(rows, sources)
    full = picked[picked["months"] == 12]
    if include_partial:
        part = picked[(picked["months"] < 12) & ~picked["year"].isin(full["year"])]
        part = part.sort_values(["year", "months"]).drop_duplicates("year", keep="last")
        full = pd.concat([full, part])
    out = full.sort_values("year").reset_index(drop=True)
    out["partial"] = out["months"] < 12
    return out


def both_series(trade, flow="total", include_partial=False, sources=None, reporters=REPORTERS) -> pd.DataFrame:
    """The annual series of each reporter stacked in one long table (rows keep their reporter)."""
    parts = [annual_series(trade, r, flow, include_partial, sources) for r in reporters]
    return pd.concat(parts, ignore_index=True)


def cagr_table(series, periods=DEFAULT_PERIODS, by="reporter") -> pd.DataFrame:
    """CAGR for each period and reporter; a period whose ends lack a figure says which end, never guesses."""
    parts = []
    for start, end in periods:
        part = cagr(series, start, end, by=by, missing="nan")
        gap = np.where(part["start_value"].isna(), f"no figure for {start}",
                       np.where(part["end_value"].isna(), f"no figure for {end}", ""))
        parts.append(part.assign(period=f"{start}-{end}", note=gap))
    return pd.concat(parts, ignore_index=True)


def trade_balance(picked, by=("reporter",)) -> pd.DataFrame:
    """Vietnam's exports minus its imports for each period where both flows are reported.

    ``picked`` holds chosen figures (``pick_figures``/``annual_series``) of the two flows;
    ``same_source`` tells whether both flows come from one document.
    """
    keys = list(by) + ["year", "months"]
    ex = picked[picked["flow"] == "vn_exports"][keys + ["value_usd_m", "source_id"]]
    im = picked[picked["flow"] == "vn_imports"][keys + ["value_usd_m", "source_id"]]
    out = ex.merge(im, on=keys, suffixes=("_exports", "_imports"))
    out = out.rename(columns={"value_usd_m_exports": "exports_usd_m", "value_usd_m_imports": "imports_usd_m"})
    out["balance_usd_m"] = out["exports_usd_m"] - out["imports_usd_m"]
    out["same_source"] = out["source_id_exports"] == out["source_id_imports"]
    return out.sort_values(keys).reset_index(drop=True)


def mirror_gap(series, time="year", by=None) -> pd.DataFrame:
    """Russia's figure minus Vietnam's for the same period: the gap between the two statistics.

    ``gap_pct`` is the gap as a share of Vietnam's figure. Only periods both reporters cover appear.
    """
    keys = ([by] if isinstance(by, str) else list(by or [])) + [time, "months"]
    vn = series[series["reporter"] == "VN"][keys + ["value_usd_m", "source_id"]]
    ru = series[series["reporter"] == "RU"][keys + ["value_usd_m", "source_id"]]
    out = vn.merge(ru, on=keys, suffixes=("_vn", "_ru"))
    out["gap_usd_m"] = out["value_usd_m_ru"] - out["value_usd_m_vn"]
    out["gap_pct"] = out["gap_usd_m"] / out["value_usd_m_vn"] * 100.0
    return out.sort_values(keys).reset_index(drop=True)


def target_progress(series, targets, metric="trade_total") -> pd.DataFrame:
    """How far the latest figure up to each target's year has come toward the target, in percent.

    ``status``: met / missed (target year reached with a figure below it) / open (target year
    not yet covered by the series) / no deadline (the goal named no year).
    """
    goals = targets[targets["metric"] == metric].copy()
    years = series.dropna(subset=["value_usd_m"]).sort_values("year")
    last_year = int(years["year"].max()) if len(years) else None
    horizon = goals["target_year"].astype("float64").fillna(np.inf)
    idx = np.searchsorted(years["year"].to_numpy(dtype="float64"), horizon.to_numpy(), side="right") - 1
    found = idx >= 0
    goals["value_year"] = pd.array(np.where(found, years["year"].to_numpy()[idx.clip(0)], pd.NA), dtype="Int64")
    goals["value_usd_m_latest"] = np.where(found, years["value_usd_m"].to_numpy()[idx.clip(0)], np.nan)
    goals["progress_pct"] = goals["value_usd_m_latest"] / goals["value_usd_m"] * 100.0
    reached = goals["value_usd_m_latest"] >= goals["value_usd_m"]
    due = goals["target_year"].notna() & (goals["target_year"].astype("float64") <= (last_year or -np.inf))
    goals["status"] = np.select([goals["target_year"].isna(), reached, due], ["no deadline", "met", "missed"], "open")
    return goals.reset_index(drop=True)


def key_results(series, start, end) -> dict:
    """Key figures of one reporter's series (with ``yoy_growth`` columns) within [start, end]:
    latest year and value (a partial year says so in ``latest_months``), its year-on-year growth,
    the peak and the CAGR between the first and last full years covered."""
    s = series[(series["year"] >= start) & (series["year"] <= end)].dropna(subset=["value_usd_m"])
    if s.empty:
        return {"figures": 0}
    s = s.sort_values(["year", "months"])
    last = s.iloc[-1]
    full = s[s["months"] == 12]
    result = {"figures": len(s), "latest_year": int(last["year"]), "latest_months": int(last["months"]),
              "latest_value_usd_m": float(last["value_usd_m"]),
              "latest_yoy_pct": None if pd.isna(last.get("yoy_computed_pct")) else float(last["yoy_computed_pct"]),
              "latest_yoy_stated_pct": None if pd.isna(last.get("yoy_pct")) else float(last["yoy_pct"]),
              "peak_year": None, "peak_value_usd_m": None, "cagr_from": None, "cagr_to": None, "cagr_pct": None}
    if len(full):
        peak = full.loc[full["value_usd_m"].idxmax()]
        result.update(peak_year=int(peak["year"]), peak_value_usd_m=float(peak["value_usd_m"]))
        first_year, last_year = int(full["year"].iloc[0]), int(full["year"].iloc[-1])
        if last_year > first_year:
            result.update(cagr_from=first_year, cagr_to=last_year,
                          cagr_pct=float(cagr(full, first_year, last_year)["cagr_pct"].iloc[0]))
    return result


def trade_events(timeline, start, end, categories=("partnership", "treaty", "relations"),
                 visit_levels=("head_of_state", "party_leader")) -> pd.DataFrame:
    """Diplomatic milestones to overlay on a trade chart: upgrades, treaties, trade agreements and
    top-level visits between ``start`` and ``end`` (years). Works with whatever rows the timeline has."""
    t = timeline[(timeline["date"].dt.year >= start) & (timeline["date"].dt.year <= end)]
    title = t["title"].fillna("").str.lower()
    keep = t["category"].isin(categories) | title.str.contains(r"free trade|\bfta\b", regex=True)
    if "visit_level" in t.columns:
        keep |= (t["category"] == "visit") & t["visit_level"].isin(visit_levels)
    out = t[keep].copy()
    out["x"] = out["date"].dt.year + (out["date"].dt.day_of_year - 1) / 365.25
    if "precision" in out.columns:  # year-precise dates sit at mid-year, not on 1 January
        out.loc[out["precision"] == "year", "x"] = out["date"].dt.year + 0.5
    return out.sort_values("date").reset_index(drop=True)


def not_chosen(rows, chosen) -> pd.DataFrame:
    """The reported figures that ``pick_figures`` did not choose (alternatives kept in view)."""
    mark = chosen[PERIOD_KEY + ["source_id"]].assign(_chosen=True)
    merged = rows.merge(mark, on=PERIOD_KEY + ["source_id"], how="left")
    return merged[merged["_chosen"].isna()].drop(columns="_chosen").reset_index(drop=True)


def sourced_table(rows, sources, chosen=None) -> pd.DataFrame:
    """Every figure used, with the document that states it (publisher, date, address); with
    ``chosen``, a ``used_as`` column says whether the row is the series figure or an alternative."""
    meta = sources[["source_id", "publisher", "published", "url"]]
    cols = [c for c in ["year", "months", "flow", "reporter", "qualifier", "value_usd_m", "yoy_pct",
                        "authority", "source_id"] if c in rows.columns]
    out = rows[cols].merge(meta, on="source_id", how="left")
    if chosen is not None:
        mark = chosen[PERIOD_KEY + ["source_id"]].assign(used_as="series")
        out = out.merge(mark, on=PERIOD_KEY + ["source_id"], how="left")
        out["used_as"] = out["used_as"].fillna("alternative")
    return out.sort_values(["year", "months", "flow", "reporter", "source_id"]).reset_index(drop=True)


# --- what the trade_growth notebook shows and records ------------------------------------------------------------

HEADLINE_KEYS = ("latest_year", "latest_months", "latest_value_usd_m", "latest_yoy_pct", "cagr_pct", "cagr_from",
                 "cagr_to", "peak_year", "peak_value_usd_m")


def reporters_of(reporter: str) -> list:
    """The reporters a ``reporter`` parameter selects: "both" = Vietnam's statistics first, then Russia's."""
    return ["VN", "RU"] if reporter == "both" else [reporter]


def in_window(trade, start, end, reporters) -> pd.DataFrame:
    """The rows of ``reporters`` for the years ``start`` to ``end`` (both included)."""
    return trade[trade["year"].between(start, end) & trade["reporter"].isin(reporters)]


def full_years(series, reporter=None) -> pd.DataFrame:
    """The full-year figures of a series (``partial`` false), of one reporter if given."""
    keep = ~series["partial"].astype(bool)
    return series[keep if reporter is None else keep & (series["reporter"] == reporter)]


def by_reporter(growth, reporters, start, end) -> dict:
    """``key_results`` of each reporter's series (``yoy_growth`` columns included), in the order of ``reporters``."""
    return {r: key_results(growth[growth["reporter"] == r], start, end) for r in reporters}


def headline_table(results: dict) -> pd.DataFrame:
    """One row per reporter of ``by_reporter``'s results, CAGR ends labelled as years."""
    table = pd.DataFrame.from_dict(results, orient="index").rename_axis("reporter").reset_index()
    return table.rename(columns={"cagr_from": "cagr_from_year", "cagr_to": "cagr_to_year"})


def alternatives(window, series) -> pd.DataFrame:
    """The full-year totals in ``window`` that are not the series figure of their year (drawn as grey dots)."""
    totals = window[(window["flow"] == "total") & (window["months"] == 12)]
    return not_chosen(totals, full_years(series))


def numbered_events(events) -> pd.DataFrame:
    """The marked events numbered 1, 2, … in date order, as the chart labels them."""
    return events[["date", "precision", "title"]].assign(no=range(1, len(events) + 1))[
        ["no", "date", "precision", "title"]]


def implied_table(series, by=("reporter", "flow")) -> pd.DataFrame:
    """Values implied by a stated growth rate (``implied_previous``, rounded to 0.1) beside the figure reported
    for that year where there is one (``reported_value``)."""
    keys = [*by, "year", "months"]
    implied = implied_previous(series, by=list(by)).merge(
        series[keys + ["value_usd_m"]].rename(columns={"value_usd_m": "reported_value"}), on=keys, how="left")
    columns = ["reporter", "year", "months", "implied_value", "implied", "reported_value", "from_time", "from_value",
               "stated_growth_pct", "source_id"]
    return implied[columns].round({"implied_value": 1}).rename(columns={"from_time": "from_year"})


def flow_series(window, reporters, sources=None) -> pd.DataFrame:
    """Full-year export and import series of each reporter (``annual_series``), one frame."""
    return pd.concat([annual_series(window, r, f, include_partial=False, sources=sources)
                      for r in reporters for f in ("vn_exports", "vn_imports")], ignore_index=True)


def latest_gap(gap) -> tuple:
    """(year, gap_pct) of the latest year of a ``mirror_gap`` frame; (None, None) without one."""
    if gap is None or not len(gap):
        return None, None
    return gap["year"].iloc[-1], gap["gap_pct"].iloc[-1]


def cagr_periods(series, start, end, periods=DEFAULT_PERIODS) -> tuple:
    """CAGR of each period inside [start, end] on the full years of ``series``: (a table with one column per
    reporter, the notes where an end has no figure); (None, None) when no period fits."""
    inside = [(a, b) for a, b in periods if start <= a and b <= end]
    if not inside:
        return None, None
    table = cagr_table(full_years(series), inside)
    notes = table[table["note"] != ""][["period", "reporter", "note"]]
    return table.pivot(index="period", columns="reporter", values="cagr_pct").reset_index(), notes


def report_results(results, reporters, window, growth, events=None, gap=None) -> dict:
    """The key results of a trade_growth run, in the order recorded: the first reporter's headline figures, the
    reporters, every reporter's ``key_results`` (prefixed vn_/ru_), figures used, events marked, stated growth
    rates the figures cannot support and, with a mirror gap, its latest year, latest and median percentage."""
    main = results[reporters[0]]
    out = {key: main.get(key) for key in HEADLINE_KEYS}
    out["reporters"] = list(reporters)
    for r in reporters:
        out.update({f"{r.lower()}_{key}": value for key, value in results[r].items()})
    out["figures_used"] = len(window)
    out["events_marked"] = 0 if events is None else len(events)
    out["yoy_disagreements"] = int(growth["yoy_disagrees"].fillna(False).sum())
    if gap is not None and len(gap):
        out["mirror_gap_latest_year"] = int(gap["year"].iloc[-1])
        out["mirror_gap_latest_pct"] = float(gap["gap_pct"].iloc[-1])
        out["mirror_gap_median_pct"] = float(gap["gap_pct"].median())
    return out
