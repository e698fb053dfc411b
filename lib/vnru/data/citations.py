"""Source lines: turn the source_ids of the rows behind a chart or table into readable text."""

import numbers
import re

import pandas as pd

from vnru.data.conventions import date_text
from vnru.errors import DataError, ParameterError


def _unique(source_ids) -> list[str]:
    """The distinct ids, in order: one id (text) or any list-like of them (a column, a list, a set)."""
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    if source_ids is None or isinstance(source_ids, (bytes, dict)) or not hasattr(source_ids, "__iter__"):
        raise ParameterError(f"cite() takes a source_id or a list of them (e.g. a table's source_id column); "
                             f"got {type(source_ids).__name__}")
    return list(dict.fromkeys(str(s) for s in source_ids if not pd.isna(s)))


def _when(published) -> str:
    return "n.d." if pd.isna(published) else date_text(published)


def describe(row) -> str:
    """Short form of one source: publisher (or title when no publisher is shown) and date."""
    who = row["publisher"] if not pd.isna(row["publisher"]) else f"\u201c{row['title']}\u201d"
    return f"{who} ({_when(row['published'])})"


def _publisher_family(publisher) -> str:
    """A publisher without its edition or relay in brackets: ``VietnamPlus (French)`` -> ``VietnamPlus``."""
    return re.sub(r"\s*\(.*\)\s*$", "", str(publisher)).strip() or str(publisher)


def credit(source_ids, table, limit=3) -> str:
    """A credit line for under a chart: the publishers behind most rows, such as
    ``Sources: TASS, VietnamPlus, Sputnik Vietnam and 9 other publishers``. No dates, no pointer elsewhere: the
    full list belongs in the report's sources. Rows count once each, so the main publishers come first."""
    rows = [str(s) for s in ([source_ids] if isinstance(source_ids, str) else source_ids) if not pd.isna(s)]
    counts = {}
    for sid in rows:
        publisher = table.loc[sid, "publisher"]
        if not pd.isna(publisher):
            family = _publisher_family(publisher)
            counts[family] = counts.get(family, 0) + 1
    if not counts:
        return "Sources: curated news and official sources (vnru)"
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    named, more = ranked[:limit], len(ranked) - limit
    if more > 0:
        return f"Sources: {', '.join(named)} and {more} other publisher{'s' * (more != 1)}"
    return f"Sources: {', '.join(named[:-1])} and {named[-1]}" if len(named) > 1 else f"Source: {named[0]}"


def cite(source_ids, data_dir=None, sources=None, limit=6, full=False, style=None) -> str:
    """A source line such as ``Sources: VOV World (n.d.); Nhan Dan (NDO) (29 Jun 2017)``.

    ``limit`` caps how many sources are named (the rest are counted; None names all); ``full`` adds titles and
    URLs and names them all. ``style="credit"``: a short credit line for under a chart (``credit``): the
    ``limit`` main publishers (3 when ``limit`` is left at 6), no dates. Unknown ids are a DataError: a chart
    never cites a missing source.
    """
    if style not in (None, "credit"):
        raise ParameterError(f'style must be "credit" or left out; got {style!r}')
    ids = _unique(source_ids)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, numbers.Integral) or limit < 1):
        raise ParameterError(f"limit must be a whole number of at least 1 (or None for all); got {limit!r}")
    if not ids:
        return ""
    if sources is None:
        from vnru.data.loaders import load_sources

        sources = load_sources(data_dir)
    table = sources.set_index("source_id")
    unknown = [s for s in ids if s not in table.index]
    if unknown:
        raise DataError(f"unknown source_id(s): {', '.join(unknown)}", file="sources.csv")
    if style == "credit":
        return credit(source_ids, table, 3 if limit in (None, 6) else limit)
    if full:
        parts = []
        for sid in ids:
            row = table.loc[sid]
            url = "" if pd.isna(row["url"]) else f" {row['url']}"
            who = "" if pd.isna(row["publisher"]) else f"{row['publisher']}, "
            parts.append(f"[{sid}] {who}\u201c{row['title']}\u201d, {_when(row['published'])}.{url}")
        return "\n".join(parts)
    named = [describe(table.loc[sid]) for sid in (ids if limit is None else ids[:limit])]
    more = len(ids) - len(named)
    label = "Source" if len(ids) == 1 else "Sources"
    tail = f" and {more} more (see sources.csv)" if more > 0 else ""
    return f"{label}: {'; '.join(named)}{tail}"

__all__ = [
    "cite", "credit", "describe",
]
