"""`vnru audit`, with the rules of evidence: the data layer's checks (vnru.data.audit) plus four that need the
analysis layer's rules (vnru.analysis.evidence), each a separate function returning audit findings:

  break       a headline total that switches source with a jump the other reporter does not show (trade);
  consensus   a figure that would head its period but stands against a consensus of other sources
              (trade totals; indicators, where values implied by stated growth count as evidence);
  stated      a stated growth rate (``*_yoy_pct``) that the indicator's own figures for the previous period
              contradict: the previous value it implies lies outside what the table holds for that period
              (above a longer period's figure, below a shorter one's);
  superseded  a row whose note presents it as current or latest while a newer figure of the indicator says
              otherwise.

A finding is explained, as for every audit kind, by ``audit KIND: WHY`` in the row's note.
"""

import re

import numpy as np
import pandas as pd

from vnru.analysis import evidence
from vnru.data import audit as base

__all__ = ["EVIDENCE_KINDS", "audit_directory", "check_breaks", "check_consensus", "check_stated_growth",
           "check_superseded", "evidence_findings", "explanations"]

EVIDENCE_KINDS = ("break", "consensus", "stated", "superseded")
_ALL = "(" + "|".join((*base.KINDS, *EVIDENCE_KINDS)) + ")"
_EXPLANATION = re.compile(r"\baudit " + _ALL + r":\s*(\S.{9,}?)\s*(?=;?\s*\baudit " + _ALL + r":|$)",
                          re.IGNORECASE | re.DOTALL)
STATED_TOLERANCE = 0.05  # a previous value implied by stated growth may miss the table's bounds by 5 %
CURRENT = re.compile(r"\b(?:currently|current|latest|now|to date)\b", re.IGNORECASE)


def explanations(note) -> dict:
    """{kind: why} for every ``audit KIND: WHY`` in a note, the evidence kinds included."""
    if not isinstance(note, str):
        return {}
    return {m.group(1).lower(): m.group(2).strip() for m in _EXPLANATION.finditer(note)}


def _finding(file, table, index, kind, message):
    return base.Finding(file, int(index) + 2, kind, message, explanations(table.loc[index, "note"]).get(kind))


def check_breaks(trade, sources=None, file="trade.csv") -> list:
    """Series breaks in the headline two-way totals of both reporters (full years), headlines chosen as the
    reports choose them (with ``sources``: the kind and date of each document count)."""
    from vnru.analysis import trade as T

    rows = trade.reset_index(drop=True)
    series = T.both_series(rows, sources=sources)
    out = []
    for _, r in series[series["break_before"]].iterrows():
        hit = rows[(rows["year"] == r["year"]) & (rows["months"] == 12) & (rows["flow"] == "total")
                   & (rows["reporter"] == r["reporter"]) & (rows["source_id"] == r["source_id"])]
        out.append(_finding(file, rows, hit.index[0], "break",
                            f"{r['reporter']} total {r['value_usd_m']:,.0f} for {int(r['year'])}: source switch "
                            f"({r['break_sources']}) with a jump the other reporter does not show"))
    return out


def _candidates(frame, period, value, others=None):
    """The rows that would head their period without the consensus rule and are outliers against it."""
    keys = evidence.order_keys(frame, value)
    outlying = evidence.outliers(frame, period, value, others)
    ranked = frame.assign(_o=outlying, **{f"_k{i}": keys[c] for i, c in enumerate(keys.columns) if c != "outlier"})
    cols = [c for c in ranked.columns if c.startswith("_k")]
    first = ranked.sort_values([*period, *cols, "source_id"], kind="mergesort").drop_duplicates(period)
    return first[first["_o"]]


def check_consensus(trade=None, indicators=None, files=("trade.csv", "indicators.csv")) -> list:
    """Figures that would head their period while standing against a consensus of other sources."""
    out = []
    if trade is not None and len(trade):
        rows = trade.reset_index(drop=True)
        for index, r in _candidates(rows, ["reporter", "flow", "year", "months"], "value_usd_m").iterrows():
            out.append(_finding(files[0], rows, index, "consensus",
                                f"{r['reporter']} {r['flow']} {r['value_usd_m']:,.0f} ({int(r['year'])}, {int(r['months'])} "
                                "months) stands against a consensus of other sources for the period"))
    if indicators is not None and len(indicators):
        from vnru.analysis import people as P

        rows = indicators.reset_index(drop=True)
        periods = rows[rows["year"].notna() & rows["months"].notna()]
        for name in sorted(set(periods["indicator"])):
            if name.endswith("_yoy_pct"):
                continue
            mine = periods[periods["indicator"] == name]
            implied = P.implied_full_years(mine, rows[rows["indicator"] == f"{name}_yoy_pct"])
            for index, r in _candidates(mine, ["year", "months"], "value_low", implied).iterrows():
                out.append(_finding(files[1], rows, index, "consensus",
                                    f"{name} {r['value_low']:,.0f} ({int(r['year'])}, {int(r['months'])} months) "
                                    "stands against the figures or stated growth of other sources for the period"))
    return out


