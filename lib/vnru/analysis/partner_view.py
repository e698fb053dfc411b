"""What the trade_context report shows and records, from partners.csv: the window and choices it offers, the
rows each section draws, the latest rank and share, and its key results in one mapping (``report_results``).

The statistics themselves live in vnru.analysis.partners (shares, ranks, growth against the world) and
vnru.analysis.partner_claims (the claims checked); this module only selects and arranges their results for the
report, as vnru.analysis.product_view does for trade_products. (The report cannot import ``partners`` itself:
``partners`` is one of its parameters.)
"""

import pandas as pd

from vnru.analysis import partner_claims, partners
from vnru.analysis.evidence import MIN_RANK_FIELD
from vnru.analysis.partners import (
    asean_ranks,
    growth_vs_world,
    headline,
    latest_share,
    longest_periods,
    rank_points,
    shares,
    stated_vs_computed,
)
from vnru.data import countries
from vnru.errors import ParameterError

__all__ = [
    "asean_ranks", "asean_rows", "claims_shown", "evidence_shown", "grid", "growth_vs_world", "headline",
    "known_partners", "latest_growth", "latest_rank", "latest_share", "latest_stated", "load",
    "longest_periods",
    "rank_panels", "rank_points", "ranks_table", "report_results", "reporters_of", "shares", "source_ids",
    "stated_vs_computed", "window",
]


def load(data_dir=None) -> tuple:
    """(table, sources) of a trade_context run: partners.csv with the pair's own figures from trade.csv
    (``partners.with_pair``), and sources.csv."""
    from vnru.data import loaders

    table = partners.with_pair(loaders.load_partners(data_dir), loaders.load_trade(data_dir))
    return table, loaders.load_sources(data_dir)


def reporters_of(table: pd.DataFrame, country="VNM") -> list:
    """The reporters that give figures of ``country``'s trade, sorted (the choices of the ``reporter`` parameter)."""
    return sorted(set(table.loc[table["country"] == country, "reporter"]))


def known_partners(table: pd.DataFrame) -> list:
    """Every partner code in the data and every alias (EU = any EU membership), the world total left out."""
    return sorted({*table["partner"], *countries.ALIASES} - {"WLD"})


def window(table: pd.DataFrame, start, end) -> pd.DataFrame:
    """The rows of the years ``start`` to ``end``; a window without a figure is a ParameterError."""
    shown = partners.in_years(table, start, end)
    if shown.empty:
        raise ParameterError(f"no figure in partners.csv between {start} and {end}")
    return shown


def grid(top: pd.DataFrame, chosen, reporter, country="VNM") -> pd.DataFrame:
    """The headline rows (``headline``) of ``country``'s trade in ``reporter``'s statistics with each chosen
    partner, an alias's rows (EU: EU25, EU27, EU28) under the alias: one panel per chosen partner."""
    mine = top[(top["country"] == country) & (top["reporter"] == reporter)]
    parts = [mine[mine["partner"].isin(countries.codes_of(c))].assign(partner=c) for c in chosen]
    return pd.concat(parts) if parts else mine.iloc[0:0]


def asean_rows(shown: pd.DataFrame, sources=None, reporter="RU") -> pd.DataFrame:
    """Russia's total trade with each ASEAN member, one headline figure per period, in ``reporter``'s statistics
    (Russia's by default: a member's own figures for its trade with Russia are a different reporter)."""
    top = headline(shown, sources)
    return top[(top["country"] == "RUS") & (top["reporter"] == reporter) & (top["flow"] == "total")
               & top["partner"].isin(list(countries.ASEAN_MEMBERS))]


def rank_panels(shown: pd.DataFrame, reporter, sources=None) -> list:
    """[(rank_points, title)] of Russia among Vietnam's partners (``reporter``'s statistics for the computed
    ranks) and of Vietnam among Russia's (Russia's statistics); a panel without a point is left out."""
    found = [(rank_points(shown, "RUS", "VNM", reporter, sources), "Russia among Vietnam's partners"),
             (rank_points(shown, "VNM", "RUS", "RU", sources), "Vietnam among Russia's partners")]
    return [(points, title) for points, title in found if len(points)]


def ranks_table(panels) -> pd.DataFrame:
    """The points of ``rank_panels`` in one table, ``who`` naming the panel."""
    return pd.concat([points.assign(who=title) for points, title in panels])


