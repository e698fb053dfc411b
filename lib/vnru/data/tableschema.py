"""Check a CSV file against its Table Schema: the part of the Frictionless spec datapackage.json uses.

Plain Python and fast, so every kernel can validate its data on load. (frictionless itself costs
about a second per process before the first row is read, mostly jsonschema's format checkers.)
What is accepted is exactly what ``vnru.data.loaders`` can convert; tests/test_conformance.py holds the
checks to frictionless, which must find the same problems.
"""

import csv
import datetime as _dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from vnru.errors import DataError

TYPES = ("string", "integer", "number", "date")
CONSTRAINTS = ("required", "unique", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength")
WANTED = {"integer": "a whole number", "number": "a number", "date": "a date (YYYY-MM-DD)"}
MAX_PROBLEMS = 50  # per table: enough to see a pattern, not a flood
_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: the file's name, the row (header = row 1), the column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def as_error(self) -> DataError:
        return DataError(self.message, file=self.file, row=self.row, column=self.column)

    def __str__(self):
        return str(self.as_error())


def cast(kind: str, text: str):
    """The value of cell ``text`` as a field of type ``kind``, or None when the text is not one."""
    text = text.strip() if kind != "string" else text
    if kind == "string":
        return text
    if kind == "integer":
        return int(text) if _INTEGER.fullmatch(text) else None
    if kind == "number":
        value = float(text) if _NUMBER.fullmatch(text) else None
        return value if value is not None and math.isfinite(value) else None
    if kind == "date" and _DATE.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def names(fields) -> list[str]:
    """A key's field names as a list (Table Schema allows one name as a plain string)."""
    return [fields] if isinstance(fields, str) else list(fields)


def unsupported(resource: dict) -> list[str]:
    """What the descriptor of ``resource`` asks for that these checks do not do (empty: all checked)."""
    found = []
    schema = resource["schema"]
    for field in schema["fields"]:
        where = f"{resource['name']}.{field['name']}"
        if field["type"] not in TYPES:
            found.append(f"{where}: type {field['type']!r}")
        if field.get("format", "default") != "default":
            found.append(f"{where}: format {field['format']!r}")
        found += [f"{where}: constraint {c!r}" for c in field.get("constraints", {}) if c not in CONSTRAINTS]
    for fk in schema.get("foreignKeys", []):
        if len(names(fk["fields"])) != 1 or len(names(fk["reference"]["fields"])) != 1:
            found.append(f"{resource['name']}: a foreign key on more than one field")
    if resource.get("dialect") or resource.get("format", "csv") != "csv":
        found.append(f"{resource['name']}: a CSV dialect or format other than plain CSV")
    return found


def header_problems(resource: dict, path: Path) -> list[Problem]:
    """Missing, unexpected or repeated columns, named one by one (columns may come in any order)."""
    try:
        header, _ = read_rows(path)
    except DataError as exc:
        return [problem_of(exc)]
    if not header:
        return [Problem(path.name, 1, None, "the file is empty; it needs at least a header row")]
    expected = [f["name"] for f in resource["schema"]["fields"]]
    found = [Problem(path.name, 1, col, f"missing column '{col}'") for col in expected if col not in header]
    found += [Problem(path.name, 1, col or None, f"unexpected column '{col}'; expected columns: {', '.join(expected)}")
              for col in header if col not in expected]
    found += [Problem(path.name, 1, col, f"column '{col}' appears twice")
              for col in dict.fromkeys(h for h in header if header.count(h) > 1 and h in expected)]
    return found


def problem_of(error: DataError) -> Problem:
    """The Problem a DataError from :func:`read_rows` describes."""
    return Problem(error.file, error.row, error.column, error.detail)


def _row_at(text: str) -> int:
    """The row (header = 1) in which the CSV text that follows ``text`` begins."""
    rows = sum(1 for _ in csv.reader(io.StringIO(text))) if text else 0
    return rows + 1 if not text or text.endswith("\n") else rows


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header (stripped; empty for an empty file) and data rows of a CSV file (UTF-8, a byte-order mark and
    Windows line endings allowed).

    A byte that is not UTF-8, or a cell past the csv module's size limit (131,072 characters: usually a stray
    double quote that opened a quoted cell running on through the file), is a DataError naming file and row.
    """
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start].decode("utf-8-sig")
        raise DataError(f"not UTF-8 text ({exc.reason}: byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                        "save the file as UTF-8", file=path.name, row=_row_at(before)) from None
    rows, reader = [], csv.reader(io.StringIO(text, newline=""))
    try:
        rows.extend(reader)
    except csv.Error as exc:
        limit = csv.field_size_limit()
        why = (f"a cell longer than {limit:,} characters (a stray double quote may have opened a quoted cell "
               "that runs on)" if "field larger" in str(exc) else f"the row is not valid CSV ({exc})")
        raise DataError(why, file=path.name, row=len(rows) + 1) from None
    return ([h.strip() for h in rows[0]] if rows else []), rows[1:]


class _Field:
    """One field's checks, prepared once: the cast, the missing values and the constraints."""

    def __init__(self, field: dict, missing: set, in_key: bool):
        self.name, self.kind, self.missing = field["name"], field["type"], missing
        cons = field.get("constraints", {})
        self.required = bool(cons.get("required")) or in_key  # a primary key implies required
        self.enum = None
        if "enum" in cons:
            self.enum = [cast(self.kind, str(v)) for v in cons["enum"]]
            self.enum_text = ", ".join(str(v) for v in cons["enum"])
        self.minimum = cast(self.kind, str(cons["minimum"])) if "minimum" in cons else None
        self.maximum = cast(self.kind, str(cons["maximum"])) if "maximum" in cons else None
        self.pattern_text = cons.get("pattern")
        self.pattern = re.compile(f"^(?:{self.pattern_text})$") if "pattern" in cons else None
        self.lengths = (cons.get("minLength"), cons.get("maxLength"))
        self.unique = bool(cons.get("unique"))

    def check(self, text: str):
        """(value, problem message or None) for one cell."""
        if text in self.missing:
            return None, ("a value is required but the cell is empty" if self.required else None)
        value = cast(self.kind, text)
        if value is None:
            return None, f"{text!r} is not {WANTED[self.kind]}"
        if self.enum is not None and value not in self.enum:
            return value, f"{text!r} is not one of: {self.enum_text}"
        if self.minimum is not None and value < self.minimum:
            return value, f"{text!r} is below the minimum, {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return value, f"{text!r} is above the maximum, {self.maximum}"
        if self.pattern is not None and not self.pattern.match(value):
            return value, f"{text!r} does not match the pattern {self.pattern_text}"
        low, high = self.lengths
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            return value, f"{text!r} has {len(value)} characters; allowed: {low or 0} to {high or 'any'}"
        return value, None


