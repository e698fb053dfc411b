"""Investment stocks between Vietnam and Russia: rankings, percentiles, per-project size, changes.

All functions are pure: they take the frames of ``vnru.load_investment()`` and
``vnru.load_vn_fdi_investors()`` (or slices of them) and return new frames or plain values.

Percentile, used throughout: the share of the *other* ranked countries that rank below the
partner, ``(rank_of - rank) / (rank_of - 1) * 100``. Rank 1 is 100, last place is 0, so rank 28
of 145 (81.25) and rank 23 of 116 (80.87) can be compared although the fields differ in size.
A field of one country gives 100; a missing rank or field size gives NaN.

Conflicting reports are all kept. Where one value is needed ("the latest"), the rule is: the most
recent ``as_of``; on the same date, the headline rule of ``vnru.analysis.evidence`` (a figure stated
exactly beats a hedged one: about, nearly, more than, ...; then the more precise capital figure; then the
lower source_id in alphabetical order, arbitrary but reproducible).
"""

import numpy as np
import pandas as pd

from vnru.analysis.evidence import CONSENSUS_TOLERANCE, headline_order
from vnru.data.conventions import DIRECTIONS, is_hedged, iso_date
from vnru.errors import ParameterError


def percentile(rank, rank_of):
    """Share (0-100) of the rest of the field ranked below ``rank`` out of ``rank_of``.

    Works on scalars (returns a float) or aligned Series (returns a Series); NaN where either is
    missing or the rank lies outside 1..rank_of.
    """
    r, n = _numbers(rank), _numbers(rank_of)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(n == 1, 100.0, (n - r) / (n - 1) * 100.0)
    out[np.isnan(r) | np.isnan(n) | (r < 1) | (r > n)] = np.nan
    if isinstance(rank, pd.Series):
        return pd.Series(out, index=rank.index, name="percentile")
    return float(out[0])


def _numbers(value) -> np.ndarray:
    """A float array from a scalar or a Series (missing values become NaN)."""
    series = value if isinstance(value, pd.Series) else pd.Series([value], dtype="object")
    return pd.to_numeric(series, errors="coerce").astype(float).to_numpy()


def capital_per_project(frame: pd.DataFrame) -> pd.Series:
    """Registered capital per project (USD millions); NaN where either figure is missing or zero."""
    projects = frame["projects"].astype("Float64").replace(0, pd.NA)
    return (frame["capital_usd_m"].astype("Float64") / projects).astype(float)


def in_window(frame: pd.DataFrame, start=None, end=None, column="as_of") -> pd.DataFrame:
    """Rows whose ``column`` date falls within [start, end] (either bound may be None)."""
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame[column] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame[column] <= pd.Timestamp(end)
    return frame[keep]


def history(investment: pd.DataFrame, direction="ru_in_vn", start=None, end=None) -> pd.DataFrame:
    """Every reported stock in one direction (or ``"both"``) within the window, oldest first.

    Adds ``percentile``, ``capital_per_project_usd_m`` and ``hedged`` (the capital is qualified).
    """
    wanted = list(DIRECTIONS) if direction == "both" else [direction]
    bad = [d for d in wanted if d not in DIRECTIONS]
    if bad:
        raise ParameterError(f"direction must be one of 'ru_in_vn', 'vn_in_ru', 'both'; got {direction!r}")
    out = in_window(investment[investment["direction"].isin(wanted)], start, end).copy()
    out["percentile"] = percentile(out["rank"], out["rank_of"])
    out["capital_per_project_usd_m"] = capital_per_project(out)
    out["hedged"] = is_hedged(out["qualifier"])
    return _ordered(out, ["direction", "as_of"]).reset_index(drop=True)


def ranking_history(investment: pd.DataFrame, direction="ru_in_vn", start=None, end=None) -> pd.DataFrame:
    """The stocks that carry a rank, with the field size and percentile, oldest first."""
    hist = history(investment, direction, start, end)
    return hist[hist["rank"].notna()].reset_index(drop=True)


def _ordered(frame: pd.DataFrame, keys) -> pd.DataFrame:
    """Sort by ``keys``; within equal keys, by the headline rule (``vnru.analysis.evidence``) on the capital."""
    return headline_order(frame, keys, "capital_usd_m")


