"""Timeline charts: one lane per category over a partnership-level band, and visits per decade."""

import math

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.transforms import Bbox

from vnru.analysis import timeline as tl
from vnru.report.chartdata import attach
from vnru.report.formats import format_date
from vnru.report.labels import LEVEL_COLORS, LEVEL_LABELS, SIDE_COLORS, SIDE_LABELS
from vnru.report.plots.common import add_source_line, integer_ticks, new_axes, palette, style_axes

# The lane names the category; its colour names the category's group (vnru.analysis.timeline.CATEGORY_GROUPS),
# from the palette's categorical colours: never red (Vietnam's statistics) or blue (Russia's).
CATEGORY_COLORS = {c: palette.EVENT_GROUP[tl.CATEGORY_GROUPS[c]] for c in tl.CATEGORIES}
# Label offsets from the marker in points: a near row just clear of the markers, then a far row that clears
# the near row's text (about 8.5 pt high at 7 pt) so that both rows can be used at once.
_SLOTS = [(0, 7), (0, -7), (0, 20), (0, -20)]
_MARKER_SIZE = 30  # scatter size in pt^2
_GAP_PX = 9  # clear space either side of a label, in pixels: two labels on one row never read as one line


def short_label(row, width=34) -> str:
    """Compact label: honest date plus the title cut to ``width`` characters."""
    title = str(row["title"])
    title = title if len(title) <= width else title[: width - 1].rstrip(" ,;:-'") + "\u2026"
    return f"{format_date(row['date'], row['precision'])}: {title}"


def _overlaps(box, boxes: np.ndarray) -> bool:
    """Whether ``box`` overlaps any of ``boxes`` (rows of x0, y0, x1, y1), edges touching included (as
    ``Bbox.overlaps``), in one vectorised test."""
    x0, y0, x1, y1 = box.extents
    return bool(np.any((x0 <= boxes[:, 2]) & (boxes[:, 0] <= x1) & (y0 <= boxes[:, 3]) & (boxes[:, 1] <= y1)))


def _padded(box, dx, dy):
    """``box`` grown by ``dx`` pixels left and right and ``dy`` pixels up and down."""
    return Bbox.from_extents(box.x0 - dx, box.y0 - dy, box.x1 + dx, box.y1 + dy)


def _marker_boxes(ax, events, lanes):
    """Each event's marker as a display-space box, keyed by event_id (labels must not cover other markers)."""
    radius = math.sqrt(_MARKER_SIZE) / 2 * ax.figure.dpi / 72
    xy = ax.transData.transform(list(zip(mdates.date2num(events["date"]), events["category"].map(lanes))))
    return {eid: Bbox.from_extents(px - radius, py - radius, px + radius, py + radius)
            for eid, (px, py) in zip(events["event_id"], xy)}


def _leader_box(ax, x, y, text_extent, ha):
    """The thin strip a leader line from the marker at (x, y) to the near edge of a far-row label occupies."""
    px, py = ax.transData.transform((x, y))
    tx = text_extent.x0 if ha == "left" else text_extent.x1
    ty = text_extent.y0 if text_extent.y0 > py else text_extent.y1
    return Bbox.from_extents(min(px, tx) - 1, min(py, ty), max(px, tx) + 1, max(py, ty))


def _annotate(ax, label, xy, offset, ha, fontsize, **extra):
    """A label ``offset`` points (dx, dy) from the marker at ``xy``, 3 points clear of it on the side ``ha``."""
    dx, dy = offset
    return ax.annotate(label, xy, xytext=(dx + (3 if ha == "left" else -3), dy), textcoords="offset points",
                       ha=ha, va="center", fontsize=fontsize, color=palette.TEXT, annotation_clip=False, **extra)


def _place_labels(ax, events, lanes, fontsize):
    """Greedy placement: try slots above/below each marker; keep a label only where it collides with nothing.

    The most important events go first (``tl.label_order``: key events, summits, treaties ...), then by date. A label must
    stay inside the axes and clear every other label, leader line and marker. Labels in the far rows get a
    thin leader line to their marker so that they cannot be read as the next lane's. Each label is measured
    once per alignment; its box in the other slots is that box moved by the slot's offset.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    points = ax.figure.dpi / 72  # offsets are in points, boxes in pixels
    placed = np.empty((0, 4))
    markers = _marker_boxes(ax, events, lanes)
    marker_ids = np.array(list(markers), dtype=object)
    marker_boxes = np.array([m.extents for m in markers.values()]).reshape(-1, 4)
    order = tl.label_order(events)  # the most important events first (vnru.analysis.timeline.importance)
    labelled = []
    for _, row in order.iterrows():
        x, y = mdates.date2num(row["date"]), lanes[row["category"]]
        others = marker_boxes[marker_ids != row["event_id"]]
        label = short_label(row)
        measured = {}
        for ha in ("left", "right"):
            probe = _annotate(ax, label, (x, y), _SLOTS[0], ha, fontsize)
            measured[ha] = probe.get_window_extent(renderer)
            probe.remove()
        for (dx, dy), ha in ((slot, ha) for slot in _SLOTS for ha in ("left", "right")):
            far = abs(dy) > _SLOTS[0][1]
            extent = measured[ha].translated((dx - _SLOTS[0][0]) * points, (dy - _SLOTS[0][1]) * points)
            boxes = [_padded(extent, _GAP_PX, 1)] + ([_leader_box(ax, x, y, extent, ha)] if far else [])
            inside = frame.x0 <= boxes[0].x0 and boxes[0].x1 <= frame.x1 and frame.y0 <= boxes[0].y0 \
                and boxes[0].y1 <= frame.y1
            if inside and not any(_overlaps(b, placed) for b in boxes) and not _overlaps(extent, others):
                leader = {"arrowstyle": "-", "color": palette.LEADER, "lw": 0.6, "shrinkA": 0, "shrinkB": 3,
                          "relpos": (0 if ha == "left" else 1, 0.5)}
                _annotate(ax, label, (x, y), (dx, dy), ha, fontsize, **({"arrowprops": leader} if far else {}))
                placed = np.vstack([placed, [b.extents for b in boxes]])
                labelled.append(row["event_id"])
                break
    return labelled


def marker_colors(events) -> np.ndarray:
    """Each event's marker colour: a visit in the colour of its direction (``palette.DIRECTION``, as in the visits
    per decade and the investment charts), any other event in its category's group colour."""
    group = events["category"].map(CATEGORY_COLORS)
    side = events["side"].map(SIDE_COLORS) if "side" in events else group
    return side.where((events["category"] == "visit") & side.notna(), group).to_numpy(dtype=object)


