"""Context charts for trade_context: Vietnam's trade with its main partners (small multiples, Russia
highlighted), Russia's share of Vietnam's trade, ranks stated and computed, Russia's trade with ASEAN members.

Each function draws the rows it is given (headline figures of ``vnru.analysis.partners``), sets titles and
axis units, writes the source line from those rows and returns the axes. Full years are filled markers joined
by a line only between consecutive years; partial years are hollow markers, never joined to full years.
"""

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from vnru.data.countries import name
from vnru.report.chartdata import attach
from vnru.report.plots.common import add_source_line, new_axes, palette, style_axes

__all__ = ["FLOW_MARKERS", "RANK_NOTE", "plot_asean", "plot_partner_grid", "plot_ranks", "plot_share"]

# a country's flows with a partner: the same colours as Vietnam's flows with Russia (vnru.report.palette)
FLOW_MARKERS = {"total": ("o", palette.TOTAL), "exports": ("^", palette.EXPORTS), "imports": ("v", palette.IMPORTS)}
HIGHLIGHT, OTHER = palette.HIGHLIGHT, palette.CONTEXT


def _runs(years):
    """Consecutive runs of years (a gap year breaks the line)."""
    runs, current = [], []
    for y in sorted(years):
        if current and y != current[-1] + 1:
            runs.append(current)
            current = []
        current.append(y)
    return runs + ([current] if current else [])


def _series(ax, rows, color, marker, scale=1.0, label=None):
    """Full years filled and joined within runs; partial years hollow and apart."""
    full = rows[~rows["partial"]].sort_values("year")
    part = rows[rows["partial"]]
    values = dict(zip(full["year"].astype(int), full["value"] / scale, strict=True))
    for run in _runs(values):
        ax.plot(run, [values[y] for y in run], color=color, linewidth=1.4, zorder=2)
    ax.scatter(list(values), list(values.values()), color=color, marker=marker, s=26, zorder=3, label=label)
    if len(part):
        ax.scatter(part["year"].astype(int), part["value"] / scale, facecolors=palette.HOLLOW, edgecolors=color,
                   marker=marker, s=26, linewidths=1.2, zorder=3)


