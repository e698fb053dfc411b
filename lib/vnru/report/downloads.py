"""Downloads beside a report, as Our World in Data gives them: every chart as PNG and SVG, the main tables as CSV.

``vnru run`` points DOWNLOADS_ENV at a folder in the run's private temp dir; charts drawn with ``vnru.report.plots``
(anything finished by ``add_source_line``) and tables shown with ``vnru.show(df, name=...)`` are written there
as ``figures/<slug of the chart title>.png|svg`` and ``tables/<name>.csv`` (first line: the sources), and the
runner publishes the folder as ``OUT/NAME/`` with the report. Without the variable (JupyterLab) nothing is written.
"""

import os
import re
import unicodedata
from pathlib import Path

DOWNLOADS_ENV = "VNRU_DOWNLOADS_DIR"
FIGURES, TABLES = "figures", "tables"
_pending = []  # figures finished in the running cell, written once the cell ends (they may still change)
_hooked = []
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


def save_figure(fig, folder=None, title=None) -> list:
    """Write ``fig`` as PNG and SVG named after its title into ``folder/figures``; the paths written."""
    folder = Path(folder) if folder else target()
    if folder is None:
        return []
    out = folder / FIGURES
    out.mkdir(parents=True, exist_ok=True)
    png = _unique_path(out, slug(title or figure_title(fig)), ".png")
    svg = png.with_suffix(".svg")
    import matplotlib

    fig.savefig(png, dpi=150, facecolor="white")
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text: searchable, editable
        fig.savefig(svg, facecolor="white")
    return [png, svg]


def _flush(*_args) -> None:
    """IPython post_execute hook: write the charts finished in the cell that just ran.

    It runs before the inline backend's own hook. A chart still open is then shown from its download PNG,
    scaled to the inline size, and closed, so each chart is rasterised once (at 150 dpi) instead of twice;
    a chart the cell already showed (``plt.show()``) is only exported.
    """
    while _pending:
        fig = _pending.pop(0)
        still_open = _is_open(fig)
        written = save_figure(fig)
        if still_open and written:
            _show_png(fig, written[0])


def _is_open(fig) -> bool:
    """Whether pyplot still manages ``fig`` (the inline backend would draw it at the end of the cell)."""
    from matplotlib._pylab_helpers import Gcf

    manager = Gcf.figs.get(getattr(fig, "number", None))
    return manager is not None and manager.canvas.figure is fig


def _show_png(fig, png: Path) -> None:
    """Display ``png`` at the figure's inline size (rcParams figure.dpi) in place of the inline render; close ``fig``."""
    import base64
    import io

    import matplotlib
    import matplotlib.pyplot as plt
    from IPython.display import display
    from PIL import Image

    with Image.open(png) as image:
        width, height = (round(v * matplotlib.rcParams["figure.dpi"]) for v in fig.get_size_inches())
        small = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.save(buffer, format="PNG", optimize=False)
    display({"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": repr(fig)}, raw=True)
    plt.close(fig)


def register_figure(fig) -> None:
    """Export ``fig`` when the running cell ends (at once outside IPython); nothing without DOWNLOADS_ENV."""
    if target() is None or any(fig is f for f in _pending):
        return
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is None:
        save_figure(fig)
        return
    if not _hooked:  # first in line, ahead of the inline backend's flush (see _flush)
        shell.events.callbacks["post_execute"].insert(0, _flush)
        _hooked.append(shell)
    _pending.append(fig)


def sources_line(frame) -> str:
    """The CSV's first line: the sources of the rows (from a ``source_id`` column) or where to find them."""
    from vnru.data.citations import cite

    if "source_id" in frame.columns:
        line = cite(frame["source_id"], limit=None)
        if line:
            return f"# {line}"
    return "# Sources: see the report's sources list"


def save_table(frame, name, folder=None):
    """Write ``frame`` (its values, not the formatted text) as ``folder/tables/<name>.csv``; the path or None."""
    folder = Path(folder) if folder else target()
    if folder is None:
        return None
    out = folder / TABLES
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{slug(name, 'table')}.csv"
    body = frame.to_csv(index=False, date_format="%Y-%m-%d", lineterminator="\n")
    path.write_text(sources_line(frame) + "\n" + body, encoding="utf-8")
    return path


def listing(folder) -> dict:
    """``{"figures": [...], "tables": [...]}``: the files under ``folder``, as paths relative to its parent."""
    folder = Path(folder)
    return {kind: sorted(f"{folder.name}/{kind}/{p.name}" for p in (folder / kind).glob("*") if p.is_file())
            for kind in (FIGURES, TABLES) if (folder / kind).is_dir()}

__all__ = [
    "DOWNLOADS_ENV", "FIGURES", "TABLES", "figure_title", "listing", "register_figure", "save_figure", "save_table",
    "slug", "sources_line", "target",
]
