"""Rules across the cells of a row that Table Schema cannot state, checked after the schema checks.

indicators.csv holds two kinds of figure: one for a period (``year`` + ``months``, e.g. arrivals in a
year) and one as of a date (``as_of`` + ``as_of_precision``, e.g. students now). A row must be exactly
one of the two. Because those columns may be empty the table has no primary key in the descriptor;
its key, (indicator, year, months, as_of, source_id) with empty cells counted as values, is checked here.
partners.csv may state two ranks from one statement (Vietnam 2nd among Russia's ASEAN partners and 28th
worldwide), so its key includes ``rank_scope``, which is empty on value rows: it too is checked here, with the
last month covered not before the first, a value or a rank on every row, a rank with its scope, and no country as its
own partner.

These rules are kept out of ``datapackage.validate`` so that it stays comparable with frictionless.
"""

from pathlib import Path

from vnru.data import datapackage, tableschema
from vnru.data.tableschema import Problem
from vnru.errors import DataError

INDICATOR_KEY = ("indicator", "year", "months", "as_of", "source_id")
PARTNER_KEY = ("year", "from_month", "months", "country", "partner", "flow", "reporter", "rank_scope", "source_id")


def indicator_problems(path: Path) -> list[Problem]:
    """Rows of indicators.csv that are not exactly one of a period figure and a dated figure, or repeat a key."""
    header, rows = tableschema.read_rows(path)
    problems, keys = [], {}
    for number, cells in enumerate(rows, start=2):
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        period = [bool(row.get(c)) for c in ("year", "months")]
        dated = [bool(row.get(c)) for c in ("as_of", "as_of_precision")]
        if period[0] != period[1]:
            column = "months" if period[0] else "year"
            problems.append(Problem(path.name, number, column, "year and months go together: set both or neither"))
        elif dated[0] != dated[1]:
            column = "as_of_precision" if dated[0] else "as_of"
            problems.append(Problem(path.name, number, column,
                                    "as_of and as_of_precision go together: set both or neither"))
        elif period[0] == dated[0]:
            has = "both" if period[0] else "neither"
            problems.append(Problem(path.name, number, "as_of" if period[0] else "year",
                                    f"a row is either a figure for a period (year + months) or a figure as of "
                                    f"a date (as_of + as_of_precision); this row has {has}"))
        key = tuple(row.get(c, "") for c in INDICATOR_KEY)
        first = keys.setdefault(key, number)
        if first != number:
            problems.append(Problem(path.name, number, ", ".join(INDICATOR_KEY),
                                    f"duplicate key ({', '.join(INDICATOR_KEY)}): same key as row {first}"))
    return problems


def _repeats(path: Path, number: int, row: dict, columns, keys: dict) -> list[Problem]:
    """A Problem when ``row``'s key (empty cells count as values) repeats an earlier row's."""
    first = keys.setdefault(tuple(row.get(c, "") for c in columns), number)
    if first == number:
        return []
    return [Problem(path.name, number, ", ".join(columns), f"duplicate key ({', '.join(columns)}): same key as row {first}")]


def partner_problems(path: Path) -> list[Problem]:
    """Rows of partners.csv whose last month comes before its first, that state neither a value nor a rank, give a
    rank without its scope (or the reverse), name the country as its own partner, or repeat a key."""
    header, rows = tableschema.read_rows(path)
    problems, keys = [], {}
    for number, cells in enumerate(rows, start=2):
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        if int(row["from_month"]) > int(row["months"]):
            problems.append(Problem(path.name, number, "months", f"months (the last month covered, "
                                    f"{row['months']}) is before from_month ({row['from_month']})"))
        if not row.get("value_usd_m") and not row.get("rank"):
            problems.append(Problem(path.name, number, "value_usd_m", "a row states a value, a rank or both"))
        if bool(row.get("rank")) != bool(row.get("rank_scope")):
            column = "rank_scope" if row.get("rank") else "rank"
            problems.append(Problem(path.name, number, column, "rank and rank_scope go together: set both or neither"))
        if row["country"] == row["partner"]:
            problems.append(Problem(path.name, number, "partner", f"{row['country']} cannot be its own partner"))
        problems += _repeats(path, number, row, PARTNER_KEY, keys)
    return problems


RULES = {"indicators": indicator_problems, "partners": partner_problems}


def validate(data_dir: Path, names, limit: int = tableschema.MAX_PROBLEMS) -> list[Problem]:
    """Problems the row rules find in the named tables (pass only tables that passed the schema checks)."""
    problems = []
    for name in names:
        if name in RULES:
            problems += RULES[name](Path(data_dir) / datapackage.resource(name)["path"])[:limit]
    return problems


def check(name: str, data_dir: Path) -> None:
    """Raise DataError for the first row of table ``name`` that breaks a row rule."""
    problems = validate(data_dir, [name])
    if problems:
        first = problems[0]
        extra = f" (and {len(problems) - 1} more problem(s); run `vnru validate`)" if len(problems) > 1 else ""
        raise DataError(first.message + extra, file=str(Path(data_dir) / first.file),
                        row=first.row, column=first.column)

__all__ = [
    "INDICATOR_KEY", "PARTNER_KEY", "RULES", "check", "indicator_problems", "partner_problems", "validate",
]
