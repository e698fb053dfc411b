"""Shared chart furniture: figure creation, house style and the source footnote."""

import textwrap

import matplotlib.pyplot as plt

from vnru.data.citations import cite
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
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
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
    fig.text(0.01, 0.01, wrapped, ha="left", va="bottom", fontsize=7.5, color="#555555")
    return ax

__all__ = [
    "COLORS", "add_source_line", "new_axes", "style_axes",
]
