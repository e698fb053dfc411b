"""The audit checks of partners.csv (``vnru audit`` kinds world, shares and rank): a partner above the world total,
partners adding up to more than the world, a stated rank the same source's values contradict."""

import math

from vnru.data.audit_rows import fmt as _fmt
from vnru.data.audit_rows import grouped as _grouped
from vnru.data.audit_rows import hit as _hit
from vnru.data.audit_rows import row_number as _row
from vnru.data.countries import is_group

__all__ = ["check_partner_ranks", "check_partner_shares", "check_partner_world"]

_PARTNER_PERIOD = ["country", "reporter", "flow", "year", "from_month", "months"]


def _partner_groups(records) -> list:
    """(world rows, partner rows) with values, per country, reporter, flow and period."""
    out = []
    for members in _grouped(records, _PARTNER_PERIOD).values():
        valued = [(j, records[j]) for j in members if records[j]["value_usd_m"] is not None]
        world = [(j, r) for j, r in valued if r["partner"] == "WLD"]
        if world:
            out.append((world, [(j, r) for j, r in valued if r["partner"] != "WLD"]))
    return out


def check_partner_world(records) -> list:
    """A partner's value above a world total of the same country, reporter, flow and period (beyond rounding)."""
    out = []
    for world, partners in _partner_groups(records):
        for i, row in partners:
            for j, total in world:
                if row["value_usd_m"] - row["_tol"] > total["value_usd_m"] + total["_tol"]:
                    out.append(_hit(i, "world", f"{row['partner']} {_fmt(row['value_usd_m'])} is above the world total "
                                                f"{_fmt(total['value_usd_m'])} (row {_row(j)}, {total['source_id']})"))
    return out


def check_partner_shares(records) -> list:
    """Countries (not groups) whose lowest figures add up to more than the largest world total of the period:
    shares over 100 %; reported on that world row."""
    out = []
    for world, partners in _partner_groups(records):
        lowest = {}
        for _, r in partners:
            if not is_group(r["partner"]) and r["value_usd_m"] < lowest.get(r["partner"], (math.inf, 0))[0]:
                lowest[r["partner"]] = (r["value_usd_m"], r["_tol"])
        j, total = max(world, key=lambda w: w[1]["value_usd_m"])
        stated, slack = sum(v for v, _ in lowest.values()), sum(t for _, t in lowest.values())
        if len(lowest) > 1 and stated - slack > total["value_usd_m"] + total["_tol"]:
            share = 100 * stated / total["value_usd_m"]
            out.append(_hit(j, "shares", f"{len(lowest)} partners add up to {share:.0f} % of the world total "
                                         f"{_fmt(total['value_usd_m'])}"))
    return out


def check_partner_ranks(records) -> list:
    """A stated rank that the same source's values in the same ranking (same rank_scope, country, reporter,
    flow and period) contradict: as many partners above it as its rank, or more."""
    out = []
    for members in _grouped(records, [*_PARTNER_PERIOD, "source_id", "rank_scope"]).values():
        ranked = [(j, records[j]) for j in members if records[j]["rank"] is not None]
        valued = [records[j] for j in members if records[j]["value_usd_m"] is not None]
        for i, row in ranked:
            if row["value_usd_m"] is None:
                continue
            above = [r["partner"] for r in valued if r["partner"] != row["partner"]
                     and r["value_usd_m"] - r["_tol"] > row["value_usd_m"] + row["_tol"]]
            if len(above) >= row["rank"]:
                out.append(_hit(i, "rank", f"stated rank {row['rank']} in {row['rank_scope']}, but the same source "
                                           f"puts {len(above)} above it ({', '.join(above)})"))
    return out
