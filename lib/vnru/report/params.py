"""Checks for notebook parameters: each returns the clean value or raises a one-line ParameterError."""

import datetime as _dt

from vnru.errors import ParameterError


def choice(name: str, value, choices):
    """``value`` if it is one of ``choices``; otherwise an error that lists them."""
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}")
    return value


def choices(name: str, values, allowed) -> list:
    """A list of values, each one of ``allowed``; a single string counts as a one-item list."""
    if isinstance(values, str):
        values = [v.strip() for v in values.split(",") if v.strip()]
    if not isinstance(values, (list, tuple)) or not values:
        raise ParameterError(f"{name} must be a non-empty list drawn from {', '.join(map(repr, allowed))}; "
                             f"got {values!r}")
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ParameterError(f"{name} has unknown value(s) {', '.join(map(repr, bad))}; "
                             f"valid choices: {', '.join(map(repr, allowed))}")
    return list(dict.fromkeys(values))


def integer(name: str, value, minimum=None, maximum=None) -> int:
    """A whole number (not a bool) within the optional bounds."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)
        else:
            raise ParameterError(f"{name} must be a whole number; got {value!r}")
    if minimum is not None and value < minimum or maximum is not None and value > maximum:
        raise ParameterError(f"{name} must be between {minimum} and {maximum}; got {value}")
    return value


def boolean(name: str, value) -> bool:
    """True or False (also the strings true/false/yes/no/1/0)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise ParameterError(f"{name} must be True or False; got {value!r}")


def date(name: str, value) -> _dt.date:
    """A calendar date from an ISO string (YYYY-MM-DD, YYYY-MM or YYYY), "today", or a date object."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    text = str(value).strip()
    if text.lower() == "today":
        return _dt.date.today()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%Y"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ParameterError(f"{name} must be a date such as 2024-06-19 (or 2024-06, 2024 or today); got {value!r}")


def optional_date(name: str, value) -> _dt.date | None:
    """None for an empty value (no limit), else a date as :func:`date` reads it."""
    if value is None or str(value).strip() == "":
        return None
    return date(name, value)


def describe_window(start, end) -> str:
    """A date window in words, for messages: 'between A and B', 'from A on', 'up to B' or 'at any date'."""
    if start and end:
        return f"between {start} and {end}"
    if start:
        return f"from {start} on"
    return f"up to {end}" if end else "at any date"


def ordered(start_name: str, start, end_name: str, end):
    """Check that ``start`` is not after ``end``; returns both."""
    if start > end:
        raise ParameterError(f"{start_name} ({start}) is after {end_name} ({end})")
    return start, end


# The one vocabulary of the notebooks: an old name a run may still pass -> the name that replaced it.
RENAMED = {"start_year": "start", "end_year": "end", "year": "end", "annotate_events": "milestones"}


def year(name: str, value, empty=None, minimum=1950, maximum=2100) -> int:
    """A year YYYY (text or a whole number) within the bounds; an empty value is ``empty`` (the open end: the
    earliest or latest year in the data), or an error when there is none."""
    if value is None or str(value).strip() == "":
        if empty is None:
            raise ParameterError(f"{name} must be a year such as 2016; the data hold no year to default to")
        return int(empty)
    text = str(value).strip()
    if isinstance(value, bool) or not (isinstance(value, int) or len(text) == 4 and text.isdigit()):
        raise ParameterError(f"{name} must be a year such as 2016 (YYYY), or \"\" for no limit; got {value!r}")
    return integer(name, int(text), minimum, maximum)


def years(start, end, first=None, last=None, data=None) -> tuple:
    """The ``start``/``end`` year window of a notebook: each a year YYYY, "" = open (``first`` / ``last``, the
    earliest and latest years in the data; by default those of ``data``'s ``year`` column); ``start`` may not
    be after ``end``. Returns (start, end) as ints."""
    if data is not None:
        from vnru.analysis.growth import year_span

        span = year_span(data)
        first, last = (span[0] if first is None else first), (span[1] if last is None else last)
    window = year("start", start, first), year("end", end, last)
    return ordered("start", window[0], "end", window[1])


def milestones(value, known) -> str | list:
    """The ``milestones`` of a chart: "key", "none", or a list of event ids out of ``known``."""
    text = str(value).strip() if isinstance(value, str) else value
    if text in ("key", "none"):
        return text
    if not isinstance(text, str) or not text:
        raise ParameterError(f'milestones must be "key", "none" or a comma list of event ids; got {value!r}')
    ids = [v.strip() for v in text.split(",") if v.strip()]
    bad = [v for v in ids if v not in set(known)]
    if bad:
        raise ParameterError(f"milestones has unknown event id(s) {', '.join(map(repr, bad))}; "
                             f'use "key", "none" or ids from the timeline (e.g. {", ".join(list(known)[:2])})')
    return list(dict.fromkeys(ids))


def renamed(name: str, declared) -> str | None:
    """The parameter that replaced ``name`` when the notebook declares it (``declared``: its names), else None."""
    new = RENAMED.get(name)
    return new if new is not None and new in declared and name not in declared else None


def data_dir(value):
    """None for the bundled data, else an existing directory (as a string)."""
    if value in (None, ""):
        return None
    from pathlib import Path

    if not Path(str(value)).expanduser().is_dir():
        raise ParameterError(f"data_dir {value!r} is not a directory")
    return str(Path(str(value)).expanduser())

__all__ = [
    "RENAMED", "boolean", "choice", "choices", "data_dir", "date", "describe_window", "integer", "milestones",
    "optional_date", "ordered", "renamed", "year", "years",
]
