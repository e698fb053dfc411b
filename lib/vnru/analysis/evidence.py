"""The rules of evidence, stated once and used by every analysis, finding, chart and audit.

* **Headline** (``headline_order``): among the figures for one period, the row a curator marked ``preferred``
  first; then a figure that does not stand against a consensus of other sources for the period (``outliers``);
  then a figure stated as is before a hedged one (about, more than …); then, when sources are known, a news or
  official document before a reference work and the more recently published source; then the more precise
  figure; then ``source_id`` so that the choice never depends on row order.
* **Latest** (``period_end``, ``latest``): the newest date across period rows (by the end of the period) and
  as-of rows (by their date).
* **Leader** (``leaders``): only figures for the same period compete; a source's own rank among products counts;
  an aggregate (a group of products) never competes with single products; one item alone is no leader.
* **Series break** (``series_breaks``): a headline series that switches source between adjacent years with a
  jump the other reporter does not show; growth across it is flagged, a CAGR says which sources its ends rest on.
* **Computed rank** (``MIN_RANK_FIELD``): a rank computed among the partners that have a figure is said only
  where at least this many partners compete ("2nd among 2" says nothing), and always as "among the N".
* **Range** (``value_range``): where sources disagree, the figures are given as a range with their dates and
  the number of sources, never one figure chosen silently.
"""

import numpy as np
import pandas as pd

from vnru.data.conventions import imprecision, is_hedged

__all__ = ["BREAK_JUMP", "CONSENSUS_TOLERANCE", "LATEST_WINDOW_MONTHS", "MIN_RANK_FIELD", "headline_order", "latest", "leaders",
           "order_keys", "outliers", "period_end", "series_breaks", "value_range"]

CONSENSUS_TOLERANCE = 0.25  # figures within 25 % of one another agree; a figure further from them is an outlier
BREAK_JUMP = 0.25  # a change of the series this much larger (in log terms) than the other reporter's is a break
MIN_RANK_FIELD = 4  # partners with a figure needed before a computed rank is worth a sentence
LATEST_WINDOW_MONTHS = 3  # figures dated within three months of the newest one describe the same "now"


def outliers(frame: pd.DataFrame, period, value: str, others: pd.DataFrame | None = None,
             tolerance: float = CONSENSUS_TOLERANCE) -> pd.Series:
    """True for a row whose figure stands against a consensus: at least two figures of other sources for the
    same period (rows of ``frame`` or of ``others``, e.g. values implied by stated growth) agree with one
    another within ``tolerance`` and the row lies further than ``tolerance`` from their median."""
    period = list(period)
    pool = frame[[*period, value, "source_id"]]
    if others is not None and len(others):
        pool = pd.concat([pool, others[[*period, value, "source_id"]]], ignore_index=True)
    pool = pool.dropna(subset=[value])
    flags = np.zeros(len(frame), dtype=bool)
    # per period: its figures and their sources as plain arrays (a row's test is then numpy, not pandas)
    figures, sources = pool[value].astype("float64").to_numpy(), pool["source_id"].astype(object).to_numpy()
    groups = {(k if isinstance(k, tuple) else (k,)): (figures[at], sources[at])
              for k, at in pool.groupby(period, dropna=False).indices.items()} if len(pool) else {}
    keys = zip(*(frame[p].astype(object).tolist() for p in period))
    for position, (key, figure, source) in enumerate(zip(keys, frame[value].astype(object).tolist(),
                                                         frame["source_id"].astype(object).tolist())):
        group = groups.get(key)
        if group is None or pd.isna(figure):
            continue
        rest = group[0][group[1] != source]
        if len(rest) < 2 or rest.min() <= 0:
            continue
        centre = float(np.median(rest))
        if rest.max() / rest.min() - 1 <= tolerance and abs(float(figure) / centre - 1) > tolerance:
            flags[position] = True
    return pd.Series(flags, index=frame.index)


