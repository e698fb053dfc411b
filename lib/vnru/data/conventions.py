"""The conventions every layer shares: code lists, what a hedged figure is, precision and rounding.

One home for each: the data checks, the audit, the analyses and the reports all read them from here.
"""

import numpy as np
import pandas as pd

__all__ = ["DIRECTIONS", "EXACT_QUALIFIERS", "FLOWS", "LEVELS", "MISSING", "MONTHS", "MONTH_ABBR", "PAIR_SIDES",
           "PRECISIONS", "REPORTERS", "SIDES", "date_text", "imprecision", "is_hedged", "iso_date", "last_digit_unit",
           "period_text", "qualified"]

REPORTERS = ("VN", "RU")  # whose statistics: Vietnam's or Russia's
FLOWS = ("total", "vn_exports", "vn_imports")  # from Vietnam's side
# Each reporter's own side of the pair: (country, partner, trade.csv's flows as the reporter's own flows)
PAIR_SIDES = {"VN": ("VNM", "RUS", {"total": "total", "vn_exports": "exports", "vn_imports": "imports"}),
              "RU": ("RUS", "VNM", {"total": "total", "vn_exports": "imports", "vn_imports": "exports"})}
DIRECTIONS = ("ru_in_vn", "vn_in_ru")  # investment: Russia's in Vietnam, Vietnam's in Russia
LEVELS = ("none", "strategic", "comprehensive_strategic")  # partnership levels, lowest first
SIDES = ("vn_to_ru", "ru_to_vn")  # who visited whom: a Vietnamese leader to Russia, a Russian leader to Vietnam
PRECISIONS = ("day", "month", "year")  # how precisely a date is known, finest first
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
MONTH_ABBR = tuple(m[:3] for m in MONTHS)
MISSING = "\u2013"  # en dash: how every formatter shows a missing value (a date, a number, a period)
EXACT_QUALIFIERS = frozenset({"", "exactly"})  # a figure stated as is; any other qualifier hedges it


def is_hedged(qualifier):
    """True where a figure is hedged (about, nearly, more than …): the one definition of "hedged".

    Takes one qualifier (a string or missing) or a Series of them."""
    if isinstance(qualifier, pd.Series):
        return ~qualifier.astype("object").where(qualifier.notna(), "").isin(EXACT_QUALIFIERS)
    return not (qualifier is None or pd.isna(qualifier) or qualifier in EXACT_QUALIFIERS)


def qualified(figure: str, qualifier) -> str:
    """A figure's text as the source hedges it: 'about 60,000', 'more than 280,000'; as is when not hedged."""
    return f"{qualifier} {figure}" if is_hedged(qualifier) else figure


def last_digit_unit(values) -> np.ndarray:
    """Place value of the last significant digit of each number (3630 -> 10, 2.3 -> 0.1, 4569 -> 1).

    A stated figure is taken to be rounded to that digit; half of it is its rounding error.
    """
    v = np.abs(np.asarray(values, dtype="float64"))
    unit = np.full(v.shape, np.nan)
    for k in range(-4, 7):  # from ten-thousandths up: the largest k that divides the value wins
        step = 10.0 ** k
        scaled = v / step
        whole = np.isclose(scaled, np.round(scaled), rtol=0, atol=1e-6) & (v > 0)
        unit = np.where(whole, step, unit)
    return unit


def imprecision(values):
    """How coarsely each figure is stated, relative to its size (lower = more significant digits:
    232,300 scores below 280,000). NaN for missing or non-positive values."""
    value = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values.astype("float64")
    return np.log10(last_digit_unit(value)) - np.floor(np.log10(value.where(value > 0)))


def iso_date(value, precision=None):
    """A date as ISO 8601 text at its precision: ``2024-06-18`` (day), ``2024-04`` (month), ``2008`` (year).

    What a report records for a date known only to the month: it never shows an invented day."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    return {"year": f"{stamp.year:04d}", "month": f"{stamp.year:04d}-{stamp.month:02d}"}.get(
        precision if isinstance(precision, str) else "day", stamp.date().isoformat())


def date_text(value, precision=None) -> str:
    """A date in words at its precision: ``18 Jun 2024`` (day), ``Apr 2015`` (month), ``2008`` (year).

    The one rule for a date shown to a reader (tables, findings, labels, the "when" of a figure): a date
    known to the month or year never shows an invented day. A missing date is :data:`MISSING`; a precision
    that is not ``month`` or ``year`` (None, ``day``) shows the day."""
    if value is None or pd.isna(value):
        return MISSING
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return f"{stamp:%b} {stamp.year}"
    return f"{stamp.day} {stamp:%b} {stamp.year}"


def period_text(year, first_month=1, last_month=12, long=False) -> str:
    """The months ``first_month``..``last_month`` of ``year`` in words: ``2024`` (the whole year),
    ``Jan–May 2024``, ``Mar 2024`` (one month), ``Apr–Jun 2024``; ``long`` names the months in full
    (``January–November 2025``). A missing year is :data:`MISSING`."""
    if year is None or pd.isna(year):
        return MISSING
    year, first, last = int(year), int(first_month), int(last_month)
    if first == 1 and last == 12:
        return str(year)
    names = MONTHS if long else MONTH_ABBR
    if first == last:
        return f"{names[first - 1]} {year}"
    return f"{names[first - 1]}\u2013{names[last - 1]} {year}"
