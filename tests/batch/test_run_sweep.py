"""`vnru run --sweep`: one report per combination of values, named from them, compared in the index and a CSV."""

import csv
import json

import pytest

from fixtures.cli import SQUARE, make_notebook, vnru_cli
from vnru.batch.runner import run_notebooks
from vnru.batch.sweep import MAX_SLUG, expand, parse_option, slug, split
from vnru.errors import UsageError

POWER = '''base: int = 2  # a number
exponent: int = 2  # a power
label: str = "x"  # a label
'''
POWER_CELLS = [("import vnru\nif base == 13:\n    raise ValueError('unlucky base')\n"
               "vnru.record('power', base ** exponent)\nvnru.record('label_seen', label)")]


@pytest.fixture
def sweep_dir(tmp_path):
    directory = tmp_path / "nbs"
    make_notebook(directory, "power", POWER, POWER_CELLS, title="Powers")
    make_notebook(directory, "square", *SQUARE)
    return directory


def test_slug_is_readable_safe_and_capped():
    assert slug("trade_growth", {"reporter": "RU", "start": "2010"}) == "trade_growth--reporter-RU--start-2010"
    assert slug("nb", {"flag": True, "ratio": 0.5}) == "nb--flag-true--ratio-0.5"
    unsafe = slug("nb", {"label": "a/b c"})
    assert unsafe.startswith("nb--label-a_b_c-") and len(unsafe.rsplit("-", 1)[1]) == 10
    assert unsafe != slug("nb", {"label": "a_b_c"}) and unsafe != slug("nb", {"label": "a/b:c"})
    long = slug("nb", {"label": "y" * 500})
    assert len(long) == MAX_SLUG and long != slug("nb", {"label": "y" * 501})
    assert slug("nb", {"tags": ["a", "b"]}) == "nb--tags-_a_b_-" + slug("nb", {"tags": ["a", "b"]})[-10:]


def test_stems_differing_only_by_case_get_a_hash(sweep_dir):
    from vnru.batch import notebooks as nbs

    runnable = nbs.discover(sweep_dir)
    declared = {n: nbs.parameters(p) for n, p in runnable.items()}
    runs = expand(runnable, declared, {n: {} for n in runnable}, [("s", {"label": ["ab", "AB"]})], runnable)
    stems = [r["stem"] for r in runs if r["notebook"] == "power"]
    assert len({s.lower() for s in stems}) == 2


def test_parse_option_and_sweep_sections_in_a_file():
    assert parse_option(["base=1,2", "label=a"]) == {"base": ["1", "2"], "label": ["a"]}
    assert parse_option(["base="]) == {"base": []}
    with pytest.raises(UsageError, match="KEY=V1,V2"):
        parse_option(["base"])
    kept, sweeps = split([("file f", {"label": "z", "sweep": {"base": [1, 2]}, "power": {"sweep": {"exponent": [3]}}})])
    assert kept == [("file f", {"label": "z", "power": {}})]
    assert sweeps == [("file f, sweep", {"base": [1, 2]}), ("file f, section power, sweep", {"power": {"exponent": [3]}})]


