"""Semantic checks of the curated tables: what a careful curator must look at, beside the schema.

``vnru validate`` checks types and allowed values; ``audit`` checks meaning. Each check is a pure
function of a typed table (as ``vnru.load_table`` returns it, rows in file order) returning
``Finding``s with the file's row number (header = row 1, as in ``vnru validate``).

Kinds of finding:
  growth     a stated ``yoy_pct`` that no previous-year figure of the same reporter, flow, months (and
             product) matches within rounding;
  flows      exports + imports of one source (same year, months, reporter) not adding up to its total,
             or one flow above that total;
  partial    a figure for the first N months above a figure for a longer period of the same year
             (same reporter and flow; a partial year above the full year);
  duplicate  the same fact entered twice: same period, flow, reporter and value (trade; products also
             same product and quantity), or
             an investment stock repeated (same direction and project count, capital within rounding,
             same rank where both give one) under a date at most ``DUPLICATE_WINDOW_DAYS`` away;
  reporter   a ``reporter`` label that disagrees with its ``authority`` (table ``AUTHORITY_SIDES``);
  level      a full-year total at the other reporter's level for that year (within ``LEVEL_CLOSE``)
             and far (beyond ``LEVEL_FAR``) from every other figure of its own reporter;
  world      (partners) a partner's value above a world total (WLD) of the same country, reporter, flow
             and period;
  shares     (partners) the countries with a figure (groups left out, each at its lowest figure) adding
             up to more than 100 % of the largest world total of the same country, reporter, flow and period;
  rank       (partners) a stated rank that the same source's values in the same ranking contradict (more
             partners above it than its rank allows).

Rounding: a value is read as rounded to its last significant digit (3630 -> 10, 2.3 -> 0.1), and a
round figure as having two significant digits (5000 -> 100), so it may be off by half that unit; a
hedged value (about, nearly, more than, ...) by a whole unit. A stated
growth rate may be off by half its last digit, at most 0.5 points (a stated 20 % is 19.5-20.5 %).

Explanations: a finding is **explained** when the note of the row it is reported on contains
``audit KIND: WHY`` with KIND the finding's kind and WHY at least ten characters (running to the next
``audit KIND:`` or the end of the note), e.g. ``audit growth: the source computes growth on a revised
2022 figure.`` Several may follow each other, separated by "; ".
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from vnru.data.audit_partners import check_partner_ranks, check_partner_shares, check_partner_world
from vnru.data.audit_rows import fmt as _fmt
from vnru.data.audit_rows import grouped as _grouped
from vnru.data.audit_rows import hit as _hit
from vnru.data.audit_rows import records as _records
from vnru.data.audit_rows import row_number as _row
from vnru.data.audit_rows import tolerance as _tolerance
from vnru.data.conventions import last_digit_unit

KINDS = ("growth", "flows", "partial", "duplicate", "reporter", "level", "world", "shares", "rank")
_KIND = "(" + "|".join(KINDS) + ")"
# the reason runs to the next 'audit KIND:' marker (a '; ' before it is dropped) or to the end of the note
EXPLANATION = re.compile(r"\baudit " + _KIND + r":\s*(\S.{9,}?)\s*(?=;?\s*\baudit " + _KIND + r":|$)",
                         re.IGNORECASE | re.DOTALL)
DUPLICATE_WINDOW_DAYS = 92
LEVEL_CLOSE, LEVEL_FAR = 0.05, 0.20

# Authority -> whose statistics, checked in order: the first pattern group that matches decides.
# Statistics bodies are named first (a Russian ambassador citing "Vietnamese statistics" reports VN
# figures); people and ministries of one side come after. News agencies are not listed: they relay
# either side's figures.
AUTHORITY_SIDES = (
    ("VN", r"vietnam(ese|'s)? (customs|statistics)|\bGSO\b|general (statistics office|department of customs)"),
    ("RU", r"federal customs|\bFCS\b|russia(n|'s)? (customs|statistics|data)|rosstat"),
    ("VN", (r"\bMoIT\b|vietnam(ese)? ministry|ministry of industry and trade|nguyen xuan phuc|truong tan sang"
            r"|pham binh minh|vietnam's (chargé|ambassador)|\bVIIPIP\b|\bMPI\b")),
    ("RU", (r"putin|medvedev|lavrov|mishustin|shuvalov|russian (ministry|official|deputy|ambassador|side)"
            r"|russia'?s (trade representation|ambassador)|ambassador (konstantin )?vnukov|bezdetko|golikov")),
)
_SIDE_PATTERNS = [(side, re.compile(p, re.IGNORECASE)) for side, p in AUTHORITY_SIDES]


@dataclass(frozen=True)
class Finding:
    """One thing to look at: where (file, row), what kind, and why; ``explanation`` from the note."""

    file: str
    row: int
    kind: str
    message: str
    explanation: str | None = None

    @property
    def explained(self) -> bool:
        return self.explanation is not None

    def __str__(self):
        return f"{self.file}, row {self.row}: {self.kind}: {self.message}"


def authority_side(authority) -> str | None:
    """Whose statistics an authority stands for (VN / RU), per ``AUTHORITY_SIDES``; None if unknown."""
    if not isinstance(authority, str):
        return None
    for side, pattern in _SIDE_PATTERNS:
        if pattern.search(authority):
            return side
    return None


def explanations(note) -> dict:
    """{kind: why} for every ``audit KIND: WHY`` in a note."""
    if not isinstance(note, str):
        return {}
    return {m.group(1).lower(): m.group(2).strip() for m in EXPLANATION.finditer(note)}


def _growth_agrees(row, previous) -> bool:
    """Whether a row's stated growth matches its value over ``previous`` within rounding of all three."""
    pct, value, before = float(row["yoy_pct"]), row["value_usd_m"], previous["value_usd_m"]
    pct_tol = min(float(last_digit_unit([pct])[0]) if pct else 1.0, 1.0) / 2
    band = 100 * (row["_tol"] / before + value * previous["_tol"] / before ** 2)
    return abs((value / before - 1) * 100 - pct) <= band + pct_tol + 1e-9


