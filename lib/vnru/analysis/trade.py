"""Vietnam-Russia trade analytics: one figure per period, annual series per reporter, balance,
the mirror gap between the two reporters' statistics, CAGR tables and progress toward targets.

Pure functions on the DataFrames of ``vnru.load_trade()``/``load_targets()``. Growth arithmetic
(``yoy_growth``, ``implied_previous``, ``cagr``) lives in ``vnru.analysis.growth`` and is re-exported here.
"""

import numpy as np
import pandas as pd

from vnru.analysis.evidence import headline_order, series_breaks
from vnru.analysis.growth import TradeError, cagr, implied_previous, yoy_growth
from vnru.analysis.trade_compare import mirror_gap, progress_table, target_progress, trade_balance
from vnru.data.conventions import FLOWS, REPORTERS

__all__ = [
    "DEFAULT_PERIODS", "FLOWS", "HEADLINE_KEYS", "REPORTERS", "TradeError", "alternatives", "annual_series",
    "both_series", "by_reporter", "cagr", "cagr_periods", "cagr_table", "flow_series", "full_years", "headline_table",
    "implied_previous", "implied_table", "in_window", "key_results", "latest_gap", "latest_partial",
    "latest_partials", "mark_breaks", "mirror_gap", "not_chosen", "pick_figures", "progress_table",
    "report_results", "reporters_of", "sourced_table", "target_progress", "trade_balance",
    "yoy_growth",
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
    return mark_breaks(pd.concat(parts, ignore_index=True))


def mark_breaks(series) -> pd.DataFrame:
    """``series`` with the rule of series breaks (vnru.analysis.evidence.series_breaks) applied to its full
    years: ``break_before`` (the figure switches source with a jump the other reporter does not show),
    ``break_sources`` and ``at_break`` (the figure sits between two breaks: off the level of both neighbours)."""
    out = series.drop(columns=[c for c in ("break_before", "break_sources", "at_break") if c in series])
    full = out[out["months"] == 12] if "partial" not in out else out[~out["partial"]]
    marked = series_breaks(full) if len(full) else full.assign(break_before=False, break_sources="")
    out["break_before"] = marked["break_before"].reindex(out.index).fillna(False).astype(bool)
    out["break_sources"] = marked["break_sources"].reindex(out.index).fillna("")
    after = marked[marked["break_before"]][["reporter", "year"]].assign(year=lambda f: f["year"] - 1)
    left = pd.MultiIndex.from_frame(after) if len(after) else pd.MultiIndex.from_tuples([], names=["reporter", "year"])
    out["at_break"] = out["break_before"] & pd.MultiIndex.from_frame(out[["reporter", "year"]]).isin(left)
    return out


def cagr_table(series, periods=DEFAULT_PERIODS, by="reporter") -> pd.DataFrame:
    """CAGR for each period and reporter; a period whose ends lack a figure says which end, never guesses."""
    parts = []
    for start, end in periods:
        part = cagr(series, start, end, by=by, missing="nan")
        gap = np.where(part["start_value"].isna(), f"no figure for {start}",
                       np.where(part["end_value"].isna(), f"no figure for {end}", ""))
        if "source_id" in series and by in part:  # say which sources the two ends rest on when they differ
            ids = series.set_index([by, "year"])["source_id"]
            ends = [(ids.get((r, start)), ids.get((r, end))) for r in part[by]]
            crossed = [int(series[(series[by] == r) & series["year"].between(start + 1, end)]
                           .get("break_before", pd.Series(dtype=bool)).sum()) for r in part[by]]
            said = [f"ends rest on different sources ({a} / {b})" + (f"; {n} series break(s) between" if n else "")
                    if isinstance(a, str) and isinstance(b, str) and a != b else ""
                    for (a, b), n in zip(ends, crossed, strict=True)]
            gap = np.where(gap == "", said, gap)
        parts.append(part.assign(period=f"{start}-{end}", note=gap))
    return pd.concat(parts, ignore_index=True)


def latest_partial(trade, reporter, sources=None, flow="total") -> dict | None:
    """The latest partial-year figure of one reporter newer than its last full year, beside the same months
    of the year before when the data hold them: {year, months, value_usd_m, source_id, prev_value_usd_m,
    prev_source_id, change_pct}. None when the latest period is a full year."""
    rows = trade[(trade["reporter"] == reporter) & (trade["flow"] == flow)]
    picked = pick_figures(rows, sources)
    if picked.empty:
        return None
    full_max = picked.loc[picked["months"] == 12, "year"].max()
    part = picked[(picked["months"] < 12) & ~(picked["year"] <= full_max)]
    if part.empty:
        return None
    last = part.sort_values(["year", "months"]).iloc[-1]
    prev = picked[(picked["year"] == last["year"] - 1) & (picked["months"] == last["months"])]
    out = {"year": int(last["year"]), "months": int(last["months"]), "value_usd_m": float(last["value_usd_m"]),
           "source_id": last["source_id"], "prev_value_usd_m": None, "prev_source_id": None, "change_pct": None}
    if len(prev):
        out.update(prev_value_usd_m=float(prev["value_usd_m"].iloc[0]), prev_source_id=prev["source_id"].iloc[0],
                   change_pct=float((last["value_usd_m"] / prev["value_usd_m"].iloc[0] - 1) * 100))
    return out


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
              "latest_source_id": last.get("source_id"),
              "latest_across_break": bool(last.get("break_before", False)),
              "peak_year": None, "peak_value_usd_m": None, "cagr_from": None, "cagr_to": None, "cagr_pct": None,
              "cagr_from_source_id": None, "cagr_to_source_id": None, "cagr_source_switches": 0, "cagr_breaks": 0,
              "breaks": []}
    if "break_before" in s:  # each series break: the year, its figure and source, and the year before's
        prev = s.set_index("year")
        result["breaks"] = [{"year": int(r["year"]), "value_usd_m": float(r["value_usd_m"]), "source_id": r["source_id"],
                             "prev_value_usd_m": float(prev.loc[r["year"] - 1, "value_usd_m"]),
                             "prev_source_id": prev.loc[r["year"] - 1, "source_id"]}
                            for _, r in s[s["break_before"] & (s["months"] == 12)].iterrows()
                            if r["year"] - 1 in prev.index]
    if len(full):
        peak = full.loc[full["value_usd_m"].idxmax()]
        result.update(peak_year=int(peak["year"]), peak_value_usd_m=float(peak["value_usd_m"]),
                      peak_source_id=peak.get("source_id"), peak_at_break=bool(peak.get("at_break", False)))
        first_year, last_year = int(full["year"].iloc[0]), int(full["year"].iloc[-1])
        if last_year > first_year:
            result.update(cagr_from=first_year, cagr_to=last_year,
                          cagr_pct=float(cagr(full, first_year, last_year)["cagr_pct"].iloc[0]),
                          cagr_breaks=int(full["break_before"].sum()) if "break_before" in full else 0)
            if "source_id" in full:
                ids = full["source_id"]
                result.update(cagr_from_source_id=ids.iloc[0], cagr_to_source_id=ids.iloc[-1],
                              cagr_source_switches=int((ids != ids.shift()).iloc[1:].sum()))
    return result


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


