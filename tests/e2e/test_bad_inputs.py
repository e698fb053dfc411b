"""Bad inputs through the real CLI: each ends in one line naming the problem, the documented exit code,
no traceback, and the bundled data/ untouched (checked around every test of this module).

Exit codes: 2 for a usage error (caught before anything runs), 1 when the data or a notebook fails.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.files import read_rows, write_rows
from fixtures.inputs import _env, _snapshot, manifest_of, only_line, the_line, vnru
from vnru.data import datapackage
from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR

NOTEBOOKS = ["diplomatic_timeline", "investment_rankings", "trade_growth"]
ALL_NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))  # what `vnru run` finds
HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- helpers -------------------------------------------------------------------------------------------















def declared(name):
    """Parameter names from the notebook's cell tagged parameters, read from the JSON directly."""
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    return re.findall(r"^(\w+)\s*:", "".join(cell["source"]), flags=re.MULTILINE)


def set_cell(path, column, value, where=lambda row: True):
    """Set ``column`` of the first data row matching ``where`` (a dict); return its spreadsheet row number."""
    rows = read_rows(path)
    col = rows[0].index(column)
    index = next(i for i, row in enumerate(rows[1:], start=1) if where(dict(zip(rows[0], row))))
    rows[index][col] = value
    write_rows(path, rows)
    return index + 1  # the header is row 1


@pytest.fixture(scope="module")
def good_run(full_run):
    """The session's good run (HTML included) of every notebook on the bundled data (conftest.full_run); read
    only: a test that changes it copies it first."""
    assert full_run.result.returncode == 0, full_run.result.stderr
    assert "Traceback" not in full_run.result.stderr and "Traceback" not in full_run.result.stdout
    return full_run.out


# --- 1. parameter values the notebooks reject: exit 1, the failure in the manifest ------------------

def _first_league_date():
    return min(row[0] for row in read_rows(BUNDLED_DATA_DIR / "vn_fdi_investors.csv")[1:])


NOTEBOOK_REJECTS = [
    ("trade_growth", ["reporter", "XX"], "reporter must be one of 'VN', 'RU', 'both'; got 'XX'"),
    ("trade_growth", ["start", "1800"], "start must be between 1950 and 2100; got 1800"),
    ("trade_growth", ["milestones", "2024-putin"], "milestones has unknown event id(s) '2024-putin'"),
    ("trade_growth", ["data_dir", "{tmp}/nowhere"], "data_dir '{tmp}/nowhere' is not a directory"),
    ("investment_rankings", ["direction", "sideways"],
     "direction must be one of 'ru_in_vn', 'vn_in_ru', 'both'; got 'sideways'"),
    ("investment_rankings", ["top_n", "-3"], "top_n must be between 1 and 30; got -3"),
    ("investment_rankings", ["start", "notadate"],
     "start must be a date such as 2024-06-19 (or 2024-06, 2024 or today); got 'notadate'"),
    ("investment_rankings", ["league_date", "1900"],
     "no ranking of investors on or before 1900-01-01; the first is {first_league}"),
    ("diplomatic_timeline", ["categories", "party"], "categories has unknown value(s) 'party'; valid choices: "),
    ("diplomatic_timeline", ["start", "notadate"],
     "start must be a date such as 2024-06-19 (or 2024-06, 2024 or today); got 'notadate'"),
    ("diplomatic_timeline", ["window_days", "0"], "window_days must be between 1 and 36500; got 0"),
]


@pytest.mark.parametrize("name, param, message", NOTEBOOK_REJECTS,
                         ids=[f"{n}-{p[0]}" for n, p, _ in NOTEBOOK_REJECTS])
def test_a_value_the_notebook_rejects_fails_that_run_with_one_line(name, param, message, tmp_path):
    out = tmp_path / "r"
    key, value = param[0], param[1].format(tmp=tmp_path)
    message = message.format(tmp=tmp_path, first_league=_first_league_date() if "league" in key else "")
    result = vnru("run", name, "-p", key, value, "--out", out, "-q", "--no-html")
    assert result.returncode == 1
    line = only_line(result.stderr)
    assert line.startswith(f"FAILED {name}: ParameterError: {message}")
    the_line(result.stdout, "0 of 1 notebooks ok")
    report = manifest_of(out)["reports"][0]
    assert report["status"] == "failed" and report["error"].startswith(f"ParameterError: {message}")
    assert line == f"FAILED {name}: {report['error']}"
    assert report["error_cell"] is not None and (out / f"{name}.ipynb").is_file()  # kept as papermill left it
    if key == "categories":  # the valid choices are the schema's categories
        timeline = json.loads((BUNDLED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))["resources"]
        field = next(f for r in timeline if r["name"] == "timeline" for f in r["schema"]["fields"]
                     if f["name"] == "category")
        assert all(f"'{c}'" in line for c in field["constraints"]["enum"])


