"""issue 24: the trade chart labels each milestone it marks, the labels clear of one another and inside the chart."""

from itertools import pairwise

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import vnru
from vnru.analysis import timeline as tl
from vnru.analysis import trade
from vnru.report import plots


@pytest.mark.parametrize("start, end, choice", [(1992, 2025, "key"), (1950, 2025, "key"), (2010, 2025, "key"),
                                                (1992, 2025, ["1994-treaty", "2001-strategic-partnership",
                                                              "2001-putin-visit", "2002-03-26-kasyanov-visit"])])
def test_every_milestone_is_labelled_and_no_labels_overlap(start, end, choice):
    data = vnru.load_trade()
    window = trade.in_window(data, start, end, ["VN", "RU"])
    series = trade.both_series(window, reporters=["VN", "RU"])
    marked = tl.milestones(vnru.load_timeline(), start, end, choice)
    fig, ax = plots.new_axes(10, 6)
    try:
        plots.trade.plot_series(ax, series, start, end, milestones=marked)
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        labels = [t for t in ax.texts if t.get_text() in set(marked["label"])]
        assert sorted(t.get_text() for t in labels) == sorted(marked["label"])  # each drawn once, with its words
        boxes = sorted((t.get_window_extent(renderer) for t in labels), key=lambda b: b.x0)
        frame = ax.get_window_extent(renderer)
        assert all(frame.x0 - 1 <= b.x0 and b.x1 <= frame.x1 + 1 and b.y0 > frame.y1 for b in boxes)
        assert all(a.x1 < b.x0 for a, b in pairwise(boxes))  # one row, side by side, never overlapping
        title = ax.title.get_window_extent(renderer)
        assert all(b.y1 < title.y0 for b in boxes)  # the title sits above the labels
    finally:
        plt.close(fig)


def test_no_milestones_draw_no_lines():
    fig, ax = plots.new_axes(10, 6)
    try:
        assert plots.trade.label_milestones(ax, tl.milestones(vnru.load_timeline(), 1992, 2025, "none")) == 0
        assert not ax.lines and not ax.texts
    finally:
        plt.close(fig)
