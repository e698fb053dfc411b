"""Growth arithmetic on long tables: year-on-year growth, implied previous values and CAGR.

Every function takes a tidy DataFrame with a time column, a value column and optional extra
grouping columns (reporter, flow, product, ...) and works by merges and groupbys, never by a
Python loop over rows, so the same code serves ten figures or a million product lines.
``vnru.analysis.trade`` re-exports the growth functions; import them from there. ``year_span`` gives every
notebook the open ends of its start/end window.
"""

import numpy as np
import pandas as pd

from vnru.data.conventions import last_digit_unit
from vnru.errors import VnruError


class TradeError(VnruError, ValueError):
    """A trade computation was asked for something the data cannot give (say, a year with no value)."""


def _keys(by) -> list:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _unique_rows(frame, keys, what):
    dup = frame.duplicated(keys, keep=False)
    if dup.any():
        first = frame.loc[dup, keys].iloc[0].to_dict()
        raise TradeError(f"{what} needs one row per {', '.join(keys)}; several rows for {first} "
                         "(choose one figure per period first, e.g. with vnru.analysis.trade.pick_figures)")


def yoy_growth(frame, value="value_usd_m", stated="yoy_pct", time="year", by=None) -> pd.DataFrame:
    """Growth over the previous period computed from the values, beside the growth the source states.

    Adds ``prev_value``, ``yoy_computed_pct``, ``yoy_gap_pp`` (computed minus stated, in percentage
    points), ``yoy_tolerance_pp`` (what rounding of the two values and of the stated rate can
    explain) and ``yoy_disagrees`` (True where the gap is larger than that; NA where either is
    missing). Periods compare like with like: rows are matched on ``by`` (plus ``months`` when the
    table has it) and time - 1, so a missing previous year gives NA, never a longer span.
    """
    keys = _keys(by) + (["months"] if "months" in frame.columns and "months" not in _keys(by) else [])
    _unique_rows(frame, keys + [time], "yoy_growth")
    prev = frame[keys + [time, value]].rename(columns={value: "prev_value"})
    prev[time] = prev[time] + 1
    out = frame.merge(prev, on=keys + [time], how="left")
    cur, before = out[value].astype("float64"), out["prev_value"].astype("float64")
    out["yoy_computed_pct"] = (cur / before - 1.0) * 100.0
    half_cur, half_prev = last_digit_unit(cur) / 2, last_digit_unit(before) / 2
    band = 100.0 * (half_cur / before + cur * half_prev / before ** 2)
    if stated in out.columns:
        stated_pct = out[stated].astype("float64")
        # a stated rate such as 20 % is read as rounded to a whole percent, not to tens
        band = band + np.where(stated_pct.notna(), np.minimum(last_digit_unit(stated_pct), 1.0) / 2, 0.0)
        out["yoy_gap_pp"] = out["yoy_computed_pct"] - stated_pct
        out["yoy_tolerance_pp"] = band
        known = out["yoy_gap_pp"].notna()
        out["yoy_disagrees"] = pd.array(np.where(known, out["yoy_gap_pp"].abs() > band + 1e-9, pd.NA),
                                        dtype="boolean")
    else:
        out["yoy_tolerance_pp"] = band
    return out


def implied_previous(frame, value="value_usd_m", stated="yoy_pct", time="year", by=None) -> pd.DataFrame:
    """Value implied for the previous period by a stated growth rate: value / (1 + growth / 100).

    One row per input row that states a growth rate, dated ``time - 1``, with ``implied`` = True,
    ``from_time``/``from_value`` (the figure it was derived from) and, where present, its source_id:
    an implied value is a derived estimate and must be shown as such, never as a reported figure.
    """
    keys = _keys(by) + (["months"] if "months" in frame.columns and "months" not in _keys(by) else [])
    rows = frame[frame[stated].notna() & (frame[stated].astype("float64") > -100.0)]
    carry = [c for c in ("source_id", "qualifier") if c in rows.columns]
    out = rows[keys + [time, value, stated] + carry].rename(
        columns={time: "from_time", value: "from_value", stated: "stated_growth_pct"})
    out.insert(len(keys), time, out["from_time"] - 1)
    out["implied_value"] = out["from_value"].astype("float64") / (1.0 + out["stated_growth_pct"].astype("float64") / 100.0)
    out["implied"] = True
    return out.reset_index(drop=True)


def cagr(frame, start, end, value="value_usd_m", time="year", by=None, missing="raise") -> pd.DataFrame:
    """Compound annual growth rate from ``start`` to ``end`` for each group, in percent.

    ``missing="raise"`` stops with a TradeError naming the end of the window that has no value
    (the kit never fills a gap); ``missing="nan"`` returns NaN for such groups instead.
    """
    if missing not in ("raise", "nan"):
        raise TradeError(f"missing must be 'raise' or 'nan'; got {missing!r}")
    start, end = int(start), int(end)
    if start >= end:
        raise TradeError(f"CAGR window must run forward: start ({start}) is not before end ({end})")
    keys = _keys(by)
    work, k = (frame, keys) if keys else (frame.assign(_all=0), ["_all"])
    ends = work[work[time].isin([start, end])]
    _unique_rows(ends, k + [time], "cagr")
    wide = (ends.pivot_table(index=k, columns=time, values=value, aggfunc="first") if len(ends)
            else pd.DataFrame(columns=[start, end], dtype="float64"))
    wide = wide.reindex(columns=[start, end]).reindex(work[k].drop_duplicates().set_index(k).index)
    lacking = wide[wide[start].isna() | wide[end].isna()]
    if missing == "raise" and len(lacking):
        gap = start if pd.isna(lacking.iloc[0][start]) else end
        label = lacking.index[0] if isinstance(lacking.index[0], tuple) else (lacking.index[0],)
        plain = [v.item() if hasattr(v, "item") else v for v in label]
        group = f" for {dict(zip(keys, plain))}" if keys else ""
        raise TradeError(f"CAGR {start}-{end}: no value for {gap}{group}; "
                         "choose a window whose two ends both have a figure")
    out = pd.DataFrame({"start": start, "end": end, "start_value": wide[start].astype("float64"),
                        "end_value": wide[end].astype("float64")}, index=wide.index)
    out["cagr_pct"] = ((out["end_value"] / out["start_value"]) ** (1.0 / (end - start)) - 1.0) * 100.0
    out = out.reset_index()
    return out.drop(columns="_all") if not keys else out

def year_span(frame: pd.DataFrame, column: str = "year") -> tuple:
    """The first and last year in ``frame`` (the open ends of a notebook's ``start``/``end`` window, see
    vnru.report.params.years); 1950 and 2100 when it has no year."""
    years = frame[column].dropna()
    return (int(years.min()), int(years.max())) if len(years) else (1950, 2100)

__all__ = [
    "TradeError", "cagr", "implied_previous", "year_span", "yoy_growth",
]