def order_keys(frame: pd.DataFrame, value: str, sources: pd.DataFrame | None = None,
               outlying: pd.Series | None = None) -> pd.DataFrame:
    """The ranking columns of the headline rule for each row (lower wins), in the rule's order."""
    keys = pd.DataFrame(index=frame.index)
    keys["preferred"] = (frame["preferred"].fillna("") != "yes").astype(int) if "preferred" in frame else 0
    keys["outlier"] = 0 if outlying is None else outlying.reindex(frame.index).fillna(False).astype(int)
    keys["hedged"] = is_hedged(frame["qualifier"]).astype(int) if "qualifier" in frame else 0
    keys["reference"], keys["age"] = 0, 0.0
    if sources is not None:
        meta = sources.set_index("source_id")
        keys["reference"] = (frame["source_id"].map(meta["kind"]) == "reference").astype(int)
        published = pd.to_datetime(frame["source_id"].map(meta["published"]))
        keys["age"] = (-(published - pd.Timestamp("1900-01-01")).dt.days.astype("float64")).fillna(np.inf)
    keys["imprecision"] = imprecision(frame[value]).to_numpy()
    return keys[["preferred", "outlier", "hedged", "reference", "age", "imprecision"]]


def headline_order(frame: pd.DataFrame, period, value: str, sources: pd.DataFrame | None = None,
                   others: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` sorted by ``period`` columns, then by the headline rule: the first row of each period wins.

    Adds ``outlier`` (see :func:`outliers`; ``others`` are further figures for the periods, such as values
    implied by stated growth). An outlier heads its period only when a curator marked it ``preferred``."""
    outlying = outliers(frame, period, value, others)
    keys = order_keys(frame, value, sources, outlying)
    ranked = frame.assign(outlier=outlying, **{f"_evidence{i}": keys[c] for i, c in enumerate(keys.columns)})
    columns = [f"_evidence{i}" for i in range(len(keys.columns))]
    ordered = ranked.sort_values([*period, *columns, "source_id"], kind="mergesort")
    return ordered.drop(columns=columns)


def period_end(year, months, from_month=1) -> pd.Series:
    """The last day of each period (year, months covered, first month): 2025 + 11 months -> 2025-11-30."""
    year = pd.Series(year, dtype="float64")
    last = pd.Series(from_month, index=year.index, dtype="float64") + pd.Series(months, index=year.index,
                                                                                dtype="float64") - 1
    text = year.astype("Int64").astype("string") + "-" + last.astype("Int64").astype("string").str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m", errors="coerce") + pd.offsets.MonthEnd(0)


def latest(frame: pd.DataFrame, value: str = "value_low") -> pd.DataFrame:
    """The rows dated newest: ``frame`` with ``ends`` (period rows: end of the period; as-of rows: the date),
    cut to the rows within LATEST_WINDOW_MONTHS of the newest date, newest first, headline rule within a date."""
    if frame.empty:
        return frame.assign(ends=pd.Series(dtype="datetime64[ns]"))
    from_month = frame.get("from_month", 1)
    ends = period_end(frame["year"], frame["months"], from_month) if "year" in frame else \
        pd.Series(pd.NaT, index=frame.index)
    if "as_of" in frame:
        ends = ends.where(ends.notna(), pd.to_datetime(frame["as_of"]))
    rows = frame.assign(ends=ends.to_numpy()).dropna(subset=["ends"])
    newest = rows["ends"].max()
    recent = rows[rows["ends"] > newest - pd.DateOffset(months=LATEST_WINDOW_MONTHS)]
    recent = recent.assign(_newest=-recent["ends"].astype("int64"))
    return headline_order(recent, ["_newest"], value).drop(columns="_newest").reset_index(drop=True)


def value_range(rows: pd.DataFrame, low: str = "value_low", high: str = "value_high", when: str = "ends") -> dict:
    """Several figures as one range: ``low``, ``high``, ``first``/``last`` date, ``n_sources``, ``source_ids``."""
    lows = rows[low].astype("float64")
    highs = rows[high].astype("float64").fillna(lows) if high in rows else lows
    return {"low": float(lows.min()), "high": float(highs.max()), "first": rows[when].min(),
            "last": rows[when].max(), "n_sources": int(rows["source_id"].nunique()),
            "source_ids": sorted(set(rows["source_id"]))}


def leaders(rows: pd.DataFrame, period, value: str = "value_usd_m", aggregate: str = "aggregate",
            group: str = "group", ranked: str = "ranked_first") -> pd.DataFrame:
    """The leading item of each period: among single products (``aggregate`` False) of exactly that period,
    the one a source ranks first among products (``ranked``), else the largest value when at least two
    distinct products have one. A leader that a larger single-product figure of a shorter period of the same
    year outdoes is dropped (a full year does not beat a larger part-year figure). Adds ``compared`` (how many
    products competed) and ``by`` ("source rank" / "value")."""
    period = list(period)
    single = rows[~rows[aggregate].astype(bool)]
    found = []
    for key, part in single.groupby(period, observed=True, dropna=False):
        named = part[part[ranked].astype(bool)]
        valued = part.dropna(subset=[value])
        products = part[group].nunique()
        if len(named):
            best, by = named.sort_values(value, ascending=False, na_position="last").iloc[0], "source rank"
        elif valued[group].nunique() >= 2:
            best, by = valued.sort_values(value, ascending=False).iloc[0], "value"
        else:
            continue
        found.append(best.to_frame().T.assign(compared=products, by=by))
    if not found:
        return rows.iloc[:0].assign(compared=pd.Series(dtype="int64"), by=pd.Series(dtype="object"))
    out = pd.concat(found).infer_objects()
    year_keys = [p for p in period if p not in ("from_month", "months")]
    biggest = single.dropna(subset=[value]).groupby([*year_keys, group], observed=True)[value].max()
    beaten = [bool((biggest.xs(tuple(r[k] for k in year_keys), level=year_keys, drop_level=True)
                    .drop(r[group], errors="ignore") > r[value]).any()) if pd.notna(r[value]) else False
              for _, r in out.iterrows()]
    return out[~np.array(beaten, dtype=bool)].reset_index(drop=True)


def series_breaks(series: pd.DataFrame, value: str = "value_usd_m", time: str = "year", by: str = "reporter",
                  jump: float = BREAK_JUMP, alone: float = 0.2) -> pd.DataFrame:
    """``series`` (one headline figure per ``by`` and ``time``, full years) with ``break_before``: True where
    the figure's source differs from the previous year's and its change is larger, in log terms, than the
    other reporter's change over the same two years by more than ``jump``, the change itself being larger than
    ``jump``. Where the other reporter has no figure for both years, the change must exceed ``jump + alone``
    (in log terms: about +57 % / −36 %). ``break_sources`` names the two sources."""
    out = series.sort_values([by, time]).copy()
    prev = out.groupby(by, observed=True)[[time, value, "source_id"]].shift(1)
    adjacent = ((out[time].astype("float64") - prev[time].astype("float64")) == 1).to_numpy()
    change = np.log(out[value].astype("float64") / prev[value].astype("float64"))
    step = pd.DataFrame({by: out[by], time: out[time], "_change": change.where(adjacent).astype("float64")})
    other_change = []
    for _, r in step.iterrows():
        theirs = step[(step[by] != r[by]) & (step[time] == r[time])]["_change"].dropna()
        other_change.append(float(theirs.iloc[0]) if len(theirs) else np.nan)
    other_change = np.array(other_change, dtype="float64")
    own = step["_change"].abs()
    excess = pd.Series(np.where(np.isnan(other_change), own - alone, np.abs(step["_change"] - other_change)),
                       index=step.index).where(own > jump, 0.0)
    mine, before = out["source_id"].astype("object"), prev["source_id"].astype("object")
    switched = adjacent & (mine != before).to_numpy()
    out["break_before"] = switched & (excess.fillna(0) > jump).to_numpy()
    out["break_sources"] = np.where(out["break_before"], before.fillna("").astype(str) + " -> " + mine.astype(str), "")
    return out.sort_index()
