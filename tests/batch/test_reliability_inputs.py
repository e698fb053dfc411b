"""Issue 14, bad inputs: relative data directories, broken notebooks, reports written into data, huge CSV
cells, non-finite numbers, absurd parameter values, reserved names and odd earlier manifests, a bad byte in
sources.csv, the data checksum, and the Python API's own errors.

Through the real CLI where there is one: one line, the documented exit code, no traceback, data/ unchanged
(the autouse fixture from test_bad_inputs checks the bundled data and notebooks around every test).
"""

import builtins
import json
import math
import os
import shutil

import numpy as np
import pandas as pd
import pytest

from fixtures.cli import ECHO_CELLS, ECHO_PARAMS, make_notebook
from fixtures.files import read_rows, write_rows
from fixtures.inputs import _env, bundled_files_unchanged, manifest_of, only_line, the_line, vnru  # noqa: F401
from vnru.errors import DataError, ParameterError, UsageError
from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR


def strict_load(path):
    """JSON as the spec has it: NaN and Infinity are refused."""
    def refuse(word):
        raise ValueError(f"not JSON: {word}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


# --- 4. a relative data directory means the same directory for the runner and the kernels ---------------

def test_a_relative_vnru_data_dir_is_read_from_where_vnru_runs(data_copy, tmp_path):
    """notebooks/mydata (broken) and ./mydata (good) both exist: the run must read ./mydata, as validate does."""
    from vnru.batch.runner import data_checksum

    nbs = tmp_path / "nbs"
    make_notebook(nbs, "where", 'data_dir: str = ""  # "" = $VNRU_DATA_DIR or the bundled data',
                  ["import vnru\nvnru.record('rows', len(vnru.load_trade(data_dir or None)))"])
    shutil.copytree(data_copy, tmp_path / "mydata")
    shutil.copytree(data_copy, nbs / "mydata")
    rows = read_rows(nbs / "mydata" / "trade.csv")
    write_rows(nbs / "mydata" / "trade.csv", rows[:1])  # the wrong directory: no trade figures at all
    env = _env(VNRU_DATA_DIR="mydata")
    assert vnru("validate", env=env, cwd=tmp_path).returncode == 0
    result = vnru("run", "--notebooks-dir", nbs, "--out", "r", "-q", "--no-html", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    manifest = manifest_of(tmp_path / "r")
    report = manifest["reports"][0]
    assert report["results"] == {"rows": len(read_rows(data_copy / "trade.csv")) - 1}
    assert report["data_dir"] == manifest["data_dir"] == str((tmp_path / "mydata").resolve())
    assert report["data_sha256"] == data_checksum(tmp_path / "mydata") != data_checksum(nbs / "mydata")


# --- 5. a broken notebook fails alone; 11. a notebook named index -------------------------------------

BROKEN = {"empty": (b"", "empty.ipynb is empty: it is not a notebook"),
          "garbage": (b"{not json", ("garbage.ipynb is not valid JSON: Expecting property name enclosed in "
                                     "double quotes (line 1, column 2)")),
          "listed": (b"[]", "listed.ipynb is not a Jupyter notebook (it needs a list of cells)"),
          "utf16": ('{"cells": [], "x": "Vi\u1ec7t"}'.encode("utf-16"),
                    "utf16.ipynb is not UTF-8 text (invalid start byte at byte 0)")}


def _broken_notebooks(directory):
    """A good notebook among broken ones; name -> the one-line reason each broken one gives."""
    make_notebook(directory, "square", "n: int = 3  # a number", ["import vnru\nvnru.record('square', n * n)"])
    make_notebook(directory, "badparams", "n: int = (", ["x = 1"])
    make_notebook(directory, "index", "n: int = 1", ["x = 1"])
    for name, (raw, _) in BROKEN.items():
        (directory / f"{name}.ipynb").write_bytes(raw)
    (directory / "latin1.ipynb").write_bytes('{"cells": [], "t": "caf\u00e9"}'.encode("latin-1"))
    reasons = {name: why for name, (_, why) in BROKEN.items()}
    reasons["latin1"] = "latin1.ipynb is not UTF-8 text (invalid continuation byte at byte 23)"
    reasons["badparams"] = "badparams.ipynb: parameters cell is not valid Python: '(' was never closed (line 1)"
    reasons["index"] = ("a notebook may not be named index.ipynb: its page would be overwritten by the run's "
                        "index.html; rename it")
    return reasons


def test_a_broken_notebook_fails_alone_and_is_listed_as_broken(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "r"
    reasons = _broken_notebooks(nbs)
    listed = vnru("list", "--notebooks-dir", nbs)
    assert listed.returncode == 1
    for name, why in reasons.items():
        assert the_line(listed.stdout, f"{name}: BROKEN") == f"{name}: BROKEN: {why}"
    the_line(listed.stdout, "square: square")

    result = vnru("run", "--notebooks-dir", nbs, "--out", out, "-q", "--no-html")
    assert result.returncode == 1
    assert sorted(result.stderr.splitlines()) == sorted(f"FAILED {n}: NotebookError: {w}" for n, w in reasons.items())
    the_line(result.stdout, f"1 of {len(reasons) + 1} notebooks ok")
    reports = {r["name"]: r for r in manifest_of(out)["reports"]}
    assert reports["square"]["status"] == "ok" and reports["square"]["results"] == {"square": 9}
    for name, why in reasons.items():
        assert (reports[name]["status"], reports[name]["error"]) == ("failed", f"NotebookError: {why}")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>vnru reports</title>" in index  # the run's own index page
    assert "may not be named index.ipynb" in index  # the refused notebook's card says why


def test_only_broken_notebooks_still_give_a_manifest_and_exit_1(tmp_path):
    nbs, out = tmp_path / "nbs", tmp_path / "r"
    nbs.mkdir()
    (nbs / "garbage.ipynb").write_bytes(b"{not json")
    result = vnru("run", "--notebooks-dir", nbs, "--out", out, "-q", "-p", "n", "1")
    assert result.returncode == 1
    assert only_line(result.stderr).startswith("FAILED garbage: NotebookError: garbage.ipynb is not valid JSON")
    assert manifest_of(out)["status"] == "failed" and sorted(p.name for p in out.iterdir()) == [
        "index.html", "manifest.json"]


# --- 6. no run writes into a data directory -------------------------------------------------------------

def test_reports_are_never_written_into_a_data_directory(data_copy, tmp_path):
    link = tmp_path / "link-to-data"
    link.symlink_to(data_copy, target_is_directory=True)
    cases = [(["--data-dir", data_copy, "--out", data_copy], None, f"is the data directory {data_copy}:"),
             (["--data-dir", data_copy, "--out", data_copy / "reports"], None, "inside the data directory"),
             (["--data-dir", data_copy, "--out", link / "reports"], None, f"inside the data directory {data_copy}"),
             (["--out", "reports"], data_copy, f"inside the data directory {data_copy}"),  # started in data/
             (["-p", "data_dir", data_copy, "--out", data_copy / "r"], None, "inside the data directory"),
             (["--out", BUNDLED_DATA_DIR / "reports"], None, f"inside the data directory {BUNDLED_DATA_DIR}"),
             (["--data-dir", data_copy, "--out", tmp_path], None, f"holds the data directory {data_copy}"),
             (["--out", NOTEBOOKS_DIR], None, "is the notebooks directory")]
    before = sorted(p.name for p in data_copy.iterdir())
    for args, cwd, words in cases:
        env = _env(VNRU_DATA_DIR=data_copy) if cwd else None
        result = vnru("run", "trade_growth", "-q", *args, env=env, cwd=cwd)
        assert result.returncode == 2, (args, result.stderr)
        line = only_line(result.stderr)
        assert line.startswith("Usage error: --out ") and words in line, line
    assert sorted(p.name for p in data_copy.iterdir()) == before
    assert not (BUNDLED_DATA_DIR / "reports").exists()


# --- 8. a CSV cell past the csv module's limit; 12. a bad byte in sources.csv ---------------------------

def _long_cell(d):
    row = set_note(d / "sources.csv", "x" * 140_000)
    return f"sources.csv, row {row}: a cell longer than 131,072 characters"


def _stray_quote(d):
    rows = read_rows(d / "sources.csv")  # the header too: the new row's number is one more
    with open(d / "sources.csv", "a", encoding="utf-8") as handle:  # a quote opens a cell that never closes
        handle.write('extra-2024-01-01,"Oops, a title\n' + "more rows, never a quote\n" * 10_000)
    return f"sources.csv, row {len(rows) + 1}: a cell longer than 131,072 characters (a stray double quote"


def set_note(path, note):
    rows = read_rows(path)
    rows[2][rows[0].index("note")] = note
    write_rows(path, rows)
    return 3


@pytest.mark.parametrize("break_data", [_long_cell, _stray_quote], ids=["long cell", "stray quote"])
def test_a_csv_cell_past_the_limit_names_file_and_row(break_data, data_copy, tmp_path):
    message = break_data(data_copy)
    result = vnru("validate", "--data-dir", data_copy)
    assert result.returncode == 1
    assert the_line(result.stderr, "sources.csv").strip().startswith(message)
    assert the_line(result.stderr, "1 problem(s)")


def test_a_run_on_a_csv_cell_past_the_limit_names_file_and_row(data_copy, tmp_path):
    message = _long_cell(data_copy)
    result = vnru("run", "diplomatic_timeline", "--data-dir", data_copy, "--out", tmp_path / "r", "-q", "--no-html")
    assert result.returncode == 1
    assert only_line(result.stderr).startswith(f"FAILED diplomatic_timeline: DataError: {data_copy}/{message}")


def test_one_bad_byte_in_sources_is_one_problem_not_a_cascade(data_copy, tmp_path):
    raw = (data_copy / "sources.csv").read_bytes()
    lines = raw.split(b"\n")
    lines[4] = lines[4].replace(b",", b",\xff", 1)
    (data_copy / "sources.csv").write_bytes(b"\n".join(lines))
    message = "sources.csv, row 5: not UTF-8 text (invalid start byte: byte 0xff at offset "
    result = vnru("validate", "--data-dir", data_copy)
    assert result.returncode == 1
    assert the_line(result.stderr, "problem(s)").strip() == "1 problem(s):"
    assert the_line(result.stderr, "sources.csv").strip().startswith(message)
    assert "not found in sources.csv" not in result.stderr
    with pytest.raises(DataError, match=r"sources\.csv, row 5: not UTF-8 text .*save the file as UTF-8$"):
        __import__("vnru").load_trade(data_copy)  # the table's own check names the real problem too


# --- 9. non-finite numbers; 10. absurd sizes -------------------------------------------------------------

BIG = "1" * 5000

USAGE = [
    (["trade_growth", "--timeout", "nan"], "--timeout must be a positive, finite number of seconds; got nan"),
    (["trade_growth", "--timeout", "inf"], "--timeout must be a positive, finite number of seconds; got inf"),
    (["trade_growth", "--out", ""], '--out must not be empty; name a directory ("." for the current one)'),
    (["investment_rankings", "-p", "top_n", BIG],
     "parameter top_n expects a whole number of at most 4300 digits; got '1111111111"),
    (["investment_rankings", "-y", f"top_n: {BIG}"], "-y holds a value that cannot be read: Exceeds the limit"),
    (["trade_growth", "-y", "[" * 3000 + "]" * 3000], "-y is nested too deeply"),
    (["trade_growth", "-y", "{start: " + "[" * 3000 + "]" * 3000 + "}"], "-y is nested too deeply"),
    (["investment_rankings", "-y", "top_n: " + "[" * 30 + "]" * 30],
     "parameter top_n expects a whole number; got [[[[[...]]]]] (-y)"),
]


@pytest.mark.parametrize("args, message", USAGE, ids=["timeout nan", "timeout inf", "out empty", "int 5000 digits",
                                                       "yaml int 5000 digits", "yaml 3000 deep", "yaml value deep",
                                                       "yaml value 30 deep"])
def test_absurd_values_are_one_line_usage_errors(args, message, tmp_path):
    result = vnru("run", *args, "-q", cwd=tmp_path)
    assert result.returncode == 2
    line = only_line(result.stderr)
    assert line.startswith(f"Usage error: {message}") and len(line) < 400, line
    assert list(tmp_path.iterdir()) == []


FLOATS = [(["-p", "ratio", "nan"], "got 'nan' (-p)"), (["-p", "ratio", "-inf"], "got '-inf' (-p)"),
          (["-p", "ratio", "1" * 401], "got '1111"), (["-y", "ratio: .nan"], "got nan (-y)"),
          (["-y", f"ratio: {'1' * 401}"], "got 1111"), (["-y", "tags: [1, .inf]"], "got [1, inf] (-y)"),
          (["-y", "tags: " + "[" * 25 + "]" * 25], "got [[[[[...]]]]] (-y)")]


@pytest.mark.parametrize("args, got", FLOATS, ids=["nan", "-inf", "401 digits", "yaml nan", "yaml 401 digits",
                                                   "inf in a list", "list 25 deep"])
def test_non_finite_or_absurd_float_parameters_are_usage_errors(args, got, tmp_path):
    make_notebook(tmp_path / "nbs", "echo", ECHO_PARAMS, ECHO_CELLS)
    result = vnru("run", "--notebooks-dir", tmp_path / "nbs", *args, "--out", tmp_path / "r", "-q")
    assert result.returncode == 2
    line = only_line(result.stderr)
    assert line.startswith("Usage error: parameter ") and got in line, line
    assert ("a finite number (not NaN or infinity)" in line or "expects a number" in line
            or "nested at most 20 levels" in line), line
    assert not (tmp_path / "r").exists()


def test_the_manifest_is_strict_json_and_a_malformed_earlier_one_is_replaced(tmp_path, monkeypatch, capsys):
    """A NaN reaching the results (recorded, or in an earlier manifest) is stored as null; the earlier manifest
    of an unexpected shape is named in one warning before anything runs, then replaced. The data are
    checksummed once a run."""
    from vnru.batch import runner

    nbs, out = tmp_path / "nbs", tmp_path / "r"
    monkeypatch.delenv("VNRU_DATA_DIR", raising=False)
    make_notebook(nbs, "raw", "n: int = 1", ["import vnru\nvnru.record('gap', float('nan'))"])
    make_notebook(nbs, "other", "n: int = 1", ["import vnru\nvnru.record('n', n)"])
    out.mkdir()
    (out / "other.ipynb").write_text("{}", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"started": "then", "reports": [
        {"name": "other", "status": "ok", "results": [1], "files": {"ipynb": "other.ipynb"}}]}), encoding="utf-8")
    calls = []
    monkeypatch.setattr(runner, "data_checksum", lambda d: calls.append(d) or "sum")
    manifest = runner.run_notebooks(["raw"], notebooks_dir=nbs, out_dir=out, html=False)
    warning = only_line(capsys.readouterr().err)
    assert warning == (f"Warning: ignoring the earlier {out / 'manifest.json'} (reports[0].results is not dict); "
                       "this run replaces it")
    assert manifest["status"] == "ok" and calls == [BUNDLED_DATA_DIR]
    written = strict_load(out / "manifest.json")
    assert [(r["name"], r["results"]) for r in written["reports"]] == [("raw", {"gap": None})]

    (out / "manifest.json").write_text(json.dumps({"started": "then", "reports": [
        {"name": "other", "status": "ok", "results": {"gap": math.inf}, "files": {"ipynb": "other.ipynb"}}]}),
        encoding="utf-8")  # Python's json writes Infinity: not JSON, but a shape the kit carries over
    runner.run_notebooks("raw", notebooks_dir=nbs, out_dir=out, html=False)
    assert capsys.readouterr().err == ""
    assert {r["name"]: r["results"] for r in strict_load(out / "manifest.json")["reports"]} == {
        "other": {"gap": None}, "raw": {"gap": None}}


# --- 13. the checksum reads the package's own files, once -------------------------------------------------

def test_the_data_checksum_never_reads_an_unrelated_csv(data_copy, monkeypatch):
    from vnru.batch.runner import data_checksum

    unrelated = data_copy / "huge_unrelated.csv"
    with open(unrelated, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    before = data_checksum(data_copy)
    unrelated.write_bytes(b"a,b\n1,2\n")
    assert data_checksum(data_copy) == before
    opened, real_open = [], builtins.open
    monkeypatch.setattr(builtins, "open", lambda file, *a, **k: opened.append(os.fspath(file)) or real_open(file, *a, **k))
    assert data_checksum(data_copy) == before
    own = sorted(str(data_copy / p.name) for p in BUNDLED_DATA_DIR.iterdir())
    assert sorted(opened) == own  # each of the package's files once, nothing else
    (data_copy / "trade.csv").write_bytes((data_copy / "trade.csv").read_bytes() + b"\n")
    assert data_checksum(data_copy) != before


# --- 15. the Python API's own errors ---------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    (pd.DataFrame({"a": [1]}), "cannot record a DataFrame: record a number"),
    (pd.Series([1, 2]), "cannot record a Series"), (np.array([1.0, 2.0]), "cannot record a ndarray"),
], ids=["DataFrame", "Series", "ndarray"])
def test_record_refuses_tables_and_arrays_with_its_own_error(value, words):
    import vnru

    with pytest.raises(ParameterError, match=words):
        vnru.record("table", value)


