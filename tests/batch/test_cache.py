"""The data-aware cache (vnru.batch.cache): what invalidates a report, and that a reused report is the one a run makes."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from fixtures.cli import make_notebook
from vnru.batch import cache
from vnru.batch.runner import run_notebooks
from vnru.paths import BUNDLED_DATA_DIR

DATA = 'data_dir: str = ""  # data ("" = bundled)\nn: int = 3  # a number'
READS_TRADE = ["import vnru\nvnru.record('rows', len(vnru.load_trade(data_dir or None)) + n)"]
READS_INDICATORS = ["import vnru\nvnru.record('rows', len(vnru.load_indicators(data_dir or None)) + n)"]


@pytest.fixture
def kit(tmp_path):
    """A notebooks directory (trade reads trade.csv, people reads indicators.csv) and a copy of the data."""
    nbs, data = tmp_path / "nbs", tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    make_notebook(nbs, "trade", DATA, READS_TRADE)
    make_notebook(nbs, "people", DATA, READS_INDICATORS)
    return nbs, data


def run(kit, out, names=None, **kwargs):
    nbs, data = kit
    return run_notebooks(names, out_dir=out, notebooks_dir=nbs, data_dir=data, html=False, **kwargs)


def notes(manifest) -> dict:
    return {r["stem"]: r["cache"]["note"] for r in manifest["reports"]}


def ran(manifest) -> set:
    return {r["stem"] for r in manifest["reports"] if r["cache"]["status"] == "ran"}


def edit_note(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- keys: each dependency invalidates, nothing else does ------------------------------------------------

@pytest.fixture
def recorded(tmp_path):
    """(record, notebook, data dir): a cache record as a run leaves it, for a notebook that read trade.csv."""
    nbs, data = tmp_path / "nbs", tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    make_notebook(nbs, "trade", DATA, READS_TRADE)
    notebook = nbs / "trade.ipynb"
    reads_file = tmp_path / "reads"
    reads_file.write_text(f"{data / 'trade.csv'}\n{data / 'sources.csv'}\n{data / 'trade.csv'}\n")
    record = {"key": cache.key(notebook, {"n": 3, "data_dir": ""}, data), "reads": cache.reads(reads_file)}
    assert list(record["reads"]) == [str(data / "trade.csv"), str(data / "sources.csv")]
    return record, notebook, data


def test_an_unchanged_report_has_no_reason_to_run(recorded):
    record, notebook, data = recorded
    assert cache.changes(record, cache.key(notebook, {"n": 3, "data_dir": ""}, data)) == []


def test_what_does_not_invalidate_outputs_counts_ids_metadata_and_unread_tables(recorded):
    record, notebook, data = recorded
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="153\n")]
    nb.cells[2].execution_count = 7
    nb.cells[2].id = "another-id"
    nb.cells[2].metadata["collapsed"] = True
    nb.metadata["papermill"] = {"duration": 1.0}
    nbformat.write(nb, str(notebook))
    edit_note(data / "indicators.csv", "then studying", "then studying (edited)")  # a table it did not read
    (data / "unrelated.csv").write_text("a\n1\n")
    assert cache.changes(record, cache.key(notebook, {"data_dir": "", "n": 3}, data)) == []


def test_each_dependency_invalidates_with_its_reason(recorded, monkeypatch, tmp_path):
    record, notebook, data = recorded

    def reasons(params=None, directory=data, **options):
        return cache.changes(record, cache.key(notebook, params or {"n": 3, "data_dir": ""}, directory, **options))

    assert reasons({"n": 4, "data_dir": ""}) == ["parameters changed"]
    assert reasons(directory=tmp_path / "elsewhere") == ["data directory changed"]
    assert reasons(html=False) == ["output options changed (--no-html / --show-code)"]
    assert reasons(show_code=True) == ["output options changed (--no-html / --show-code)"]
    monkeypatch.setattr(cache, "kit_hash", lambda root=None: "another kit")
    assert reasons() == ["kit updated"]
    monkeypatch.undo()
    versions = cache.software() | {"pandas": "0.1"}
    monkeypatch.setattr(cache, "software", lambda: versions)
    assert len(reasons()) == 1 and reasons()[0].startswith("pandas updated (") and reasons()[0].endswith("\u2192 0.1)")
    monkeypatch.undo()
    edit_note(data / "sources.csv", "Vietnam", "Viet Nam")  # read through trade's foreign key
    assert reasons() == ["sources.csv changed"]
    (data / "trade.csv").unlink()
    assert reasons() == ["sources.csv changed", "trade.csv changed"]
    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells[0].source += " (retitled)"  # the markdown is part of the report
    nbformat.write(nb, str(notebook))
    assert "notebook changed" in reasons()


def test_a_record_without_the_files_read_is_never_trusted(recorded):
    record, notebook, data = recorded
    new_key = cache.key(notebook, {"n": 3, "data_dir": ""}, data)
    for reads in (None, {}):  # a Dask worker elsewhere could not say; a notebook that loaded no table
        assert cache.changes(record | {"reads": reads}, new_key) == ["the files it read are not known"]
    assert cache.changes(None, new_key) == ["no earlier run"]


def test_the_kit_hash_follows_the_library_sources(tmp_path):
    lib = tmp_path / "vnru"
    (lib / "data").mkdir(parents=True)
    (lib / "data" / "loaders.py").write_text("x = 1\n")
    before = cache.kit_hash(lib)
    (lib / "notes.txt").write_text("not code")
    assert cache.kit_hash.__wrapped__(lib) == before
    (lib / "data" / "loaders.py").write_text("x = 2\n")
    assert cache.kit_hash.__wrapped__(lib) != before


# --- runs: only what changed re-runs, and a reused report is the one a run makes --------------------------

def test_only_the_reports_whose_inputs_changed_run_again(kit, tmp_path, monkeypatch):
    nbs, data = kit
    out = tmp_path / "out"
    first = run(kit, out)
    assert notes(first) == {"people": "ran (no earlier run)", "trade": "ran (no earlier run)"}
    same = run(kit, out, parameters={"n": 3})  # the default, set explicitly: nothing changed
    assert ran(same) == set() and same["status"] == "ok"
    assert notes(same)["trade"] == f"reused (unchanged since {first['started']})"
    assert [(r["results"], r["files"]) for r in same["reports"]] == [(r["results"], r["files"]) for r in first["reports"]]
    executed = nbformat.read(str(out / "trade.ipynb"), as_version=4)
    assert executed.metadata["vnru"]["reads"] == same["reports"][1]["cache"]["reads"]
    assert sorted(Path(p).name for p in executed.metadata["vnru"]["reads"]) == ["sources.csv", "trade.csv"]

    edit_note(data / "indicators.csv", "then studying", "then studying (edited)")
    assert notes(run(kit, out)) == {"people": "re-ran because indicators.csv changed",
                                    "trade": f"reused (unchanged since {first['started']})"}
    make_notebook(nbs, "trade", DATA, READS_TRADE + ["vnru.record('extra', 1)"])
    after_edit = run(kit, out)
    assert notes(after_edit)["trade"] == "re-ran because notebook changed" and ran(after_edit) == {"trade"}
    assert notes(run(kit, out, parameters={"people.n": 4}))["people"] == "re-ran because parameters changed"
    monkeypatch.setattr(cache, "kit_hash", lambda root=None: "a newer kit")
    assert set(notes(run(kit, out, parameters={"people.n": 4})).values()) == {"re-ran because kit updated"}
    assert set(notes(run(kit, out, force=True)).values()) == {"re-ran (--force)"}


def test_a_reused_report_equals_a_re_run_one(kit, tmp_path):
    out = tmp_path / "out"
    run(kit, out)
    reused = run(kit, out)
    forced = run(kit, out, force=True)
    kept = ("name", "stem", "status", "error", "parameters", "overrides", "files", "downloads", "results",
            "data_dir", "data_sha256")
    assert ran(reused) == set() and ran(forced) == {"trade", "people"}
    assert [{k: r[k] for k in kept} for r in reused["reports"]] == [{k: r[k] for k in kept} for r in forced["reports"]]
    assert [r["cache"]["key"] for r in reused["reports"]] == [r["cache"]["key"] for r in forced["reports"]]
    assert [r["cache"]["reads"] for r in reused["reports"]] == [r["cache"]["reads"] for r in forced["reports"]]


def test_a_failed_report_is_never_reused_and_changed_outputs_are_not_trusted(kit, tmp_path):
    nbs, _ = kit
    out = tmp_path / "out"
    make_notebook(nbs, "broken", DATA, READS_TRADE + ["1 / 0"])
    first = run(kit, out)
    assert {r["stem"]: r["status"] for r in first["reports"]}["broken"] == "failed"
    second = run(kit, out)
    assert notes(second)["broken"] == "re-ran because it failed last time" and ran(second) == {"broken"}
    (out / "trade.ipynb").write_text("{}")  # e.g. an interrupted later run published over it
    assert notes(run(kit, out))["trade"] == "re-ran because its earlier output files changed or are missing"


def test_a_sweep_that_adds_a_value_runs_only_the_new_combination(kit, tmp_path):
    out = tmp_path / "out"
    run(kit, out, ["trade"], sweep={"n": [1, 2]})
    manifest = run(kit, out, ["trade"], sweep={"n": [1, 2, 5]})
    assert ran(manifest) == {"trade--n-5"}
    assert len({r["results"]["rows"] - r["parameters"]["n"] for r in manifest["reports"]}) == 1
    assert len({r["sweep"]["id"] for r in manifest["reports"]}) == 1  # one sweep, reused runs included
    assert (out / "trade.sweep.csv").read_text().count("\n") == 4


def test_a_cache_directory_serves_another_out(kit, tmp_path):
    store = tmp_path / "store"
    first = run(kit, tmp_path / "one", cache_dir=store)
    second = run(kit, tmp_path / "two", cache_dir=store)
    assert ran(second) == set()
    for name in ("trade.ipynb", "people.ipynb"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
    assert [r["results"] for r in second["reports"]] == [r["results"] for r in first["reports"]]
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.startswith(".")]  # no temp files left


def test_the_index_and_the_cli_say_what_was_reused_one_line_per_notebook(kit, tmp_path):
    nbs, data = kit
    out = tmp_path / "out"

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "vnru.cli", "run", "trade", "--notebooks-dir", str(nbs),
                               "--data-dir", str(data), "--out", str(out), "--no-html", *args],
                              capture_output=True, text=True, check=False, timeout=300)

    first = cli()
    assert first.returncode == 0, first.stderr
    assert [line.split()[:2] for line in first.stderr.splitlines()] == [["ok", "trade"]]  # no bars, one line
    second = cli()
    assert second.returncode == 0 and "reused trade: unchanged since" in second.stderr
    assert "reused (unchanged since" in (out / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"][0]["cache"]["status"] == "reused"
    assert cli("--force").stderr.split()[:2] == ["ok", "trade"]


def test_the_bundled_notebooks_are_reused_when_nothing_changed(full_run, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(full_run.out, out)
    manifest = run_notebooks(out_dir=out)
    assert ran(manifest) == set() and manifest["status"] == "ok"
    assert [r["results"] for r in manifest["reports"]] == [r["results"] for r in full_run.manifest["reports"]]
    reads = {name for r in manifest["reports"] for name in r["cache"]["reads"]}
    assert {str(BUNDLED_DATA_DIR.resolve() / "trade.csv"), str(BUNDLED_DATA_DIR.resolve() / "sources.csv")} <= reads


def test_the_package_versions_are_those_installed():
    from importlib import metadata

    versions = cache.software.__wrapped__()
    assert {name: versions[name] for name in cache.PACKAGES} == {name: metadata.version(name) for name in cache.PACKAGES}


def test_a_no_change_re_run_reads_and_writes_without_pandas_or_numpy(kit, tmp_path):
    """The no-change re-run is the command and the index: writing the index of reused reports (their cards,
    the sources line) imports neither pandas nor numpy. They crept back once through the cards' formatters and
    the data loaders (0.49 s instead of 0.16 s)."""
    import subprocess
    import sys

    nbs, data = kit
    out = tmp_path / "out"
    run_notebooks(None, out_dir=out, notebooks_dir=nbs, data_dir=data)
    script = ("import sys; from vnru.batch.runner import run_notebooks; "
              f"m = run_notebooks(None, out_dir={str(out)!r}, notebooks_dir={str(nbs)!r}, data_dir={str(data)!r}); "
              "print(sorted(r['cache']['status'] for r in m['reports']), "
              "sorted(x for x in ('pandas', 'numpy') if x in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['reused', 'reused'] []"
    assert "one of" in (out / "index.html").read_text(encoding="utf-8")  # the sources line, read with csv


def test_a_re_run_of_one_notebook_keeps_the_runner_free_of_nbformat_and_pandas(kit, tmp_path):
    """The runner of a one-notebook re-run schedules, collects and writes the index. Its worker sends results
    back as plain dicts, so the runner imports neither nbformat to unpickle them (1.3 s where JupyterLab's
    tools are installed, on the re-run's critical path) nor pandas (the page module is the worker's)."""
    nbs, data = kit
    out = tmp_path / "out"
    first = {r["stem"]: r["results"] for r in run_notebooks(None, out_dir=out, notebooks_dir=nbs, data_dir=data,
                                                              html=False)["reports"]}
    edit_note(data / "indicators.csv", "then studying", "then studying (edited)")
    script = ("import sys; from vnru.batch.runner import run_notebooks; "
              f"m = run_notebooks(None, out_dir={str(out)!r}, notebooks_dir={str(nbs)!r}, data_dir={str(data)!r}, "
              "html=False); print([(r['cache']['status'], type(r['results']).__name__, r['results']) "
              "for r in m['reports']], sorted(x for x in ('nbformat', 'pandas', 'rfc3987_syntax') if x in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"[('ran', 'dict', {first['people']}), ('reused', 'dict', {first['trade']})] []"
