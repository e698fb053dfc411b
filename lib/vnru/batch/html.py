"""Text for the run's HTML pages: escaping and the readable form of a value (one home for both)."""

import html
import json

__all__ = ["esc", "show"]


def esc(value) -> str:
    """``value`` as HTML-escaped text (None becomes an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


def show(value) -> str:
    """A result or parameter value as readable text: strings bare, numbers and lists as JSON."""
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) >= 1e6 or (value and abs(value) < 1e-3) else f"{value:,.4f}".rstrip(
            "0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value, ensure_ascii=False)
