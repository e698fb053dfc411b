"""Tables for reading: ``show(df)`` renders a DataFrame as a clean HTML table for a report.

Years and counts as whole numbers, money with thousands separators and its unit in the header,
percentages with one decimal, missing values as "–", dates at their precision, codes in words (``ru_in_vn`` ->
"Russia's investment in Vietnam", from ``labels.CODE_COLUMNS``), no index column,
long text wrapped, and source ids linked to the report's sources list (``show_sources``).
The input frame is never modified; ``Table.data`` keeps it and ``Table.frame`` holds the formatted text.
"""

import html
import re

import pandas as pd

from vnru.report.formats import MISSING, format_date, format_number, is_missing
from vnru.report.formats import decimals as _decimals
from vnru.report.labels import CODE_COLUMNS, DIRECTION_SHORT

_T = ".jp-RenderedHTMLCommon table.vnru-table, table.vnru-table"  # beats JupyterLab's own table rules
_CSS = ("<style>" + ",".join(f"{t} {cell}" for t in _T.split(", ") for cell in ("th", "td"))
        + "{padding:3px 10px;border-bottom:1px solid #e3e3e3;vertical-align:top;text-align:left;white-space:nowrap;"
        "max-width:none;line-height:1.35}"
        "table.vnru-table{border-collapse:collapse;font-size:13px;margin:.5em 0;table-layout:auto}"
        ".jp-RenderedHTMLCommon table.vnru-table th{border-bottom:2px solid #999;font-weight:600}"
        ".jp-RenderedHTMLCommon table.vnru-table .num,table.vnru-table .num{text-align:right;"
        "font-variant-numeric:tabular-nums}"
        ".jp-RenderedHTMLCommon table.vnru-table td.wrap,table.vnru-table td.wrap{white-space:normal;"
        "min-width:14em;max-width:30em}"
        "table.vnru-table caption{caption-side:bottom;text-align:left;color:#666;font-size:12px}"
        ".vnru-sources li{margin:.2em 0}</style>")
_SOURCE_SPLIT = re.compile(r"[;,\s]+")
_cited = []  # source ids shown so far in this kernel, in order: show_sources() lists them


def _integral(values) -> bool:
    """True when every value of a numeric series is a whole number."""
    return bool(len(values)) and bool(((values - values.round()).abs() < 1e-9).all())


def _as_list(names) -> list:
    return [] if names is None else [names] if isinstance(names, str) else list(names)


def _is_year(column) -> bool:
    """A column of years or decades (1950s as 1950, never 1,950)."""
    name = str(column).lower()
    return "year" in name or "decade" in name


def _precision_column(frame, column, dates: dict):
    """The column that holds ``column``'s precision: given in ``dates``, ``<col>_precision`` or ``precision``."""
    if dates.get(column):
        return dates[column]
    if f"{column}_precision" in frame.columns:
        return f"{column}_precision"
    date_columns = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if "precision" in frame.columns and (column == "date" or date_columns == [column]):
        return "precision"
    return None


def _header(column, kind, unit) -> str:
    text = str(column)
    for code, words in DIRECTION_SHORT.items():  # "ru_in_vn_capital_usd_m" -> "Russia in Vietnam: capital (USD m)"
        if text.startswith(f"{code}_"):
            return f"{words}: {_header(text[len(code) + 1:], kind, unit)}"
    if kind == "money":
        text = re.sub(r"_?usd_m(?=_|$)", "", text).strip("_") or "value"
        return f"{text.replace('_', ' ')} ({unit})"
    if kind == "pct":
        text = re.sub(r"_?pct$", "", text) or "share"
        return f"{text.replace('_', ' ')} (%)"
    return text.replace("_", " ")


def _source_cell(value) -> str:
    """Source id(s) as links to the report's sources list (anchors ``#src-<id>``)."""
    ids = [s for s in _SOURCE_SPLIT.split(str(value)) if s]
    for sid in ids:
        if sid not in _cited:
            _cited.append(sid)
    links = (f'<a href="#src-{html.escape(sid, quote=True)}">{html.escape(sid)}</a>' for sid in ids)
    return "; ".join(links)


