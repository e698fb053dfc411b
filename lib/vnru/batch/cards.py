"""Parts of a report's card in index.html: its key findings, its key results and its downloads (figures and tables).

Key results are shown as a reader reads them, on the index and in every report: a label in words with the unit
(``vn_latest_value_usd_m`` -> "Latest value, Vietnam's statistics" / "USD 4.6 bn"), codes in words, years as
years, no false precision; dicts and long lists fold away (the manifest keeps every value whole).
"""

import math
import re
from urllib.parse import quote

from vnru.batch.html import esc, show
from vnru.report import formats, labels

SHOWN_FINDINGS = 2  # sentences of a report's key findings on its card
LONGEST_VALUE = 120  # characters of a result shown on a card; the manifest keeps it whole


def card_results(results: dict) -> dict:
    """The results a card lists: all but the key findings (shown above them), long values cut to one line."""
    shown = {}
    for key, value in (results or {}).items():
        if key == "key_findings":
            continue
        if isinstance(value, float) and math.isfinite(value) and value != round(value, 2):
            value = round(value, 2)  # a card is read, not computed with: 26.7218 shows as 26.72 (manifest: whole)
        text = show(value)
        shown[key] = value if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1].rstrip() + "\u2026"
    return shown


_CODES = {**labels.DIRECTION_LABELS, **labels.REPORTER_STATISTICS, **labels.FLOW_NAMES, **labels.LEVEL_LABELS,
          **labels.SIDE_LABELS, "reported": "reported figures"}  # a code shown as a value: its words (report.labels)
_PREFIXES = (*((f"{code}_", words) for code, words in labels.DIRECTION_SHORT.items()), ("vn_", "Vietnam's statistics"),
             ("ru_", "Russia's statistics"))
_WORDS = {"yoy": "year-on-year growth", "cagr": "average annual growth (CAGR)", "usd": "USD", "pct": "%",
          "vn": "Vietnam", "ru": "Russia", "hs": "HS", "of": "of"}


def label(key: str) -> tuple:
    """(words, unit) for a result key: ``vn_latest_value_usd_m`` -> ("Latest value, Vietnam's statistics", "USD m")."""
    name, unit, side = str(key), None, None
    for prefix, words in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            name, side = name[len(prefix):], words
            break
    if re.search(r"_usd_m$", name):
        name, unit = name[:-len("_usd_m")], "USD m"
    elif name.endswith("_pct"):
        name, unit = name[:-len("_pct")], "%"
    if name in labels.RESULT_WORDS:
        words = labels.RESULT_WORDS[name]
        return (f"{words}, {side}" if side else words), unit
    name = re.sub(r"rank_of$", "rank_out_of", name)
    words = " ".join(_WORDS.get(w, w) for w in name.split("_")).strip()
    words = (words[:1].upper() + words[1:]) if words else str(key)
    return (f"{words}, {side}" if side else words), unit


def value_text(key: str, value, unit=None, titles=None) -> str | None:
    """A result as text for a reader, or None when it is not one to show in a table (a dict, an empty value)."""
    if value is None or value == "" or isinstance(value, dict):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        parts = [value_text(key, v, None, titles) for v in value]
        if len(value) == 2 and all(isinstance(v, int) for v in value) and "year" in key:
            return f"{value[0]}–{value[1]}"
        return ", ".join(p for p in parts if p) or None
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        year_like = re.search(r"(^|_)(year|from|to|cagr_from|cagr_to)$", key) or key.endswith("_year")
        if year_like and float(value) == int(value):
            return str(int(value))
        if unit == "USD m":
            return formats.money(value)
        if unit == "%":
            places = 2 if abs(value) < 1 else 1  # a share under 1 % keeps its second decimal (0.51 %, not 0.5 %)
            return formats.pct(value, signed="yoy" in key or "gap" in key, places=places)
        if float(value) == int(value):
            return formats.count(value)
        return formats.format_number(value, 1 if abs(value) >= 10 else 2)
    text = str(value)
    if titles and text in titles:
        return titles[text]
    ordinal = re.match(r"^(\d+(st|nd|rd|th)): (.+)$", text)  # "15th: 2012-comprehensive-partnership"
    if ordinal and titles and ordinal.group(3) in titles:
        return f"{ordinal.group(1)} anniversary of {titles[ordinal.group(3)]}"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return formats.format_date(text)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return formats.format_date(text + "-01", "month")
    return _CODES.get(text, text)