def check_rows(resource: dict, path: Path, references: dict | None = None,
               limit: int = MAX_PROBLEMS) -> tuple[list[Problem], int]:
    """Problems in the rows of ``path`` (its header already checked) and the number of data rows.

    ``references`` maps a referenced table's name to (the key values it holds, its file name);
    foreign keys to a table not in it are not checked.
    """
    schema, file = resource["schema"], path.name
    key = names(schema.get("primaryKey", []))
    missing = set(schema.get("missingValues", [""]))
    try:
        header, rows = read_rows(path)
    except DataError as exc:
        return [problem_of(exc)], 0
    fields = {f["name"]: _Field(f, missing, f["name"] in key) for f in schema["fields"]}
    order = [fields.get(name) for name in header]
    foreign = [(names(fk["fields"])[0], fk["reference"]["resource"]) for fk in schema.get("foreignKeys", [])]
    problems, keys, seen = [], {}, {name: {} for name, f in fields.items() if f.unique}
    for number, cells in enumerate(rows, start=2):
        if len(problems) >= limit:
            break
        if not any(c.strip() for c in cells):
            problems.append(Problem(file, number, None, "the row is empty"))
            continue
        if len(cells) != len(header):
            words = "too few" if len(cells) < len(header) else "too many"
            problems.append(Problem(file, number, None,
                                    f"the row has {words} cells ({len(cells)}; the header has {len(header)})"))
            continue
        values = {}
        for field, text in zip(order, cells, strict=True):
            if field is None:
                continue
            value, message = field.check(text)
            values[field.name] = value
            if message:
                problems.append(Problem(file, number, field.name, message))
            if field.unique and value is not None:
                first = seen[field.name].setdefault(value, number)
                if first != number:
                    problems.append(Problem(file, number, field.name, f"{text!r} repeats row {first}; it must be unique"))
        problems += _key_problems(file, number, key, values, keys)
        for column, table in foreign:
            value = values.get(column)
            if value is not None and table in (references or {}) and value not in references[table][0]:
                target = references[table][1]
                problems.append(Problem(file, number, column, f"{cells[header.index(column)]!r} not found in {target}"))
    return problems[:limit], len(rows)


def _key_problems(file, number, key, values, keys) -> list[Problem]:
    """A row whose primary key repeats an earlier row's (as frictionless: an empty or broken cell counts as
    None; a key of nothing but such cells is left to the 'required' problems already reported)."""
    cells = tuple(values.get(k) for k in key)
    if not key or all(c is None for c in cells):
        return []
    first = keys.setdefault(cells, number)
    if first == number:
        return []
    return [Problem(file, number, ", ".join(key), f"duplicate key ({', '.join(key)}): same key as row {first}")]


def key_values(resource: dict, path: Path, column: str) -> tuple[frozenset, str]:
    """(The values of ``column`` in the table at ``path``, cast to the field's type; the file's name).

    A file that cannot be read raises DataError: checking references against it would flag every one.
    """
    field = next(f for f in resource["schema"]["fields"] if f["name"] == column)
    header, rows = read_rows(path)
    index = header.index(column) if column in header else None
    values = frozenset(cast(field["type"], r[index]) for r in rows if index is not None and index < len(r))
    return values, resource["path"]

__all__ = [
    "CONSTRAINTS",
    "MAX_PROBLEMS",
    "TYPES",
    "WANTED",
    "Problem",
    "cast",
    "check_rows",
    "header_problems",
    "key_values",
    "names",
    "problem_of",
    "read_rows",
    "unsupported",
]
