"""The timeline chart on the bundled data: lanes, and labels that never overlap each other or a marker."""

import math

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.text import Annotation, Text

import vnru
from vnru.analysis import timeline as tl
from vnru.report.plots import plot_timeline
from vnru.report.plots.timeline import _MARKER_SIZE, _SLOTS


@pytest.fixture(scope="module", params=[("1950-01-01", "2026-11-29"), ("1950-01-01", "1991-12-31")],
                ids=["all", "soviet"])
def chart(request):
    start, end = request.param
    events = vnru.load_timeline()
    shown = tl.filter_events(events, start, end)
    ax = plot_timeline(shown, start, end, sources=vnru.load_sources(), all_events=events)
    ax.figure.canvas.draw()
    yield ax, shown
    plt.close(ax.figure)


def _labels(ax):
    return [t for t in ax.texts if isinstance(t, Annotation)]


def _text_box(label, renderer):
    """The box of the label's text alone (an Annotation's own extent also spans its leader line)."""
    return Text.get_window_extent(label, renderer)


def test_one_lane_per_category_shown(chart):
    ax, shown = chart
    lanes = [t.get_text() for t in ax.get_yticklabels()]
    assert sorted(lanes) == sorted(set(shown.category))
    assert lanes[::-1] == [c for c in tl.CATEGORIES if c in set(shown.category)]


def test_labels_do_not_overlap_and_stay_inside(chart):
    ax, _ = chart
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    boxes = [_text_box(t, renderer) for t in _labels(ax)]
    assert len(boxes) == len(ax.labelled_events)
    for i, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        assert not any(a.overlaps(b) for b in boxes[i + 1:])
    leaders = [(i, t.arrow_patch.get_window_extent(renderer)) for i, t in enumerate(_labels(ax)) if t.arrow_patch]
    for i, line in leaders:
        assert not any(line.overlaps(b) for j, b in enumerate(boxes) if j != i)


def test_labels_cover_no_other_marker(chart):
    ax, shown = chart
    renderer = ax.figure.canvas.get_renderer()
    radius = math.sqrt(_MARKER_SIZE) / 2 * ax.figure.dpi / 72
    lanes = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks())}
    centres = dict(zip(shown.event_id, ax.transData.transform(
        list(zip(mdates.date2num(shown.date), shown.category.map(lanes))))))
    for label, event_id in zip(_labels(ax), ax.labelled_events):
        box = _text_box(label, renderer)
        for other, (px, py) in centres.items():
            if other != event_id:
                assert not (box.x0 < px + radius and px - radius < box.x1
                            and box.y0 < py + radius and py - radius < box.y1), (event_id, other)


def test_soviet_decades_are_labelled_and_outer_labels_have_leaders(chart):
    ax, shown = chart
    labelled = shown[shown.event_id.isin(ax.labelled_events)]
    assert {1950, 1960, 1970, 1980} <= set(labelled.date.dt.year // 10 * 10)
    assert len(labelled) >= 35
    for label in _labels(ax):
        far = abs(label.xyann[1]) > abs(_SLOTS[0][1])
        assert (label.arrow_patch is not None) == far


def test_key_events_are_labelled_first(chart):
    ax, shown = chart
    keys = set(shown.event_id) & set(tl.KEY_EVENTS)
    assert keys and keys <= set(ax.labelled_events)


def test_the_latest_summit_is_labelled_and_outranks_minor_visits(chart):
    """Summits that adopted a partnership statement or treaty are labelled before other events of their lane
    (issue 24): the latest one in the window always has its label."""
    ax, shown = chart
    rank = tl.importance(shown)
    summits = shown[rank == tl.IMPORTANCE["summit"]]
    assert summits.event_id.iloc[-1] in ax.labelled_events
    minor = shown[rank >= tl.IMPORTANCE["other_visit"]]
    assert len(minor) and (rank[minor.index] > rank[summits.index].max()).all()


def test_the_2024_state_visit_is_labelled_on_the_default_chart():
    events = vnru.load_timeline()
    shown = tl.filter_events(events, "1950-01-01", "2026-12-31")
    ax = plot_timeline(shown, "1950-01-01", "2026-12-31", sources=vnru.load_sources(), all_events=events)
    try:
        assert "2024-06-putin-state-visit" in ax.labelled_events
        assert any(t.get_text().startswith("19 Jun 2024: President Putin") for t in _labels(ax))
    finally:
        plt.close(ax.figure)