def test_record_stores_numpy_dates_as_iso_text_and_refuses_a_list_in_itself():
    from vnru.report.results import _plain

    assert _plain(np.datetime64("2024-06-19")) == "2024-06-19"
    assert _plain(np.datetime64("2024-06-19T10:30:00")) == "2024-06-19T10:30:00"
    assert _plain(np.datetime64("2024-06-19T00:00:00.000000000")) == "2024-06-19"
    assert _plain([np.datetime64("NaT"), np.float64("nan"), np.int64(3)]) == [None, None, 3]
    looped = [1]
    looped.append(looped)
    with pytest.raises(ParameterError, match="cannot record a list that contains itself"):
        _plain(looped)
    shared = [1]
    assert _plain([shared, shared]) == [[1], [1]]  # the same list twice is not a loop


def test_cite_checks_its_arguments():
    import vnru

    ids = list(vnru.load_trade().source_id.unique()[:2])
    with pytest.raises(ParameterError, match=r"limit must be a whole number of at least 1 \(or None for all\); got 0"):
        vnru.cite(ids, limit=0)
    with pytest.raises(ParameterError, match="cite\\(\\) takes a source_id or a list of them.*got NoneType"):
        vnru.cite(None)
    with pytest.raises(ParameterError, match="got int"):
        vnru.cite(123)
    assert vnru.cite(ids, limit=None) == vnru.cite(ids) and vnru.cite(ids, limit=1).endswith("and 1 more (see sources.csv)")


