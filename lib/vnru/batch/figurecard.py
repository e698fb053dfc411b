"""Figure cards and table downloads inside a report page, built from the files beside it (vnru.report.downloads).

A card is plain HTML and CSS: radio buttons switch its tabs (Chart, Table, Sources, Download), so it works
offline, from one forwarded file, even with scripts blocked; the page's small script only adds the enlarged
view of a chart (without it, a click opens the PNG). The chart is the 150 dpi download PNG embedded in the page
and drawn at the notebook's inline size: sharp on HiDPI screens.
"""

import base64
import json
import re
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from vnru.batch.html import esc

__all__ = ["SHOWN_ROWS", "card", "drawn", "figure_of", "fold_long_tables", "stamp_metadata", "table_links"]

SHOWN_ROWS = 12  # rows of a table (a card's Table tab, a long report table) shown before "show all" (page CSS)
_TABS = ("chart", "table", "sources", "download")


def _read(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stamp_metadata(folder: Path, extra: dict) -> None:
    """Add ``extra`` (the run's parameters and time) to every download's metadata JSON in ``folder``."""
    for path in sorted(Path(folder).glob("*/*.json")):
        meta = _read(path)
        if isinstance(meta, dict):
            path.write_text(json.dumps(meta | extra, ensure_ascii=False, indent=1, default=str) + "\n",
                            encoding="utf-8")


def _href(name: str, relative: str) -> str:
    return esc(quote(f"{name}/{relative}"))


def _frame_table(frame: pd.DataFrame, headers: dict, uid: str) -> str:
    heads = "".join(f"<th>{esc(headers.get(c, c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for value in values:
            text = "\u2013" if value is None or (isinstance(value, float) and pd.isna(value)) else (
                f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= 10000
                else str(value))
            cells.append(f'<td class="{"num" if isinstance(value, (int, float)) else "text"}">{esc(text)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = f'<table class="vnru-data"><thead><tr>{heads}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return _foldable(table, len(rows), uid)


def _foldable(table: str, rows: int, uid: str) -> str:
    """``table`` in a horizontally scrolling box; past SHOWN_ROWS rows, the rest show on a toggle (no script)."""
    shown = SHOWN_ROWS
    if rows <= shown + 3:
        return f'<div class="vnru-scroll">{table}</div>'
    return (f'<div class="vnru-fold"><input type="checkbox" id="{uid}" '
            f'class="vnru-fold-toggle"><div class="vnru-scroll vnru-folded">{table}</div>'
            f'<label for="{uid}" class="vnru-fold-label"><span class="more">Show all {rows} rows</span>'
            f'<span class="less">Show the first {shown} rows</span></label></div>')


def _sources(meta: dict) -> str:
    items = []
    for s in meta.get("sources") or []:
        title = esc(s.get("title"))
        link = f'<a href="{esc(s["url"])}">{title}</a>' if s.get("url") else title
        who = f"{esc(s['publisher'])}, " if s.get("publisher") else ""
        when = esc(s.get("published") or "undated")
        items.append(f"<li>{who}\u201c{link}\u201d, {when} <code>{esc(s.get('source_id'))}</code></li>")
    return f'<ol class="vnru-cited">{"".join(items)}</ol>' if items else "<p>No sources were given for this chart.</p>"


def drawn(folder) -> list:
    """The chart PNGs under ``folder``, in the order the notebook drew them (vnru.report.downloads.listing)."""
    if folder is None or not (Path(folder) / "figures").is_dir():
        return []
    from vnru.report.downloads import listing

    return [p.split("/", 1)[1] for p in listing(folder).get("figures", []) if p.endswith(".png")]


def _aspect(data: str):
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(base64.b64decode(data))) as image:
            return image.size[0] / image.size[1]
    except (OSError, ValueError):
        return None


def figure_of(output, charts: list, folder=None):
    """The download (``figures/<slug>.png``) an image output shows, taken off ``charts`` (the charts not placed
    yet, in drawn order). A chart shown from its download says so in its metadata; one a cell showed itself
    (``plt.show()``) is the next chart drawn when its shape matches; anything else is not a chart of the kit."""
    figure = (output.get("metadata") or {}).get("vnru", {}).get("figure")
    if figure in charts:
        charts.remove(figure)
        return figure
    data = (output.get("data") or {}).get("image/png")
    if figure or not data or not charts or folder is None:
        return None
    from PIL import Image

    shown = _aspect(str(data))
    with Image.open(Path(folder) / charts[0]) as image:
        expected = image.size[0] / image.size[1]
    if shown is None or abs(shown - expected) > 0.02 * expected:
        return None
    return charts.pop(0)


def card(folder: Path, name: str, figure: str, number: int) -> str | None:
    """The figure card of ``figure`` (``figures/<slug>.png`` under ``folder``); None when its files are missing."""
    png = Path(folder) / figure
    meta = _read(png.with_suffix(".json")) or {}
    if not png.is_file():
        return None
    title = meta.get("title") or png.stem
    from PIL import Image

    with Image.open(png) as image:
        width, height = image.size
    shown_w, shown_h = round(width / 1.5), round(height / 1.5)  # 150 dpi drawn at the inline 100 dpi
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    uid = f"fig-{number}-{re.sub(r'[^a-z0-9-]', '', png.stem)[:40]}"
    axes = meta.get("axes") or {}
    table = "<p>This chart's data could not be read back as a table; the CSV download has what was drawn.</p>"
    csv_path = png.with_suffix(".csv")
    if meta.get("csv") and csv_path.is_file():
        frame = pd.read_csv(csv_path, dtype=(meta.get("pandas_read_csv") or {}).get("dtype"))
        headers = {"x": axes.get("x") or "x", "y": axes.get("y") or "value", "series": "series", "panel": "panel"}
        table = _frame_table(frame, headers, f"{uid}-rows")
    links = [("PNG image", png.name), ("SVG (vector)", png.with_suffix(".svg").name)]
    if meta.get("csv"):
        links.append(("Data (CSV)", meta["csv"]))
    links.append(("Metadata (JSON)", png.with_suffix(".json").name))
    download = "".join(f'<li><a href="{_href(name, "figures/" + file)}" download>{esc(label)}</a></li>'
                       for label, file in links)
    licence = (meta.get("licence") or {}).get("title", "")
    radios = "".join(f'<input type="radio" name="{uid}" id="{uid}-{t}" value="{t}" class="vnru-tab-{t}"'
                     f'{" checked" if t == "chart" else ""}><label for="{uid}-{t}">{t.capitalize()}</label>'
                     for t in _TABS)
    alt = esc(title)
    return f"""<figure class="vnru-card" id="{uid}" aria-label="{alt}">
<figcaption class="vnru-card-title vnru-visually-hidden">{esc(title)}</figcaption>
<div class="vnru-tabs" role="group" aria-label="View">{radios}
<div class="vnru-panel vnru-panel-chart"><a class="vnru-zoom" href="{_href(name, figure)}" title="Enlarge">
<img src="data:image/png;base64,{data}" alt="{alt}" width="{shown_w}" height="{shown_h}"></a>
<p class="vnru-credit"><label for="{uid}-table">The data</label> · <label for="{uid}-sources">all {len(meta.get("sources") or [])} sources</label> · <label for="{uid}-download">download</label> · click the chart to enlarge it</p></div>
<div class="vnru-panel vnru-panel-table">{table}</div>
<div class="vnru-panel vnru-panel-sources">{_sources(meta)}</div>
<div class="vnru-panel vnru-panel-download"><ul class="vnru-downloads">{download}</ul>
<p class="vnru-licence">Data licence: {esc(licence)}. Credit: {esc(meta.get("credit") or "vnru")}.</p></div>
</div></figure>"""


def table_links(cell, folder: Path, name: str, table: str) -> None:
    """Append the CSV and metadata links of the table ``table`` to the cell's table output, when written."""
    from vnru.report.downloads import slug

    csv_path = Path(folder) / "tables" / f"{slug(table, 'table')}.csv"
    if not csv_path.is_file():
        return
    links = (f'<p class="vnru-table-download">Download this table: <a href="{_href(name, "tables/" + csv_path.name)}"'
             f' download>CSV</a> · <a href="{_href(name, "tables/" + csv_path.with_suffix(".json").name)}" download>'
             f"metadata and sources (JSON)</a></p>")
    for output in cell.get("outputs", []):
        body = (output.get("data") or {}).get("text/html")
        if body and "vnru-table" in str(body):
            output["data"]["text/html"] = str(body) + links
            return


def fold_long_tables(cell, number: int) -> None:
    """Each table of more than SHOWN_ROWS rows in the cell's HTML outputs shows its first rows and a toggle."""
    for k, output in enumerate(cell.get("outputs", [])):
        body = (output.get("data") or {}).get("text/html")
        if not body or "<table" not in str(body) or "vnru-card" in str(body) or "vnru-fold" in str(body):
            continue
        text = str(body)

        def wrap(match, k=k):
            rows = match.group(0).count("<tr") - 1  # the header row
            return _foldable(match.group(0), rows, f"tbl-{number}-{k}-{match.start()}")

        output["data"]["text/html"] = re.sub(r"<table\b.*?</table>", wrap, text, flags=re.DOTALL)
