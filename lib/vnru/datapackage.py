"""The schema (data/datapackage.json) and validation of a data directory against it.

The kit's own datapackage.json is the one place the schema is written: a user's data
directory supplies the CSV files, and they are checked against this contract with
frictionless. Problems come back with file, row (header = row 1) and column.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from vnru.errors import DataError
from vnru.paths import SCHEMA_PATH


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file."""

    file: str
    row: int | None
    column: str | None
    message: str

    def as_error(self) -> DataError:
        return DataError(self.message, file=self.file, row=self.row, column=self.column)

    def __str__(self):
        return str(self.as_error())


@functools.lru_cache(maxsize=1)
def descriptor() -> dict:
    """The package descriptor (parsed datapackage.json of the kit)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


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


def validate(data_dir: Path, names=None) -> tuple[list[Problem], dict[str, int]]:
    """Check the named tables (default: all) in ``data_dir``; return problems and row counts."""
    names = list(names or table_names())
    problems, rows = [], {}
    missing = [n for n in names + [d for n in names for d in dependencies(n)]
               if not (Path(data_dir) / resource(n)["path"]).is_file()]
    for name in dict.fromkeys(missing):
        problems.append(Problem(resource(name)["path"], None, None,
                                f"file not found in {data_dir}"))
    if problems:
        return problems, rows

    import frictionless  # heavy: only when validating

    for name in names:
        problems += _header_problems(name, Path(data_dir) / resource(name)["path"])
    if problems:
        return problems, rows

    wanted = set(names) | {d for n in names for d in dependencies(n)}
    resources = []
    for res in descriptor()["resources"]:
        if res["name"] in wanted:
            # accept a byte-order mark; match columns by name, in any order
            res = dict(res, encoding="utf-8-sig", schema=dict(res["schema"], fieldsMatch="equal"))
            resources.append(res)
    package = frictionless.Package(
        {"name": "vnru", "resources": resources}, basepath=str(data_dir)
    )
    for name in names:
        res = package.get_resource(name)
        report = res.validate(limit_errors=50)
        for task in report.tasks:
            rows[name] = task.stats.get("rows") or 0
            for error in task.errors:
                problems.append(_translate(name, res, error))
        for error in report.errors:
            problems.append(Problem(res.path, None, None, _clean(error.message)))
    return problems, rows


def check(name: str, data_dir: Path) -> None:
    """Raise DataError for the first problem of table ``name`` (and the tables it refers to)."""
    problems, _ = validate(data_dir, [name])
    if problems:
        first = problems[0]
        extra = f" (and {len(problems) - 1} more problem(s); run `vnru validate`)" if len(problems) > 1 else ""
        raise DataError(first.message + extra, file=str(Path(data_dir) / first.file),
                        row=first.row, column=first.column)


def _header_problems(name: str, path: Path) -> list[Problem]:
    """Missing or unexpected columns, named one by one (frictionless would report positions)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        return [Problem(path.name, None, None, f"not UTF-8 text ({exc.reason})")]
    if not header:
        return [Problem(path.name, 1, None, "the file is empty; it needs at least a header row")]
    expected = [f["name"] for f in fields(name)]
    header = [h.strip() for h in header]
    found = [Problem(path.name, 1, col, f"missing column '{col}'") for col in expected if col not in header]
    found += [Problem(path.name, 1, col, f"unexpected column '{col}'; expected columns: {', '.join(expected)}")
              for col in header if col not in expected]
    return found


def _clean(text: str) -> str:
    return " ".join(str(text).split())


def _field(name: str, field_name: str | None) -> dict:
    return next((f for f in fields(name) if f["name"] == field_name), {})


def _translate(name, res, error) -> Problem:
    """Turn a frictionless error into a Problem that names file, row and column in plain words."""
    kind = error.type
    row = getattr(error, "row_number", None)
    column = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    note = _clean(getattr(error, "note", "") or "")
    field = _field(name, column)
    file = res.path
    if kind == "type-error":
        wanted = {"integer": "a whole number", "number": "a number", "date": "a date (YYYY-MM-DD)",
                  "boolean": "true or false"}.get(field.get("type"), field.get("type", "a value"))
        return Problem(file, row, column, f"{cell!r} is not {wanted}")
    if kind == "constraint-error":
        cons = field.get("constraints", {})
        if "enum" in note and "enum" in cons:
            return Problem(file, row, column, f"{cell!r} is not one of: {', '.join(cons['enum'])}")
        if "required" in note:
            return Problem(file, row, column, "a value is required but the cell is empty")
        return Problem(file, row, column, f"{cell!r} breaks the rule: {note}")
    if kind == "primary-key":
        key = resource(name)["schema"]["primaryKey"]
        note = note.replace("the same as in the row at position", "same key as row")
        return Problem(file, row, ", ".join(key), f"duplicate key ({', '.join(key)}): {note}")
    if kind == "foreign-key":
        fks = resource(name)["schema"].get("foreignKeys", [])
        cols = ", ".join(c for fk in fks for c in fk["fields"])
        target = ", ".join(resource(fk["reference"]["resource"])["path"] for fk in fks)
        cells = getattr(error, "cells", None) or []
        labels = [f.name for f in res.schema.fields]
        values = ", ".join(repr(cells[labels.index(c)]) for fk in fks for c in fk["fields"]
                           if c in labels and labels.index(c) < len(cells))
        return Problem(file, row, cols, f"{values or 'value'} not found in {target}")
    if kind in {"missing-label", "incorrect-label", "extra-label", "duplicate-label", "blank-label"}:
        label = getattr(error, "label", None)
        expected = ", ".join(f["name"] for f in fields(name))
        words = {
            "missing-label": f"missing column '{column}'",
            "incorrect-label": f"found column {label!r} where '{column}' was expected",
            "extra-label": f"unexpected column {label!r}",
            "duplicate-label": f"column {label!r} appears twice",
            "blank-label": "a column has no name",
        }[kind]
        return Problem(file, 1, column or label, f"{words}; expected columns: {expected}")
    if kind in {"missing-cell", "extra-cell"}:
        words = "the row has too few cells" if kind == "missing-cell" else "the row has too many cells"
        return Problem(file, row, column, words)
    if kind == "blank-row":
        return Problem(file, row, None, "the row is empty")
    return Problem(file, row, column, _clean(error.message))
