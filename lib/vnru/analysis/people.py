"""People-to-people analytics on ``vnru.load_indicators()``: arrivals by year, students, community ranges,
the "trained in the USSR/Russia" claims, growth and the events to mark on the arrivals chart.

A row of the indicators table is a figure either for a period (``year`` + ``months``: 12 = full year,
6 = January-June) or as of a date (``as_of``). Conflicting figures are all kept; where one figure per
period is needed (growth, headline), the rule of :func:`headline` says openly which one.
"""

import re

import numpy as np
import pandas as pd

from vnru.analysis import evidence
from vnru.analysis.evidence import headline_order
from vnru.analysis.growth import yoy_growth
from vnru.data.conventions import date_text, is_hedged, period_text, qualified
from vnru.errors import DataError, VnruError

__all__ = [
    "EVENTS",
    "MIN_PERIOD_MONTHS",
    "PeopleError",
    "claims",
    "coverage",
    "default_end",
    "events",
    "figure_label",
    "full_years",
    "headline",
    "implied_full_years",
    "latest",
    "missing_events",
    "observations",
    "peak",
    "period_label",
    "ranges",
    "select",
    "series",
    "yoy",
]

MIN_PERIOD_MONTHS = 6  # a part of a year shorter than this does not extend the default axis of years
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


def _rank(rows, others=None) -> pd.DataFrame:
    """Rows in headline order within each year and months covered (vnru.analysis.evidence)."""
    return headline_order(rows, ["year", "months"], "value_low", others=others)


def implied_full_years(rows, stated) -> pd.DataFrame:
    """Full-year values implied by stated growth (``stated``: rows of a ``*_yoy_pct`` indicator, full years):
    growth g stated for year y gives y from y-1's figures (v * (1 + g/100)) and y-1 from y's (v / (1 + g/100)),
    each carrying the source that states g. Derived values, used only as evidence for a consensus, never shown
    as figures."""
    full = rows[rows["months"] == 12][["year", "value_low", "source_id"]]
    st = stated[stated["months"] == 12][["year", "value_low", "source_id"]] if stated is not None else full.iloc[:0]
    factor = 1 + st["value_low"].astype("float64") / 100
    st = st.assign(factor=factor.to_numpy())
    forward = st.assign(base=st["year"] - 1).merge(full, left_on="base", right_on="year", suffixes=("", "_fig"))
    back = st.merge(full, on="year", suffixes=("", "_fig"))
    parts = [forward.assign(value_low=forward["value_low_fig"] * forward["factor"])[["year", "value_low", "source_id"]],
             back.assign(year=back["year"] - 1, value_low=back["value_low_fig"] / back["factor"])[
                 ["year", "value_low", "source_id"]]]
    out = pd.concat(parts, ignore_index=True).assign(months=12)
    return out.drop_duplicates(["year", "source_id"]).reset_index(drop=True)


def series(ind, indicator, start=None, end=None) -> pd.DataFrame:
    """Every figure for a period of one indicator, by year and months covered: full years and partial
    ones (``partial``), conflicting sources all kept. ``n_figures`` counts the figures for the same
    period, ``conflict`` says they disagree, ``headline`` marks the one :func:`headline` would pick and
    ``outlier`` a figure that stands against a consensus of other sources (their figures or the values
    their stated growth implies, :func:`implied_full_years`): an outlier is never the headline."""
    rows = select(ind, [indicator], start, end)
    rows = rows[rows["kind"] == "period"]
    if rows.empty:
        return rows.assign(value=pd.Series(dtype="float64"), n_figures=pd.Series(dtype="Int64"),
                           conflict=pd.Series(dtype=bool), headline=pd.Series(dtype=bool),
                           outlier=pd.Series(dtype=bool))
    stated = select(ind, [f"{indicator}_yoy_pct"])
    ordered = _rank(rows, implied_full_years(select(ind, [indicator]).query("kind == 'period'"), stated))
    groups = ordered.groupby(["year", "months"])
    ordered["n_figures"] = groups["value_low"].transform("size").astype("Int64")
    ordered["conflict"] = groups["value_low"].transform("nunique") > 1
    preferred = ordered["preferred"].fillna("").eq("yes") if "preferred" in ordered else False
    # an outlier against a consensus heads no period (a curator's preferred still does): its year shows no headline
    ordered["headline"] = ~ordered.duplicated(["year", "months"]) & (~ordered["outlier"] | preferred)
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


def latest(ind, indicator, start=None, end=None, full_only=False) -> dict | None:
    """The latest figure of an indicator by the rule of vnru.analysis.evidence.latest: the newest date across
    its period rows (by the end of the period) and its dated rows; outliers against a consensus left out.
    ``full_only``: the latest full year only. Where figures of the last LATEST_WINDOW_MONTHS disagree, ``range``
    gives them as one range (low, high, first, last, n_sources, source_ids). None when there is no figure."""
    periods = series(ind, indicator, start, end)
    if full_only:
        rows = full_years(periods)
    else:
        rows = select(ind, [indicator], start, end)
        if len(periods):  # a figure standing against a consensus is never the latest
            out = periods.loc[periods["outlier"], ["year", "months", "source_id"]]
            key = ["year", "months", "source_id"]
            rows = rows.merge(out.assign(_out=True), on=key, how="left")
            rows = rows[rows["_out"].isna()].drop(columns="_out")
    recent = evidence.latest(rows)
    if recent.empty:
        return None
    row = recent.iloc[0]
    found = {"indicator": indicator, "when": row["when"], "year": None if pd.isna(row["year"]) else int(row["year"]),
             "partial": bool(row["partial"]), "value_low": float(row["value_low"]),
             "value_high": None if pd.isna(row["value_high"]) else float(row["value_high"]),
             "figure": figure_label(row), "unit": row["unit"], "source_id": row["source_id"],
             "n_figures": int(row["n_figures"]) if "n_figures" in row and not pd.isna(row["n_figures"])
             else int(((rows["kind"] == row["kind"]) & (rows["x"] == row["x"])).sum()), "range": None}
    same = recent[recent["kind"] == row["kind"]]
    if row["kind"] == "period":  # a range only among figures for the same period
        same = same[(same["year"] == row["year"]) & (same["months"] == row["months"])]
    spread = evidence.value_range(same)
    if spread["low"] != spread["high"]:
        spread["when"] = _span_label(spread["first"], spread["last"])
        found["range"] = {k: (v.date().isoformat() if hasattr(v, "date") else v) for k, v in spread.items()}
    return found