def plot_timeline(events, start, end, ax=None, categories=None, data_dir=None, sources=None, all_events=None,
                  title="Vietnam\u2013USSR/Russia relations: dated events", label_fontsize=7):
    """Events as markers in one lane per category, over bands showing the partnership level in force.

    Labels are placed only where they collide with nothing; ``ax.labelled_events`` lists the
    event_ids that got a label (the rest belong in a table under the chart). ``all_events``
    (default ``events``) is the full table the partnership level is read from, so a narrow
    window still shows the level in force.
    """
    cats = [c for c in (categories or tl.CATEGORIES) if c in set(events["category"])] or list(categories or [])
    if ax is None:
        _, ax = new_axes(width=13, height=max(4.0, 0.85 * len(cats) + 2.2))
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    attach(ax, events.sort_values("date"), ["date", "precision", "end_date", "title", "category", "side", "visit_level",
                                             "partnership_level", "place", "event_id", "source_id"])
    lanes = {c: i for i, c in enumerate(reversed(cats))}
    for _, period in tl.level_periods(events if all_events is None else all_events, start, end).iterrows():
        ax.axvspan(period["start"], period["end"], color=LEVEL_COLORS[period["level"]], zorder=0, lw=0)
    for cat, y in lanes.items():
        ax.axhline(y, color=palette.GRID, lw=0.8, zorder=1)
        sub = events[events["category"] == cat]
        exact = (sub["precision"] == "day").to_numpy()
        colors = marker_colors(sub)
        ax.scatter(sub.loc[exact, "date"], [y] * int(exact.sum()), s=_MARKER_SIZE, color=colors[exact], zorder=3)
        ax.scatter(sub.loc[~exact, "date"], [y] * int((~exact).sum()), s=_MARKER_SIZE, facecolors=palette.HOLLOW,
                   edgecolors=colors[~exact], zorder=3)
    pad = (end - start) * 0.01
    ax.set_xlim(start - pad, end + pad)
    ax.set_ylim(-0.6, len(cats) - 0.4)
    ax.set_yticks(list(lanes.values()), list(lanes.keys()))
    span_years = (end - start).days / 365.25
    locator = mdates.AutoDateLocator(minticks=4, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator) if span_years < 4 else mdates.DateFormatter("%Y"))
    style_axes(ax, xlabel="Date (hollow marker = only month or year known)", ylabel="Category")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=34)  # room for the visits' key under it
    ax.grid(False, axis="y")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=LEVEL_COLORS[lv], label=LEVEL_LABELS[lv], ec=palette.GRID) for lv in tl.LEVELS]
    levels = ax.legend(handles=handles, title="Background: partnership level in force", title_fontsize=8,
                       loc="lower right", bbox_to_anchor=(1, 1.0), ncol=3, fontsize=8, frameon=False)
    if "side" in events and (events["category"] == "visit").any():  # visits in the colours of their direction
        ax.add_artist(levels)
        ax.legend(handles=[Line2D([], [], marker="o", linestyle="", color=SIDE_COLORS[s], label=f"Visit: {SIDE_LABELS[s]}")
                           for s in tl.SIDES], loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1, fontsize=8,
                  frameon=False, borderaxespad=0.2)
    add_source_line(ax, events["source_id"], data_dir=data_dir, sources=sources)
    ax.labelled_events = _place_labels(ax, events, lanes, label_fontsize)
    return ax


def plot_visits_by_decade(counts, ax=None, source_ids=(), data_dir=None, sources=None,
                          title="Top-level visits per decade, by direction"):
    """Grouped bars: visits Vietnam\u2192Russia and Russia\u2192Vietnam per decade (``tl.visits_by_decade``)."""
    if ax is None:
        _, ax = new_axes(width=10, height=5)
    x = np.arange(len(counts))
    for i, side in enumerate(tl.SIDES):
        values = counts[side].to_numpy() if side in counts else np.zeros(len(counts))
        bars = ax.bar(x + (i - 0.5) * 0.38, values, width=0.38, color=SIDE_COLORS[side], label=SIDE_LABELS[side])
        ax.bar_label(bars, fontsize=8, padding=1)
    ax.set_xticks(x, [f"{d}s" for d in counts.index])
    integer_ticks(ax, "y")
    style_axes(ax, title=title, xlabel="Decade", ylabel="Visits (count)")
    ax.legend(frameon=False, fontsize=9)
    add_source_line(ax, source_ids, data_dir=data_dir, sources=sources,
                    note="Head of state, party leader or head of government, by the decade the visit began; 0 = none recorded "
                         "in the data, which lists the visits its sources name; the latest decade is incomplete.")
    return ax

__all__ = [
    "CATEGORY_COLORS", "LEVEL_COLORS", "marker_colors", "plot_timeline", "plot_visits_by_decade", "short_label",
]