def test_loaders_and_run_notebooks_give_the_kits_errors(tmp_path, monkeypatch):
    import vnru
    from vnru.batch.runner import run_notebooks

    monkeypatch.chdir(tmp_path)  # were out_dir="" taken as ".", the reports would land here

    with pytest.raises(ParameterError, match="data_dir must be a path \\(text or pathlib.Path\\); got int '123'"):
        vnru.load_trade(data_dir=123)
    for kwargs, message in [({"jobs": "2"}, "--jobs must be a whole number; got '2'"),
                            ({"jobs": 0}, "--jobs must be at least 1; got 0"),
                            ({"timeout": "10"}, "--timeout must be a number of seconds; got '10'"),
                            ({"timeout": 10 ** 400}, "--timeout must be a positive, finite number of seconds"),
                            ({"out_dir": None}, "--out must be a path (text or pathlib.Path); got None"),
                            ({"out_dir": ""}, "--out must not be empty"),
                            ({"notebooks_dir": 5}, "--notebooks-dir must be a path (text or pathlib.Path); got 5"),
                            ({"names": 7}, "names must be a notebook name or a list of them; got 7"),
                            ({"names": ["trade_growth", 7]}, "notebook names must be text; got 7"),
                            ({"names": "trade_grwth"}, "unknown notebook 'trade_grwth'; available: ")]:
        with pytest.raises(UsageError) as caught:
            run_notebooks(**{"out_dir": tmp_path / "r"} | kwargs)
        assert str(caught.value).startswith(message), caught.value
    assert not (tmp_path / "r").exists()