def _span_label(first, last) -> str:
    """'June–September 2024', 'September 2024', 'December 2023–March 2024'."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%B %Y}"
    return f"{first:%B}–{last:%B %Y}" if first.year == last.year else f"{first:%B %Y}–{last:%B %Y}"


def default_end(ind) -> int | None:
    """The last year shown by default: the latest year with a full-year figure, a dated figure or a period of
    at least MIN_PERIOD_MONTHS. A lone month or quarter of a later year (January 2026) stays out of an axis of
    full years; ``latest`` still reports it."""
    rows = select(ind)
    full = rows[(rows["kind"] == "as_of") | (rows["months"].fillna(0) >= MIN_PERIOD_MONTHS)]
    return int(np.floor(full["x"].max())) if len(full) else None


def yoy(frame, stated=None) -> pd.DataFrame:
    """Growth of the headline full-year figures over the previous year (``vnru.analysis.growth.yoy_growth``):
    NA where the previous year has no full-year figure, never across a gap. ``stated`` (rows of a
    ``*_yoy_pct`` indicator) adds the growth a source states for that year and flags disagreement; where
    sources state different rates, the headline rule picks one (the computed growth counts as evidence for a
    consensus), and a year with a stated rate but no computed one (no headline figure) keeps its stated rate.
    ``conflict`` is True where either year has figures that disagree."""
    full = full_years(frame)[["year", "months", "value", "source_id", "conflict"]]
    full = full.assign(year=full["year"].astype("int64"), months=full["months"].astype("int64"))
    if stated is not None and len(stated):
        computed = yoy_growth(full, value="value", stated="_none", time="year")
        evidence_rows = computed[["year", "yoy_computed_pct"]].dropna().rename(
            columns={"yoy_computed_pct": "value_low"}).assign(source_id="(computed from the figures)")
        s = stated[(stated["months"] == 12)].assign(year=lambda f: f["year"].astype("int64"))
        s = headline_order(s, ["year"], "value_low", others=evidence_rows).drop_duplicates("year")
        s = s[["year", "value_low", "source_id"]].rename(columns={"value_low": "stated_yoy_pct",
                                                                  "source_id": "stated_source_id"})
        full = full.merge(s, on="year", how="outer").assign(months=12)
        full["conflict"] = full["conflict"].fillna(False).astype(bool)
    out = yoy_growth(full, value="value", stated="stated_yoy_pct", time="year")
    before = full[["year", "conflict"]].assign(year=full["year"] + 1).rename(columns={"conflict": "_prev"})
    out = out.merge(before, on="year", how="left")
    out["conflict"] = out["conflict"] | out["_prev"].fillna(False).astype(bool)
    return out.drop(columns="_prev").sort_values("year", ignore_index=True)


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
    cites the rows found. A span reaches over the neighbouring years of the event's window that hold no arrivals
    figure at all (Covid: named in 2021, 2020 has no figure either). Events the data does not name are left out
    (see ``missing``)."""
    found = []
    arrivals = select(ind, ["russian_arrivals"])
    counted = set(np.floor(arrivals.loc[arrivals["kind"] == "period", "x"]).astype(int))
    frames = [select(ind).assign(_text=lambda f: f["note"].fillna(""), _year=lambda f: np.floor(f["x"]))]
    if timeline is not None and len(timeline):
        frames.append(timeline.assign(_text=timeline["title"].fillna(""), _year=timeline["date"].dt.year))
    for key, label, pattern, (lo, hi) in EVENTS:
        hits = pd.concat([f[f["_text"].str.contains(pattern, flags=re.IGNORECASE, regex=True)
                            & f["_year"].between(lo, hi)][["_year", "source_id"]] for f in frames])
        if hits.empty:
            continue
        first, last = int(hits["_year"].min()), int(hits["_year"].max())
        while first - 1 >= lo and first - 1 not in counted:  # years the event emptied of figures belong to it
            first -= 1
        while last + 1 <= hi and last + 1 not in counted:
            last += 1
        if (start is not None and last < int(start)) or (end is not None and first > int(end)):
            continue
        found.append({"event": key, "label": label, "start_year": first, "end_year": last,
                      "source_ids": sorted(set(hits["source_id"]))})
    return pd.DataFrame(found, columns=["event", "label", "start_year", "end_year", "source_ids"])


def missing_events(found) -> list:
    """Labels of the :data:`EVENTS` that the data does not name (so the chart cannot mark them)."""
    return [label for key, label, _, _ in EVENTS if key not in set(found["event"])]
