"""People-to-people charts: arrivals by year with every conflicting figure, figures over time, estimates as
ranges and conflicting claims side by side.

Each function draws on a matplotlib Axes, sets a title and axis labels with units, writes the source line
from the rows it drew, and returns the Axes.
"""

import re
import textwrap

import numpy as np
from matplotlib.patches import Patch

from vnru.data.citations import describe
from vnru.data.conventions import is_hedged
from vnru.report.chartdata import attach
from vnru.report.plots.common import (
    add_source_line,
    legend_below,
    palette,
    style_axes,
    thousands,
    value_grid,
    year_axis,
)

# by meaning (vnru.report.palette): the headline figure, a hatched hollow bar for part of a year, an event's span
FULL, PARTIAL, EVENT = palette.HEADLINE, palette.HEADLINE, palette.EVENT_SPAN
OBSERVED = ["indicator", "when", "year", "months", "as_of", "as_of_precision", "value_low", "value_high", "qualifier",
            "unit", "source_id"]  # the columns of a figure a people chart draws, as its download gives them


def _year_ticks(ax, first, last):
    """A tick on every year; upright when they fit, else turned (returns whether they were turned)."""
    return year_axis(ax, first, last, margin=None, every_year=None, turn_after=14, labelsize=8)


def _legend_below(ax, handles=None, ncol=3, turned=False):
    """Legend under the x-axis label (lower still when the year labels are turned), never over data."""
    legend_below(ax, handles, ncol=ncol, below=0.22 if turned else 0.13)


def _label_rows(ax, spans, min_gap_pt=6.0, font_pt=7.5):
    """Place each (x0, x1, text) label above the axes in the first row where it does not touch the one
    before it; returns the number of rows used (labels never overlap)."""
    lo, hi = ax.get_xlim()
    per_pt = (hi - lo) / (ax.get_position().width * ax.figure.get_size_inches()[0] * 72)
    ends = []
    for x0, x1, text in spans:
        centre = (x0 + x1) / 2
        half = len(text) * font_pt * 0.3 * per_pt  # a character is about 0.6 of the font size wide
        row = next((k for k, end in enumerate(ends) if centre - half >= end + min_gap_pt * per_pt), len(ends))
        if row == len(ends):
            ends.append(-np.inf)
        ends[row] = centre + half
        ax.annotate(text, (centre, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 3 + 11 * row),
                    textcoords="offset points", ha="center", va="bottom", fontsize=font_pt, color=palette.EVENT_TEXT)
    return len(ends)


def plot_arrivals(ax, frame, start, end, events=None, unit="arrivals", title="Russian visitor arrivals in Vietnam",
                  sources=None, data_dir=None):
    """One bar per reported figure: full years solid, side by side where sources disagree; a year with no
    full-year figure shows its longest partial period as a hatched hollow bar labelled with the months;
    a year with no figure at all stays empty. ``events`` (``vnru.analysis.people.events``) are shaded spans."""
    full = frame[frame["months"] == 12]
    partial = frame[(frame["months"] < 12) & ~frame["year"].isin(full["year"])]
    partial = partial[partial["months"] == partial.groupby("year")["months"].transform("max")]
    shown = frame.loc[list(full.index) + list(partial.index)].sort_values(["year", "headline", "source_id"],
                                                                           ascending=[True, False, True])
    ax.set_xlim(start - 0.6, end + 0.6)
    spans = []
    if events is not None:
        for _, e in events.iterrows():
            x0, x1 = max(e["start_year"], start) - 0.45, min(e["end_year"], end) + 0.45
            if x1 > x0:
                ax.axvspan(x0, x1, color=EVENT, alpha=0.6, zorder=0, linewidth=0)
                spans.append((x0, x1, e["label"]))
    ids = []
    for year, group in shown.groupby("year"):
        width = 0.8 / len(group)
        for i, (_, row) in enumerate(group.iterrows()):
            x = year - 0.4 + width * (i + 0.5)
            hedged = is_hedged(row["qualifier"])
            if row["partial"]:
                ax.bar(x, row["value"], width=width * 0.92, facecolor=palette.HOLLOW, edgecolor=PARTIAL, hatch="////",
                       linewidth=1.0, zorder=2)
                ax.annotate(row["when"].rsplit(" ", 1)[0], (x, row["value"]), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom", rotation=90, fontsize=7,
                            color=palette.TEXT)
            else:
                ax.bar(x, row["value"], width=width * 0.92, color=FULL if row["headline"] else palette.ALTERNATIVE,
                       edgecolor=palette.MARK if hedged else "none", linewidth=0.8 if hedged else 0, zorder=2)
            ids.append(row["source_id"])
    turned = _year_ticks(ax, start, end)
    top = float(shown["value"].max()) if len(shown) else 1.0
    ax.set_ylim(0, top * 1.2)  # room for the months written above a partial bar, inside the axes
    thousands(ax)
    rows = _label_rows(ax, spans)
    style_axes(ax, None, "Year", f"Russian visitor arrivals ({unit} per year or period)")
    ax.set_title(f"{title}, {start}–{end}", loc="left", fontsize=12, fontweight="bold", pad=8 + 11 * rows)
    hedged_any = is_hedged(shown["qualifier"]).any()
    handles = [Patch(color=FULL, label="full year: headline figure")]
    if (~shown["headline"] & ~shown["partial"]).any():
        handles.append(Patch(color=palette.ALTERNATIVE, label="full year: another source's figure"))
    if shown["partial"].any():
        handles.append(Patch(facecolor=palette.HOLLOW, edgecolor=PARTIAL, hatch="////", label="partial year (months labelled)"))
    if hedged_any:
        handles.append(Patch(facecolor=palette.HOLLOW, edgecolor=palette.MARK, label="outlined: hedged (about, more than, ...)"))
    if spans:
        handles.append(Patch(color=EVENT, alpha=0.6, label="event named in the data"))
    _legend_below(ax, handles, turned=turned)
    note = "Empty years: no sourced figure (never filled in)."
    event_ids = [s for ids_ in (events["source_ids"] if events is not None else []) for s in ids_]
    return add_source_line(ax, ids + event_ids, data_dir=data_dir, sources=sources, note=note)