class Table:
    """A formatted table: shows as HTML in a notebook, as aligned text elsewhere."""

    def __init__(self, data, frame, kinds, caption=""):
        self.data, self.frame, self.kinds, self.caption = data, frame, kinds, caption

    def to_html(self) -> str:
        """The table as an HTML fragment (with its small stylesheet)."""
        heads = "".join(f'<th class="{self.kinds[c]}">{html.escape(str(c))}</th>' for c in self.frame.columns)
        rows = []
        for values in self.frame.itertuples(index=False):
            cells = []
            for column, text in zip(self.frame.columns, values):
                kind = self.kinds[column]
                body = _source_cell(text) if kind == "source" and text != MISSING else html.escape(text)
                cells.append(f'<td class="{kind}">{body}</td>')
            rows.append(f"<tr>{''.join(cells)}</tr>")
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (f'{_CSS}<table class="vnru-table">{caption}<thead><tr>{heads}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table>")

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False)
        return f"{text}\n{self.caption}" if self.caption else text


def _column_kind(frame, column, money, pct, counts, wrap, sources) -> str:
    series = frame[column]
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    name = str(column).lower()
    if column in money or (money_auto(column, money) and numeric):
        return "money"
    if column in pct or (not pct and numeric and name.endswith("pct")):
        return "pct"
    if column in counts:
        return "count"
    if sources and (name.endswith(("source_id", "source_ids"))):
        return "source"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if numeric:
        present = series.dropna().astype("float64")
        return "count" if pd.api.types.is_integer_dtype(series) or _integral(present) else "num"
    if column in wrap:
        return "wrap"
    if not wrap and series.dropna().astype(str).str.len().max() > 40:
        return "wrap"
    return "text"


def money_auto(column, money) -> bool:
    """Money columns are found by name (``value_usd_m``, ``value_usd_m_latest``) unless a list is given."""
    return not money and re.search(r"(^|_)usd_m(_|$)", str(column).lower()) is not None


def _format_column(frame, column, kind, dates, years=()) -> pd.Series:
    series = frame[column]
    if kind in ("money", "num", "pct", "count"):
        values = pd.to_numeric(series, errors="coerce").astype("float64")
        present = values.dropna()
        if kind == "pct":
            places = 1
        elif kind == "count":
            places = 0
        else:
            places = _decimals(present) if len(present) else 0
        separators = not (kind == "count" and (_is_year(column) or column in years))
        return values.map(lambda v: format_number(v, places, separators))
    if kind == "date":
        precision_column = _precision_column(frame, column, dates)
        precisions = frame[precision_column] if precision_column else [None] * len(frame)
        return pd.Series([format_date(v, p) for v, p in zip(series, precisions)], index=frame.index)
    words = CODE_COLUMNS.get(str(column).lower())  # codes of a code list: their words
    known = bool(words) and series.dropna().astype(str).isin(list(words or ())).all()
    return series.map(lambda v: _cell_text(words[str(v)] if known and not is_missing(v) else v))


def _cell_text(value) -> str:
    """A text cell: missing as "–", booleans as yes/no, anything else as its text."""
    if value is None or (not isinstance(value, (list, dict, tuple)) and pd.isna(value)) or str(value) == "":
        return MISSING
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "yes" if value else "no"
    return str(value)


