"""Downloads beside a report, as Our World in Data gives them: every chart as PNG and SVG, the main tables as CSV.

``vnru run`` points DOWNLOADS_ENV at a folder in the run's private temp dir; charts drawn with ``vnru.report.plots``
(anything finished by ``add_source_line``) and tables shown with ``vnru.show(df, name=...)`` are written there
as ``figures/<slug of the chart title>.png|svg|csv|json`` (the chart, the data it draws, its metadata) and
``tables/<name>.csv`` + ``tables/<name>.json``, and the runner publishes the folder as ``OUT/NAME/`` with the
report. Without the variable (JupyterLab) nothing is written.

A CSV has one header row and data only (vnru.report.tidy: numbers as numbers, ISO dates, explicit period
columns, codes as quoted text); everything about it (title, fields with types and units, the ``dtype`` that keeps
its codes as text, the full sources, licence, versions, parameters) is in the JSON of the same name.
"""

import csv
import json
import os
import re
import unicodedata
from pathlib import Path

DOWNLOADS_ENV = "VNRU_DOWNLOADS_DIR"
FIGURES, TABLES = "figures", "tables"
_pending = []  # (figure, source ids, data dir) finished in the running cell, written once the cell ends
_order = []  # the charts written so far in this kernel, in order: a report's first chart leads its index card
_hooked = []
_sources_read = {}  # (sources.csv path, mtime, size) -> the table (_sources_table)
_LETTERS = str.maketrans({"\u0111": "d", "\u0110": "D"})  # Vietnamese d-bar has no decomposition


def target():
    """The folder downloads go to in this process, or None when not run by ``vnru run``."""
    value = os.environ.get(DOWNLOADS_ENV)
    return Path(value) if value else None


def slug(text, fallback="figure") -> str:
    """``text`` as a file name: lowercase ASCII words joined by hyphens (accents dropped), at most 80 chars."""
    text = re.sub(r"['\u2019]", "", str(text)).translate(_LETTERS)
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    ascii_text = re.sub(r"[\W_]+", "-", bare).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:80].rstrip("-") or fallback