def check_stated_growth(indicators, file="indicators.csv") -> list:
    """Stated growth whose implied previous value lies outside the bounds the indicator's own figures set for
    the same months of the year before (at least the shorter periods' figures, at most the longer ones')."""
    from vnru.analysis import people as P

    rows = indicators.reset_index(drop=True)
    out = []
    stated = rows[rows["indicator"].str.endswith("_yoy_pct") & rows["year"].notna() & rows["months"].notna()]
    heads = {}
    for index, g in stated.iterrows():
        base_name = g["indicator"][: -len("_yoy_pct")]
        if base_name not in heads:
            heads[base_name] = P.headline(P.series(rows, base_name)) if (rows["indicator"] == base_name).any() \
                else rows.iloc[:0]
        mine = heads[base_name]
        now = mine[(mine["year"] == g["year"]) & (mine["months"] == g["months"])]
        before = mine[mine["year"] == g["year"] - 1]
        if now.empty or before.empty or g["value_low"] <= -100:
            continue
        implied = float(now["value_low"].iloc[0]) / (1 + float(g["value_low"]) / 100)
        low = before.loc[before["months"] <= g["months"], "value_low"].astype("float64").max()
        high = before.loc[before["months"] >= g["months"], "value_low"].astype("float64").min()
        if (not np.isnan(low) and implied < low * (1 - STATED_TOLERANCE)) or \
                (not np.isnan(high) and implied > high * (1 + STATED_TOLERANCE)):
            out.append(_finding(file, rows, index, "stated",
                                f"{g['indicator']} {g['value_low']:+g} % for {int(g['year'])} ({int(g['months'])} months) "
                                f"implies {implied:,.0f} a year earlier, outside what the table's headline "
                                f"{int(g['year']) - 1} figures allow ({low:,.0f} to {high:,.0f})"))
    return out


def check_superseded(indicators, file="indicators.csv") -> list:
    """Rows whose note calls the figure current or latest while a newer figure of the indicator (by the end of
    its period or its date) differs from it by more than the consensus tolerance."""
    rows = indicators.reset_index(drop=True)
    ends = evidence.period_end(rows["year"], rows["months"]).where(rows["year"].notna(), pd.to_datetime(rows["as_of"]))
    rows = rows.assign(_ends=ends.to_numpy())
    out = []
    for index, r in rows[rows["note"].fillna("").str.contains(CURRENT)].iterrows():
        newer = rows[(rows["indicator"] == r["indicator"]) & (rows["_ends"] > r["_ends"])]
        off = newer[(newer["value_low"] / r["value_low"] - 1).abs() > evidence.CONSENSUS_TOLERANCE]
        if len(off):
            last = off.sort_values("_ends").iloc[-1]
            out.append(_finding(file, rows, index, "superseded",
                                f"{r['indicator']} {r['value_low']:,.0f} is called current in its note, but "
                                f"{last['value_low']:,.0f} is dated later ({last['_ends']:%Y-%m-%d}, {last['source_id']})"))
    return out


def evidence_findings(directory) -> list:
    """The four evidence checks on the tables present in ``directory``."""
    from pathlib import Path

    from vnru.data import datapackage
    from vnru.data.loaders import load_table

    def table(name):
        path = Path(directory) / datapackage.resource(name)["path"]
        return load_table(name, directory) if path.is_file() else None

    trade, indicators, sources = table("trade"), table("indicators"), table("sources")
    found = []
    if trade is not None:
        found += check_breaks(trade, sources) + check_consensus(trade=trade)
    if indicators is not None:
        found += (check_consensus(indicators=indicators) + check_stated_growth(indicators)
                  + check_superseded(indicators))
    return sorted(found, key=lambda f: (f.file, f.row, f.kind))


def audit_directory(data_dir=None) -> base.AuditResult:
    """`vnru audit` as a function: the data layer's checks, then the evidence checks (vnru.data.audit)."""
    result = base.audit_directory(data_dir)
    result.findings = result.findings + evidence_findings(result.directory)
    return result
