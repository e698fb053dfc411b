"""The data behind a drawn chart, read back from what matplotlib drew: one row per point or bar.

Whatever function drew the chart, its labelled lines, scatter points and bars are the figures it shows, so
a figure card's *Table* tab and its CSV download are read from the axes: ``series`` (the legend label or the
axes title), ``x``, ``y`` and, for bars on a category axis, the category. Dates on a date axis come back as
ISO dates; years as whole numbers. Unlabelled helpers (grid lines, event markers, "_" labels) are skipped.
A chart whose marks carry their meaning in shape or patches (a treemap, a grid of years, flows as markers, event
lanes) attaches the rows each axes draws with ``attach(ax, frame)``, and those are that panel's data.
"""

import math
import weakref

import numpy as np
import pandas as pd

__all__ = ["attach", "axis_labels", "chart_frame"]

_ATTACHED = weakref.WeakKeyDictionary()  # Axes -> the rows it draws, as the plot function said


def attach(ax, frame: pd.DataFrame, columns=None) -> None:
    """Say which rows ``ax`` draws (``columns`` of ``frame``, those it has): the figure card's Table tab and CSV
    download give these rows, typed and with their source ids, instead of what is read back from the artists.
    A plot whose marks do not carry their meaning in labels (markers by flow, ranges, event lanes) attaches."""
    keep = [c for c in (columns or list(frame.columns)) if c in frame.columns]
    _ATTACHED[ax] = frame[keep].reset_index(drop=True).copy()


def _is_date_axis(axis) -> bool:
    converter = axis.get_converter() if hasattr(axis, "get_converter") else getattr(axis, "converter", None)
    return converter is not None and "date" in type(converter).__name__.lower()


def _value(axis, v):
    """One coordinate as data: an ISO date on a date axis, a whole number when it is one, else the float."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if hasattr(v, "isoformat") or isinstance(v, (str, np.datetime64)):  # a date as drawn (datetime, numpy, pandas)
        try:
            return pd.Timestamp(v).date().isoformat()
        except (TypeError, ValueError):
            return str(v)
    if _is_date_axis(axis):
        from matplotlib.dates import num2date

        return num2date(float(v)).date().isoformat()
    try:
        number = float(v)
    except (TypeError, ValueError):
        return str(v)
    return round(number) if abs(number - round(number)) < 1e-9 else round(number, 6)


def _categories(axis) -> dict:
    """Tick position -> tick label on a category axis (ticks at whole positions, labels mostly words); else {}."""
    pairs = [(float(p), t.get_text()) for p, t in zip(axis.get_ticklocs(), axis.get_ticklabels()) if t.get_text()]
    if not pairs or any(p != round(p) for p, _ in pairs):
        return {}
    if sum(not any(c.isdigit() for c in label) for _, label in pairs) * 2 < len(pairs):
        return {}
    return {round(p, 6): label for p, label in pairs}


def _coordinate(ax, axis, names: dict, v):
    """A point's coordinate: the category named at that tick on a category axis, else the value as data."""
    if names:
        try:
            found = names.get(round(float(v), 6))
        except (TypeError, ValueError):
            found = None
        if found is not None:
            return found
    return _value(axis, v)


def _series_name(label, ax) -> str:
    return label if label and not str(label).startswith("_") else (ax.get_title(loc="left") or ax.get_title() or "")


def _lines(ax, rows):
    for line in ax.get_lines():
        label = line.get_label()
        xs, ys = line.get_xdata(orig=True), line.get_ydata(orig=True)
        if str(label).startswith("_") or len(xs) < 1:
            continue
        x_names, y_names = _categories(ax.xaxis), _categories(ax.yaxis)
        for x, y in zip(xs, ys):
            rows.append({"series": label, "x": _coordinate(ax, ax.xaxis, x_names, x),
                         "y": _coordinate(ax, ax.yaxis, y_names, y)})


def _scatters(ax, rows):
    from matplotlib.collections import PathCollection

    for collection in ax.collections:
        label = collection.get_label()
        if not isinstance(collection, PathCollection) or str(label).startswith("_"):
            continue
        x_names, y_names = _categories(ax.xaxis), _categories(ax.yaxis)
        for x, y in collection.get_offsets():
            rows.append({"series": label, "x": _coordinate(ax, ax.xaxis, x_names, x),
                         "y": _coordinate(ax, ax.yaxis, y_names, y)})


def _bars(ax, rows):
    from matplotlib.container import BarContainer

    x_names, y_names = _categories(ax.xaxis), _categories(ax.yaxis)
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        horizontal = getattr(container, "orientation", None) == "horizontal"
        name = _series_name(container.get_label(), ax)
        for patch in container.patches:
            if horizontal:
                at, value = patch.get_y() + patch.get_height() / 2, patch.get_x() + patch.get_width()
                category = y_names.get(round(at, 6))
            else:
                at, value = patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height()
                category = x_names.get(round(at, 6))
            axis = ax.yaxis if horizontal else ax.xaxis
            rows.append({"series": name, "x": category if category is not None else _value(axis, at),
                         "y": _value(ax.xaxis if horizontal else ax.yaxis, value)})


def axis_labels(fig) -> dict:
    """The x and y axis labels of the figure's first axes (they name the units), as {"x": ..., "y": ...}."""
    for ax in fig.axes:
        if ax.get_xlabel() or ax.get_ylabel():
            return {"x": ax.get_xlabel(), "y": ax.get_ylabel()}
    return {"x": "", "y": ""}


def chart_frame(fig) -> pd.DataFrame:
    """The rows each panel of ``fig`` draws: those its plot function attached (``attach``), else every
    labelled line, scatter and bar as rows (panel, series, x, y); empty when none."""
    rows, attached = [], []
    for number, ax in enumerate(fig.axes):
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        if ax in _ATTACHED:
            panel = ax.get_title(loc="left") or ax.get_title() or f"panel {number + 1}"
            attached.append(_ATTACHED[ax].assign(panel=panel))
            continue
        start = len(rows)
        _lines(ax, rows)
        _scatters(ax, rows)
        _bars(ax, rows)
        panel = ax.get_title(loc="left") or ax.get_title() or f"panel {number + 1}"
        for row in rows[start:]:
            row["panel"] = panel
    frame = pd.DataFrame(rows, columns=["panel", "series", "x", "y"])
    if attached:  # the rows the plot said it draws; scraped rows of other panels after them
        frame = pd.concat([*attached, frame] if rows else attached, ignore_index=True)
        frame = frame[["panel", *[c for c in frame.columns if c != "panel"]]]
    if frame["panel"].nunique() <= 1:
        frame = frame.drop(columns="panel")
    return frame