def latest(frame: pd.DataFrame, column=None):
    """The most recent row (a Series) that has a value in ``column`` (any row if None); None if none."""
    rows = frame if column is None else frame[frame[column].notna()]
    if rows.empty:
        return None
    rows = _ordered(rows, ["as_of"])
    last_date = rows["as_of"].max()
    return rows[rows["as_of"] == last_date].iloc[0]


def changes(frame: pd.DataFrame, column: str, span="consecutive") -> pd.DataFrame:
    """Change in ``column`` between reports, per direction.

    ``span="consecutive"`` compares each report with the previous one that has a value;
    ``span="ends"`` compares the first and the latest report in the frame. Same-date conflicts
    are resolved by the stated rule. Columns: direction, from_date, to_date, days, from_value,
    to_value, change, pct_change, reading, from_source, to_source, and the precision of each date
    (from_date_precision, to_date_precision: day, month or year) so that no day is shown that was not reported.
    A switch between two sources whose stock figures (not ranks) differ by more than the consensus tolerance
    (vnru.analysis.evidence) is a disagreement, not a movement: its change and pct_change stay empty and
    ``reading`` says so.
    """
    if span not in ("consecutive", "ends"):
        raise ParameterError(f"span must be 'consecutive' or 'ends'; got {span!r}")
    rows = []
    for direction, group in frame[frame[column].notna()].groupby("direction", sort=True):
        one = _ordered(group, ["as_of"]).drop_duplicates("as_of", keep="first")
        pairs = list(zip(one.index[:-1], one.index[1:])) if span == "consecutive" else (
            [(one.index[0], one.index[-1])] if len(one) > 1 else [])
        for a, b in pairs:
            x, y = one.loc[a], one.loc[b]
            before, after = float(x[column]), float(y[column])
            pct = (after - before) / before * 100 if before else np.nan
            switch = x["source_id"] != y["source_id"]
            disagree = bool(switch and column != "rank" and before > 0 and after > 0
                            and abs(np.log(after / before)) > np.log1p(CONSENSUS_TOLERANCE))
            reading = ("sources disagree: not a movement of the stock" if disagree else
                       "change between two sources" if switch else "change in one source")
            rows.append({"direction": direction, "from_date": x["as_of"], "to_date": y["as_of"],
                         "days": (y["as_of"] - x["as_of"]).days, "from_value": before,
                         "to_value": after, "change": np.nan if disagree else after - before,
                         "pct_change": np.nan if disagree else pct, "reading": reading,
                         "from_source": x["source_id"], "to_source": y["source_id"],
                         "from_date_precision": x.get("as_of_precision", "day"),
                         "to_date_precision": y.get("as_of_precision", "day")})
    cols = ["direction", "from_date", "to_date", "days", "from_value", "to_value", "change",
            "pct_change", "reading", "from_source", "to_source", "from_date_precision", "to_date_precision"]
    return pd.DataFrame(rows, columns=cols)


