"""People-to-people analytics on ``vnru.load_indicators()``: arrivals by year, students, community ranges,
the "trained in the USSR/Russia" claims, growth and the events to mark on the arrivals chart.

A row of the indicators table is a figure either for a period (``year`` + ``months``: 12 = full year,
6 = January-June) or as of a date (``as_of``). Conflicting figures are all kept; where one figure per
period is needed (growth, headline), the rule of :func:`headline` says openly which one.
"""

import re

import numpy as np
import pandas as pd

from vnru.analysis.evidence import headline_order
from vnru.analysis.growth import yoy_growth
from vnru.data.conventions import date_text, is_hedged, period_text, qualified
from vnru.errors import DataError, VnruError

__all__ = [
    "EVENTS", "PeopleError", "claims", "coverage", "events", "figure_label", "full_years", "headline", "latest",
    "missing_events", "observations", "peak", "period_label", "ranges", "select", "series", "shown", "yoy",
]

# Events to mark on the arrivals chart. The library states only what to look for and in which years;
# an event is drawn only where a timeline event or an indicators note in the data names it, and it
# cites that row's source: the kit states no event of its own.
EVENTS = (
    ("rouble_fall", "Rouble fall", r"\b(?:rouble|ruble)s?\b", (2014, 2016)),
    ("covid", "Covid-19", r"covid|pandemic|coronavirus", (2020, 2022)),
    ("flight_stop", "Direct flights stopped", (r"flights?\b.*\b(?:halt|stop|suspend|cut|ended|no direct)"
                                              r"|(?:halt|stop|suspen|no direct)\w*\b.*\bflights?"), (2022, 2023)),
    ("recovery", "Recovery", r"recover|resum|rebound", (2023, 2100)),
)


class PeopleError(VnruError, ValueError):
    """The indicators cannot answer the question (a row that is neither a period nor a date, ...)."""


def period_label(year, months) -> str:
    """'2019' for a full year, 'Jan–Jun 2024' for a partial one, 'Jan 2024' for one month."""
    return period_text(year, 1, months)


def figure_label(row) -> str:
    """A figure as the source hedges it: 'about 60,000–80,000', 'more than 280,000', '1,000'."""
    value = f"{row['value_low']:,.0f}"
    if not pd.isna(row.get("value_high")) and row["value_high"] != row["value_low"]:
        value += f"–{row['value_high']:,.0f}"
    return qualified(value, row.get("qualifier"))


def select(ind, indicators=None, start=None, end=None) -> pd.DataFrame:
    """Rows of the named indicators (default all) whose year lies in [start, end], with ``kind``
    (period / as_of), ``partial``, ``when`` (the period or date in words) and ``x`` (a decimal year:
    mid-period, or the date). A row that is both or neither a period and a date is a DataError."""
    rows = ind if indicators is None else ind[ind["indicator"].isin(list(indicators))]
    has_period = rows["year"].notna() & rows["months"].notna()
    has_date = rows["as_of"].notna()
    bad = rows[(has_period == has_date) | (rows["year"].notna() != rows["months"].notna())]
    if len(bad):
        first = bad.iloc[0]
        raise DataError(f"indicator {first['indicator']!r} from {first['source_id']!r} needs either year and "
                        "months (a period) or as_of (a date), not both or neither", file="indicators.csv")
    out = rows.copy()
    out["kind"] = np.where(has_period, "period", "as_of")
    out["partial"] = has_period & (out["months"].fillna(12) < 12)
    year = out["year"].astype("float64")
    out["x"] = np.where(has_period, year + out["months"].astype("float64").fillna(12) / 24,
                        out["as_of"].dt.year + (out["as_of"].dt.day_of_year - 1) / 365.25)
    out["when"] = [period_label(y, m) if k == "period" else date_text(d, p) for k, y, m, d, p in
                   zip(out["kind"], out["year"], out["months"], out["as_of"], out["as_of_precision"])]
    within = pd.Series(True, index=out.index)
    if start is not None:
        within &= np.floor(out["x"]) >= int(start)
    if end is not None:
        within &= np.floor(out["x"]) <= int(end)
    return out[within].reset_index(drop=True)


