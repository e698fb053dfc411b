"""Findings of trade_context: Russia's share of Vietnam's trade, the pair's growth against the world, Russia's
latest computed and stated ranks, and the seed articles' claims checked against the data."""

from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.formats import is_missing as missing
from vnru.report.formats import money, period
from vnru.report.labels import FLOW_NAMES, REPORTER_STATISTICS
from vnru.report.labels import REPORTER_COUNTRIES as REPORTER_NAMES

__all__ = ["context_line", "partners", "share_clause", "share_sentence"]


def context_line(shown, start, end, reporter, chosen) -> str:
    """'420 figures from 143 sources, 2005–2024; Vietnam's trade in Vietnam's statistics; partners: China, Russian
    Federation': what a trade_context run shows, reporters and partners by name, never their codes."""
    from vnru.data.countries import name

    whose = REPORTER_STATISTICS.get(reporter, f"{reporter} statistics")
    return (f"{len(shown)} figures from {shown['source_id'].nunique()} sources, {start}–{end}; Vietnam's trade in "
            f"{whose}; partners: {', '.join(name(c) for c in chosen)}")


def share_clause(share) -> tuple | None:
    """(text, values, source ids) of Russia's share of Vietnam's trade (``vnru.analysis.partners.latest_share``):
    'in 2022 Russia accounted for 0.51 % of Vietnam's two-way trade in Vietnam's statistics (USD 3.75 bn of
    USD 732.00 bn; derived from two sources)', both figures and both sources; None without a share."""
    if not share or missing(share.get("year"), share.get("share_pct")):
        return None
    text = (f"in {share['year']} Russia accounted for {share['share_pct']:.2f} %"
            f" of Vietnam's {FLOW_NAMES.get(share['flow'], share['flow'])} in "
            f"{REPORTER_NAMES.get(share['reporter'], share['reporter'])}'s statistics "
            f"({money(share['value_usd_m'])} of {money(share['world_usd_m'])}"
            f"{', its exports plus imports' if share.get('world_summed') else ''}; derived from two sources)")
    values = {k: share[k] for k in ("year", "share_pct", "value_usd_m", "world_usd_m", "reporter", "flow")}
    return text, values, [share.get("source_id"), share.get("world_source_id")]


def share_sentence(share) -> Finding | None:
    """``share_clause`` as a sentence of its own; None without a share."""
    said = share_clause(share)
    return None if said is None else Finding(said[0][0].upper() + said[0][1:] + ".", said[1], said[2])


def _moved(change_pct) -> str:
    """'grew 9.5 %', 'fell 31.8 %' or 'was unchanged': a change in words, its sign in the verb."""
    if round(change_pct, 1) == 0:
        return "was unchanged"
    return f"{'grew' if change_pct > 0 else 'fell'} {abs(change_pct):.1f} %"


def _verdict(claim) -> str:
    """'the data support it for 2018, 2020 and contradict it for 2017; 3 other years cannot decide it'."""
    said = [f"{verb} it for {_years(claim[key])}" for verb, key in (("support", "supports"), ("contradict", "contradicts"))
            if len(claim[key])]
    undecided = len(claim.get("cannot_say", []) or [])
    years = f"{undecided} {'other ' if said else ''}year{'s' if undecided != 1 else ''} with figures"
    if not said:
        return (f"the data cannot decide it for any of the {years}" if undecided > 1
                else "the data cannot decide it for the one year with figures")
    return "the data " + " and ".join(said) + (f"; {years} cannot decide it" if undecided else "")


def _years(values) -> str:
    return ", ".join(str(y) for y in values) or "no year"


def partners(share=None, growth=None, rank=None, stated=None, claims=None, evidence=None) -> list:
    """Findings of trade_context: ``share`` (vnru.analysis.partners.latest_share), ``growth`` (the latest row of
    growth_vs_world, with ``source_ids``), ``rank`` (the latest rank_among row among two or more partners, with
    ``source_ids``), ``stated`` (the latest stated rank_points row) and ``claims``
    (vnru.analysis.partner_claims.claims_summary); ``evidence`` (claims_table) gives each claim's sources."""
    out = []
    said = share_sentence(share)
    if said is not None:
        out.append(said)
    if growth is not None and not missing(growth.get("pair_growth_pct"), growth.get("world_growth_pct")):
        out.append(Finding(
            f"In {int(growth['year'])} Vietnam's trade with Russia {_moved(growth['pair_growth_pct'])} while its "
            f"trade with the world {_moved(growth['world_growth_pct'])} "
            f"({REPORTER_NAMES.get(growth.get('reporter', 'VN'), 'VN')}'s statistics; derived).",
            {k: growth[k] for k in ("year", "pair_growth_pct", "world_growth_pct")}, growth.get("source_ids", ())))
    if rank is not None and not missing(rank.get("year"), rank.get("label")):
        out.append(Finding(f"In {period(rank['year'], rank['months'], rank['from_month'])} Russia was "
                           f"{rank['label']} in Vietnam's statistics (not a full ranking).",
                           {"year": rank["year"], "months": rank["months"], "rank": rank.get("rank"),
                            "n_partners": rank.get("n_partners")}, rank.get("source_ids", ())))
    for _, c in (claims.iterrows() if claims is not None else []):
        ids = [c["said_by"]]
        if evidence is not None and len(evidence):
            ids += [i for ids_ in evidence.loc[evidence["claim_id"] == c["claim_id"], "source_ids"] for i in ids_]
        values = {"claim_id": c["claim_id"], "supports": list(c["supports"]), "contradicts": list(c["contradicts"])}
        if c["evidence"]:
            out.append(Finding(f"\u201c{c['claim']}\u201d: {_verdict(c)}.", values, ids))
        else:
            out.append(Finding(f"\u201c{c['claim']}\u201d: nothing in the data speaks to it.", values, ids))
    if stated is not None and not missing(stated.get("when"), stated.get("label")):
        out.append(Finding(f"The latest rank a source states for Russia among Vietnam's partners: {stated['label']} "
                           f"({stated['when']}).", {"rank": stated.get("rank"), "when": stated["when"]},
                           stated.get("source_ids", ())))
    return out[:MOST_FINDINGS]
