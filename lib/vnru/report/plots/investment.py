"""Investment charts: rank and percentile over time, capital and projects, the investor league.

``draw_*`` functions draw on a given Axes and return it; ``*_figure`` functions build a whole
figure with its title, axis units and source line, and return ``(fig, axes)``.
"""

import matplotlib.dates as mdates
import pandas as pd

from vnru.report.chartdata import attach
from vnru.report.formats import billions, month_year
from vnru.report.labels import DIRECTION_COLORS, DIRECTION_LABELS, QUALIFIER_SYMBOLS, hedge_symbol
from vnru.report.plots.common import add_source_line, integer_ticks, new_axes, palette, style_axes, value_grid


def russian_side(authority) -> bool:
    """True when investment.csv credits the figure to the Russian side (authority says so)."""
    return isinstance(authority, str) and "(russian side" in authority.lower()


def _date_axis(ax):
    ax.xaxis.set_major_locator(mdates.YearLocator(2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    return ax


def draw_rank(ax, ranking: pd.DataFrame):
    """Rank over time per direction, axis inverted (1 at the top); points labelled rank/field."""
    for direction, rows in ranking.groupby("direction", sort=True):
        rows = rows.sort_values("as_of")
        color = DIRECTION_COLORS[direction]
        ax.plot(rows["as_of"], rows["rank"].astype(float), marker="o", color=color, lw=1.5,
                label=DIRECTION_LABELS[direction])
        previous, last_date, last_rank = None, None, None
        for _, row in rows.iterrows():
            below = last_rank is not None and row["rank"] > last_rank  # worse than before: label under
            last_rank = row["rank"]
            field = "?" if pd.isna(row["rank_of"]) else int(row["rank_of"])
            text = f"{int(row['rank'])}/{field}"
            crowded = last_date is not None and (row["as_of"] - last_date).days < 180
            if text != previous and not crowded:  # one label per change, none too close together
                ax.annotate(text, (row["as_of"], float(row["rank"])), textcoords="offset points",
                            xytext=(0, -13 if below else 7), ha="center", fontsize=7.5, color=color)
                previous, last_date = text, row["as_of"]
    ax.invert_yaxis()
    low, high = ax.get_ylim()
    ax.set_ylim(low + 1.5, max(high - 2.5, 0.5))
    integer_ticks(ax, "y")
    style_axes(ax, None, None, "Rank (1 = largest; up is better)")
    return _date_axis(ax)


def draw_percentile(ax, ranking: pd.DataFrame):
    """Percentile (share of the rest of the field ranked below) over time; 100 = first place."""
    for direction, rows in ranking[ranking["percentile"].notna()].groupby("direction", sort=True):
        rows = rows.sort_values("as_of")
        ax.plot(rows["as_of"], rows["percentile"], marker="s", color=DIRECTION_COLORS[direction],
                lw=1.5, label=DIRECTION_LABELS[direction])
    ax.set_ylim(0, 105)
    style_axes(ax, None, "Date of the reported stock", "Percentile (% of field ranked below)")
    return _date_axis(ax)


def _scatter(ax, hist: pd.DataFrame, column: str, scale=1.0, line=False):
    """Points per direction: hollow = hedged capital, diamond = credited to the Russian side."""
    for direction, rows in hist[hist[column].notna()].groupby("direction", sort=True):
        rows = rows.sort_values("as_of")
        color = DIRECTION_COLORS[direction]
        if line:
            ax.plot(rows["as_of"], rows[column].astype(float) / scale, color=color, lw=1, alpha=0.5)
        for _, row in rows.iterrows():
            hollow = column == "capital_usd_m" and bool(row["hedged"])
            ax.plot(row["as_of"], float(row[column]) / scale, linestyle="none",
                    marker="D" if russian_side(row["authority"]) else "o", markersize=6,
                    markerfacecolor=palette.HOLLOW if hollow else color, markeredgecolor=color)
        ax.plot([], [], marker="o", color=color, linestyle="none", label=DIRECTION_LABELS[direction])
    return ax


def draw_capital(ax, hist: pd.DataFrame):
    """Reported registered capital (USD billions), every report as its own point: conflicts stay visible."""
    _scatter(ax, hist, "capital_usd_m", scale=1000.0)
    ax.plot([], [], marker="o", markerfacecolor=palette.HOLLOW, markeredgecolor=palette.MUTED_TEXT, linestyle="none",
            label="hedged figure (about / nearly / more than)")
    ax.plot([], [], marker="D", color=palette.MUTED_TEXT, linestyle="none", label="credited to the Russian side")
    ax.set_ylim(0, hist["capital_usd_m"].max() / 1000.0 * 1.25)
    style_axes(ax, None, None, "Registered capital, USD billions")
    return _date_axis(ax)


def draw_projects(ax, hist: pd.DataFrame):
    """Reported number of valid projects over time."""
    _scatter(ax, hist, "projects", line=True)
    ax.set_ylim(bottom=0)
    style_axes(ax, None, "Date of the reported stock", "Valid projects (count)")
    return _date_axis(ax)


def rank_figure(ranking: pd.DataFrame, title: str, data_dir=None, sources=None):
    """Two panels: rank (inverted) and percentile over time, with the source line."""
    fig, (top, bottom) = new_axes(10, 7.5, nrows=2, sharex=True)
    draw_rank(top, ranking)
    draw_percentile(bottom, ranking)
    top.set_title(title, loc="left", fontsize=12, fontweight="bold")
    bottom.legend(loc="lower right", fontsize=8, frameon=False)
    add_source_line(bottom, ranking["source_id"], data_dir=data_dir, sources=sources,
                    note="Labels: rank/number ranked ('?' = field size not given).")
    return fig, (top, bottom)


def stock_figure(hist: pd.DataFrame, title: str, data_dir=None, sources=None):
    """Two panels: registered capital and number of projects over time, with the source line."""
    fig, (top, bottom) = new_axes(10, 7.5, nrows=2, sharex=True)
    draw_capital(top, hist)
    draw_projects(bottom, hist)
    attach(top, hist, ["direction", "as_of", "as_of_precision", "capital_usd_m", "projects", "qualifier", "authority",
                       "source_id"])
    top.set_title(title, loc="left", fontsize=12, fontweight="bold")
    top.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)
    add_source_line(bottom, hist["source_id"], data_dir=data_dir, sources=sources)
    return fig, (top, bottom)


def _league_label(row) -> str:
    rank = "?" if pd.isna(row["rank"]) else int(row["rank"])
    label = f"{rank}. {row['investor']}"
    if row.get("origin") == "investment":
        field = "" if pd.isna(row["rank_of"]) else f" of {int(row['rank_of'])}"
        label += f"\n({month_year(row['as_of'], row.get('as_of_precision'))}{', of' + field[3:] if field else ''})"
    return label


def draw_league(ax, league: pd.DataFrame):
    """Horizontal bars of cumulative capital, leader at the top, highlighted country in colour."""
    rows = league.reset_index(drop=True)
    top = float(rows["capital_usd_m"].max() or 0) / 1000.0
    for i, row in rows.iterrows():
        color = palette.HIGHLIGHT if row["highlight"] else palette.CONTEXT
        if pd.isna(row["capital_usd_m"]):
            ax.text(0, i, "  value not reported", va="center", fontsize=8, color=palette.MUTED_TEXT)
            continue
        value = float(row["capital_usd_m"]) / 1000.0
        ax.barh(i, value, color=color, height=0.6)
        ax.text(value + top * 0.01, i, f"{hedge_symbol(row['qualifier'])}{billions(row['capital_usd_m'])}bn",
                va="center", fontsize=8)
    ranks = rows["rank"].astype(float)
    for i in range(1, len(rows)):  # a dotted rule where ranks are skipped
        if ranks[i] - ranks[i - 1] > 1:
            ax.axhline(i - 0.5, color=palette.RULE, lw=0.8, ls=":")
    ax.set_yticks(range(len(rows)), [_league_label(r) for _, r in rows.iterrows()], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15 if top else 1)
    style_axes(ax, None, "Cumulative registered capital, USD billions", None)
    value_grid(ax, "x")
    return ax


def league_figure(league: pd.DataFrame, title: str, data_dir=None, sources=None):
    """The context league as a horizontal bar chart with the source line."""
    fig, ax = new_axes(10, 1.2 + 0.55 * max(len(league), 3))
    draw_league(ax, league)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    add_source_line(ax, league["source_id"], data_dir=data_dir, sources=sources,
                    note=", ".join(f"{symbol} {word}" for word, symbol in QUALIFIER_SYMBOLS.items()) + ".")
    return fig, ax

__all__ = [
    "DIRECTION_COLORS", "billions", "draw_capital", "draw_league", "draw_percentile", "draw_projects", "draw_rank",
    "league_figure", "rank_figure", "russian_side", "stock_figure",
]