def check_growth(records, period_keys) -> list:
    """Stated growth that no previous-year figure of the same series matches within rounding."""
    groups = _grouped(records, ["year", *period_keys])
    out = []
    for i, row in enumerate(records):
        if row["yoy_pct"] is None or row["value_usd_m"] is None:
            continue
        prev = [j for j in groups.get((row["year"] - 1, *(row[k] for k in period_keys)), [])
                if records[j]["value_usd_m"]]
        if not prev:
            continue
        pct, value = float(row["yoy_pct"]), row["value_usd_m"]
        if not any(_growth_agrees(row, records[j]) for j in prev):
            found = ", ".join(f"{_fmt(records[j]['value_usd_m'])} (row {_row(j)})" for j in prev)
            out.append(_hit(i, "growth", f"stated {pct:+g} % on {_fmt(value)} implies {_fmt(value / (1 + pct / 100))} "
                                     f"for {int(row['year']) - 1}; that year's figures: {found}"))
    return out


def check_flows(records) -> list:
    """Exports + imports of one source against the total the same source states for the same period."""
    out = []
    for members in _grouped(records, ["source_id", "year", "months", "reporter"]).values():
        by_flow = {f: [records[j] | {"_i": j} for j in members if records[j]["flow"] == f]
                   for f in ("total", "vn_exports", "vn_imports")}
        flows = by_flow["vn_exports"] + by_flow["vn_imports"]
        for total in by_flow["total"]:
            for flow in flows:
                if flow["value_usd_m"] - flow["_tol"] > total["value_usd_m"] + total["_tol"]:
                    out.append(_hit(total["_i"], "flows", f"{flow['flow']} {_fmt(flow['value_usd_m'])} (row {_row(flow['_i'])}) "
                                                      f"is above the total {_fmt(total['value_usd_m'])}"))
            if len(by_flow["vn_exports"]) == 1 and len(by_flow["vn_imports"]) == 1:
                e, m = by_flow["vn_exports"][0], by_flow["vn_imports"][0]
                both = e["value_usd_m"] + m["value_usd_m"]
                if abs(both - total["value_usd_m"]) > e["_tol"] + m["_tol"] + total["_tol"] + 1e-9:
                    out.append(_hit(total["_i"], "flows", f"exports {_fmt(e['value_usd_m'])} + imports "
                                                      f"{_fmt(m['value_usd_m'])} = {_fmt(both)}, not the stated total "
                                                      f"{_fmt(total['value_usd_m'])}"))
    return out