def plot_growth(ax, growth, title="Russian arrivals: growth over the previous full year", sources=None,
                data_dir=None):
    """Growth computed from the headline figures (bars, only where both years are full years) beside the
    growth a source states (black diamonds); hatched bars where either year's figures conflict."""
    g = growth[growth["yoy_computed_pct"].notna()]
    colors = [palette.SIGN[v >= 0] for v in g["yoy_computed_pct"]]
    ax.bar(g["year"].astype(float), g["yoy_computed_pct"], color=colors, width=0.7, zorder=2,
           hatch=["//" if c else "" for c in g["conflict"]], edgecolor=palette.HOLLOW)
    for x, v in zip(g["year"], g["yoy_computed_pct"]):
        ax.annotate(f"{v:+.0f}%", (x, v), xytext=(0, 4 if v >= 0 else -4), textcoords="offset points",
                    ha="center", va="bottom" if v >= 0 else "top", fontsize=7, color=palette.TEXT)
    handles = [Patch(color=palette.POSITIVE, label="rise (computed from the figures)"),
               Patch(color=palette.NEGATIVE, label="fall (computed from the figures)"),
               Patch(facecolor=palette.MUTED_TEXT, edgecolor=palette.HOLLOW, hatch="//", label="a year's sources disagree")]
    ids = list(g["source_id"])
    if "stated_yoy_pct" in growth:
        st = growth[growth["stated_yoy_pct"].notna()]
        if len(st):
            handles.append(ax.scatter(st["year"], st["stated_yoy_pct"], marker="D", s=22, color=palette.MARK, zorder=3,
                                      label="stated by a source"))
            ids += list(st["stated_source_id"])
            bad = st[st["yoy_disagrees"].fillna(False).astype(bool)]
            if len(bad):
                handles.append(ax.scatter(bad["year"], bad["stated_yoy_pct"], s=80, facecolors="none", zorder=4,
                                          edgecolors=palette.MARK, linewidths=1.5,
                                          label="stated ≠ computed (beyond rounding)"))
    ax.axhline(0, color=palette.RULE, linewidth=0.8)
    ax.margins(y=0.15)
    years, turned = growth["year"], False
    if len(years):
        ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        turned = _year_ticks(ax, years.min(), years.max())
    style_axes(ax, title, "Year", "Growth over the previous year (%)")
    _legend_below(ax, handles, ncol=4, turned=turned)
    return add_source_line(ax, ids, data_dir=data_dir, sources=sources,
                           note="No bar where the previous year has no full-year figure.")


def plot_observations(ax, obs, title, ylabel, sources=None, data_dir=None, cite=True):
    """Figures of one indicator over time: a dot at each date, a line across the months a period covers;
    hollow = hedged. Returns the Axes (the source line is written once per figure when ``cite``)."""
    attach(ax, obs, OBSERVED)
    for _, row in obs.iterrows():
        color = palette.HEADLINE  # the figures of one indicator, as stated (none is an alternative)
        face = palette.HOLLOW if row["hedged"] else color
        if row["kind"] == "period":
            x0 = float(row["year"])
            ax.plot([x0, x0 + row["months"] / 12], [row["value_low"]] * 2, color=color, linewidth=2, zorder=2)
        ax.scatter(row["x"], row["value_low"], s=36, facecolors=face, edgecolors=color, zorder=3)
        if not np.isnan(row["value_high"]):
            ax.vlines(row["x"], row["value_low"], row["value_high"], color=color, linewidth=1.5)
    if len(obs):
        lo, hi = np.floor(obs["x"].min()), np.ceil(obs["x"].max())
        ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_ylim(bottom=0, top=max(1.0, float(obs[["value_low", "value_high"]].max().max())) * 1.2)
    thousands(ax)
    style_axes(ax, title, "Year (dot: as-of date or middle of the period)", ylabel)
    if cite:
        add_source_line(ax, obs["source_id"], data_dir=data_dir, sources=sources,
                        note="Filled dot: figure as stated; hollow: hedged (about, more than). Line: the period.")
    return ax


