"""`vnru run`: the bundled notebooks into a report set, typed parameters, failures, parallel runs."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest

import vnru
from fixtures.cli import ECHO_CELLS, ECHO_PARAMS, SQUARE, make_notebook, vnru_cli
from vnru.batch.runner import run_notebooks
from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR
from vnru.report.results import read_results

BUNDLED = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))










@pytest.fixture
def fixture_dir(tmp_path):
    """A notebooks directory with an echo notebook (every parameter type) and a plain one."""
    directory = tmp_path / "nbs"
    make_notebook(directory, "echo", ECHO_PARAMS, ECHO_CELLS, title="Echo")
    make_notebook(directory, "square", *SQUARE)
    return directory


def checksum(directory):
    """sha256 over datapackage.json and the CSVs, sorted by name: name, NUL, bytes, NUL (as documented)."""
    digest = hashlib.sha256()
    for path in sorted(directory.iterdir()):
        if path.suffix == ".csv" or path.name == "datapackage.json":
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _latest_trade_year(params):
    """Latest full year of Vietnam-reported total trade within the run's year range, from the CSV itself."""
    trade = pd.read_csv(BUNDLED_DATA_DIR / "trade.csv")
    rows = trade[(trade.months == 12) & (trade.flow == "total") & (trade.reporter == "VN")
                 & trade.year.between(int(params.get("start") or 0), int(params.get("end") or 9999))]
    return int(rows.year.max())


def _latest_ru_capital_date(params):
    inv = pd.read_csv(BUNDLED_DATA_DIR / "investment.csv")
    rows = inv[(inv.direction == "ru_in_vn") & inv.capital_usd_m.notna()]
    row = rows.loc[rows.as_of.idxmax()]  # recorded at its precision: 2024-04, never an invented day
    return row.as_of[:{"year": 4, "month": 7}.get(row.as_of_precision, 10)]


# Stable keys checked against the CSVs whenever a notebook records them.
EXPECTED = {
    ("trade_growth", "vn_latest_year"): _latest_trade_year,
    ("investment_rankings", "ru_in_vn_latest_capital_as_of"): _latest_ru_capital_date,
    ("diplomatic_timeline", "event_count"): lambda params: len(pd.read_csv(BUNDLED_DATA_DIR / "timeline.csv")),
}


