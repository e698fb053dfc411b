"""Parts of a report's card in index.html: its key findings and its downloads (figures and tables)."""

import math
from urllib.parse import quote

from vnru.batch.html import esc, show

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


def findings(results: dict) -> str:
    """The first key-findings sentences a notebook recorded (``key_findings``: a list of sentences), as HTML."""
    found = (results or {}).get("key_findings")
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
    charts = len({p.rsplit(".", 1)[0] for p in figures})
    summary = ", ".join(x for x in (f"{charts} chart{'s' * (charts != 1)} (PNG, SVG)" if figures else "",
                                    f"{len(tables)} table{'s' * (len(tables) != 1)} (CSV)" if tables else "") if x)
    parts = "".join(f"<p><b>{label}</b> {_file_links(paths)}</p>" for label, paths in
                    (("Figures:", figures), ("Tables:", tables)) if paths)
    return f'<details class="downloads"><summary>Downloads: {esc(summary)}</summary>{parts}</details>'

__all__ = [
    "LONGEST_VALUE", "SHOWN_FINDINGS", "cache_note", "card_results", "downloads", "findings",
]