def test_run_notebooks_takes_one_name_as_one_notebook(tmp_path):
    from vnru.batch.runner import run_notebooks

    make_notebook(tmp_path / "nbs", "square", "n: int = 3", ["import vnru\nvnru.record('square', n * n)"])
    make_notebook(tmp_path / "nbs", "s", "n: int = 3", ["raise ValueError('s ran')"])  # a letter of 'square'
    manifest = run_notebooks("square", {"n": 4}, notebooks_dir=tmp_path / "nbs", out_dir=tmp_path / "r", html=False)
    assert [(r["name"], r["results"]) for r in manifest["reports"]] == [("square", {"square": 16})]


def test_a_parameter_nested_past_the_limit_or_non_finite_is_refused_by_convert():
    from vnru.batch.notebooks import Parameter, convert

    tags = Parameter("tags", "list", [], "[]")
    ratio = Parameter("ratio", "float", 0.5, "0.5")
    with pytest.raises(UsageError, match="nested at most 20 levels deep"):
        convert(tags, [[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]], "-y")
    with pytest.raises(UsageError, match=r"expects a finite number \(not NaN or infinity\); got nan"):
        convert(ratio, float("nan"))
    assert convert(ratio, "1e3") == 1000.0 and convert(tags, "[1, 2]") == [1, 2]