def coverage(selected) -> pd.DataFrame:
    """One line per indicator of a :func:`select` result: unit, figures, sources, periods/dates, first, last."""
    if selected.empty:
        return pd.DataFrame(columns=["indicator", "unit", "figures", "sources", "periods", "dates", "first", "last"])
    ordered = selected.sort_values("x")
    groups = ordered.groupby("indicator", sort=True)
    return pd.DataFrame({
        "unit": groups["unit"].first(), "figures": groups.size(), "sources": groups["source_id"].nunique(),
        "periods": groups["kind"].agg(lambda k: int((k == "period").sum())),
        "dates": groups["kind"].agg(lambda k: int((k == "as_of").sum())),
        "first": groups["when"].first(), "last": groups["when"].last()}).reset_index()


def _rank(rows) -> pd.DataFrame:
    """Rows in headline order within each year and months covered (vnru.analysis.evidence)."""
    return headline_order(rows, ["year", "months"], "value_low")


def series(ind, indicator, start=None, end=None) -> pd.DataFrame:
    """Every figure for a period of one indicator, by year and months covered: full years and partial
    ones (``partial``), conflicting sources all kept. ``n_figures`` counts the figures for the same
    period, ``conflict`` says they disagree, ``headline`` marks the one :func:`headline` would pick."""
    rows = select(ind, [indicator], start, end)
    rows = rows[rows["kind"] == "period"]
    if rows.empty:
        return rows.assign(value=pd.Series(dtype="float64"), n_figures=pd.Series(dtype="Int64"),
                           conflict=pd.Series(dtype=bool), headline=pd.Series(dtype=bool))
    ordered = _rank(rows)
    groups = ordered.groupby(["year", "months"])
    ordered["n_figures"] = groups["value_low"].transform("size").astype("Int64")
    ordered["conflict"] = groups["value_low"].transform("nunique") > 1
    ordered["headline"] = ~ordered.duplicated(["year", "months"])
    ordered["value"] = ordered["value_low"].astype("float64")
    return ordered.reset_index(drop=True)


def headline(frame) -> pd.DataFrame:
    """One figure per year and months covered (rule: exact before hedged, more precise, source_id)."""
    return frame[frame["headline"]].reset_index(drop=True)


def full_years(frame) -> pd.DataFrame:
    """The headline full-year figures of a :func:`series`, one per year."""
    return headline(frame[frame["months"] == 12])


def peak(frame):
    """The full-year headline row with the highest figure (None when there is no full year)."""
    full = full_years(frame)
    return None if full.empty else full.loc[full["value"].idxmax()]


def latest(ind, indicator, start=None, end=None) -> dict | None:
    """The latest figure of an indicator: the latest full year of its period figures (headline), else
    its latest dated figure (exact before hedged), else its latest partial period (``partial`` True).
    None when the indicator has no figure in the window."""
    rows = select(ind, [indicator], start, end)
    periods = series(ind, indicator, start, end)
    full, dated = full_years(periods), rows[rows["kind"] == "as_of"]
    if len(full):
        row = full.iloc[-1]
        same = row["n_figures"]
    elif len(dated):
        ordered = headline_order(dated, ["as_of"], "value_low")  # within a date: the headline rule
        row = ordered[ordered["as_of"] == ordered["as_of"].max()].iloc[0]
        same = (dated["as_of"] == row["as_of"]).sum()
    elif len(periods):
        row = headline(periods).sort_values(["year", "months"]).iloc[-1]
        same = row["n_figures"]
    else:
        return None
    return {"indicator": indicator, "when": row["when"], "year": None if pd.isna(row["year"]) else int(row["year"]),
            "partial": bool(row["partial"]), "value_low": float(row["value_low"]),
            "value_high": None if pd.isna(row["value_high"]) else float(row["value_high"]),
            "figure": figure_label(row), "unit": row["unit"], "source_id": row["source_id"],
            "n_figures": int(same)}


