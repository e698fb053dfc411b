"""The rules of evidence: which of several figures for the same period is the headline.

One rule, stated openly and used by every analysis, finding, chart and audit: among the figures for one
period, the row a curator marked ``preferred`` first; then a figure stated as is before a hedged one
(about, more than …); then, when sources are known, a news or official document before a reference work
and the more recently published source; then the more precise figure (more significant digits); then
``source_id`` so that the choice never depends on row order. A new rule for choosing the headline goes here.
"""

import numpy as np
import pandas as pd

from vnru.data.conventions import imprecision, is_hedged

__all__ = ["headline_order", "order_keys"]


def order_keys(frame: pd.DataFrame, value: str, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ranking columns of the headline rule for each row (lower wins), in the rule's order."""
    keys = pd.DataFrame(index=frame.index)
    keys["preferred"] = (frame["preferred"].fillna("") != "yes").astype(int) if "preferred" in frame else 0
    keys["hedged"] = is_hedged(frame["qualifier"]).astype(int) if "qualifier" in frame else 0
    keys["reference"], keys["age"] = 0, 0.0
    if sources is not None:
        meta = sources.set_index("source_id")
        keys["reference"] = (frame["source_id"].map(meta["kind"]) == "reference").astype(int)
        published = pd.to_datetime(frame["source_id"].map(meta["published"]))
        keys["age"] = (-(published - pd.Timestamp("1900-01-01")).dt.days.astype("float64")).fillna(np.inf)
    keys["imprecision"] = imprecision(frame[value]).to_numpy()
    return keys[["preferred", "hedged", "reference", "age", "imprecision"]]


def headline_order(frame: pd.DataFrame, period, value: str, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """``frame`` sorted by ``period`` columns, then by the headline rule: the first row of each period wins."""
    keys = order_keys(frame, value, sources)
    ranked = frame.assign(**{f"_evidence{i}": keys[c] for i, c in enumerate(keys.columns)})
    columns = [f"_evidence{i}" for i in range(len(keys.columns))]
    ordered = ranked.sort_values([*period, *columns, "source_id"], kind="mergesort")
    return ordered.drop(columns=columns)
