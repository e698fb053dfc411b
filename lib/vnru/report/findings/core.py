"""The finding itself (text with its values and source ids), the key-findings HTML block and ``Slot``."""

import html

__all__ = ["MOST_FINDINGS", "PLACEHOLDER", "Finding", "Slot", "html_block", "records", "render"]

SHOWN_SOURCE_IDS = 6  # source ids printed after a finding; the manifest keeps them all
MOST_FINDINGS = 5  # key findings of one report: the five a reader should take away, in order of weight
PLACEHOLDER = "Key findings appear here once the notebook has run to its end."


class Finding(str):
    """A finding sentence (it is its text) with ``values`` (name -> the number, date or text it states) and
    ``source_ids`` (the rows of sources.csv its values come from)."""

    def __new__(cls, text, values=None, source_ids=()):
        found = super().__new__(cls, text)
        found.values = dict(values or {})
        found.source_ids = sorted({str(s) for s in source_ids if isinstance(s, str) and s})
        return found

    def record(self) -> dict:
        """``{text, values, source_ids}``: what the manifest keeps of this finding."""
        return {"text": str(self), "values": self.values, "source_ids": self.source_ids}


def records(sentences) -> list:
    """The findings as ``{text, values, source_ids}`` dicts (a plain string carries no values)."""
    return [s.record() if isinstance(s, Finding) else {"text": str(s), "values": {}, "source_ids": []}
            for s in sentences]



def render(sentences):
    """The findings as an HTML block (an IPython HTML object) in ``<div class="vnru-findings">``."""
    from IPython.display import HTML

    return HTML(html_block(sentences))


def html_block(sentences) -> str:
    """The findings as HTML; a finding's source ids follow it in small type (where its values come from)."""
    def item(s):
        ids = list(getattr(s, "source_ids", []))
        shown = ", ".join(ids[:SHOWN_SOURCE_IDS]) + (f" and {len(ids) - SHOWN_SOURCE_IDS} more (all in the "
                                                     "manifest's findings)" if len(ids) > SHOWN_SOURCE_IDS else "")
        where = f' <small style="color:#666">[{html.escape(shown, quote=False)}]</small>' if ids else ""
        return f"<li>{html.escape(str(s), quote=False)}{where}</li>"

    items = "".join(item(s) for s in sentences) or \
        "<li>No finding: the window holds no figure to report on.</li>"
    return ('<div class="vnru-findings" style="border-left:4px solid #1f77b4;padding:0.2em 1em;'
            f'margin:0.5em 0;background:#f5f8fc"><h2>Key findings</h2><ul>{items}</ul></div>')


class Slot:
    """The key-findings block shown where it is created (top of a report) and filled in when the findings
    are known (end of the analysis): an updatable display, so the executed notebook keeps them at the top."""

    def __init__(self, display_id: str = "vnru-key-findings"):
        from IPython.display import HTML, display

        self.display_id = display_id
        display(HTML(f'<div class="vnru-findings"><p><em>{html.escape(PLACEHOLDER)}</em></p></div>'),
                display_id=display_id)

    def fill(self, sentences) -> None:
        """Show ``sentences`` in the slot and record them as the results ``key_findings`` (the sentences) and
        ``findings`` (each ``{text, values, source_ids}``: the manifest's traceable findings)."""
        from IPython.display import update_display

        from vnru.report.results import record

        sentences = list(sentences)
        update_display(render(sentences), display_id=self.display_id)
        record("key_findings", [str(s) for s in sentences])
        record("findings", records(sentences))