def plot_partner_grid(frame, partners, highlight="RUS", start=None, end=None, sources=None, data_dir=None):
    """Small multiples: one panel per partner (each with its own y-scale, in USD bn), every flow Vietnam's
    statistics give for it (``frame``: headline rows of one reporter and country). Returns the figure."""
    ncols = 3 if len(partners) > 4 else max(len(partners), 1)
    nrows = int(np.ceil(len(partners) / ncols))
    fig, axes = new_axes(11, 2.5 * nrows + 1.2, nrows, ncols, squeeze=False)
    first = int(start if start is not None else frame["year"].min())
    last = int(end if end is not None else frame["year"].max())
    for ax, code in zip(axes.flat, partners, strict=False):
        mine = frame[frame["partner"] == code]
        attach(ax, mine.sort_values(["flow", "year", "from_month", "months"]),
               ["partner", "flow", "year", "from_month", "months", "value_usd_m", "qualifier", "partial", "conflict",
                "reporter", "source_id"])
        for flow, (marker, color) in FLOW_MARKERS.items():
            rows = mine[mine["flow"] == flow].rename(columns={"value_usd_m": "value"})
            if len(rows):
                _series(ax, rows, HIGHLIGHT if code == highlight else color, marker, scale=1000)
        style_axes(ax)
        label = name(code)
        ax.set_title(label[:1].upper() + label[1:], loc="left", fontsize=10,
                     fontweight="bold", color=HIGHLIGHT if code == highlight else palette.TEXT)
        ax.set_xlim(first - 0.8, last + 0.8)
        ax.set_ylim(bottom=0)
        ax.tick_params(labelsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        if code == highlight:
            for side in ("left", "bottom"):
                ax.spines[side].set_color(HIGHLIGHT)
        if mine.empty:
            ax.text(0.5, 0.5, "no figure in the window", transform=ax.transAxes, ha="center", color=palette.MUTED_TEXT)
    for ax in list(axes.flat)[len(partners):]:
        ax.set_visible(False)
    for ax in axes.flat:
        ax.set_ylabel("USD bn", fontsize=8)
    fig.suptitle("Vietnam's trade with its main partners (Vietnam's statistics; each panel its own scale)",
                 x=0.01, ha="left", fontsize=12, fontweight="bold")
    handles = [Line2D([], [], color=c, marker=m, linestyle="", label=f) for f, (m, c) in FLOW_MARKERS.items()]
    handles.append(Line2D([], [], color=palette.MUTED_TEXT, marker="o", markerfacecolor=palette.HOLLOW, linestyle="",
                          label="part of a year (hollow)"))
    add_source_line(axes[0][0], frame["source_id"], sources=sources, data_dir=data_dir,
                    note="Full years filled and joined only across consecutive years; hollow = part of a year.")
    height = fig.get_size_inches()[1]
    fig.subplots_adjust(top=1 - 0.95 / height, hspace=0.45)
    fig.legend(handles=handles, loc="upper left", ncol=4, fontsize=8, frameon=False,
               bbox_to_anchor=(0.005, 1 - 0.38 / height))
    return fig


def plot_share(ax, share, sources=None, data_dir=None, who="Russia", whose="Vietnam's"):
    """A partner's share of a country's trade (``vnru.analysis.partners.shares``), per flow, in percent."""
    for flow, (marker, color) in FLOW_MARKERS.items():
        rows = share[share["flow"] == flow].rename(columns={"share_pct": "value"})
        if len(rows):
            _series(ax, rows, color, marker, label=flow)
    style_axes(ax, f"{who}'s share of {whose} trade (derived)", "year", "share of the world total (%)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max(1.0, float(share["share_pct"].max()) * 1.25) if len(share) else 1.0)
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.1f} %")
    handles = [Line2D([], [], color=c, marker=m, linestyle="", label=f) for f, (m, c) in FLOW_MARKERS.items()
               if (share["flow"] == f).any()]
    handles.append(Line2D([], [], color=palette.MUTED_TEXT, marker="o", markerfacecolor=palette.HOLLOW, linestyle="",
                          label="part of a year"))
    ax.legend(handles=handles, loc="upper right", fontsize=8, frameon=False)
    ids = list(share["source_id"]) + list(share["world_source_id"])
    return add_source_line(ax, ids, sources=sources, data_dir=data_dir,
                           note="Partner figure over the same reporter's world total for the same period.")


def _scope_tag(label: str) -> str:
    """A short tag for a stated rank's scope: 'ASEAN', 'APEC', 'world', 'all partners' ..."""
    for word in ("ASEAN", "APEC", "Europe", "EU", "CIS"):
        if word in label:
            return word
    return "world" if "worldwide" in label else "all partners"


def plot_ranks(ax, ranks, title="Ranks stated and computed", cite=True, sources=None, data_dir=None):
    """Ranks over time, up = better: stated ranks filled with a short tag of their scope (left), computed ones
    hollow with the field size "of N" (right; among the partners with a figure). ``ranks``:
    ``vnru.analysis.partners.rank_points``. ``cite=False`` leaves the source line to the caller."""
    styles = {"stated": {"color": HIGHLIGHT, "marker": "o"},
              "computed": {"facecolors": palette.HOLLOW, "edgecolors": HIGHLIGHT, "marker": "s", "linewidths": 1.3}}
    for kind, style in styles.items():
        rows = ranks[ranks["kind"] == kind]
        ax.scatter(rows["x"], rows["rank"], s=40, zorder=3, label=kind, **style)
    done = set()
    for _, r in ranks.iterrows():
        stated = r["kind"] == "stated"
        text = _scope_tag(r["label"]) if stated else "of " + r["label"].split(" of ")[-1].split(" ")[0]
        if (r["x"], r["rank"], text) in done:
            continue
        done.add((r["x"], r["rank"], text))
        ax.annotate(text, (r["x"], r["rank"]), xytext=(-6 if stated else 6, 0), textcoords="offset points",
                    fontsize=7, va="center", ha="right" if stated else "left", color=palette.TEXT)
    style_axes(ax, title, "year", "rank (1 = largest)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = int(ranks["rank"].max()) if len(ranks) else 5
    ax.set_ylim(top + 1.5, 0.3)
    if len(ranks):
        ax.set_xlim(ranks["x"].min() - 1.6, ranks["x"].max() + 1.6)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if cite:
        add_source_line(ax, [i for ids in ranks["source_ids"] for i in ids], sources=sources, data_dir=data_dir,
                        note=RANK_NOTE)
    return ax


RANK_NOTE = "Filled: a rank a source states (its scope); hollow: computed among the N partners with a figure."


def plot_asean(ax, rows, subject="VNM", sources=None, data_dir=None):
    """Russia's trade with ASEAN members by year (one reporter's figures, one per member and year:
    ``vnru.analysis.partners.longest_periods``), the subject in colour, partial years hatched and labelled
    with their months."""
    years = sorted(rows["year"].unique())
    members = sorted(set(rows["partner"]), key=lambda c: (c != subject, c))
    width = 0.8 / max(len(members), 1)
    for k, code in enumerate(members):
        mine = rows[rows["partner"] == code]
        for _, r in mine.iterrows():
            x = years.index(r["year"]) - 0.4 + width * (k + 0.5)
            color = HIGHLIGHT if code == subject else OTHER
            ax.bar(x, r["value_usd_m"] / 1000, width * 0.92, color=palette.HOLLOW if r["partial"] else color,
                   edgecolor=color, hatch="//" if r["partial"] else None, linewidth=1.1)
            text = name(code) + ("" if not r["partial"] else f"\n{_months(r['from_month'], r['months'])}")
            ax.annotate(text, (x, r["value_usd_m"] / 1000), xytext=(0, 2), textcoords="offset points",
                        ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(years)), [str(int(y)) for y in years])
    style_axes(ax, "Russia's trade with ASEAN members (Russia's statistics)", "year", "USD bn")
    ax.set_ylim(0, float(rows["value_usd_m"].max()) / 1000 * 1.3 if len(rows) else 1)
    return add_source_line(ax, rows["source_id"], sources=sources, data_dir=data_dir,
                           note="Hatched: part of a year (months shown). Members without a figure are not drawn.")


def _months(first, last) -> str:
    import calendar

    first, last = calendar.month_abbr[int(first)], calendar.month_abbr[int(last)]
    return first if first == last else f"{first}–{last}"
