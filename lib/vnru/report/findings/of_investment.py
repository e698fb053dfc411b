"""Findings of investment_rankings: the latest rank and capital of each direction, the league leader."""

from vnru.data.conventions import qualified
from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.formats import count, money, month_year, ordinal
from vnru.report.formats import is_missing as missing
from vnru.report.labels import DIRECTION_WORDS

__all__ = ["investment"]


def investment(summaries: dict, league_leader=None, league_date=None, league_precision=None) -> list:
    """Findings of investment_rankings: ``summaries`` is {direction: vnru.analysis.investment.summary(...)}."""
    out = []
    for direction, s in summaries.items():
        subject, scope, capital = DIRECTION_WORDS[direction]
        rank = s.get("latest_rank")
        if not missing(rank, s.get("latest_rank_as_of")):
            when = month_year(s["latest_rank_as_of"], s.get("latest_rank_as_of_precision"))
            sentence = f"In {when} {subject} ranked {ordinal(int(rank))}"
            if not missing(s.get("latest_rank_of")):
                sentence += f" of {int(s['latest_rank_of'])}"
            sentence += f" {scope}"
            if not missing(s.get("latest_percentile")):
                sentence += f" (percentile {s['latest_percentile']:.1f})"
            out.append(Finding(sentence + ".", {"rank": rank, "rank_of": s.get("latest_rank_of"),
                                                "as_of": str(s["latest_rank_as_of"])[:10]},
                               [s.get("latest_rank_source")]))
        if not missing(s.get("latest_capital_usd_m"), s.get("latest_capital_as_of")):
            stated = qualified(money(s["latest_capital_usd_m"]), s.get("latest_capital_qualifier"))
            sentence = (f"{capital} stood at {stated} as reported for "
                        f"{month_year(s['latest_capital_as_of'], s.get('latest_capital_as_of_precision'))}")
            values = {"capital_usd_m": s["latest_capital_usd_m"], "as_of": str(s["latest_capital_as_of"])[:10]}
            if not missing(s.get("latest_projects")):
                sentence += f", in {count(s['latest_projects'])} projects (latest count)"
                values["projects"] = s["latest_projects"]
            out.append(Finding(sentence + ".", values, [s.get("latest_capital_source")]))
    if not missing(league_leader, league_date):
        out.append(Finding(f"The leading investor in Vietnam in the ranking of "
                           f"{month_year(league_date, league_precision)} is {league_leader}.",
                           {"investor": league_leader, "as_of": str(league_date)[:10]}))
    return out[:MOST_FINDINGS]