def test_start_after_end_fails_each_notebook_with_its_own_line(tmp_path):
    out = tmp_path / "r"
    result = vnru("run", *NOTEBOOKS, "--out", out, "-q", "--no-html", "--jobs", "2",
                  "-y", "{start: '2020', end: '2010'}")  # issue 24: every notebook declares start and end
    assert result.returncode == 1
    expected = {"trade_growth": "start (2020) is after end (2010)",
                "diplomatic_timeline": "start (2020-01-01) is after end (2010-01-01)",
                "investment_rankings": "start (2020-01-01) is after end (2010-01-01)"}
    assert sorted(result.stderr.strip().splitlines()) == [
        f"FAILED {n}: ParameterError: {expected[n]}" for n in NOTEBOOKS]
    the_line(result.stdout, "0 of 3 notebooks ok")
    assert {r["name"]: r["error"] for r in manifest_of(out)["reports"]} == {
        n: f"ParameterError: {m}" for n, m in expected.items()}


# --- values the CLI rejects before anything runs: exit 2, one line -----------------------------------

CLI_REJECTS = [
    # issue 24: an old name says its new one
    (["trade_growth", "-p", "start_year", "abc"], "notebook trade_growth: parameter 'start_year' was renamed to 'start' (-p)"),
    (["trade_growth", "--sweep", "start_year=2000,2010"],
     "notebook trade_growth: parameter 'start_year' was renamed to 'start' (sweep)"),
    (["-y", "trade_growth: {annotate_events: false}"],
     "notebook trade_growth: parameter 'annotate_events' was renamed to 'milestones' (-y, section trade_growth)"),
    (["trade_products", "-p", "year", "2022"], "notebook trade_products: parameter 'year' was renamed to 'end' (-p)"),
    (["-p", "end_year", "2020"], "notebook diplomatic_timeline: parameter 'end_year' was renamed to 'end' (-p)"),
    (["trade_growth", "-p", "include_partial", "maybe"],
     "parameter include_partial expects true or false; got 'maybe' (-p)"),
    (["investment_rankings", "-p", "top_n", "2.5"], "parameter top_n expects a whole number; got '2.5' (-p)"),
    (["diplomatic_timeline", "-p", "window_days", "soon"],
     "parameter window_days expects a whole number; got 'soon' (-p)"),
    (["-y", "trade_growth: {include_partial: [1, 2]}"],
     "parameter include_partial expects true or false; got [1, 2] (-y, section trade_growth)"),
    (["-y", "investment_rankings.direction: 5.5"],
     "parameter direction expects text (quote the value in YAML); got 5.5 (-y)"),
]


@pytest.mark.parametrize("args, message", CLI_REJECTS, ids=[" ".join(a[-2:]) for a, _ in CLI_REJECTS])
def test_a_value_of_the_wrong_type_is_a_usage_error_before_anything_runs(args, message, tmp_path):
    result = vnru("run", *args, "--out", tmp_path / "r", "-q")
    assert result.returncode == 2
    assert only_line(result.stderr) == f"Usage error: {message}"
    assert not (tmp_path / "r").exists()


# --- 2. undeclared parameters, 3. unknown notebooks ---------------------------------------------------

def test_an_undeclared_parameter_lists_the_declared_ones(tmp_path):
    result = vnru("run", "trade_growth", "-p", "colour", "red", "--out", tmp_path / "r")
    assert result.returncode == 2
    assert only_line(result.stderr) == ("Usage error: notebook trade_growth has no parameter 'colour' (-p); "
                                        f"its parameters: {', '.join(declared('trade_growth'))}")
    everywhere = vnru("run", "-p", "colour", "red", "--out", tmp_path / "r")
    assert everywhere.returncode == 2
    union = sorted({p for n in ALL_NOTEBOOKS for p in declared(n)})
    assert only_line(everywhere.stderr) == ("Usage error: no selected notebook has a parameter 'colour' (-p); "
                                            f"parameters: {', '.join(union)}")
    params = tmp_path / "params.yaml"
    params.write_text("investment_rankings:\n  reporter: VN\n", encoding="utf-8")
    in_file = vnru("run", "-f", params, "--out", tmp_path / "r")
    assert in_file.returncode == 2
    assert only_line(in_file.stderr) == (
        f"Usage error: notebook investment_rankings has no parameter 'reporter' (file {params}, section "
        f"investment_rankings); its parameters: {', '.join(declared('investment_rankings'))}")
    assert not (tmp_path / "r").exists()


