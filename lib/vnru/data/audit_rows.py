"""The rows an audit check reads and what it reports: each row as a plain dict with the rounding tolerance of its
value, rows grouped by key columns, a hit (row index, kind, message) and its row number in the file."""

import math

from vnru.data.conventions import is_hedged, last_digit_unit

__all__ = ["fmt", "grouped", "hit", "records", "row_number", "tolerance"]


def tolerance(value, qualifier=None) -> float:
    """How far a stated value may be from the true one: half its last digit, a whole one if hedged.

    A round figure is read as having at least two significant digits (1000 -> unit 100, not 1000).
    """
    if value is None or value <= 0:
        return 0.0
    unit = min(float(last_digit_unit([value])[0]), 10.0 ** (math.floor(math.log10(value)) - 1))
    return unit if is_hedged(qualifier) else unit / 2


def hit(index, kind, message) -> tuple:
    return index, kind, message


def row_number(index) -> int:
    return int(index) + 2


def fmt(x) -> str:
    return f"{x:,.1f}".rstrip("0").rstrip(".")


def records(table) -> list:
    """The table's rows as plain dicts (missing values are None), with each value's rounding tolerance."""
    rows = table.reset_index(drop=True).astype(object).where(table.reset_index(drop=True).notna(), None)
    out = rows.to_dict("records")
    for r in out:
        if "value_usd_m" in r:
            r["_tol"] = tolerance(r["value_usd_m"], r.get("qualifier"))
    return out


def grouped(records, keys) -> dict:
    groups = {}
    for i, r in enumerate(records):
        groups.setdefault(tuple(r[k] for k in keys), []).append(i)
    return groups