def check_partial(records, series_keys) -> list:
    """A figure for January-N above a figure for a longer period of the same year and series."""
    out = []
    for members in _grouped(records, ["year", *series_keys]).values():
        rows = [j for j in members if records[j]["value_usd_m"] is not None and records[j].get("from_month", 1) == 1]
        for i in rows:
            short = records[i]
            for j in rows:
                other = records[j]
                if other["months"] > short["months"] and \
                        short["value_usd_m"] - short["_tol"] > other["value_usd_m"] + other["_tol"]:
                    out.append(_hit(i, "partial", f"{short['months']}-month figure {_fmt(short['value_usd_m'])} is above "
                                              f"the {other['months']}-month figure {_fmt(other['value_usd_m'])} "
                                              f"(row {_row(j)})"))
    return out


def check_duplicate_values(records, fact_keys) -> list:
    """The same value for the same fact on two rows; reported on the later row."""
    out = []
    for members in _grouped(records, [*fact_keys, "value_usd_m"]).values():
        first = members[0]
        if records[first]["value_usd_m"] is None:
            continue
        for i in members[1:]:
            other = records[first]["source_id"]
            out.append(_hit(i, "duplicate", f"same value {_fmt(records[i]['value_usd_m'])} for the same period, flow and "
                                        f"reporter as row {_row(first)} "
                                        f"({'same source' if other == records[i]['source_id'] else other})"))
    return out


def check_duplicate_stocks(records) -> list:
    """An investment stock repeated under a nearby date: same direction and project count, capital equal
    within rounding (hedges not widened), same rank where both give one; reported on the later row."""
    out = []
    stocks = [(i, r) for i, r in enumerate(records) if r["capital_usd_m"] is not None and r["projects"] is not None]
    for i, row in stocks:
        for j, other in stocks:
            if j >= i or other["direction"] != row["direction"] or other["projects"] != row["projects"]:
                continue
            days = abs((row["as_of"] - other["as_of"]).days)
            tol = _tolerance(row["capital_usd_m"]) + _tolerance(other["capital_usd_m"]) + 1e-9
            ranked_apart = None not in (row["rank"], other["rank"]) and row["rank"] != other["rank"]
            if days <= DUPLICATE_WINDOW_DAYS and abs(row["capital_usd_m"] - other["capital_usd_m"]) <= tol \
                    and not ranked_apart:
                out.append(_hit(i, "duplicate", f"same stock as row {_row(j)} ({other['source_id']}, "
                                            f"{other['as_of']:%Y-%m-%d}): {row['projects']} projects, "
                                            f"{_fmt(row['capital_usd_m'])} vs {_fmt(other['capital_usd_m'])}, "
                                            f"{days} days apart"))
    return out


def check_reporter(records) -> list:
    """Rows whose reporter is not the side their authority stands for (``AUTHORITY_SIDES``)."""
    out = []
    for i, row in enumerate(records):
        side = authority_side(row["authority"])
        if side and side != row["reporter"]:
            out.append(_hit(i, "reporter", f"reporter {row['reporter']} but the authority "
                                       f"'{row['authority']}' stands for {side}"))
    return out


def check_level(records) -> list:
    """Full-year totals at the other reporter's level and far from their own reporter's other figures."""
    out = []
    totals = [(i, r) for i, r in enumerate(records) if r["flow"] == "total" and r["months"] == 12]
    for i, row in totals:
        value = row["value_usd_m"]
        own = [r["value_usd_m"] for j, r in totals if j != i and r["year"] == row["year"] and r["reporter"] == row["reporter"]]
        other = [r["value_usd_m"] for _, r in totals if r["year"] == row["year"] and r["reporter"] != row["reporter"]]
        if own and other and min(abs(v - value) / v for v in own) > LEVEL_FAR \
                and min(abs(v - value) / v for v in other) <= LEVEL_CLOSE:
            out.append(_hit(i, "level", f"{row['reporter']} figure {_fmt(value)} is at the other reporter's level "
                                    f"({', '.join(map(_fmt, sorted(other)))}), far from its own "
                                    f"({', '.join(map(_fmt, sorted(own)))})"))
    return out