@pytest.mark.parametrize("names, unknown", [(["trade_grwth"], "'trade_grwth'"),
                                            (["trade_growth", "nope.ipynb", "x"], "'nope.ipynb', 'x'")])
def test_an_unknown_notebook_lists_the_notebooks(names, unknown, tmp_path):
    result = vnru("run", *names, "--out", tmp_path / "r")
    assert result.returncode == 2
    assert only_line(result.stderr) == f"Usage error: unknown notebook {unknown}; available: {', '.join(ALL_NOTEBOOKS)}"
    assert not (tmp_path / "r").exists()


def test_unreadable_parameter_input_is_one_line(tmp_path):
    binary = tmp_path / "params.yaml"
    binary.write_bytes(b"\xff\xfe start_year: 2000\n")
    result = vnru("run", "trade_growth", "-f", binary, "--out", tmp_path / "r")
    assert result.returncode == 2
    assert only_line(result.stderr) == f"Usage error: file {binary} is not UTF-8 text (invalid start byte at byte 0)"
    listed = tmp_path / "list.yaml"
    listed.write_text("- start_year\n- 2000\n", encoding="utf-8")
    result = vnru("run", "trade_growth", "-f", listed, "--out", tmp_path / "r")
    assert result.returncode == 2
    assert only_line(result.stderr) == f"Usage error: file {listed} must hold a mapping of parameter names to values"
    broken = vnru("run", "trade_growth", "-y", "{start_year: [", "--out", tmp_path / "r")
    assert broken.returncode == 2 and only_line(broken.stderr).startswith("Usage error: -y is not valid YAML: ")
    assert not (tmp_path / "r").exists()


# --- 5. an output directory that cannot be written ----------------------------------------------------

