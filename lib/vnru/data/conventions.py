"""The conventions every layer shares: code lists, what a hedged figure is, precision and rounding.

One home for each: the data checks, the audit, the analyses and the reports all read them from here.
"""

import datetime as _dt
import math
import re as _re

__all__ = [
    "DIRECTIONS",
    "EXACT_QUALIFIERS",
    "FLOWS",
    "LEVELS",
    "MISSING",
    "MONTHS",
    "MONTH_ABBR",
    "PAIR_SIDES",
    "PRECISIONS",
    "REPORTERS",
    "SIDES",
    "date_text",
    "imprecision",
    "is_hedged",
    "is_missing_value",
    "iso_date",
    "last_digit_unit",
    "ordinal",
    "period_text",
    "qualified",
]

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
    if type(qualifier).__name__ == "Series":
        return ~qualifier.astype("object").where(qualifier.notna(), "").isin(EXACT_QUALIFIERS)
    return not (is_missing_value(qualifier) or qualifier in EXACT_QUALIFIERS)


def qualified(figure: str, qualifier) -> str:
    """A figure's text as the source hedges it: 'about 60,000', 'more than 280,000'; as is when not hedged."""
    return f"{qualifier} {figure}" if is_hedged(qualifier) else figure


def is_missing_value(value) -> bool:
    """None, NaN, NaT or pandas NA. Plain values (text, numbers, dates) are answered without importing pandas,
    so that writing an index of key results stays light; pandas decides for its own types."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, _dt.date):
        return type(value).__name__ == "NaTType"
    if isinstance(value, (str, int)):
        return False
    import pandas as pd

    return bool(pd.isna(value))


def _stamp(value):
    """A date-like value as something with year, month, day and strftime: an ISO text (YYYY, YYYY-MM,
    YYYY-MM-DD) or a date without pandas, anything else through pandas.Timestamp."""
    if isinstance(value, _dt.date):
        return value
    found = _re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip()) if isinstance(value, str) else None
    if found:
        return _dt.date(int(found[1]), int(found[2] or 1), int(found[3] or 1))
    import pandas as pd

    return pd.Timestamp(value)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd: the one rule for an ordinal (ranks in analyses and in report text)."""
    n = int(n)
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def last_digit_unit(values):
    """Place value of the last significant digit of each number (3630 -> 10, 2.3 -> 0.1, 4569 -> 1).

    A stated figure is taken to be rounded to that digit; half of it is its rounding error. One plain number
    gives a float (no numpy needed: the index's cards format a handful of amounts); anything else an array.
    """
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        v, unit = abs(float(values)), math.nan
        for k in range(-4, 7):
            step = 10.0 ** k
            if v > 0 and abs(v / step - round(v / step)) <= 1e-6:
                unit = step
        return unit
    import numpy as np

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
    import numpy as np
    import pandas as pd

    value = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values.astype("float64")
    return np.log10(last_digit_unit(value)) - np.floor(np.log10(value.where(value > 0)))


def iso_date(value, precision=None):
    """A date as ISO 8601 text at its precision: ``2024-06-18`` (day), ``2024-04`` (month), ``2008`` (year).

    What a report records for a date known only to the month: it never shows an invented day."""
    if is_missing_value(value):
        return None
    stamp = _stamp(value)
    return {"year": f"{stamp.year:04d}", "month": f"{stamp.year:04d}-{stamp.month:02d}"}.get(
        precision if isinstance(precision, str) else "day", f"{stamp.year:04d}-{stamp.month:02d}-{stamp.day:02d}")


def date_text(value, precision=None) -> str:
    """A date in words at its precision: ``18 Jun 2024`` (day), ``Apr 2015`` (month), ``2008`` (year).

    The one rule for a date shown to a reader (tables, findings, labels, the "when" of a figure): a date
    known to the month or year never shows an invented day. A missing date is :data:`MISSING`; a precision
    that is not ``month`` or ``year`` (None, ``day``) shows the day."""
    if is_missing_value(value):
        return MISSING
    stamp = _stamp(value)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return f"{stamp:%b} {stamp.year}"
    return f"{stamp.day} {stamp:%b} {stamp.year}"


def period_text(year, first_month=1, last_month=12, long=False) -> str:
    """The months ``first_month``..``last_month`` of ``year`` in words: ``2024`` (the whole year),
    ``Jan–May 2024``, ``Mar 2024`` (one month), ``Apr–Jun 2024``; ``long`` names the months in full
    (``January–November 2025``). A missing year is :data:`MISSING`."""
    if is_missing_value(year):
        return MISSING
    year, first, last = int(year), int(first_month), int(last_month)
    if first == 1 and last == 12:
        return str(year)
    names = MONTHS if long else MONTH_ABBR
    if first == last:
        return f"{names[first - 1]} {year}"
    return f"{names[first - 1]}\u2013{names[last - 1]} {year}"
