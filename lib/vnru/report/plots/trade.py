"""Trade charts: the two reporters' series with gaps and labelled milestones, growth, flows and balance, mirror gap.

Each function draws on a matplotlib Axes, sets a title and axis labels with units, writes the
source line from the rows it drew, and returns the Axes.
"""

import numpy as np
from matplotlib.ticker import MaxNLocator

from vnru.report.labels import FLOW_NAMES
from vnru.report.labels import REPORTER_STATISTICS as REPORTER_LABEL
from vnru.report.plots.common import COLORS, add_source_line, legend_below, palette, style_axes, thousands


def _full_years(series, start, end):
    """The series on every year from start to end, NaN where there is no figure (so lines break)."""
    frame = series.set_index("year")["value_usd_m"].astype("float64")
    return frame.reindex(range(int(start), int(end) + 1))


def _pack(centres, widths, left, right, gap):
    """Label centres as close to ``centres`` (sorted) as the labels' ``widths`` allow in one row between ``left``
    and ``right`` with ``gap`` between labels; None when they do not fit (all in display pixels)."""
    if sum(widths) + gap * (len(widths) - 1) > right - left:
        return None
    lefts = [min(max(c - w / 2, left), right - w) for c, w in zip(centres, widths)]
    for i in range(1, len(lefts)):  # push right past the previous label
        lefts[i] = max(lefts[i], lefts[i - 1] + widths[i - 1] + gap)
    for i in range(len(lefts) - 1, -1, -1):  # then back left to stay inside
        limit = right - widths[i] if i == len(lefts) - 1 else lefts[i + 1] - gap - widths[i]
        lefts[i] = min(lefts[i], limit)
    return [lo + w / 2 for lo, w in zip(lefts, widths)]


def label_milestones(ax, milestones, fontsize=7.5):
    """A light dashed line at each milestone (``vnru.analysis.timeline.milestones``, in date order) and its label
    in one row above the axes: each as near its line as the others allow, tied to it by a thin leader, none
    covering another or leaving the axes' width (the font shrinks until all fit). Returns the height in points
    the labels take above the axes (0 without milestones)."""
    if milestones is None or not len(milestones):
        return 0
    renderer = ax.figure.canvas.get_renderer()
    frame, points = ax.get_window_extent(renderer), ax.figure.dpi / 72
    lines = [ax.transData.transform((x, 0))[0] for x in milestones["x"]]
    for x in milestones["x"]:
        ax.axvline(x, color=palette.LEADER, linestyle="--", linewidth=0.7, zorder=0)
    rise = 12  # points between the top of the axes and the labels' bottom: room for the leaders to slant
    while True:
        texts = [ax.annotate(label, (x, 1.0), xycoords=("data", "axes fraction"), xytext=(0, rise),
                             textcoords="offset points", ha="center", va="bottom", fontsize=fontsize,
                             color=palette.TEXT, linespacing=1.1, annotation_clip=False)
                 for x, label in zip(milestones["x"], milestones["label"])]
        boxes = [t.get_window_extent(renderer) for t in texts]
        centres = _pack(lines, [b.width for b in boxes], frame.x0, frame.x1, 6 * points)
        if centres is not None or fontsize <= 5:
            break
        for t in texts:
            t.remove()
        fontsize -= 0.5
    centres = centres or lines
    for text, x, line, centre in zip(texts, milestones["x"], lines, centres, strict=True):
        text.xyann = ((centre - line) / points, rise)
        ax.annotate("", (x, 1.0), xycoords=("data", "axes fraction"), xytext=((centre - line) / points, rise - 1),
                    textcoords="offset points", annotation_clip=False,
                    arrowprops={"arrowstyle": "-", "color": palette.LEADER, "lw": 0.7, "shrinkA": 0, "shrinkB": 0})
    return rise + max(b.height for b in boxes) / points


def plot_series(ax, series, start, end, others=None, milestones=None, sources=None, data_dir=None):
    """Two-way trade by reporter: one line per reporter, broken where a year has no figure; partial
    years hollow; every other reported full-year figure as a grey dot (the conflicts stay visible); the
    ``milestones`` labelled (:func:`label_milestones`)."""
    ids = list(series["source_id"])
    if others is not None and len(others):
        ax.scatter(others["year"], others["value_usd_m"], s=14, color=COLORS["muted"], zorder=2,
                   label="other reported figures")
        ids += list(others["source_id"])
    for reporter, part in series.groupby("reporter", sort=False):
        full = part[~part["partial"]]
        line = _full_years(full, start, end)
        ax.plot(line.index, line.values, marker="o", markersize=4, color=COLORS[reporter],
                label=REPORTER_LABEL[reporter], zorder=3)
        if "break_before" in full and full["break_before"].any():
            cut = full[full["break_before"]]
            ax.scatter(cut["year"], cut["value_usd_m"], marker="x", s=60, color=palette.MARK, zorder=5,
                       label="series break (source switch with a jump the other reporter does not show)")
        partial = part[part["partial"]]
        if len(partial):
            ax.scatter(partial["year"], partial["value_usd_m"], s=30, facecolors=palette.HOLLOW,
                       edgecolors=COLORS[reporter], zorder=4, label=f"{reporter}: partial year (months < 12)")
    ax.set_xlim(start - 0.5, end + 0.5)
    ax.set_ylim(bottom=0)
    above = label_milestones(ax, milestones)
    title = f"Vietnam–Russia two-way trade in goods, {start}–{end}"
    style_axes(ax, None, "Year", "Two-way trade (USD millions)")
    thousands(ax)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=8 + above)  # above the milestone labels
    legend_below(ax)
    note = "Line breaks = no sourced figure for that year."
    return add_source_line(ax, ids, data_dir=data_dir, sources=sources, note=note)