def _source_names(frame, sources):
    meta = sources.set_index("source_id") if sources is not None else None
    if meta is None:
        return list(frame["source_id"])
    return [describe(meta.loc[s]) if s in meta.index else s for s in frame["source_id"]]


def _finish_bars(ax, title, xlabel, source_ids, data_dir, sources, note):
    """Title, thousands on the value axis, vertical grid only, and the source line of a horizontal bar chart."""
    thousands(ax, "x")
    style_axes(ax, title, xlabel, None)
    value_grid(ax, "x")
    return add_source_line(ax, source_ids, data_dir=data_dir, sources=sources, note=note)


def plot_ranges(ax, rng, title="Vietnamese community in Russia: estimates", unit="people", sources=None,
                data_dir=None):
    """One line per estimate (newest at the top): a bar from low to high for a range, a dot for a single
    figure, labelled with the figure and the source's date."""
    rng = rng.sort_values(["x", "source_id"]).reset_index(drop=True)
    attach(ax, rng, OBSERVED)
    y = np.arange(len(rng))
    for i, row in rng.iterrows():
        if row["is_range"]:
            ax.plot([row["low"], row["high"]], [i, i], color=palette.HEADLINE, linewidth=6, solid_capstyle="butt")
        else:
            ax.scatter(row["low"], i, s=50, facecolors=palette.HOLLOW if row["hedged"] else palette.HEADLINE,
                       edgecolors=palette.HEADLINE, zorder=3)
        ax.annotate(row["figure"], (row["high"], i), xytext=(8, 0), textcoords="offset points", va="center",
                    fontsize=8)
    ax.set_yticks(y, [f"{w}\n{n}" for w, n in zip(rng["when"], _source_names(rng, sources))], fontsize=8)
    top = float(rng["high"].max()) if len(rng) else 1.0
    ax.set_xlim(0, top * 1.35)
    ax.set_ylim(-0.7, len(rng) - 0.3)
    return _finish_bars(ax, title, f"Estimated size ({unit})", rng["source_id"], data_dir, sources,
                        "Bar: a range the source gives; dot: a single figure (hollow = hedged).")


def counted(note) -> str:
    """What a claim counts, in full and short enough to label its bar: the note's first clause (up to "; ", ": "
    or ", per ..."), without the word "Counts" and without a parenthesis the cut left open; never cut mid-phrase
    with an ellipsis (the whole note is in the table under the chart)."""
    text = re.split(r"; |: |, per ", str(note).strip(), maxsplit=1)[0].rstrip(". ")
    if text.count("(") > text.count(")"):
        text = text[:text.rfind(" (")]
    text = re.sub(r"^Counts ", "", text)
    return text[:1].upper() + text[1:]


def plot_claims(ax, cl, title="People trained in the USSR/Russia: conflicting claims", unit="people",
                sources=None, data_dir=None, wrap=48):
    """The claims side by side as horizontal bars, smallest at the top, each labelled with what it counts
    (from the row's note) and the figure as hedged."""
    cl = cl.reset_index(drop=True)
    y = np.arange(len(cl))[::-1]
    ax.barh(y, cl["value_low"], color=[palette.HOLLOW if h else palette.HEADLINE for h in cl["hedged"]],
            edgecolor=palette.HEADLINE, height=0.6)
    for yi, (_, row) in zip(y, cl.iterrows()):
        ax.annotate(f"{row['figure']} ({row['when']})", (row["value_low"], yi), xytext=(5, 0),
                    textcoords="offset points", va="center", fontsize=8)
    labels = ["\n".join(textwrap.wrap(counted(c), wrap)) for c in cl["counts"]]
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlim(0, float(cl["value_low"].max()) * 1.45 if len(cl) else 1)
    return _finish_bars(ax, title, f"Claimed total ({unit})", cl["source_id"], data_dir, sources,
                        "Hollow: hedged figure (about, nearly, more than). The claims count different things.")

__all__ = [
    "EVENT", "FULL", "PARTIAL", "counted", "plot_arrivals", "plot_claims", "plot_growth", "plot_observations", "plot_ranges",
]