def _rows(data_dir, table: str) -> list:
    """The rows of a small data table as dicts, read with the csv module: the index of reused reports is
    written without importing pandas (a no-change re-run costs little more than the command)."""
    import csv

    from vnru.paths import resolve_data_dir

    with open(resolve_data_dir(data_dir) / f"{table}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def source_facts(data_dir=None) -> tuple:
    """(how many documents sources.csv lists, the newest publication date in words or None)."""
    from vnru.data.conventions import date_text
    from vnru.data.version import newest_source

    newest = newest_source(None if data_dir is None else str(data_dir))
    return len(_rows(data_dir, "sources")), (date_text(newest) if newest else None)


def reference_names(data_dir=None) -> dict:
    """Names for the ids a result may hold: event ids -> event titles, source ids -> "Publisher, date"; {} when
    the data cannot be read (a card then shows the id)."""
    from vnru.data.conventions import date_text

    try:
        names = {row["event_id"]: row["title"] for row in _rows(data_dir, "timeline")}
        sources = _rows(data_dir, "sources")
    except Exception:  # noqa: BLE001 -- names are a nicety: a card without them still shows the ids
        return {}
    for row in sources:
        who = row.get("publisher") or row.get("title") or row["source_id"]
        published = (row.get("published") or "").strip()
        precision = {4: "year", 7: "month"}.get(len(published))  # "2017" or "2017-06": no invented day
        names[row["source_id"]] = f"{who}, {date_text(published, precision)}" if published else who
    return names


def labelled_results(results: dict, titles=None) -> list:
    """(label with unit, value text) for each result a reader can read, in the order they were recorded."""
    rows = []
    for key, value in (results or {}).items():
        if key == "key_findings":
            continue
        words, unit = label(key)
        text = value_text(key, value, unit, titles)
        if text is not None:
            rows.append((words, text))
    return rows


def findings(results: dict, traced=None) -> str:
    """The first key-findings sentences a notebook recorded, as HTML: from the manifest's ``findings``
    (``{text, values, source_ids}``; ``traced``) when there are any, else from ``key_findings`` (sentences)."""
    found = [f.get("text") for f in traced if isinstance(f, dict)] if isinstance(traced, list) and traced else \
        (results or {}).get("key_findings")
    if isinstance(found, str):
        found = [found]
    if not isinstance(found, list):
        return ""
    sentences = [str(s) for s in found if isinstance(s, str) and s.strip()][:SHOWN_FINDINGS]
    return f'<p class="vnru-findings">{esc(" ".join(sentences))}</p>' if sentences else ""


def cache_note(report: dict) -> str:
    """Whether the report was reused or why it ran (vnru.batch.cache), as HTML; "" without a cache record."""
    record = report.get("cache")
    note = record.get("note") if isinstance(record, dict) else None
    return f'<div class="name cache">{esc(note)}</div>' if isinstance(note, str) and note else ""


def _file_links(paths) -> str:
    return " · ".join(f'<a href="{esc(quote(p))}">{esc(p.rsplit("/", 1)[-1])}</a>' for p in paths)


def downloads(report: dict) -> str:
    """Links to a report's figures (PNG, SVG) and tables (CSV), folded under one summary line."""
    found = report.get("downloads")
    if not isinstance(found, dict):
        return ""
    figures = [p for p in found.get("figures") or [] if isinstance(p, str)]
    tables = [p for p in found.get("tables") or [] if isinstance(p, str)]
    if not figures and not tables:
        return ""
    n_tables = len({p.rsplit(".", 1)[0] for p in tables})
    charts = len({p.rsplit(".", 1)[0] for p in figures})
    summary = ", ".join(x for x in (f"{charts} chart{'s' * (charts != 1)} (PNG, SVG)" if figures else "",
                                    f"{n_tables} table{'s' * (n_tables != 1)} (CSV)" if tables else "") if x)
    parts = "".join(f"<p><b>{label}</b> {_file_links(paths)}</p>" for label, paths in
                    (("Figures:", figures), ("Tables:", tables)) if paths)
    return f'<details class="downloads"><summary>Downloads: {esc(summary)}</summary>{parts}</details>'

__all__ = [
    "LONGEST_VALUE", "SHOWN_FINDINGS", "cache_note", "card_results", "downloads", "findings", "label",
    "labelled_results", "reference_names", "value_text",
]