def latest_rank(shown: pd.DataFrame, reporter, sources=None) -> dict | None:
    """Russia's latest computed rank among Vietnam's partners with a figure (at least ``MIN_RANK_FIELD`` of them,
    the evidence rule) in ``reporter``'s statistics, as a dict of its ``rank_among`` row with ``source_ids``
    (every figure the rank compares); None when no period has a field that large."""
    found = partners.rank_among(shown, "RUS", "VNM", reporter, sources=sources)
    found = found[found["n_partners"] >= MIN_RANK_FIELD]
    if found.empty:
        return None
    last = found.iloc[-1].to_dict()
    field = partners.ranks(shown, "VNM", reporter, sources=sources)
    same = field[(field[partners.PERIOD] == [last[k] for k in partners.PERIOD]).all(axis=1)]
    return last | {"source_ids": sorted(set(same["source_id"]))}


def latest_stated(shown: pd.DataFrame, reporter, sources=None) -> dict | None:
    """The latest rank a source states for Russia among Vietnam's partners (a ``rank_points`` row as a dict),
    None without one."""
    points = rank_points(shown, "RUS", "VNM", reporter, sources)
    stated = points[points["kind"] == "stated"]
    return stated.iloc[-1].to_dict() if len(stated) else None


def latest_growth(growth: pd.DataFrame, share: pd.DataFrame) -> dict | None:
    """The latest row of ``growth_vs_world`` (a dict) with ``source_ids``: the four figures it compares (the
    pair's and the world's, that year and the year before, from ``shares``); None without a row."""
    if growth.empty:
        return None
    last = growth.iloc[-1].to_dict()
    used = share[(share["flow"] == "total") & ~share["partial"] & share["year"].isin([last["year"] - 1, last["year"]])]
    return last | {"source_ids": sorted({*used["source_id"], *used["world_source_id"]})}


def _years(values) -> str:
    return ", ".join(map(str, values))


def claims_shown(summary: pd.DataFrame) -> pd.DataFrame:
    """``claims_summary`` for a table: the years as text."""
    years = {k: summary[k].map(_years) for k in ("supports", "contradicts", "cannot_say")}
    return summary.assign(**years)[["claim", "said_by", "supports", "contradicts", "cannot_say", "evidence", "note"]]


def evidence_shown(claims: pd.DataFrame) -> pd.DataFrame:
    """``claims_table`` for a table: the source ids as text."""
    shown = claims.assign(source_ids=claims["source_ids"].str.join("; "))
    return shown[["claim", "period", "basis", "reporter", "verdict", "why", "source_ids"]]


def source_ids(shown: pd.DataFrame) -> list:
    """Every source behind the report: the figures shown and the documents that make the claims."""
    return [*shown["source_id"], *(c.said_by for c in partner_claims.CLAIMS)]


def report_results(shown, chosen, share, latest, last_rank, last_stated, asean, summary) -> dict:
    """The key results of a trade_context run, in the order a reader wants them (the index shows the first):
    the latest share (year, percent, unrounded: the reader's rounding is the card's), Russia's latest computed rank and its year, the latest
    stated rank, Vietnam's latest place among Russia's ASEAN partners, the share's two sources, the counts
    (periods with a share, figures and partners shown) and, per claim, the years the data support, contradict
    or cannot say."""
    return {
        "share_latest_year": None if latest is None else latest["year"],
        "share_latest_pct": None if latest is None else float(latest["share_pct"]),  # whole: 0.585 would show 0.58
        "russia_rank_latest": None if last_rank is None else last_rank["label"],
        "russia_rank_latest_year": None if last_rank is None else int(last_rank["year"]),
        "russia_stated_rank_latest": None if last_stated is None else f"{last_stated['label']} ({last_stated['when']})",
        "vietnam_asean_place_latest": None if asean.empty else
        f"{asean.iloc[-1]['label']} ({int(asean.iloc[-1]['year'])})",
        "share_latest_sources": None if latest is None else [latest["source_id"], latest["world_source_id"]],
        "share_periods": len(share), "figures_shown": len(shown), "partners_shown": list(chosen),
        "claims": {r["claim_id"]: {"supports": r["supports"], "contradicts": r["contradicts"],
                                   "cannot_say": r["cannot_say"]} for _, r in summary.iterrows()},
    }