def test_full_run_on_the_bundled_data(full_run):
    out, result = full_run.out, full_run.result
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in manifest["reports"]] == BUNDLED
    assert manifest["kit_version"] == vnru.__version__
    assert manifest["data_sha256"] == checksum(BUNDLED_DATA_DIR)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert manifest["data_sha256"] in index and vnru.__version__ in index
    checked = 0
    for report in manifest["reports"]:
        name = report["name"]
        assert report["status"] == "ok", report["error"]
        assert (out / f"{name}.ipynb").is_file() and (out / f"{name}.html").is_file()
        assert report["files"] == {"ipynb": f"{name}.ipynb", "html": f"{name}.html"}
        assert report["results"], f"{name} recorded no results"
        recorded = read_results(out / f"{name}.ipynb")
        # findings ({text, values, source_ids}) have their own place in the manifest entry
        assert report["findings"] == recorded.pop("findings") and report["findings"]
        assert report["results"] == recorded
        assert f'href="{name}.html"' in index
        for (nb_name, key), expected in EXPECTED.items():
            if nb_name == name and key in report["results"]:
                assert report["results"][key] == expected(report["parameters"]), (name, key)
                checked += 1
    assert checked == len(EXPECTED), "a stable key was not recorded by the bundled notebooks"
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_p_sets_a_real_notebook_parameter_with_its_declared_type(tmp_path):
    out = tmp_path / "r"
    out.mkdir()
    (out / "trade_growth.html").write_text("stale", encoding="utf-8")
    result = vnru_cli("run", "trade_growth", "-p", "end", "2016", "--no-html", "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    report = json.loads((out / "manifest.json").read_text())["reports"][0]
    assert report["parameters"]["end"] == "2016" and report["overrides"] == {"end": "2016"}  # issue 24: YYYY text
    assert report["status"] == "ok" and report["files"] == {"ipynb": "trade_growth.ipynb"}
    assert not (out / "trade_growth.html").exists() and (out / "index.html").exists()
    if "latest_year" in report["results"]:
        assert report["results"]["latest_year"] == _latest_trade_year(report["parameters"]) <= 2016


def test_text_values_become_the_declared_types(fixture_dir, tmp_path):
    result = vnru_cli("run", "echo", "--notebooks-dir", str(fixture_dir), "--out", str(tmp_path / "r"), "-q",
                      "-p", "code", "007", "-p", "year", "2020", "-p", "ratio", "2", "-p", "flag", "yes",
                      "-p", "tags", "[x, y]")
    assert result.returncode == 0, result.stderr
    results = json.loads((tmp_path / "r" / "manifest.json").read_text())["reports"][0]["results"]
    assert results == {"code": "007", "code_type": "str", "year": 2020, "year_type": "int", "ratio": 2.0,
                       "ratio_type": "float", "flag": True, "flag_type": "bool", "tags": ["x", "y"],
                       "tags_type": "list"}


def test_parameters_file_with_sections_yaml_and_p_in_order(fixture_dir, tmp_path):
    params = tmp_path / "params.yaml"
    params.write_text('year: "2001"\necho:\n  code: "042"\n  flag: true\nsquare:\n  n: 5\n', encoding="utf-8")
    result = vnru_cli("run", "--notebooks-dir", str(fixture_dir), "--out", str(tmp_path / "r"), "-q",
                      "-f", str(params), "-y", "{ratio: 0.25, echo.year: 1999}", "-p", "square.n", "6")
    assert result.returncode == 0, result.stderr
    reports = {r["name"]: r for r in json.loads((tmp_path / "r" / "manifest.json").read_text())["reports"]}
    echo = reports["echo"]["results"]
    assert (echo["code"], echo["flag"], echo["ratio"], echo["year"]) == ("042", True, 0.25, 1999)
    assert reports["square"]["results"] == {"square": 36}
    assert reports["echo"]["overrides"] == {"year": 1999, "code": "042", "flag": True, "ratio": 0.25}


def test_unknown_notebook_is_a_usage_error_listing_the_notebooks():
    result = vnru_cli("run", "no_such_notebook")
    assert result.returncode == 2
    assert "unknown notebook 'no_such_notebook'" in result.stderr
    assert all(name in result.stderr for name in BUNDLED) and "Traceback" not in result.stderr


def test_undeclared_parameter_is_a_usage_error_listing_the_parameters(fixture_dir):
    result = vnru_cli("run", "square", "--notebooks-dir", str(fixture_dir), "-p", "m", "2")
    assert result.returncode == 2
    assert "notebook square has no parameter 'm'" in result.stderr and "its parameters: n" in result.stderr
    bad_type = vnru_cli("run", "square", "--notebooks-dir", str(fixture_dir), "-p", "n", "three")
    assert bad_type.returncode == 2 and "parameter n expects a whole number; got 'three'" in bad_type.stderr
    nowhere = vnru_cli("run", "--notebooks-dir", str(fixture_dir), "-p", "colour", "red")
    assert nowhere.returncode == 2 and "no selected notebook has a parameter 'colour'" in nowhere.stderr
    for option in (["--jobs", "0"], ["--timeout", "-1"], ["--bogus"], ["--out", str(fixture_dir)]):
        bad = vnru_cli("run", "--notebooks-dir", str(fixture_dir), *option)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr, option


def test_a_failing_notebook_is_kept_and_the_others_still_run(fixture_dir, tmp_path):
    make_notebook(fixture_dir, "boom", "n: int = 1", [
        "print('partial output')", "raise ValueError('boom\\nsecond line')", "print('never reached')"])
    out = tmp_path / "r"
    result = vnru_cli("run", "--notebooks-dir", str(fixture_dir), "--out", str(out), "-q", "--jobs", "2")
    assert result.returncode == 1
    assert "FAILED boom: ValueError: boom second line" in result.stderr and "Traceback" not in result.stderr
    reports = {r["name"]: r for r in json.loads((out / "manifest.json").read_text())["reports"]}
    assert reports["boom"]["status"] == "failed" and reports["boom"]["error"] == "ValueError: boom second line"
    assert reports["echo"]["status"] == reports["square"]["status"] == "ok"
    kept = nbformat.read(str(out / "boom.ipynb"), as_version=4)
    texts = json.dumps(kept.cells)
    assert "partial output" in texts and "never reached" in texts  # papermill leaves the later cells unrun
    assert "papermill-error-cell" in texts  # papermill's error banner
    assert (out / "boom.html").exists()
    assert "failed" in (out / "index.html").read_text(encoding="utf-8")


def test_timeout_and_dead_kernel_are_reported_as_failures(tmp_path):
    directory = tmp_path / "nbs"
    make_notebook(directory, "sleepy", "n: int = 1", ["import vnru\nvnru.record('before', n)",
                                                      "import time\ntime.sleep(120)", "vnru.record('after', n)"])
    make_notebook(directory, "dead", "n: int = 1", ["print('alive')", "import os\nos._exit(1)"])
    manifest = run_notebooks(notebooks_dir=directory, out_dir=tmp_path / "r", jobs=2, timeout=20, html=False)
    reports = {r["name"]: r for r in manifest["reports"]}
    assert manifest["status"] == "failed"
    assert reports["sleepy"]["error"] == "timed out after 20 s"
    assert reports["sleepy"]["results"] == {"before": 1} and reports["sleepy"]["duration_s"] < 45
    assert reports["dead"]["status"] == "failed" and "kernel died" in reports["dead"]["error"]


def test_parallel_and_sequential_runs_give_the_same_results(fixture_dir, tmp_path):
    make_notebook(fixture_dir, "cube", "n: int = 2", ["import vnru\nvnru.record('cube', n ** 3)"])
    parameters = {"n": 4, "year": "1990"}
    seq = run_notebooks(notebooks_dir=fixture_dir, out_dir=tmp_path / "seq", jobs=1, parameters=parameters)
    par = run_notebooks(notebooks_dir=fixture_dir, out_dir=tmp_path / "par", jobs=3, parameters=parameters)
    assert (seq["jobs"], par["jobs"]) == (1, 3)

    def facts(manifest):
        return [(r["name"], r["status"], r["parameters"], r["results"], r["files"]) for r in manifest["reports"]]

    assert facts(seq) == facts(par)
    results = {r["name"]: r["results"] for r in seq["reports"]}
    assert (results["cube"], results["square"], results["echo"]["year"]) == ({"cube": 64}, {"square": 16}, 1990)
    # Running one notebook again keeps the others' cards from the earlier run.
    again = run_notebooks(["square"], {"n": 5}, notebooks_dir=fixture_dir, out_dir=tmp_path / "seq", jobs=1)
    assert [(r["name"], r["results"], r["run_at"]) for r in again["reports"]] == [
        ("cube", {"cube": 64}, seq["started"]), ("echo", results["echo"], seq["started"]),
        ("square", {"square": 25}, again["started"])]
    assert "kept from earlier runs" in (tmp_path / "seq" / "index.html").read_text(encoding="utf-8")


def test_ctrl_c_exits_130_and_keeps_the_previous_report(tmp_path):
    directory, out = tmp_path / "nbs", tmp_path / "r"
    make_notebook(directory, "sleepy", "n: int = 1", ["import time\ntime.sleep(120)"])
    out.mkdir()
    (out / "sleepy.ipynb").write_text("GOOD", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "vnru.cli", "run", "--notebooks-dir", str(directory),
                             "--out", str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # a background shell may have SIGINT ignored: restore it
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    deadline = time.monotonic() + 60
    while not list(out.glob(".vnru-run-*/sleepy.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until papermill is executing
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in stderr
    assert (out / "sleepy.ipynb").read_text(encoding="utf-8") == "GOOD"
    assert sorted(p.name for p in out.iterdir()) == ["sleepy.ipynb"]


def test_a_relative_data_dir_is_taken_from_where_vnru_runs(data_copy, tmp_path):
    directory = tmp_path / "nbs"
    make_notebook(directory, "where", 'data_dir: str = ""  # data ("" = bundled)',
                  ["import os, vnru\nvnru.record('data_dir', data_dir)\nvnru.record('rows', len(vnru.load_trade(data_dir)))"])
    result = vnru_cli("run", "--notebooks-dir", str(directory), "--out", "r", "-q", "-p", "data_dir", "data",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "r" / "manifest.json").read_text())["reports"][0]
    assert report["results"] == {"data_dir": str(data_copy.resolve()),
                                 "rows": len(pd.read_csv(data_copy / "trade.csv"))}
    assert report["data_sha256"] == checksum(data_copy)


def test_each_run_uses_the_environment_and_directory_of_its_own_moment(tmp_path, monkeypatch):
    """Workers come from a fork server started by the first run; a later run's env and cwd still reach them."""
    nbs = tmp_path / "nbs"
    make_notebook(nbs, "where", "unused: int = 0  # nothing",
                  ["import os, vnru\nvnru.record('marker', os.environ.get('VNRU_TEST_MARKER'))"])
    seen = []
    for marker in ("first", "second"):
        here = tmp_path / marker
        here.mkdir()
        monkeypatch.chdir(here)
        monkeypatch.setenv("VNRU_TEST_MARKER", marker)
        manifest = run_notebooks(notebooks_dir=nbs, out_dir="reports", html=False)  # relative to the new cwd
        assert manifest["status"] == "ok", manifest["reports"][0]["error"]
        assert (here / "reports" / "where.ipynb").is_file()
        seen.append(manifest["reports"][0]["results"])
    assert seen == [{"marker": "first"}, {"marker": "second"}]


def test_the_longest_notebook_starts_first(fixture_dir, tmp_path):
    from vnru.batch.runner import longest_first

    make_notebook(fixture_dir, "long", "n: int = 1  # a number", ["x = 1"] * 5)
    jobs = [{"name": n, "input": str(fixture_dir / f"{n}.ipynb")} for n in ("echo", "long", "square")]
    assert [j["name"] for j in longest_first(jobs, tmp_path)] == ["long", "echo", "square"]  # by code cells
    (tmp_path / "manifest.json").write_text(json.dumps({"reports": [
        {"name": "square", "duration_s": 9.5}, {"name": "echo", "duration_s": 1.0}]}), encoding="utf-8")
    assert [j["name"] for j in longest_first(jobs, tmp_path)] == ["square", "echo", "long"]  # last run's seconds