def yoy(frame, stated=None) -> pd.DataFrame:
    """Growth of the headline full-year figures over the previous year (``vnru.analysis.growth.yoy_growth``):
    NA where the previous year has no full-year figure, never across a gap. ``stated`` (rows of a
    ``*_yoy_pct`` indicator) adds the growth a source states for that year and flags disagreement.
    ``conflict`` is True where either year has figures that disagree."""
    full = full_years(frame)[["year", "months", "value", "source_id", "conflict"]]
    full = full.assign(year=full["year"].astype("int64"), months=full["months"].astype("int64"))
    if stated is not None and len(stated):
        s = stated[(stated["months"] == 12)].sort_values("source_id").drop_duplicates("year")
        s = s.assign(year=s["year"].astype("int64"))[["year", "value_low", "source_id"]]
        full = full.merge(s.rename(columns={"value_low": "stated_yoy_pct", "source_id": "stated_source_id"}),
                          on="year", how="left")
    out = yoy_growth(full, value="value", stated="stated_yoy_pct", time="year")
    before = full[["year", "conflict"]].assign(year=full["year"] + 1).rename(columns={"conflict": "_prev"})
    out = out.merge(before, on="year", how="left")
    out["conflict"] = out["conflict"] | out["_prev"].fillna(False).astype(bool)
    return out.drop(columns="_prev")


def observations(ind, indicator, start=None, end=None) -> pd.DataFrame:
    """Every figure of an indicator over time, periods and dates together, sorted by ``x``
    (students studying at several dates, scholarships per year, ...)."""
    rows = select(ind, [indicator], start, end)
    rows = rows.assign(hedged=is_hedged(rows["qualifier"]),
                       figure=[figure_label(r) for _, r in rows.iterrows()])
    return rows.sort_values(["x", "source_id"]).reset_index(drop=True)


def ranges(ind, indicator="vn_community_in_russia", start=None, end=None) -> pd.DataFrame:
    """Estimates as ranges: ``low``, ``high`` (= low for a single figure), ``is_range`` and ``figure``."""
    rows = observations(ind, indicator, start, end)
    low = rows["value_low"].astype("float64")
    return rows.assign(low=low, high=rows["value_high"].astype("float64").fillna(low),
                       is_range=rows["value_high"].notna() & (rows["value_high"] != rows["value_low"]))


def claims(ind, indicator="trained_in_ussr_russia") -> pd.DataFrame:
    """Conflicting totals side by side, smallest first, each with ``counts`` (what it counts, from
    the row's note), the figure as hedged and when it was stated."""
    rows = observations(ind, indicator)
    out = rows.assign(counts=rows["note"].fillna("(the source does not say)"))
    return out.sort_values(["value_low", "x", "source_id"]).reset_index(drop=True)


def events(ind, timeline=None, start=None, end=None) -> pd.DataFrame:
    """The events of :data:`EVENTS` that the data names: each from the timeline rows (title) and the
    indicators notes that match its pattern within its years; spans first to last matching year, and
    cites the rows found. Events the data does not name are left out (see ``missing``)."""
    found = []
    frames = [select(ind).assign(_text=lambda f: f["note"].fillna(""), _year=lambda f: np.floor(f["x"]))]
    if timeline is not None and len(timeline):
        frames.append(timeline.assign(_text=timeline["title"].fillna(""), _year=timeline["date"].dt.year))
    for key, label, pattern, (lo, hi) in EVENTS:
        hits = pd.concat([f[f["_text"].str.contains(pattern, flags=re.IGNORECASE, regex=True)
                            & f["_year"].between(lo, hi)][["_year", "source_id"]] for f in frames])
        if hits.empty:
            continue
        first, last = int(hits["_year"].min()), int(hits["_year"].max())
        if (start is not None and last < int(start)) or (end is not None and first > int(end)):
            continue
        found.append({"event": key, "label": label, "start_year": first, "end_year": last,
                      "source_ids": sorted(set(hits["source_id"]))})
    return pd.DataFrame(found, columns=["event", "label", "start_year", "end_year", "source_ids"])


def missing_events(found) -> list:
    """Labels of the :data:`EVENTS` that the data does not name (so the chart cannot mark them)."""
    return [label for key, label, _, _ in EVENTS if key not in set(found["event"])]


def shown(frame, columns=None, rename=None) -> pd.DataFrame:
    """The ``columns`` of ``frame`` (default all), renamed by ``rename``, as they are: formatting is left to
    ``vnru.show``, the one path to a table (kept for the notebooks; call ``vnru.show`` on the frame instead).

    Columns holding years keep saying so after a rename (``frame.attrs["years"]``), so that ``vnru.show``
    writes 2024, never 2,024."""
    out = frame[list(columns)] if columns else frame
    rename = dict(rename or {})
    years = [rename.get(c, c) for c in out.columns if str(c) == "months" or str(c).endswith("year")]
    out = out.rename(columns=rename).reset_index(drop=True)
    out.attrs["years"] = years
    return out


