"""The schema (data/datapackage.json) and validation of a data directory against it.

The kit's own datapackage.json is the one place the schema is written: a user's data
directory supplies the CSV files, and they are checked against this contract by
``vnru.data.tableschema``. Problems come back with file, row (header = row 1) and column.
"""

import functools
import json
from pathlib import Path

from vnru.data import tableschema
from vnru.data.tableschema import Problem
from vnru.errors import DataError
from vnru.paths import SCHEMA_PATH

__all__ = ["Problem", "check", "dependencies", "descriptor", "fields", "resource", "schema_problem",
           "table_names", "validate"]


@functools.lru_cache(maxsize=1)
def descriptor() -> dict:
    """The package descriptor (parsed datapackage.json of the kit); refuses what the checks cannot do."""
    parsed = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    unchecked = [u for res in parsed["resources"] for u in tableschema.unsupported(res)]
    if unchecked:
        raise DataError(f"datapackage.json asks for checks vnru does not make: {'; '.join(unchecked)}",
                        file=str(SCHEMA_PATH))
    return parsed

def table_names() -> list[str]:
    return [r["name"] for r in descriptor()["resources"]]


def resource(name: str) -> dict:
    """The descriptor of one table; an unknown name is a DataError listing the tables."""
    for res in descriptor()["resources"]:
        if res["name"] == name:
            return res
    raise DataError(f"unknown table {name!r}; tables are: {', '.join(table_names())}")


def fields(name: str) -> list[dict]:
    return resource(name)["schema"]["fields"]


def dependencies(name: str) -> list[str]:
    """Tables that ``name`` refers to through foreign keys."""
    keys = resource(name)["schema"].get("foreignKeys", [])
    return sorted({fk["reference"]["resource"] for fk in keys if fk["reference"]["resource"] != name})


def validate(data_dir: Path, names=None, limit=tableschema.MAX_PROBLEMS) -> tuple[list[Problem], dict[str, int]]:
    """Check the named tables (default: all) in ``data_dir``; return problems (at most ``limit`` a table) and row counts."""
    own = schema_problem(data_dir)
    if own:
        return [own], {}
    names = list(names or table_names())
    problems, rows = [], {}
    missing = [n for n in names + [d for n in names for d in dependencies(n)]
               if not (Path(data_dir) / resource(n)["path"]).is_file()]
    for name in dict.fromkeys(missing):
        problems.append(Problem(resource(name)["path"], None, None,
                                f"file not found in {data_dir}"))
    if problems:
        return problems, rows
    for name in names:
        problems += tableschema.header_problems(resource(name), Path(data_dir) / resource(name)["path"])
    if problems:
        return problems, rows
    references, unreadable = {}, set()
    for name in names:
        for fk in resource(name)["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            if target in references or target in unreadable:
                continue
            try:
                references[target] = tableschema.key_values(
                    resource(target), Path(data_dir) / resource(target)["path"], tableschema.names(fk["reference"]["fields"])[0])
            except DataError as exc:  # the real problem, not every reference to the file flagged as missing
                unreadable.add(target)
                if target not in names:  # else its own check reports it
                    problems.append(tableschema.problem_of(exc))
    for name in names:
        found, rows[name] = tableschema.check_rows(resource(name), Path(data_dir) / resource(name)["path"],
                                                   references, limit)
        problems += found
    return problems, rows


def schema_problem(data_dir) -> Problem | None:
    """The problem with a datapackage.json in ``data_dir`` that is not the kit's (None: none there, or the same).

    A data directory supplies the tables; the schema is always the kit's. A copy edited in a kit's data/ (or
    left by an older kit) would be ignored while the manifest's checksum covers it: it is refused instead.
    """
    path = Path(data_dir) / "datapackage.json"
    if not path.is_file() or path.resolve() == SCHEMA_PATH.resolve():
        return None
    try:
        theirs = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        why = f"cannot be read as JSON ({' '.join(str(exc).split())[:120]})"
    else:
        if theirs == descriptor():
            return None
        why = "differs from the kit's schema"
    return Problem(str(path), None, None,
                   f"{why}; vnru checks every data directory against its own schema ({SCHEMA_PATH}), so the "
                   "copy here would be ignored: undo the edit, or delete it (`vnru init DIR --force` restores the "
                   "kit's copy and keeps yours as datapackage.json.orig)")


def check(name: str, data_dir: Path) -> None:
    """Raise DataError for the first problem of table ``name`` (and the tables it refers to)."""
    problems, _ = validate(data_dir, [name])
    if problems:
        first = problems[0]
        extra = f" (and {len(problems) - 1} more problem(s); run `vnru validate`)" if len(problems) > 1 else ""
        raise DataError(first.message + extra, file=str(Path(data_dir) / first.file),
                        row=first.row, column=first.column)


