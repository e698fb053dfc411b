"""Shared chart furniture, once: figure creation, house style, the legend below the axes, a year axis with
whole-year ticks, integer ticks, thousands separators and the source footnote."""

import textwrap

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

from vnru.data.citations import cite
from vnru.report import palette
from vnru.report.downloads import register_figure
from vnru.report.palette import COLORS  # one palette, fixed meanings (vnru.report.palette)


def new_axes(width=10, height=5.5, nrows=1, ncols=1, **kw):
    """A figure and axes in the house size, with room at the bottom for the source line."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), **kw)
    return fig, axes


def style_axes(ax, title=None, xlabel=None, ylabel=None):
    """Title, axis labels with units, light grid, no top/right spines."""
    if title:
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    value_grid(ax, "y")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return ax


def value_grid(ax, axis="y"):
    """Light grid lines across the value ``axis`` only ("x" for horizontal bars); returns ``ax``."""
    ax.grid(False)
    ax.grid(True, axis=axis, color=palette.GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    return ax


def legend_below(ax, handles=None, ncol=3, below=0.12, fontsize=8):
    """The legend centred under the axes (``below`` axes heights under the x axis, past its label), in
    ``ncol`` columns, so that it never covers data; returns the legend."""
    return ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -below), ncol=ncol,
                     fontsize=fontsize, frameon=False)


def year_axis(ax, first, last, margin=0.5, every_year=20, turn_after=None, labelsize=None) -> bool:
    """Whole years on the x axis from ``first`` to ``last``: a tick on every year while the span is at most
    ``every_year`` years (None: always), else whole-number ticks only; ``margin`` years of room either side
    (None: limits left as they are); labels turned upright when the span exceeds ``turn_after`` years.
    Returns whether the labels were turned."""
    first, last = int(first), int(last)
    if margin is not None:
        ax.set_xlim(first - margin, last + margin)
    if every_year is None or last - first <= every_year:
        ax.set_xticks(range(first, last + 1))
    else:
        integer_ticks(ax, "x")
    turned = turn_after is not None and last - first > turn_after
    if turn_after is not None or labelsize is not None:
        ax.tick_params(axis="x", labelrotation=90 if turned else 0, labelsize=labelsize or 8)
    return turned


def integer_ticks(ax, axis="y"):
    """Ticks on whole numbers only (counts, ranks, years) on the ``axis`` ("x" or "y"); returns ``ax``."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))
    return ax


def thousands(ax, axis="y"):
    """Tick labels with thousands separators and no decimals (232,300) on the ``axis``; returns ``ax``."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    return ax


def add_source_line(ax, source_ids, data_dir=None, sources=None, note=None, limit=4, width=150):
    """Write a wrapped source footnote under the figure that holds ``ax``; returns ``ax``.

    This finishes a chart: under ``vnru run`` the figure is also saved as a download (PNG and SVG).
    """
    register_figure(ax.figure, source_ids=source_ids, data_dir=data_dir)
    text = cite(source_ids, data_dir=data_dir, sources=sources, limit=limit, style="credit")
    if note:
        text = f"{note}  {text}" if text else note
    if not text:
        return ax
    fig = ax.figure
    wrapped = "\n".join(textwrap.wrap(text, width=width))
    lines = wrapped.count("\n") + 1
    height_in = fig.get_size_inches()[1]
    fig.tight_layout(rect=(0, min(0.4, (0.14 * lines + 0.12) / height_in), 1, 1))
    fig.text(0.01, 0.01, wrapped, ha="left", va="bottom", fontsize=7.5, color=palette.MUTED_TEXT)
    return ax

__all__ = [
    "COLORS", "add_source_line", "integer_ticks", "legend_below", "new_axes", "palette", "style_axes", "thousands",
    "value_grid", "year_axis",
]