def show(df, *, money=None, pct=None, counts=None, dates=None, wrap=None, sources=True, unit="USD m",
         max_rows=None, name=None, years=None) -> "Table | Html":
    """``df`` formatted for reading (see the module docstring); ``df`` itself is left as it is.

    ``money``/``pct``/``counts``/``wrap`` name columns explicitly (otherwise found by name and values);
    ``dates`` maps a date column to its precision column (otherwise ``<col>_precision`` or ``precision``).
    ``years`` names columns of years shown without separators besides those named "...year" (default:
    ``df.attrs["years"]``, set by a selection that renamed them, e.g. ``from`` and ``to``).
    A row number index is dropped; an index of labels (named, or not whole numbers) becomes the first column.
    ``name``: also offer the table (all rows, its values) as the download ``tables/<name>.csv`` under ``vnru run``.
    A sentence (``df`` a str: "No figure in the window.") is a paragraph of the report (a notebook never prints).
    """
    if isinstance(df, str):
        return Html(f'<p class="vnru-line">{html.escape(df, quote=False)}</p>', df)
    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    if name:
        from vnru.report.downloads import save_table

        save_table(df, name)
    years = _as_list(df.attrs.get("years") if years is None else years)
    money, pct, counts, wrap = (_as_list(x) for x in (money, pct, counts, wrap))
    dates = {c: None for c in dates} if isinstance(dates, (list, tuple)) else dict(dates or {})
    labelled = any(n is not None for n in df.index.names) or not pd.api.types.is_integer_dtype(df.index)
    frame = df.reset_index().rename(columns={"index": ""}) if labelled else df.reset_index(drop=True)
    for column in dates:
        if column in frame.columns and not pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    precision_columns = {_precision_column(frame, c, dates) for c in frame.columns
                         if pd.api.types.is_datetime64_any_dtype(frame[c])} - {None}
    caption = ""
    if max_rows is not None and len(frame) > max_rows:
        caption = f"First {max_rows} of {len(frame):,} rows."
        frame = frame.head(max_rows)
    formatted, kinds = {}, {}
    for column in frame.columns:
        if column in precision_columns:
            continue  # shown through the date it qualifies
        kind = _column_kind(frame, column, money, pct, counts, wrap, sources)
        header = _header(column, kind, unit)
        formatted[header] = _format_column(frame, column, kind, dates, years)
        kinds[header] = {"money": "num", "pct": "num", "count": "num"}.get(kind, kind)
        if kind == "source":
            formatted[header][formatted[header] != MISSING].map(_source_cell)  # remember the ids for show_sources()
    return Table(df, pd.DataFrame(formatted), kinds, caption)


class Html:
    """An HTML fragment that a notebook displays as such (and as text elsewhere)."""

    def __init__(self, body, text=""):
        self.body, self.text = body, text

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return self.text


def show_sources(ids=None, data_dir=None) -> Html:
    """The report's sources list, one anchored entry (``#src-<id>``) per source: title, publisher, date, URL.

    Without ``ids`` it lists every source id shown so far by ``show``.
    """
    from vnru.data.citations import _unique
    from vnru.data.loaders import load_sources

    wanted = _unique(_cited if ids is None else ids)
    table = load_sources(data_dir).set_index("source_id")
    items, lines = [], []
    for sid in wanted:
        if sid not in table.index:
            from vnru.errors import DataError

            raise DataError(f"unknown source_id: {sid}", file="sources.csv")
        row = table.loc[sid]
        title = html.escape(str(row["title"]))
        url = None if pd.isna(row["url"]) else str(row["url"])
        link = f'<a href="{html.escape(url, quote=True)}">{title}</a>' if url else title
        who = "" if pd.isna(row["publisher"]) else f", {html.escape(str(row['publisher']))}"
        when = "n.d." if pd.isna(row["published"]) else format_date(row["published"])
        items.append(f'<li id="src-{html.escape(sid, quote=True)}"><code>{html.escape(sid)}</code> '
                     f"\u201c{link}\u201d{who}, {when.rstrip('.')}.</li>")
        publisher = "" if pd.isna(row["publisher"]) else f", {row['publisher']}"
        lines.append(f"[{sid}] {row['title']}{publisher}, {when}. {url or ''}".rstrip())
    return Html(f'{_CSS}<ol class="vnru-sources">{"".join(items)}</ol>', "\n".join(lines))


def _format_result(key, value) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value) if _is_year(key) else f"{value:,}"
    if isinstance(value, float):
        if key.endswith("pct"):
            return f"{format_number(value, 1)}%"
        return format_number(value, None, not _is_year(key))
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return format_date(value)
    if isinstance(value, list):
        return "; ".join(_format_result(key, v) for v in value) or MISSING
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_format_result(str(k), v)}" for k, v in value.items()) or MISSING
    return str(value)


def key_results(results=None, exclude=("key_findings",)) -> Table:
    """One compact "Key results" table (result → value) of the results recorded so far in this kernel."""
    from vnru.report.results import recorded

    found = recorded() if results is None else dict(results)
    rows = [(key.replace("_", " "), _format_result(key, value)) for key, value in found.items() if key not in exclude]
    frame = pd.DataFrame(rows, columns=["Key result", "Value"]) if rows else pd.DataFrame(
        {"Key result": ["(none recorded)"], "Value": [MISSING]})
    return Table(frame, frame, {"Key result": "text", "Value": "wrap"})

__all__ = [
    "MISSING",
    "Html",
    "Table",
    "format_date",
    "format_number",
    "key_results",
    "money_auto",
    "show",
    "show_sources",
]