def audit_table(name, table, file=None) -> list:
    """Every finding for one table (trade, products, investment or partners), with its explanation if the note gives one."""
    file = file or f"{name}.csv"
    records = _records(table)
    if name == "trade":
        found = (check_growth(records, ["reporter", "flow", "months"]) + check_flows(records)
                 + check_partial(records, ["reporter", "flow"])
                 + check_duplicate_values(records, ["year", "months", "flow", "reporter"])
                 + check_reporter(records) + check_level(records))
    elif name == "products":
        series = ["reporter", "flow", "hs_code", "product"]
        found = (check_growth(records, [*series, "from_month", "months"]) + check_partial(records, series)
                 + check_duplicate_values(records, ["year", "from_month", "months", *series, "quantity"])
                 + check_reporter(records))
    elif name == "investment":
        found = check_duplicate_stocks(records)
    elif name == "partners":
        found = check_partner_world(records) + check_partner_shares(records) + check_partner_ranks(records)
    else:
        raise ValueError(f"no audit for table {name!r}; tables audited: {', '.join(AUDITED)}")
    out = [Finding(file, _row(i), kind, message, explanations(records[i]["note"]).get(kind))
           for i, kind, message in found]
    return sorted(out, key=lambda f: (f.row, KINDS.index(f.kind), f.message))


AUDITED = ("trade", "products", "investment", "partners")


def audit(data_dir=None) -> list:
    """Findings of every audited table present in ``data_dir`` (default: the bundled data)."""
    from pathlib import Path

    from vnru.data import datapackage
    from vnru.data.loaders import load_table
    from vnru.paths import resolve_data_dir

    directory = resolve_data_dir(data_dir)
    findings = []
    for name in AUDITED:
        path = datapackage.resource(name)["path"]
        if (Path(directory) / path).is_file():
            findings += audit_table(name, load_table(name, directory), path)
    return findings


@dataclass
class AuditResult:
    """An audit of a directory: every finding, the unexplained ones, the tables read and what was skipped."""

    directory: Path
    tables: list
    findings: list
    skipped: list = field(default_factory=list)  # one line each: what was not audited, and why

    @property
    def unexplained(self) -> list:
        return [f for f in self.findings if not f.explained]


def audit_directory(data_dir=None) -> AuditResult:
    """`vnru audit` as a function: a UsageError when the directory holds no audited table."""
    from vnru.data import datapackage, imported
    from vnru.errors import DataError, UsageError
    from vnru.paths import resolve_data_dir

    try:
        directory = resolve_data_dir(data_dir)
    except DataError as exc:
        raise UsageError(str(exc)) from None
    paths = [datapackage.resource(n)["path"] for n in AUDITED]
    present = [p for p in paths if (Path(directory) / p).is_file()]
    skipped = []
    if imported.present(directory):  # an import-only directory is audited for what applies to it
        skipped.append(f"{imported.STORE}/ (the imported Comtrade dataset): not audited — its figures are one row "
                       "per reporter, partner, flow, period and code as Comtrade gives them; `vnru validate` "
                       "checks the dataset")
        if len(present) < len(paths):
            skipped.append(", ".join(p for p in paths if p not in present) + ": not in the directory")
    elif not present:
        raise UsageError(f"no table to audit in {directory} (looked for {', '.join(paths)})")
    return AuditResult(Path(directory), present, audit(directory), skipped)

__all__ = [
    "AUDITED",
    "AUTHORITY_SIDES",
    "DUPLICATE_WINDOW_DAYS",
    "EXPLANATION",
    "KINDS",
    "LEVEL_CLOSE",
    "LEVEL_FAR",
    "AuditResult",
    "Finding",
    "audit",
    "audit_directory",
    "audit_table",
    "authority_side",
    "check_duplicate_stocks",
    "check_duplicate_values",
    "check_flows",
    "check_growth",
    "check_level",
    "check_partial",
    "check_partner_ranks",
    "check_partner_shares",
    "check_partner_world",
    "check_reporter",
    "explanations",
]