def _unique_path(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem.suffix``, or ``stem-2``, ``stem-3``... when an earlier download took the name."""
    path, number = folder / f"{stem}{suffix}", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path


def figure_title(fig) -> str:
    """What a chart shows: its suptitle, else the first axes title found (left, centre or right)."""
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        return fig._suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if ax.get_title(loc=loc):
                return ax.get_title(loc=loc)
    return "figure"


def _write_json(path: Path, content: dict) -> None:
    path.write_text(json.dumps(content, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def _write_csv(frame, path: Path) -> list:
    """``frame`` as data (vnru.report.tidy) into ``path``: one header row, text quoted; its fields."""
    from vnru.report.tidy import as_data, field_types

    data = as_data(frame)
    data.to_csv(path, index=False, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    return field_types(data)


def _sources_of(source_ids, data_dir=None) -> tuple:
    """(full citations as dicts, the credit line) for the distinct ``source_ids``; ([], "") when there are none."""
    if source_ids is None:
        return [], ""
    from vnru.data.citations import _unique, cite

    ids = _unique(source_ids)
    if not ids:
        return [], ""
    sources = _sources_table(data_dir)
    table = sources.set_index("source_id")
    found = []
    for sid in ids:
        if sid in table.index:
            row = table.loc[sid]
            found.append({"source_id": sid, "publisher": None if _missing(row["publisher"]) else row["publisher"],
                          "title": row["title"], "published": None if _missing(row["published"])
                          else row["published"].date().isoformat(), "url": None if _missing(row["url"]) else row["url"]})
    return found, cite([s for s in ids if s in table.index], sources=sources, style="credit")


def _sources_table(data_dir=None):
    """sources.csv of ``data_dir`` (vnru.load_sources), read and checked once per kernel while the file is unchanged:
    every chart and table written cites from it (it was two validated reads per download)."""
    from vnru.data import datapackage
    from vnru.data.loaders import load_sources
    from vnru.paths import resolve_data_dir

    path = resolve_data_dir(data_dir) / datapackage.resource("sources")["path"]
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_sources(data_dir)  # its error says what is wrong
    if key not in _sources_read:
        _sources_read.clear()
        _sources_read[key] = load_sources(data_dir)
    return _sources_read[key]


def _missing(value) -> bool:
    import pandas as pd

    return value is None or bool(pd.isna(value))


def _metadata(title, csv_name, fields, source_ids, data_dir, **extra) -> dict:
    from vnru.report.provenance import provenance
    from vnru.report.tidy import pandas_dtypes

    sources, credit = _sources_of(source_ids, data_dir)
    dtype = pandas_dtypes(fields)
    read = f"pandas.read_csv({csv_name!r}" + (f", dtype={dtype!r})" if dtype else ")")
    return {"title": title, "csv": csv_name, "fields": fields, "pandas_read_csv": {"dtype": dtype},
            "read_with": read, **extra, "credit": credit, "sources": sources, **provenance(data_dir)}


def save_figure(fig, folder=None, title=None, source_ids=None, data_dir=None) -> list:
    """Write ``fig`` as PNG and SVG named after its title into ``folder/figures``, with the data it draws (CSV)
    and its metadata (JSON: title, axis labels, sources of ``source_ids``, versions); the PNG and SVG paths."""
    return _save(fig, folder, title, source_ids, data_dir)[0]


def _save(fig, folder=None, title=None, source_ids=None, data_dir=None) -> tuple:
    """save_figure's work: (the PNG and SVG paths, the PNG's pixels), ([], None) without a folder."""
    folder = Path(folder) if folder else target()
    if folder is None:
        return [], None
    out = folder / FIGURES
    out.mkdir(parents=True, exist_ok=True)
    name = title or figure_title(fig)
    png = _unique_path(out, slug(name), ".png")
    svg = png.with_suffix(".svg")
    from vnru.report import figurefiles

    pixels = figurefiles.write(fig, png, svg)
    from vnru.report.chartdata import axis_labels, chart_frame

    _order.append(png.stem)
    try:
        fields = _write_csv(chart_frame(fig), png.with_suffix(".csv"))
    except Exception:  # noqa: BLE001 -- a chart drawn in a way the reader does not know still gets its image
        fields = []
        png.with_suffix(".csv").unlink(missing_ok=True)
    _write_json(png.with_suffix(".json"), _metadata(
        name, png.with_suffix(".csv").name if fields else None, fields, source_ids, data_dir,
        axes=axis_labels(fig), order=len(_order), png=png.name, svg=svg.name))
    return [png, svg], pixels


def _flush(*_args) -> None:
    """IPython post_execute hook: write the charts finished in the cell that just ran.

    It runs before the inline backend's own hook. A chart still open is then shown from its download PNG,
    scaled to the inline size, and closed, so each chart is rasterised once (at 150 dpi) instead of twice;
    a chart the cell already showed (``plt.show()``) is only exported.
    """
    while _pending:
        fig, source_ids, data_dir = _pending.pop(0)
        still_open = _is_open(fig)
        written, pixels = _save(fig, source_ids=source_ids, data_dir=data_dir)
        if still_open and written:
            _show_png(fig, written[0], pixels)


def _is_open(fig) -> bool:
    """Whether pyplot still manages ``fig`` (the inline backend would draw it at the end of the cell)."""
    from matplotlib._pylab_helpers import Gcf

    manager = Gcf.figs.get(getattr(fig, "number", None))
    return manager is not None and manager.canvas.figure is fig


def _show_png(fig, png: Path, pixels) -> None:
    """Display the download ``png`` (its ``pixels``: not read back) at the figure's inline size (rcParams
    figure.dpi) in place of the inline render; close ``fig``."""
    import base64

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython.display import display

    from vnru.report.figurefiles import inline_png

    size = tuple(round(v * matplotlib.rcParams["figure.dpi"]) for v in fig.get_size_inches())
    display({"image/png": base64.b64encode(inline_png(pixels, size)).decode("ascii"), "text/plain": repr(fig)},
            metadata={"vnru": {"figure": f"{FIGURES}/{png.name}"}}, raw=True)  # the report's figure card finds it
    plt.close(fig)


def register_figure(fig, source_ids=None, data_dir=None) -> None:
    """Export ``fig`` when the running cell ends (at once outside IPython); nothing without DOWNLOADS_ENV.

    ``source_ids``: the sources of the rows drawn, cited in full in the chart's metadata JSON."""
    if target() is None or any(fig is f for f, *_ in _pending):
        return
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is None:
        save_figure(fig, source_ids=source_ids, data_dir=data_dir)
        return
    if not _hooked:  # first in line, ahead of the inline backend's flush (see _flush)
        shell.events.callbacks["post_execute"].insert(0, _flush)
        _hooked.append(shell)
    _pending.append((fig, None if source_ids is None else list(source_ids), data_dir))


def save_table(frame, name, folder=None, data_dir=None):
    """Write ``frame`` as data as ``folder/tables/<name>.csv`` and its metadata as ``<name>.json`` (the sources of
    its ``source_id`` column in full there, not in the CSV); the CSV's path, or None without a folder."""
    folder = Path(folder) if folder else target()
    if folder is None:
        return None
    out = folder / TABLES
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{slug(name, 'table')}.csv"
    fields = _write_csv(frame, path)
    ids = frame["source_id"] if "source_id" in frame.columns else None
    years = frame["year"].dropna() if "year" in frame.columns else None
    period = ({"from": int(years.min()), "to": int(years.max())} if years is not None and len(years)
              and str(years.dtype) != "object" else None)
    _write_json(path.with_suffix(".json"), _metadata(str(name), path.name, fields, ids, data_dir,
                                                     rows=len(frame), period=period))
    return path


def _drawn_order(path: Path):
    """A file's chart in the order the notebook drew it (its metadata JSON's ``order``), then its name."""
    try:
        order = json.loads(path.with_suffix(".json").read_text(encoding="utf-8")).get("order")
    except (OSError, ValueError, AttributeError):
        order = None
    return (order if isinstance(order, int) else 1 << 30, path.name)


def listing(folder) -> dict:
    """``{"figures": [...], "tables": [...]}``: the files under ``folder``, as paths relative to its parent;
    figures in the order the notebook drew them (the first is the report's lead chart), tables by name."""
    folder = Path(folder)
    found = {}
    for kind in (FIGURES, TABLES):
        if (folder / kind).is_dir():
            files = [p for p in (folder / kind).glob("*") if p.is_file()]
            files.sort(key=_drawn_order if kind == FIGURES else (lambda p: p.name))
            found[kind] = [f"{folder.name}/{kind}/{p.name}" for p in files]
    return found

__all__ = [
    "DOWNLOADS_ENV", "FIGURES", "TABLES", "figure_title", "listing", "register_figure", "save_figure", "save_table",
    "slug", "target",
]