_HEADLINE_COLUMNS = {"reporter": "reporter", "figures": "figures", "latest_year": "latest_year", "latest_months": "months",
                    "latest_value_usd_m": "latest_usd_m", "latest_yoy_pct": "yoy_pct",
                    "latest_yoy_stated_pct": "yoy_stated_pct", "peak_year": "peak_year", "peak_value_usd_m": "peak_usd_m",
                    "cagr_years": "cagr_years", "cagr_pct": "cagr_pct", "break_years": "series_breaks",
                    "latest_source_id": "source_id"}  # by_reporter's key -> the reader's column, in this order


def headline_table(results: dict) -> pd.DataFrame:
    """One row per reporter of ``by_reporter``'s results, for reading: the latest figure with its growth (computed
    and stated), the peak, the CAGR over its years ("1992–2024") and the years of series breaks ("2013, 2014");
    the rest of the results (source switches, the sources of the CAGR's ends ...) stay in the key results."""
    table = pd.DataFrame.from_dict(results, orient="index").rename_axis("reporter").reset_index()
    if table.empty:
        return pd.DataFrame(columns=list(_HEADLINE_COLUMNS.values()))
    table["cagr_years"] = [f"{int(a)}\u2013{int(b)}" if pd.notna(a) and pd.notna(b) else None
                           for a, b in zip(table["cagr_from"], table["cagr_to"], strict=True)]
    table["break_years"] = [", ".join(str(int(b["year"])) for b in breaks) if isinstance(breaks, list) and breaks
                            else None for breaks in table["breaks"]]
    return table[[c for c in _HEADLINE_COLUMNS if c in table]].rename(columns=_HEADLINE_COLUMNS)


def alternatives(window, series) -> pd.DataFrame:
    """The full-year totals in ``window`` that are not the series figure of their year (drawn as grey dots)."""
    totals = window[(window["flow"] == "total") & (window["months"] == 12)]
    return not_chosen(totals, full_years(series))


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


def latest_partials(window, reporters, sources=None) -> dict:
    """{reporter: ``latest_partial``} for each of ``reporters``: the latest part of a year, if newer."""
    return {r: latest_partial(window, r, sources) for r in reporters}


def report_results(results, reporters, window, growth, events=None, gap=None, share=None) -> dict:
    """The key results of a trade_growth run, in the order recorded: the first reporter's headline figures, the
    reporters, every reporter's ``key_results`` (prefixed vn_/ru_), figures used, milestones marked (count and ids), stated growth
    rates the figures cannot support, with a mirror gap its latest year, latest and median percentage and, with
    ``share`` (vnru.analysis.partners.latest_share) of a reporter shown, Russia's share of Vietnam's trade: its
    year, percentage (derived) and the two sources (Russia's figure, the world total)."""
    main = results[reporters[0]]
    out = {key: main.get(key) for key in HEADLINE_KEYS}
    out["reporters"] = list(reporters)
    for r in reporters:
        out.update({f"{r.lower()}_{key}": value for key, value in results[r].items()})
    out["figures_used"] = len(window)
    out["events_marked"] = 0 if events is None else len(events)  # the milestones labelled on the series chart
    out["milestones"] = [] if events is None else list(events["event_id"])
    out["yoy_disagreements"] = int(growth["yoy_disagrees"].fillna(False).sum())
    if gap is not None and len(gap):
        out["mirror_gap_latest_year"] = int(gap["year"].iloc[-1])
        out["mirror_gap_latest_pct"] = float(gap["gap_pct"].iloc[-1])
        out["mirror_gap_median_pct"] = float(gap["gap_pct"].median())
    if share and share["reporter"] in reporters:  # Russia's share, in statistics the report shows
        out["russia_share_year"] = share["year"]
        out["russia_share_pct"] = float(share["share_pct"])  # whole: rounding is the reader's
        out["russia_share_sources"] = [share["source_id"], share["world_source_id"]]
    return out