def plot_yoy(ax, growth, sources=None, data_dir=None):
    """Year-on-year growth computed from the figures (bars) beside the growth the sources state
    (markers); a black ring marks a stated rate that the figures do not support beyond rounding."""
    reporters = list(dict.fromkeys(growth["reporter"]))
    width = 0.8 / max(len(reporters), 1)
    for i, reporter in enumerate(reporters):
        g = growth[growth["reporter"] == reporter]
        x = g["year"].astype(float) + (i - (len(reporters) - 1) / 2) * width
        across = g["break_before"].fillna(False).astype(bool).to_numpy() if "break_before" in g else \
            np.zeros(len(g), dtype=bool)
        ax.bar(x[~across], g.loc[~across, "yoy_computed_pct"], width=width, color=COLORS[reporter], alpha=0.8,
               label=f"{REPORTER_LABEL[reporter]}: computed")
        if across.any():  # growth across a series break compares two sources' levels, not two years
            ax.bar(x[across], g.loc[across, "yoy_computed_pct"], width=width, facecolor=palette.HOLLOW, hatch="///",
                   edgecolor=COLORS[reporter], label=f"{REPORTER_LABEL[reporter]}: across a series break")
        stated = g["yoy_pct"].notna()
        ax.scatter(x[stated], g.loc[stated, "yoy_pct"], marker="D", s=18, color=palette.MARK, zorder=3,
                   label="stated by the source" if i == 0 else None)
        bad = g["yoy_disagrees"].fillna(False).astype(bool)
        ax.scatter(x[bad], g.loc[bad, "yoy_pct"], s=90, facecolors="none", edgecolors=palette.MARK,
                   linewidths=1.5, zorder=4, label="stated ≠ computed" if i == 0 and bad.any() else None)
    ax.axhline(0, color=palette.RULE, linewidth=0.8)
    style_axes(ax, "Year-on-year growth of two-way trade", "Year", "Growth over the previous year (%)")
    legend_below(ax)
    note = "Bars only where both years have a full-year figure."
    return add_source_line(ax, growth["source_id"], data_dir=data_dir, sources=sources, note=note)


def plot_flows(ax, balance, reporter, sources=None, data_dir=None):
    """Vietnam's exports and imports (bars) and its balance (line) for years where one reporter
    gives both flows."""
    b = balance[balance["reporter"] == reporter]
    if "matches_total" in b:  # a split from another document that does not add up to the headline total
        b = b[b["matches_total"]]
    x = b["year"].astype(float)
    ax.bar(x - 0.2, b["exports_usd_m"], width=0.4, color=COLORS["vn_exports"], label=FLOW_NAMES["vn_exports"])
    ax.bar(x + 0.2, b["imports_usd_m"], width=0.4, color=COLORS["vn_imports"], label=FLOW_NAMES["vn_imports"])
    line = _full_years(b.rename(columns={"balance_usd_m": "value_usd_m"}), x.min(), x.max()) if len(b) else b
    ax.plot(line.index, line.values, marker="o", color=COLORS["balance"], linestyle=":",
            label="balance (exports − imports); breaks = no figure")
    ax.axhline(0, color=palette.RULE, linewidth=0.8)
    thousands(ax)
    style_axes(ax, f"Vietnam's exports, imports and balance ({REPORTER_LABEL[reporter]})", "Year",
               "USD millions")
    legend_below(ax)
    ids = list(b["source_id_exports"]) + list(b["source_id_imports"])
    note = "Full years only; a split that does not add up to the year's headline total is left out (see table)."
    return add_source_line(ax, ids, data_dir=data_dir, sources=sources, note=note)


def plot_mirror_gap(ax, gap, sources=None, data_dir=None):
    """How much higher Russia's figure is than Vietnam's for the same year (% of Vietnam's figure): each bar
    labelled with its own value in its own unit (%), coloured by whose statistics give the higher figure; the gap
    in USD millions is the table's."""
    from matplotlib.patches import Patch

    colors = np.where(gap["gap_pct"] >= 0, COLORS["RU"], COLORS["VN"])
    bars = ax.bar(gap["year"].astype(float), gap["gap_pct"], color=colors, width=0.7)
    for rect, pct in zip(bars, gap["gap_pct"], strict=True):
        height = rect.get_height()
        ax.annotate(f"{pct:+.0f}%", (rect.get_x() + rect.get_width() / 2, height), xytext=(0, 2 if height >= 0 else -2),
                    textcoords="offset points", ha="center", va="bottom" if height >= 0 else "top",
                    fontsize=7, color=palette.TEXT)
    ax.margins(y=0.15)
    ax.axhline(0, color=palette.RULE, linewidth=0.8)
    style_axes(ax, "Mirror gap: Russia's figure minus Vietnam's, same year", "Year",
               "Gap (% of Vietnam's figure)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    legend_below(ax, [Patch(color=COLORS["RU"], label=f"{REPORTER_LABEL['RU']} give the higher figure"),
                      Patch(color=COLORS["VN"], label=f"{REPORTER_LABEL['VN']} give the higher figure")], ncol=2)
    ids = list(gap["source_id_vn"]) + list(gap["source_id_ru"])
    note = "Numbers on bars: the gap in % of Vietnam's figure (in USD millions: the table under the chart)."
    return add_source_line(ax, ids, data_dir=data_dir, sources=sources, note=note)


__all__ = [
    "REPORTER_LABEL", "label_milestones", "plot_flows", "plot_mirror_gap", "plot_series", "plot_yoy",
]
