"""The seeds' rank claims ("Vietnam is Russia's largest trading partner in Southeast Asia", "Russia is one of
Vietnam's top five trading partners in Europe", ...) checked year by year against partners.csv.

A claim "``subject`` is among the top ``top`` of ``country``'s partners in a field" is judged per period from
two kinds of evidence, never mixed across reporters:

- a **stated rank** (a row with ``rank``, its ``rank_scope`` matching the claim's field): the subject's own rank
  supports the claim when it is within ``top`` and contradicts it otherwise; another member stated 1st
  contradicts a "largest" claim (``top = 1``);
- **values**: where one reporter gives figures for the subject and other members of the field in one period,
  ``top`` or more members above the subject contradict the claim; fewer cannot confirm it unless every member
  of the field has a figure (a rank among the partners with a figure is not a full ranking).

Everything else is "cannot say", with the reason.
"""

import calendar
import re
from dataclasses import dataclass

import pandas as pd

from vnru.analysis import partners as P
from vnru.data.countries import ASEAN_MEMBERS, EUROPE, is_group

__all__ = ["CANNOT_SAY", "CLAIMS", "CONTRADICTS", "SUPPORTS", "Claim", "claims_summary", "claims_table", "judge"]

SUPPORTS, CONTRADICTS, CANNOT_SAY = "supports", "contradicts", "cannot say"


@dataclass(frozen=True)
class Claim:
    """``subject`` is among the first ``top`` of ``country``'s trading partners in ``field`` (None = all
    countries); ``scope`` is a regular expression for the stated ranks that speak to it."""

    claim_id: str
    text: str
    said_by: str  # source_id of the document making the claim
    country: str
    subject: str
    top: int
    scope: str
    field: frozenset | None = None
    field_name: str = "partners"


CLAIMS = (
    Claim("largest-in-southeast-asia", "Vietnam is Russia's largest trading partner in Southeast Asia",
          "seed-vir-2024-putin-visit", "RUS", "VNM", 1, r"ASEAN|Southeast Asia", ASEAN_MEMBERS, "ASEAN members"),
    Claim("top-five-in-europe", "Russia is one of Vietnam's top five trading partners in Europe",
          "seed-vir-2024-putin-visit", "VNM", "RUS", 5, r"Europe", EUROPE, "European countries"),
    Claim("top-five-overall", "Russia is one of Vietnam's top five trading partners",
          "seed-vir-2024-putin-visit", "VNM", "RUS", 5, r"^Vietnam's trading partners$"),
)


def _period(row) -> str:
    """'2021' for a full year, 'Jan–Jul 2017' for part of one."""
    year, first, last = int(row["year"]), int(row["from_month"]), int(row["months"])
    if first == 1 and last == 12:
        return str(year)
    return f"{calendar.month_abbr[first]}–{calendar.month_abbr[last]} {year}"


def _stated(claim: Claim, partners: pd.DataFrame) -> list:
    pattern = re.compile(claim.scope, re.IGNORECASE)
    rows = partners[(partners["country"] == claim.country) & partners["rank"].notna()
                    & partners["rank_scope"].fillna("").map(lambda s: bool(pattern.search(s)))]
    out = []
    for _, r in rows.iterrows():
        rank = int(r["rank"])
        if r["partner"] == claim.subject:
            verdict = SUPPORTS if rank <= claim.top else CONTRADICTS
            why = f"stated: {rank} in {r['rank_scope']}"
        elif claim.top == 1 and rank == 1:
            verdict, why = CONTRADICTS, f"stated: {r['partner']} 1st in {r['rank_scope']}"
        else:
            continue
        out.append({"year": int(r["year"]), "period": _period(r), "basis": "stated rank", "reporter": r["reporter"],
                    "verdict": verdict, "why": why + f" ({r['reporter']} figures)", "source_ids": [r["source_id"]]})
    return out


