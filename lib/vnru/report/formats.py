"""Every formatter a report uses, once: dates and periods at their precision, money, percentages, counts.

One rule for a missing value: every function here shows it as :data:`MISSING` (an en dash), never ``''``,
``nan`` or ``None``. A date or a period never shows more precision than is known (no invented day, no
invented January). The date and period rules themselves live in ``vnru.data.conventions`` (``date_text``,
``period_text``) because analyses label a figure's "when" with them too; this module is where a report
finds them, beside the number formatters.
"""

import math

from vnru.data.conventions import MISSING, date_text, is_missing_value, last_digit_unit, period_text
from vnru.data.conventions import ordinal as conventions_ordinal

__all__ = ["MISSING", "billions", "count", "decimals", "format_date", "format_number", "is_missing", "money",
           "month_year", "ordinal", "pct", "period", "period_text"]

format_date = date_text  # '18 Jun 2024', 'Apr 2015', '2008'; MISSING for a missing date


def is_missing(*values) -> bool:
    """True when any value is None, NaN, NaT, pandas NA or infinite (what a formatter shows as MISSING)."""
    for value in values:
        if is_missing_value(value):
            return True
        if isinstance(value, float) and not math.isfinite(value):
            return True
    return False


def decimals(values, cap=2) -> int:
    """The fewest decimals (up to ``cap``) that show every value of a numeric Series exactly."""
    for places in range(cap + 1):
        if ((values - values.round(places)).abs() < 1e-9).all():
            return places
    return cap


def format_number(value, places=None, separators=True) -> str:
    """One number as text: ``places`` decimals (or the fewest needed, up to 2), thousands separators."""
    if is_missing(value):
        return MISSING
    if places is None:
        import pandas as pd

        places = decimals(pd.Series([float(value)]))
    return f"{value:,.{places}f}" if separators else f"{value:.{places}f}"


def money(usd_m) -> str:
    """An amount given in USD million as a reader says it: 'USD 4.57 bn', 'USD 870 m', 'USD 2.5 m'; billions
    with no more decimals than the figure was stated to ('USD 732 bn', 'USD 4.6 bn', never 'USD 732.00 bn')."""
    if is_missing(usd_m):
        return MISSING
    if abs(usd_m) >= 1000:
        return f"USD {billions(usd_m)} bn"
    if abs(usd_m) >= 100:
        return f"USD {usd_m:,.0f} m"
    return f"USD {usd_m:,.1f} m"


def billions(usd_m) -> str:
    """USD millions as billions with no more decimals than the figure is stated to: 83,000 (about) -> '83',
    4,569.5 -> '4.57', 1,630 -> '1.63' (never '83.00': no precision the source did not give)."""
    if is_missing(usd_m):
        return MISSING
    unit = float(last_digit_unit(float(usd_m))) / 1000.0  # NaN: finer than 0.0001 m (Comtrade's whole dollars)
    places = 0 if unit >= 1 else 2 if not unit > 0 else min(2, int(-math.floor(math.log10(unit))))
    return f"{float(usd_m) / 1000.0:,.{places}f}"


def pct(value, signed=True, places=1) -> str:
    """A percentage with ``places`` decimals (one by default): '+26.7 %' (signed) or '81.3 %'."""
    if is_missing(value):
        return MISSING
    return f"{value:+.{places}f} %" if signed else f"{value:.{places}f} %"


def count(value) -> str:
    """A whole number with thousands separators: '232,300'."""
    if is_missing(value):
        return MISSING
    return f"{round(value):,}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    return MISSING if is_missing(n) else conventions_ordinal(n)


def period(year, months=12, from_month=1) -> str:
    """``months`` months of ``year`` from ``from_month``, months named in full: '2024' for a full year,
    'January–November 2025' for part of one (a missing ``months`` is read as the full year)."""
    if is_missing(months) or int(months) == 12:
        return MISSING if is_missing(year) else f"{int(year)}"
    return period_text(year, int(from_month), int(from_month) + int(months) - 1, long=True)


def month_year(date, precision=None) -> str:
    """``Apr 2024``: a date to the month at most; only the year for a date known to the year (never an
    invented January). Anything that is not a date is shown as its text."""
    if not hasattr(date, "strftime"):
        return MISSING if is_missing(date) else str(date)
    return date_text(date, "year" if precision == "year" else "month")