def test_a_sweep_runs_the_cross_product_with_a_manifest_entry_each(sweep_dir, tmp_path):
    out = tmp_path / "out"
    manifest = run_notebooks(["power", "square"], {"label": "fixed"}, out_dir=out, notebooks_dir=sweep_dir, jobs=2,
                             sweep={"base": ["2", "3"], "exponent": [2, "3"]})
    power = [r for r in manifest["reports"] if r["name"] == "power"]
    assert [r["stem"] for r in power] == ["power--base-2--exponent-2", "power--base-2--exponent-3",
                                          "power--base-3--exponent-2", "power--base-3--exponent-3"]
    assert [r["results"]["power"] for r in power] == [4, 8, 9, 27]
    assert all(r["parameters"]["label"] == "fixed" and r["results"]["label_seen"] == "fixed" for r in power)
    assert len({r["sweep"]["id"] for r in power}) == 1 and power[0]["sweep"]["keys"] == ["base", "exponent"]
    assert power[1]["overrides"] == {"label": "fixed", "base": 2, "exponent": 3}
    for r in power:
        assert r["files"] == {"ipynb": f"{r['stem']}.ipynb", "html": f"{r['stem']}.html"}
        assert (out / r["files"]["html"]).is_file()
    square = [r for r in manifest["reports"] if r["name"] == "square"]
    assert len(square) == 1 and square[0]["stem"] == "square" and "sweep" not in square[0]
    assert json.loads((out / "manifest.json").read_text()) == manifest

    rows = list(csv.DictReader((out / "power.sweep.csv").open()))
    assert [(r["run"], r["base"], r["exponent"], r["power"]) for r in rows] == [
        ("power--base-2--exponent-2", "2", "2", "4"), ("power--base-2--exponent-3", "2", "3", "8"),
        ("power--base-3--exponent-2", "3", "2", "9"), ("power--base-3--exponent-3", "3", "3", "27")]
    index = (out / "index.html").read_text()
    assert "Sweep: Powers — 4 runs over base, exponent" in index and 'href="power.sweep.csv"' in index
    table = index.split('<div class="compare">', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 5 and "<td>27</td>" in table and 'href="power--base-3--exponent-3.html">base-3--exponent-3<' in table


def test_one_bad_value_fails_that_run_only(sweep_dir, tmp_path):
    out = tmp_path / "out"
    result = vnru_cli("run", "power", "--sweep", "base=2,13,5", "--out", str(out), "--notebooks-dir", str(sweep_dir),
                      "-q", "-j", "2")
    assert result.returncode == 1
    assert "FAILED power--base-13: ValueError: unlucky base" in result.stderr
    reports = json.loads((out / "manifest.json").read_text())["reports"]
    assert [(r["stem"], r["status"], r["results"].get("power")) for r in reports] == [
        ("power--base-2", "ok", 4), ("power--base-13", "failed", None), ("power--base-5", "ok", 25)]
    rows = list(csv.DictReader((out / "power.sweep.csv").open()))
    assert [(r["status"], r["power"]) for r in rows] == [("ok", "4"), ("failed", ""), ("ok", "25")]


@pytest.mark.parametrize(("args", "message"), [
    (["--sweep", "nope=1,2"], "notebook power has no parameter 'nope'"),
    (["--sweep", "base=1,x"], "parameter base expects a whole number; got 'x'"),
    (["--sweep", "base="], "sweep base has no values"),
    (["--sweep", "base"], "--sweep expects KEY=V1,V2"),
    (["--sweep", "base=2,02"], "sweep base lists '02' twice"),
])
def test_sweep_usage_errors_are_one_line_exit_2(sweep_dir, tmp_path, args, message):
    result = vnru_cli("run", "power", *args, "--out", str(tmp_path / "out"), "--notebooks-dir", str(sweep_dir))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_sweep_in_a_parameters_file(sweep_dir, tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("power:\n  label: f\n  sweep:\n    exponent: [1, 2]\n")
    out = tmp_path / "out"
    result = vnru_cli("run", "power", "-f", str(params), "--out", str(out), "--notebooks-dir", str(sweep_dir), "-q")
    assert result.returncode == 0, result.stderr
    reports = json.loads((out / "manifest.json").read_text())["reports"]
    assert [(r["stem"], r["results"]["power"], r["results"]["label_seen"]) for r in reports] == [
        ("power--exponent-1", 2, "f"), ("power--exponent-2", 4, "f")]
    bad = tmp_path / "bad.yaml"
    bad.write_text("sweep:\n  base: 3\n")
    result = vnru_cli("run", "power", "-f", str(bad), "--out", str(out), "--notebooks-dir", str(sweep_dir))
    assert result.returncode == 2 and "sweep base must be a list of values; got 3" in result.stderr


def test_a_later_run_keeps_an_earlier_sweep_and_its_comparison(sweep_dir, tmp_path):
    out = tmp_path / "out"
    run_notebooks(["power"], out_dir=out, notebooks_dir=sweep_dir, html=False, sweep={"base": [2, 3]})
    manifest = run_notebooks(["square"], out_dir=out, notebooks_dir=sweep_dir, html=False, sweep={"n": [4]})
    assert [(r["stem"], r["run_id"] == manifest["run_id"]) for r in manifest["reports"]] == [
        ("power--base-2", False), ("power--base-3", False), ("square--n-4", True)]
    index = (out / "index.html").read_text()
    assert "Sweep: Powers — 2 runs over base" in index and "Sweep: square — 1 run over n" in index
    assert (out / "power.sweep.csv").is_file() and (out / "square.sweep.csv").is_file()


def test_a_sweep_is_merged_or_refused_never_dropped(sweep_dir):
    """`--sweep x=1,2 --sweep x=3,4` ran only 3 and 4; a sweep of a notebook not in the run ran nothing (issue 23)."""
    from vnru.batch.notebooks import parameters

    declared = {name: parameters(sweep_dir / f"{name}.ipynb") for name in ("power", "square")}
    assert parse_option(["base=1,2", "base=3,4", "exponent=3"]) == {"base": ["1", "2", "3", "4"], "exponent": ["3"]}
    power = {"power": sweep_dir / "power.ipynb"}
    runs = expand(power, declared, {"power": {}}, [("sweep", parse_option(["base=1,2", "base=3,4"]))], ["power", "square"])
    assert [r["overrides"]["base"] for r in runs] == [1, 2, 3, 4]
    with pytest.raises(UsageError, match="sweep base lists '2' twice"):
        expand(power, declared, {"power": {}}, [("sweep", parse_option(["base=1,2", "base=2,3"]))])
    with pytest.raises(UsageError, match=r"sweep power.base sweeps power's base again \(as base, sweep\)"):
        expand(power, declared, {"power": {}}, [("sweep", {"base": [1], "power.base": [2]})], ["power", "square"])
    with pytest.raises(UsageError, match="sweep square.n is for notebook square, which this run does not include"):
        expand(power, declared, {"power": {}}, [("sweep", {"square.n": [3, 5]})], ["power", "square"])
    later = expand(power, declared, {"power": {}}, [("file p.yaml, sweep", {"base": [1, 2]}), ("sweep", {"base": [7]})])
    assert [r["overrides"]["base"] for r in later] == [7]  # a later source's sweep wins, as its parameters do


def test_a_sweep_for_a_notebook_not_run_is_a_usage_error_on_the_command_line(tmp_path):
    result = vnru_cli("run", "trade_growth", "--sweep", "investment_rankings.top_n=3,5", "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "sweep investment_rankings.top_n is for notebook investment_rankings, which this run does not include" \
        in result.stderr and not (tmp_path / "out").exists()