# --- what the people_exchange notebook shows and records --------------------------------------------------------

DRAWN = ("russian_arrivals", "vn_students_in_russia", "russian_scholarships", "vn_community_in_russia",
         "trained_in_ussr_russia")  # the indicators with a chart of their own; the rest are listed


def last_year(ind) -> int | None:
    """The latest year any indicator figure falls in (None without figures): the window's default end."""
    every = select(ind)
    return int(every["x"].max()) if len(every) else None


def wanted(selected, chosen) -> list:
    """The ``chosen`` indicators that have a figure in ``selected`` (a ``select`` frame), in the order chosen."""
    present = set(selected["indicator"])
    return [name for name in chosen if name in present]


def of_indicators(frame, names, *, exclude=False, sort=False) -> pd.DataFrame:
    """The rows of ``names`` (all other rows with ``exclude``), sorted by indicator and x with ``sort``."""
    keep = frame["indicator"].isin(list(names))
    rows = frame[~keep if exclude else keep]
    return rows.sort_values(["indicator", "x"]) if sort else rows


def with_figures(frame) -> pd.DataFrame:
    """``frame`` with a ``figure`` column: each figure in words (``figure_label``)."""
    return frame.assign(figure=[figure_label(r) for _, r in frame.iterrows()])


def headlines(ind, arrivals, wanted_, start=None, end=None) -> dict:
    """The figures a report leads with: ``arrivals_latest`` (the latest figure of arrivals if it is a FULL year,
    else None), ``arrivals_peak`` and the ``latest`` figure of students and of scholarships (None when not
    wanted)."""
    has_arrivals = arrivals is not None and len(arrivals) > 0
    last = latest(ind, "russian_arrivals", start, end) if has_arrivals else None
    out = {"arrivals_latest": None if last is None or last["partial"] else last,
           "arrivals_peak": peak(arrivals) if has_arrivals else None}
    for name in ("vn_students_in_russia", "russian_scholarships"):
        out[name] = latest(ind, name, start, end) if name in wanted_ else None
    return out


def report_results(selected, heads: dict, arrivals=None, marked=None, community=None, trained=None) -> dict:
    """The key results of a people_exchange run, in the order recorded: figures and indicators shown; for
    arrivals the full years, partial figures, years with conflicting figures, the latest full year (figure,
    source), the peak and the events marked; the latest students and scholarships figures; the number and
    range of community estimates; the number and extremes of the trained claims. Keys of what is not shown
    are left out."""
    out = {"figures_shown": len(selected), "indicators_shown": int(selected["indicator"].nunique())}
    if arrivals is not None and len(arrivals):
        last, top = heads["arrivals_latest"], heads["arrivals_peak"]
        out.update(arrivals_full_years=len(full_years(arrivals)),
                   arrivals_partial_figures=int(arrivals["partial"].sum()),
                   arrivals_conflicting_years=int(arrivals.loc[arrivals["conflict"], "year"].nunique()),
                   arrivals_latest_year=None if last is None else last["year"],
                   arrivals_latest_value=None if last is None else last["value_low"],
                   arrivals_latest_source=None if last is None else last["source_id"],
                   arrivals_peak_year=None if top is None else int(top["year"]),
                   arrivals_peak_value=None if top is None else float(top["value"]),
                   arrivals_events=list(marked["label"]))
    for key, name in (("students", "vn_students_in_russia"), ("scholarships", "russian_scholarships")):
        if heads[name]:
            out.update({f"{key}_latest": heads[name]["value_low"], f"{key}_latest_when": heads[name]["when"],
                        f"{key}_latest_source": heads[name]["source_id"]})
    if community is not None and len(community):
        out.update(community_estimates=len(community), community_low=float(community["low"].min()),
                   community_high=float(community["high"].max()))
    if trained is not None and len(trained):
        out.update(trained_claims=len(trained), trained_min=float(trained["value_low"].min()),
                   trained_max=float(trained["value_low"].max()))
    return out
