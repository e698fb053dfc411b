"""Parameters of a batch run: read from the parameters cell, converted to the declared types, planned."""

import pytest

from vnru.batch.notebooks import Parameter, convert, parse_parameters, plan
from vnru.batch.runner import data_checksum
from vnru.errors import NotebookError, UsageError

CELL = '''# comment lines are skipped
start_year: int = 1992  # first year shown
data_dir: str = ""  # data directory ("" = bundled data)
share: float = 0.5
names: list = ["a",
               "b"]  # spans two lines
limit: int | None = None  # optional
plain = True
'''


def test_parse_reads_names_types_defaults_and_help():
    params = {p.name: p for p in parse_parameters(CELL)}
    assert list(params) == ["start_year", "data_dir", "share", "names", "limit", "plain"]
    assert params["start_year"] == Parameter("start_year", "int", 1992, "1992", "first year shown")
    # papermill's inspector drops this line: its help comment contains "="
    assert params["data_dir"] == Parameter("data_dir", "str", "", '""', 'data directory ("" = bundled data)')
    assert (params["share"].type, params["share"].default, params["share"].help) == ("float", 0.5, "")
    assert (params["names"].default, params["names"].help) == (["a", "b"], "spans two lines")
    assert (params["limit"].type, params["limit"].default) == ("int | None", None)
    assert (params["plain"].type, params["plain"].default) == ("bool", True)


def test_parse_rejects_a_broken_cell():
    with pytest.raises(NotebookError, match="not valid Python"):  # that notebook fails alone: not a usage error
        parse_parameters("x: int = (")


def _p(kind, default=None):
    return Parameter("x", kind, default, repr(default))


@pytest.mark.parametrize("kind, given, expected", [
    ("str", "001", "001"), ("int", "2016", 2016), ("int", " -3", -3), ("int", 7, 7), ("float", "2", 2.0),
    ("float", 3, 3.0), ("bool", "yes", True), ("bool", "False", False), ("bool", True, True),
    ("list", "[a, 2]", ["a", 2]), ("list", ("a",), ["a"]), ("dict", "{a: 1}", {"a": 1}),
    ("int | None", "none", None), ("Optional[int]", "5", 5), ("str", 2010, "2010"), ("", "anything", "anything"),
])
def test_convert_to_the_declared_type(kind, given, expected):
    value = convert(_p(kind), given)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("kind, given, message", [
    ("int", "2016.5", "expects a whole number; got '2016.5'"), ("int", True, "expects a whole number"),
    ("float", "abc", "expects a number"), ("bool", "maybe", "expects true or false"),
    ("str", 1.5, "expects text (quote the value in YAML)"), ("str", True, "expects text"), ("list", "{a: 1}", "expects a list"),
    ("int", None, "expects int"),
])
def test_convert_rejects_what_does_not_fit(kind, given, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        convert(_p(kind, 0), given)


DECLARED = {"a": [Parameter("n", "int", 1, "1"), Parameter("data_dir", "str", "", '""')],
            "b": [Parameter("n", "int", 2, "2"), Parameter("label", "str", "x", '"x"')]}


def test_plan_applies_globals_sections_and_dotted_keys_in_order():
    sources = [("file f", {"n": "5", "a": {"data_dir": "d"}, "c": {"zzz": 1}}),
               ("-y", {"b": {"label": "y"}}), ("-p", {"b.n": "9"})]
    assert plan(DECLARED, DECLARED, sources, all_names=["a", "b", "c"]) == {
        "a": {"n": 5, "data_dir": "d"}, "b": {"n": 9, "label": "y"}}


def test_plan_skips_notebooks_not_selected_and_rejects_undeclared_names():
    only_a = {"a": DECLARED["a"]}
    assert plan(only_a, DECLARED, [("-p", {"b.label": "z", "n": "3"})], ["a", "b"]) == {"a": {"n": 3}}
    with pytest.raises(UsageError, match="notebook a has no parameter 'label'.*its parameters: n, data_dir"):
        plan(only_a, DECLARED, [("-p", {"label": "z"})], ["a", "b"])
    with pytest.raises(UsageError, match="no selected notebook has a parameter 'm'.*parameters: data_dir, label, n"):
        plan(DECLARED, DECLARED, [("-p", {"m": "1"})], ["a", "b"])
    with pytest.raises(UsageError, match="notebook b has no parameter 'nn'"):
        plan(DECLARED, DECLARED, [("file f", {"b": {"nn": 1}})], ["a", "b"])


def test_data_checksum_covers_the_package_files_only(tmp_path):
    import hashlib

    (tmp_path / "trade.csv").write_bytes(b"x\n1\n")
    (tmp_path / "datapackage.json").write_bytes(b"{}")
    (tmp_path / "notes.txt").write_bytes(b"ignored")
    (tmp_path / "b.csv").write_bytes(b"not a table of the package")
    expected = hashlib.sha256(b"datapackage.json\0{}\0trade.csv\0x\n1\n\0").hexdigest()
    assert data_checksum(tmp_path) == expected
    (tmp_path / "notes.txt").write_bytes(b"changed")
    (tmp_path / "b.csv").write_bytes(b"changed")
    assert data_checksum(tmp_path) == expected
    (tmp_path / "trade.csv").write_bytes(b"x\n2\n")
    assert data_checksum(tmp_path) != expected
