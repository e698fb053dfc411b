"""The conventions every layer shares: code lists, what a hedged figure is, precision and rounding.

One home for each: the data checks, the audit, the analyses and the reports all read them from here.
"""

import numpy as np
import pandas as pd

__all__ = ["DIRECTIONS", "EXACT_QUALIFIERS", "FLOWS", "PRECISIONS", "REPORTERS", "imprecision", "is_hedged",
           "iso_date", "last_digit_unit"]

REPORTERS = ("VN", "RU")  # whose statistics: Vietnam's or Russia's
FLOWS = ("total", "vn_exports", "vn_imports")  # from Vietnam's side
DIRECTIONS = ("ru_in_vn", "vn_in_ru")  # investment: Russia's in Vietnam, Vietnam's in Russia
PRECISIONS = ("day", "month", "year")  # how precisely a date is known, finest first
EXACT_QUALIFIERS = frozenset({"", "exactly"})  # a figure stated as is; any other qualifier hedges it


def is_hedged(qualifier):
    """True where a figure is hedged (about, nearly, more than …): the one definition of "hedged".

    Takes one qualifier (a string or missing) or a Series of them."""
    if isinstance(qualifier, pd.Series):
        return ~qualifier.astype("object").where(qualifier.notna(), "").isin(EXACT_QUALIFIERS)
    return not (qualifier is None or pd.isna(qualifier) or qualifier in EXACT_QUALIFIERS)


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
