"""Trade figures set against each other: Vietnam's two flows against the headline total (``trade_balance``), the two
reporters' statistics (``mirror_gap``) and the figures against the goals leaders stated (``target_progress``).

Re-exported by vnru.analysis.trade, where reports find them.
"""

import numpy as np
import pandas as pd

__all__ = ["mirror_gap", "progress_table", "target_progress", "trade_balance"]


def trade_balance(picked, by=("reporter",), totals=None, tolerance=0.1) -> pd.DataFrame:
    """Vietnam's exports minus its imports for each period where both flows are reported.

    ``picked`` holds chosen figures (``pick_figures``/``annual_series``) of the two flows;
    ``same_source`` tells whether both flows come from one document. With ``totals`` (the headline total
    series), ``total_usd_m`` is the headline total of the period and ``matches_total`` is False where the two
    flows come from another document and add up to more than ``tolerance`` away from it: such a split belongs
    to another level of the series and is not drawn beside the headline (it stays in the table).
    """
    keys = list(by) + ["year", "months"]
    ex = picked[picked["flow"] == "vn_exports"][keys + ["value_usd_m", "source_id"]]
    im = picked[picked["flow"] == "vn_imports"][keys + ["value_usd_m", "source_id"]]
    out = ex.merge(im, on=keys, suffixes=("_exports", "_imports"))
    out = out.rename(columns={"value_usd_m_exports": "exports_usd_m", "value_usd_m_imports": "imports_usd_m"})
    out["balance_usd_m"] = out["exports_usd_m"] - out["imports_usd_m"]
    out["same_source"] = out["source_id_exports"] == out["source_id_imports"]
    if totals is not None:
        head = totals[totals["flow"] == "total"][keys + ["value_usd_m", "source_id"]].rename(
            columns={"value_usd_m": "total_usd_m", "source_id": "source_id_total"})
        out = out.merge(head, on=keys, how="left")
        off = (out["exports_usd_m"] + out["imports_usd_m"]) / out["total_usd_m"] - 1
        other_doc = out["source_id_total"] != out["source_id_exports"]
        out["matches_total"] = ~(other_doc & (off.abs() > tolerance)).fillna(False).astype(bool)
    return out.sort_values(keys).reset_index(drop=True)


def mirror_gap(series, time="year", by=None) -> pd.DataFrame:
    """Russia's figure minus Vietnam's for the same period: the gap between the two statistics.

    ``gap_pct`` is the gap as a share of Vietnam's figure. Only periods both reporters cover appear.
    """
    keys = ([by] if isinstance(by, str) else list(by or [])) + [time, "months"]
    vn = series[series["reporter"] == "VN"][keys + ["value_usd_m", "source_id"]]
    ru = series[series["reporter"] == "RU"][keys + ["value_usd_m", "source_id"]]
    out = vn.merge(ru, on=keys, suffixes=("_vn", "_ru"))
    if "at_break" in series:  # a figure between two series breaks makes the gap of its year unreliable
        marked = series[["reporter", *keys, "at_break"]]
        flags = [marked[marked["reporter"] == r].drop(columns="reporter") for r in ("VN", "RU")]
        out = out.merge(flags[0], on=keys, how="left").merge(flags[1], on=keys, how="left", suffixes=("", "_ru"))
        out["at_break"] = out["at_break"].fillna(False).astype(bool) | out.pop("at_break_ru").fillna(False).astype(bool)
    out["gap_usd_m"] = out["value_usd_m_ru"] - out["value_usd_m_vn"]
    out["gap_pct"] = out["gap_usd_m"] / out["value_usd_m_vn"] * 100.0
    return out.sort_values(keys).reset_index(drop=True)


def target_progress(series, targets, metric="trade_total") -> pd.DataFrame:
    """How far the latest figure up to each target's year has come toward the target, in percent.

    A goal is measured on the statistics of the side that stated it (``stated_side``: VN, RU; both = one row
    per reporter in ``series``; missing = Vietnam's): ``measured_on`` names the reporter. ``status``: met /
    missed (target year reached with a figure below it) / open (target year not yet covered by the series) /
    no deadline (the goal named no year) / no figure (no figure of that side in the series).
    """
    goals = targets[targets["metric"] == metric].copy()
    side = goals["stated_side"] if "stated_side" in goals else pd.Series("VN", index=goals.index)
    present = list(dict.fromkeys(series["reporter"])) if "reporter" in series else ["VN"]
    goals["measured_on"] = [present if s == "both" else [s if isinstance(s, str) else "VN"] for s in side]
    goals = goals.explode("measured_on")
    parts = [_progress(goals[goals["measured_on"] == r],
                       series[series["reporter"] == r] if "reporter" in series else series)
             for r in dict.fromkeys(goals["measured_on"])]
    if not parts:
        return _progress(goals, series)
    return pd.concat(parts).sort_index(kind="mergesort").reset_index(drop=True)


def _progress(goals, series) -> pd.DataFrame:
    goals = goals.copy()
    years = series.dropna(subset=["value_usd_m"]).sort_values("year")
    last_year = int(years["year"].max()) if len(years) else None
    horizon = goals["target_year"].astype("float64").fillna(np.inf)
    idx = np.searchsorted(years["year"].to_numpy(dtype="float64"), horizon.to_numpy(), side="right") - 1
    found = idx >= 0
    picked = np.where(found, idx, 0)
    goals["value_year"] = pd.array(np.where(found, years["year"].to_numpy()[picked] if len(years) else pd.NA,
                                            pd.NA), dtype="Int64")
    goals["value_usd_m_latest"] = np.where(found, years["value_usd_m"].to_numpy()[picked] if len(years) else np.nan,
                                           np.nan)
    goals["progress_pct"] = goals["value_usd_m_latest"] / goals["value_usd_m"] * 100.0
    reached = goals["value_usd_m_latest"] >= goals["value_usd_m"]
    due = goals["target_year"].notna() & (goals["target_year"].astype("float64") <= (last_year or -np.inf))
    goals["status"] = np.select([years.empty, goals["target_year"].isna(), reached, due],
                                ["no figure", "no deadline", "met", "missed"], "open") if len(goals) else []
    return goals


def progress_table(progress) -> pd.DataFrame:
    """The columns of a ``target_progress`` frame a report shows, the target and the figure named as such."""
    columns = ["value_usd_m", "target_year", "stated_on", "stated_by", "stated_side", "measured_on", "value_year",
               "value_usd_m_latest", "progress_pct", "status"]
    return progress[[c for c in columns if c in progress]].rename(
        columns={"value_usd_m": "target_usd_m", "value_usd_m_latest": "latest_usd_m"})