def _computed(claim: Claim, partners: pd.DataFrame, sources=None) -> list:
    out = []
    for reporter in sorted(partners.loc[partners["country"] == claim.country, "reporter"].dropna().unique()):
        field = P.ranks(partners, claim.country, reporter, "total", members=claim.field, sources=sources)
        if claim.field is None:
            field = field[~field["partner"].map(is_group).astype(bool)]
        for _, g in field.groupby(P.PERIOD):
            if not (g["partner"] == claim.subject).any() or len(g) < 2:
                continue
            me = g[g["partner"] == claim.subject].iloc[0]
            above = g[g["value_usd_m"] > me["value_usd_m"]]
            n, ids = len(g), sorted(set(g["source_id"]))
            named = ", ".join(above["partner"]) or "none"
            if len(above) >= claim.top:
                verdict, why = CONTRADICTS, f"{len(above)} of the {n} {claim.field_name} with a figure trade more ({named})"
            elif claim.field is not None and set(claim.field) - {claim.subject} <= set(g["partner"]):
                verdict, why = SUPPORTS, f"every one of the {n} {claim.field_name} has a figure; above it: {named}"
            else:
                missing = "" if claim.field is None else f" of {len(claim.field)}"
                verdict = CANNOT_SAY
                why = (f"{_rank_words(len(above))} among only {n}{missing} {claim.field_name} with a figure; "
                       "the others have none")
            out.append({"year": int(me["year"]), "period": _period(me), "basis": "values", "reporter": reporter,
                        "verdict": verdict, "why": why + f" ({reporter} figures)", "source_ids": ids})
    return out


def _rank_words(above: int) -> str:
    return "first" if above == 0 else f"behind {above}"


def judge(claim: Claim, partners: pd.DataFrame, sources=None) -> pd.DataFrame:
    """Every piece of evidence on one claim: year, period, basis (stated rank / values), reporter, verdict, why,
    source_ids. Empty when the data hold nothing on it."""
    rows = _stated(claim, partners) + _computed(claim, partners, sources)
    table = pd.DataFrame(rows, columns=["year", "period", "basis", "reporter", "verdict", "why", "source_ids"])
    table.insert(0, "claim", claim.text)
    table.insert(1, "claim_id", claim.claim_id)
    return table.sort_values(["year", "period", "basis"], ignore_index=True)


def claims_table(partners: pd.DataFrame, claims=CLAIMS, sources=None) -> pd.DataFrame:
    """``judge`` for every claim, one table."""
    parts = [judge(c, partners, sources) for c in claims]
    return pd.concat(parts, ignore_index=True) if parts else judge(CLAIMS[0], partners.iloc[0:0])


def claims_summary(table: pd.DataFrame, claims=CLAIMS) -> pd.DataFrame:
    """Per claim: the years the data support, contradict, or cannot say (a year with both supporting and
    contradicting evidence is listed under both; "cannot say" only lists years with neither), who makes the
    claim, the number of pieces of evidence and, where there is none, why."""
    out = []
    for c in claims:
        mine = table[table["claim_id"] == c.claim_id]
        years = {v: sorted(set(mine.loc[mine["verdict"] == v, "year"])) for v in (SUPPORTS, CONTRADICTS, CANNOT_SAY)}
        decided = set(years[SUPPORTS]) | set(years[CONTRADICTS])
        years[CANNOT_SAY] = [y for y in years[CANNOT_SAY] if y not in decided]
        note = "" if len(mine) else (f"no stated rank of {c.subject} in this field and no period where one reporter "
                                     f"gives figures for {c.subject} and another of the {c.field_name}")
        out.append({"claim_id": c.claim_id, "claim": c.text, "said_by": c.said_by,
                    "supports": years[SUPPORTS], "contradicts": years[CONTRADICTS], "cannot_say": years[CANNOT_SAY],
                    "evidence": len(mine), "note": note})
    return pd.DataFrame(out, columns=["claim_id", "claim", "said_by", "supports", "contradicts", "cannot_say",
                                      "evidence", "note"])
