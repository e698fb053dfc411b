"""vnru's own Table Schema checks (vnru.data.tableschema) against frictionless, the reference implementation.

The kit validates with its own fast checks at load time; frictionless stays the oracle here. The
descriptor must be a valid Data Package, the bundled data must pass both, and on hundreds of
probe cells both must flag the same rows and columns. Where vnru is deliberately stricter, the
cases are listed in STRICTER and pinned, so a change on either side shows up.
"""

import json

import frictionless  # a dev dependency: the reference implementation
import pytest

from fixtures.files import read_rows, write_rows
from vnru.data import datapackage, tableschema
from vnru.paths import BUNDLED_DATA_DIR, SCHEMA_PATH

# Probe values per field type: valid and invalid, plain and odd.
PROBES = {
    "string": ["", " ", "x", "abc_def", "ABC", "a b", "1", "zz-9", "Ru", "RUS", "ru_in_vn", "VN", "milestone"],
    "integer": ["", "0", "-1", "1", "5", "13", "+3", " 7", "2.5", "1e3", "x", "1950", "1949", "2101", "1,000"],
    "number": ["", "0", "-0.5", "3.25", "1e3", " 4.5", "+.5", ".5", "5.", "x", "1,000", "3.6bn", "-1"],
    "date": ["", "2024-06-19", "2024-02-30", "19/06/2024", "2024-06", "2024", "x", "1989-12-31", "2101-01-01"],
}
# Cells vnru rejects on purpose though frictionless takes them: they are not what a curated CSV should hold.
STRICTER = {
    ("number", "nan"), ("number", "inf"), ("number", "-Infinity"),  # an empty cell is how a gap is written
    ("date", "2024-6-1"), ("date", "2024-06-1"),  # dates are written YYYY-MM-DD, zero-padded
    ("integer", "1_000"), ("number", "1_000.5"),  # Python's digit grouping, not CSV's
}


def frictionless_findings(data_dir, name):
    """{(row, what)} frictionless reports for table ``name``: what is a column name, 'key', 'fk' or 'row'."""
    resources = [dict(r, encoding="utf-8-sig", schema=dict(r["schema"], fieldsMatch="equal"))
                 for r in datapackage.descriptor()["resources"]]
    package = frictionless.Package({"name": "vnru", "resources": resources}, basepath=str(data_dir))
    report = package.get_resource(name).validate(limit_errors=10_000)
    assert not report.errors, report.errors
    found = set()
    for error in report.tasks[0].errors:
        if error.type == "primary-key" and "all" in error.note:  # an empty key: vnru reports the cells as required
            continue
        kind = {"primary-key": "key", "foreign-key": "fk", "blank-row": "row",
                "missing-cell": "row", "extra-cell": "row"}.get(error.type)
        found.add((error.row_number, kind or error.field_name))
    return found


def vnru_findings(data_dir, name):
    res = datapackage.resource(name)
    problems, _ = datapackage.validate(data_dir, [name], limit=10_000)
    found = set()
    for p in problems:
        if p.message.startswith("duplicate key"):
            found.add((p.row, "key"))
        elif "not found in" in p.message:
            found.add((p.row, "fk"))
        elif p.column is None:
            found.add((p.row, "row"))
        else:
            found.add((p.row, p.column))
    assert all(p.file == res["path"] for p in problems)
    return found


def test_the_descriptor_is_a_valid_data_package():
    package = frictionless.Package(str(SCHEMA_PATH))  # raises FrictionlessException when the descriptor is invalid
    assert [r.name for r in package.resources] == datapackage.table_names()


def test_the_bundled_data_passes_frictionless_and_vnru():
    report = frictionless.validate(str(SCHEMA_PATH))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])[:5]
    problems, _ = datapackage.validate(BUNDLED_DATA_DIR)
    assert problems == []


@pytest.mark.parametrize("name", datapackage.table_names())
def test_probe_cells_are_flagged_alike(name, data_copy):
    """Every probe value in every column, one row each: both validators flag the same (row, column)s."""
    path = data_copy / datapackage.resource(name)["path"]
    rows = read_rows(path)
    header, template = rows[0], rows[1]
    probes = []
    for field in datapackage.fields(name):
        col = header.index(field["name"])
        values = PROBES[field["type"]] + [str(v) for v in field.get("constraints", {}).get("enum", [])]
        for value in values:
            row = list(template)
            row[col] = value
            probes.append(row)
    write_rows(path, [header, *rows[1:], *probes])
    ours, theirs = vnru_findings(data_copy, name), frictionless_findings(data_copy, name)
    assert len(ours) > 10  # the probes do hit something
    assert ours == theirs, {"vnru only": sorted(ours - theirs, key=str), "frictionless only": sorted(theirs - ours, key=str)}


def test_row_shapes_and_references_are_flagged_alike(data_copy):
    path = data_copy / "timeline.csv"
    rows = read_rows(path)
    header, good = rows[0], rows[1:]
    short, long_, dangling = good[0][:-2], [*good[1], "extra"], list(good[2])
    dangling[header.index("source_id")] = "nobody-1999-01-01"
    dangling[header.index("event_id")] = "a-fresh-event-id"
    duplicate = list(good[3])
    write_rows(path, [header, *good, short, long_, [], dangling, duplicate])
    ours, theirs = vnru_findings(data_copy, "timeline"), frictionless_findings(data_copy, "timeline")
    n = len(good) + 1
    assert ours == {(n + 1, "row"), (n + 2, "row"), (n + 3, "row"), (n + 4, "fk"), (n + 5, "key")}
    # a row of the wrong length is one problem for vnru; frictionless goes on to check its cells and key
    assert {row for row, _ in theirs} == {row for row, _ in ours}


@pytest.mark.parametrize("kind, value", sorted(STRICTER))
def test_vnru_is_stricter_only_where_listed(kind, value):
    assert tableschema.cast(kind, value) is None
    field = frictionless.Field.from_descriptor({"name": "x", "type": kind})
    assert field.read_cell(value)[1] is None, f"frictionless now rejects {value!r} too: drop it from STRICTER"


def test_a_descriptor_asking_for_an_unchecked_rule_is_refused():
    trade = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["resources"][1]
    trade["schema"]["fields"][0]["constraints"]["exclusiveMinimum"] = 0
    trade["schema"]["fields"][1]["type"] = "boolean"
    assert tableschema.unsupported(trade) == [f"trade.{trade['schema']['fields'][0]['name']}: constraint 'exclusiveMinimum'",
                                              f"trade.{trade['schema']['fields'][1]['name']}: type 'boolean'"]


def test_a_key_named_by_a_plain_string_is_checked_like_a_list():
    timeline = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["resources"][3]
    fk = timeline["schema"]["foreignKeys"][0]
    fk["fields"], fk["reference"]["fields"] = "source_id", "source_id"  # the spec allows either form
    assert tableschema.unsupported(timeline) == []
    assert tableschema.names("source_id") == ["source_id"] == tableschema.names(["source_id"])