def side_by_side(investment: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Both directions per calendar year: the latest capital figure reported for that year.

    Years with no report in a direction stay empty (never filled in). ``vn_to_ru_ratio`` is
    Vietnam's stock in Russia divided by Russia's stock in Vietnam, only where one document states both (a
    ratio of two documents' statements, Russian and Vietnamese, would compare unlike counts).
    """
    hist = history(investment, "both", start, end)
    hist = hist[hist["capital_usd_m"].notna()].assign(year=lambda d: d["as_of"].dt.year)
    table = pd.DataFrame({"year": sorted(hist["year"].unique())})
    for direction in DIRECTIONS:
        picked = [latest(g) for _, g in hist[hist["direction"] == direction].groupby("year")]
        part = pd.DataFrame([{"year": p["as_of"].year, f"{direction}_capital_usd_m": p["capital_usd_m"],
                              f"{direction}_projects": p["projects"], f"{direction}_as_of": p["as_of"],
                              f"{direction}_source_id": p["source_id"],
                              f"{direction}_as_of_precision": p.get("as_of_precision", "day")} for p in picked],
                            columns=["year", f"{direction}_capital_usd_m", f"{direction}_projects",
                                     f"{direction}_as_of", f"{direction}_source_id", f"{direction}_as_of_precision"])
        table = table.merge(part, on="year", how="left")
    one_document = table["vn_in_ru_source_id"] == table["ru_in_vn_source_id"]
    table["vn_to_ru_ratio"] = (table["vn_in_ru_capital_usd_m"] / table["ru_in_vn_capital_usd_m"]).where(one_document)
    return table


def summary(investment: pd.DataFrame, direction: str, start=None, end=None) -> dict:
    """Key results for one direction in the window: latest rank, field, percentile, capital, projects.

    Each figure is the latest report that carries it (so the rank and the capital may come from
    different dates; their dates and sources are returned alongside).
    """
    hist = history(investment, direction, start, end)
    ranked, cap, proj = latest(hist, "rank"), latest(hist, "capital_usd_m"), latest(hist, "projects")
    ranks = hist[hist["rank"].notna()]
    return {
        "reports": len(hist),
        "first_as_of": hist["as_of"].min() if len(hist) else None,
        "latest_as_of": hist["as_of"].max() if len(hist) else None,
        "latest_rank": None if ranked is None else int(ranked["rank"]),
        "latest_rank_of": None if ranked is None or pd.isna(ranked["rank_of"]) else int(ranked["rank_of"]),
        "latest_percentile": None if ranked is None or pd.isna(ranked["percentile"]) else round(float(ranked["percentile"]), 2),
        "latest_rank_as_of": None if ranked is None else ranked["as_of"],
        "latest_rank_as_of_precision": _precision(ranked),
        "latest_rank_source": None if ranked is None else ranked["source_id"],
        "best_rank": None if ranks.empty else int(ranks["rank"].min()),
        "latest_capital_usd_m": None if cap is None else float(cap["capital_usd_m"]),
        "latest_capital_qualifier": None if cap is None or pd.isna(cap["qualifier"]) else cap["qualifier"],
        "latest_capital_as_of": None if cap is None else cap["as_of"],
        "latest_capital_as_of_precision": _precision(cap),
        "latest_capital_source": None if cap is None else cap["source_id"],
        "latest_projects": None if proj is None else int(proj["projects"]),
        "latest_projects_as_of": None if proj is None else proj["as_of"],
        "latest_projects_as_of_precision": _precision(proj),
        "latest_capital_per_project_usd_m": None if cap is None or pd.isna(cap["capital_per_project_usd_m"])
        else round(float(cap["capital_per_project_usd_m"]), 2),
    }


def _precision(row) -> str | None:
    """How precisely a picked row's as_of is known (day where the table has no precision column)."""
    if row is None:
        return None
    value = row.get("as_of_precision", "day")
    return "day" if value is None or pd.isna(value) else str(value)


RECORDED = ("reports", "latest_rank", "latest_rank_of", "latest_percentile", "latest_rank_as_of",
            "latest_capital_usd_m", "latest_capital_as_of", "latest_projects", "latest_capital_per_project_usd_m",
            "best_rank")


def key_results(summary_: dict) -> dict:
    """The RECORDED part of a ``summary``, each date as ISO text at its precision (``2024-04``, never an
    invented ``2024-04-01``), ready for ``vnru.record``."""
    return {key: iso_date(summary_[key], summary_.get(f"{key}_precision")) if key.endswith("_as_of")
            else summary_[key] for key in RECORDED}


def league_date(league: pd.DataFrame) -> tuple:
    """The date of a ``context_league`` ranking and how precisely it is known: (Timestamp, precision)."""
    board = league[league["origin"] == "vn_fdi_investors"]
    if board.empty:
        return None, None
    row = board.loc[board["as_of"].idxmax()]
    return row["as_of"], _precision(row)


def context_league(investors: pd.DataFrame, as_of=None, top_n=5, highlight="Russia",
                   investment: pd.DataFrame | None = None) -> pd.DataFrame:
    """The leading investors in Vietnam at one ranking date, with ``highlight`` flagged.

    The date is the latest ranking on or before ``as_of`` (the latest overall when None). If
    the highlighted country is Russia and it is not in that league, Russia's ranked stock
    nearest in time is added from ``investment`` (ru_in_vn) as an extra row, with its own date
    and source, so its place can be shown against the leaders.
    """
    if investors.empty:
        return investors.assign(highlight=pd.Series(dtype=bool), origin=pd.Series(dtype=str))
    dates = investors["as_of"]
    if as_of is not None:
        dates = dates[dates <= pd.Timestamp(as_of)]
        if dates.empty:
            raise ParameterError(f"no ranking of investors on or before {pd.Timestamp(as_of):%Y-%m-%d}; "
                                 f"the first is {investors['as_of'].min():%Y-%m-%d}")
    when = dates.max()
    key = str(highlight or "").strip().lower()
    board = investors[investors["as_of"] == when].sort_values(["rank", "investor"], na_position="last")
    board = board.assign(highlight=(board["investor"].str.lower() == key) | (board["iso3"].str.lower() == key))
    top = board.head(top_n)
    league = pd.concat([top, board[board["highlight"] & ~board.index.isin(top.index)]]).copy()
    league["origin"] = "vn_fdi_investors"
    if key in ("russia", "rus") and not league["highlight"].any() and investment is not None:
        ranked = investment[(investment["direction"] == "ru_in_vn") & investment["rank"].notna()
                            & investment["capital_usd_m"].notna()]
        if not ranked.empty:
            gap = (ranked["as_of"] - when).abs()
            row = latest(ranked[gap == gap.min()])
            extra = {c: row[c] for c in ("as_of", "as_of_precision", "projects", "capital_usd_m",
                                         "qualifier", "rank", "rank_of", "source_id", "note")}
            extra.update(investor="Russia", iso3="RUS", highlight=True, origin="investment")
            league = pd.concat([league, pd.DataFrame([extra])], ignore_index=True)
    league["percentile"] = percentile(league["rank"].astype("Float64"), league["rank_of"].astype("Float64"))
    return league.reset_index(drop=True)

__all__ = [
    "RECORDED", "capital_per_project", "changes", "changes_table", "context_league", "directions_of", "ends",
    "history", "in_window", "key_results", "latest", "league_date", "league_summary", "percentile",
    "ranking_history", "report_results", "side_by_side", "summaries", "summary",
]



# --- what the investment_rankings notebook shows and records ----------------------------------------------------

def directions_of(direction: str) -> list:
    """The directions a ``direction`` parameter selects ("both" = ru_in_vn, then vn_in_ru)."""
    return ["ru_in_vn", "vn_in_ru"] if direction == "both" else [direction]


def ends(hist: pd.DataFrame) -> tuple:
    """The first and the latest report of a ``history`` (rows with as_of and as_of_precision)."""
    first, last = hist.sort_values("as_of").iloc[[0, -1]].itertuples()
    return first, last


def changes_table(hist: pd.DataFrame, column: str, span="consecutive") -> pd.DataFrame:
    """``changes`` for display: change and change_pct rounded to 0.1, the source columns named ..._source_id."""
    return changes(hist, column, span=span).round({"change": 1, "pct_change": 1}).rename(
        columns={"pct_change": "change_pct", "from_source": "from_source_id", "to_source": "to_source_id"})


def league_summary(league: pd.DataFrame) -> dict:
    """A ``context_league`` in brief: ``date`` and ``precision`` of the ranking, ``field`` (how many countries and
    territories it ranks, None when not given) and ``leader`` (its first investor, None when empty)."""
    when, precision = league_date(league)
    board = league[league["origin"] == "vn_fdi_investors"]
    field = board["rank_of"].dropna()
    return {"date": when, "precision": precision, "field": int(field.iloc[0]) if len(field) else None,
            "leader": board["investor"].iloc[0] if len(board) else None}


def summaries(investment: pd.DataFrame, directions, start=None, end=None) -> dict:
    """``summary`` of each direction, in the order given."""
    return {d: summary(investment, d, start, end) for d in directions}


def report_results(summaries_: dict, league: pd.DataFrame) -> dict:
    """The key results of an investment_rankings run, in the order recorded: each direction's ``key_results``
    (prefixed with the direction), then the league's date at its precision, leader and highlighted rank."""
    out = {f"{d}_{key}": value for d, s in summaries_.items() for key, value in key_results(s).items()}
    board = league_summary(league)
    marked = league[league["highlight"]]
    out.update(league_date=iso_date(board["date"], board["precision"]), league_leader=board["leader"],
               league_highlight_rank=None if marked.empty else marked["rank"].iloc[0])
    return out