def test_out_is_a_regular_file(tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("keep me", encoding="utf-8")
    result = vnru("run", "trade_growth", "--out", blocker, "-q", "--no-html")
    assert result.returncode == 2
    the_line(result.stderr, "Error: Invalid value for '--out'", str(blocker), "is a file")
    assert blocker.read_text(encoding="utf-8") == "keep me"


def test_out_under_a_regular_file(tmp_path):
    blocker = tmp_path / "report.txt"
    blocker.write_text("keep me", encoding="utf-8")
    out = blocker / "sub" / "reports"
    result = vnru("run", "trade_growth", "--out", out, "-q", "--no-html")
    assert result.returncode == 2
    assert only_line(result.stderr) == f"Usage error: --out {out}: {blocker} is a file, not a directory"
    assert blocker.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


# --- 6. data directory problems -----------------------------------------------------------------------

def _missing_file(d):
    (d / "vn_fdi_investors.csv").unlink()
    return "vn_fdi_investors.csv", f"vn_fdi_investors.csv: file not found in {d}"


def _missing_column(d):
    rows = read_rows(d / "trade.csv")
    rows[0][rows[0].index("yoy_pct")] = "growth"
    write_rows(d / "trade.csv", rows)
    return "trade.csv", "trade.csv, row 1, column 'yoy_pct': missing column 'yoy_pct'"


def _non_numeric(d):
    row = set_cell(d / "trade.csv", "value_usd_m", "3.6bn", lambda r: r["value_usd_m"] and r["reporter"] == "RU")
    return "trade.csv", f"trade.csv, row {row}, column 'value_usd_m': '3.6bn' is not a number"


def _unknown_enum(d):
    row = set_cell(d / "investment.csv", "direction", "sideways", lambda r: r["direction"] == "vn_in_ru")
    return "investment.csv", f"investment.csv, row {row}, column 'direction': 'sideways' is not one of: ru_in_vn, vn_in_ru"


def _duplicate_key(d):
    rows = read_rows(d / "timeline.csv")
    write_rows(d / "timeline.csv", rows + [rows[3]])
    return "timeline.csv", (f"timeline.csv, row {len(rows) + 1}, column 'event_id': duplicate key (event_id): "
                            "same key as row 4")


def _dangling_source(d):
    row = set_cell(d / "timeline.csv", "source_id", "nobody-1999-01-01", lambda r: r["category"] == "visit")
    return "timeline.csv", f"timeline.csv, row {row}, column 'source_id': 'nobody-1999-01-01' not found in sources.csv"


def _empty_csv(d):
    (d / "targets.csv").write_bytes(b"")
    return "targets.csv", "targets.csv, row 1: the file is empty; it needs at least a header row"


def _bad_date(d):
    row = set_cell(d / "investment.csv", "as_of", "18/06/2024", lambda r: r["as_of"] == "2024-04-01")
    return "investment.csv", f"investment.csv, row {row}, column 'as_of': '18/06/2024' is not a date (YYYY-MM-DD)"


BREAKS = {"missing file": _missing_file, "missing column": _missing_column, "non-numeric value": _non_numeric,
          "unknown enum value": _unknown_enum, "duplicate key": _duplicate_key,
          "dangling source_id": _dangling_source, "empty CSV": _empty_csv, "bad date": _bad_date}


@pytest.mark.parametrize("break_data", BREAKS.values(), ids=BREAKS.keys())
def test_validate_names_file_row_and_column(break_data, data_copy):
    file, message = break_data(data_copy)
    result = vnru("validate", "--data-dir", data_copy)
    assert result.returncode == 1
    assert the_line(result.stderr, message).strip() == message
    assert the_line(result.stdout, f" {file} ").endswith("FAILED")
    assert "tables valid" not in result.stdout
    assert not re.search(r"- rows +ok", result.stdout), "a table that was not checked is reported ok"


# The notebook that reads the broken table, and how the data directory is given.
RUN_BREAKS = [("non-numeric value", "trade_growth", "--data-dir"), ("unknown enum value", "investment_rankings", "env"),
              ("missing file", "investment_rankings", "--data-dir"), ("duplicate key", "diplomatic_timeline", "env"),
              ("dangling source_id", "diplomatic_timeline", "--data-dir")]


@pytest.mark.parametrize("case, name, how", RUN_BREAKS, ids=[c for c, _, _ in RUN_BREAKS])
def test_run_on_broken_data_fails_with_file_row_and_column(case, name, how, data_copy, tmp_path):
    _, message = BREAKS[case](data_copy)
    out = tmp_path / "r"
    args, env = ("run", name, "--out", out, "-q", "--no-html"), None
    if how == "env":
        env = _env(VNRU_DATA_DIR=data_copy)
    else:
        args += ("--data-dir", data_copy)
    result = vnru(*args, env=env)
    assert result.returncode == 1
    where = message.replace(f" in {data_copy}", "")  # a missing file: the path is named in full
    prefix = f"FAILED {name}: DataError: {data_copy}/{where}"
    line = only_line(result.stderr)
    assert line.startswith(prefix), line
    report = manifest_of(out)["reports"][0]
    assert report["status"] == "failed" and line == f"FAILED {name}: {report['error']}"
    assert report["data_dir"] == str(data_copy.resolve())


def test_a_data_directory_that_does_not_exist(tmp_path):
    missing = tmp_path / "no-data"
    for args in (["validate", "--data-dir", missing], ["run", "trade_growth", "--data-dir", missing, "--out", tmp_path / "r"]):
        result = vnru(*args)
        assert result.returncode == 1
        assert only_line(result.stderr) == f"Error: data directory not found: {missing}"
    from_env = vnru("validate", env=_env(VNRU_DATA_DIR=missing))
    assert from_env.returncode == 1
    assert only_line(from_env.stderr) == f"Error: data directory not found: {missing} (from $VNRU_DATA_DIR)"
    assert not (tmp_path / "r").exists()


# --- 7. a byte-order mark and Windows line endings load -----------------------------------------------

def test_bom_and_crlf_files_load_and_give_the_same_results(data_copy, tmp_path, good_run):
    for path in data_copy.glob("*.csv"):
        raw = path.read_bytes().replace(b"\r\n", b"\n")
        bom = b"\xef\xbb\xbf" if path.name in {"trade.csv", "timeline.csv", "sources.csv"} else b""
        crlf = path.name != "trade.csv"  # trade.csv: a BOM only; sources and timeline: both
        path.write_bytes(bom + (raw.replace(b"\n", b"\r\n") if crlf else raw))
    assert (data_copy / "timeline.csv").read_bytes().startswith(b"\xef\xbb\xbfevent_id,date,")
    assert b"\r\n" in (data_copy / "timeline.csv").read_bytes()
    result = vnru("validate", "--data-dir", data_copy)
    assert result.returncode == 0, result.stderr
    the_line(result.stdout, f"All {len(datapackage.table_names())} tables valid.")
    out = tmp_path / "r"
    run = vnru("run", "trade_growth", "diplomatic_timeline", "--data-dir", data_copy, "--out", out, "-q",
               "--no-html", "--jobs", "2")
    assert run.returncode == 0, run.stderr
    got = {r["name"]: r["results"] for r in manifest_of(out)["reports"]}
    expected = {r["name"]: r["results"] for r in manifest_of(good_run)["reports"] if r["name"] in got}
    assert sorted(got) == ["diplomatic_timeline", "trade_growth"]
    assert got == expected and got["trade_growth"] and got["diplomatic_timeline"]


# --- 8. hostile strings from a data directory reach the HTML as text ----------------------------------

def test_hostile_data_is_escaped_in_the_report_pages_and_the_index(data_copy, tmp_path):
    first = read_rows(data_copy / "timeline.csv")[1]  # the earliest event: shown in the timeline's table
    set_cell(data_copy / "timeline.csv", "title", f"{HOSTILE} {first[4]}", lambda r: r["event_id"] == first[0])
    cited = read_rows(data_copy / "trade.csv")[1][8]  # trade_growth prints the full citations of its rows
    set_cell(data_copy / "sources.csv", "title", HOSTILE, lambda r: r["source_id"] == cited)
    row = set_cell(data_copy / "investment.csv", "direction", HOSTILE)  # this notebook fails, quoting the value
    out = tmp_path / "r"
    result = vnru("run", *NOTEBOOKS, "--data-dir", data_copy, "--out", out, "-q", "--jobs", "2")
    assert result.returncode == 1
    line = only_line(result.stderr)
    assert line.startswith(f"FAILED investment_rankings: DataError: {data_copy}/investment.csv, row {row}, "
                           f"column 'direction': '{HOSTILE}' is not one of: ru_in_vn, vn_in_ru")
    pages = {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in ["index", *NOTEBOOKS]}
    for name, page in pages.items():
        assert "<script>alert(1)" not in page, name
        assert ESCAPED in page, name  # index: the error on the card; the pages: title, citation, error
    assert re.search(rf"<td[^>]*>{re.escape(ESCAPED)} {first[4].split()[0]}", pages["diplomatic_timeline"])
    assert re.search(rf"\u201c(<a [^>]*>)?{re.escape(ESCAPED)}(</a>)?\u201d", pages["trade_growth"])  # sources list


# --- 9. Ctrl-C during a run ---------------------------------------------------------------------------

def interrupt_run(args, when, then=0.0):
    """`vnru run ARGS -q`, Ctrl-C'd as a terminal does once ``when`` (a glob under --out) exists, ``then`` s later.

    The run must end with exit 130 and one line, and no process of it (fork server, workers) may print a
    traceback: communicate() waits until every one of them has let go of stderr.
    """
    out = Path(args[args.index("--out") + 1])
    proc = subprocess.Popen([sys.executable, "-m", "vnru.cli", "run", *map(str, args), "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
                            start_new_session=True,  # a background shell may have SIGINT ignored: restore it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    try:
        deadline = time.monotonic() + 90
        while not list(out.glob(when)) and time.monotonic() < deadline:
            assert proc.poll() is None, "the run ended before it could be interrupted"
            time.sleep(0.01)
        assert list(out.glob(when)), f"{when} never appeared"
        time.sleep(then)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
        stdout, stderr = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert only_line(stderr) in {"Aborted.", "Interrupted."}


def test_ctrl_c_exits_130_and_keeps_the_previous_good_report(good_run, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(good_run, out)
    before = _snapshot(out)
    interrupt_run(["trade_growth", "--out", out, "--force"],  # --force: run it, though its report is unchanged
                  when=".vnru-run-*/trade_growth.ipynb")  # papermill has started
    assert _snapshot(out) == before  # same files, same bytes: nothing half-written, no temp files left
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]


def test_ctrl_c_while_the_workers_are_being_started_still_stops_the_run(tmp_path):
    """The first worker waits for the fork server's imports (about a second): Ctrl-C then must not be lost."""
    out = tmp_path / "reports"
    interrupt_run(["--out", out], when=".vnru-run-*", then=0.2)  # then: the runner waits for the first worker
    assert not list(out.iterdir()), "a stopped run publishes nothing"


def test_stop_signals_get_past_a_library_catching_exception():
    """A worker's stop (timeout) and abort (Ctrl-C) must not end in some library's ``except Exception``
    (jupyter_client has one around its start-up): the run would go on and publish over the good report."""
    from vnru.batch.executors.worker import Aborted, Stopped

    for stop in (Stopped, Aborted):
        with pytest.raises(stop):
            try:
                raise stop()
            except Exception:  # noqa: BLE001, S110 -- what a library does
                pass
