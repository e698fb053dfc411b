"""The hostile-input hunt of issue 23 for `vnru run`, `vnru init` and sweeps: each case ends in one readable line
or a consistent report set, and nothing the kit ships (notebooks, data) is ever written."""


import json

import pytest

from fixtures.inputs import _env, bundled_files_unchanged, manifest_of, only_line, vnru  # noqa: F401
from vnru.kit import create_kit
from vnru.paths import NOTEBOOKS_DIR


@pytest.fixture
def kit(tmp_path):
    create_kit(tmp_path / "kit")
    return tmp_path / "kit"


@pytest.mark.parametrize(("cwd", "out"), [("root", "bundled"), ("root", "bundled/sub"), ("kit", "notebooks"),
                                          ("kit", "notebooks/reports"), ("elsewhere", "kit/notebooks")])
def test_a_run_never_writes_into_a_notebooks_folder_it_reads_or_the_kit_ships(kit, tmp_path, cwd, out):
    """`vnru run trade_growth --notebooks-dir KIT/notebooks --out notebooks` replaced the tracked notebook."""
    where = {"root": NOTEBOOKS_DIR.parent, "kit": kit, "elsewhere": tmp_path}[cwd]
    out = out.replace("bundled", str(NOTEBOOKS_DIR)).replace("kit/", f"{kit}/")
    before = (kit / "notebooks" / "trade_growth.ipynb").read_bytes()
    result = vnru("run", "trade_growth", "--notebooks-dir", kit / "notebooks", "--out", out, "-p", "start", "2010",
                  cwd=where)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "the reports would overwrite the notebooks; choose another --out" in only_line(result.stderr)
    assert (kit / "notebooks" / "trade_growth.ipynb").read_bytes() == before
    assert not (NOTEBOOKS_DIR / "sub").exists() and not (kit / "notebooks" / "reports").exists()


def test_a_run_stopped_after_some_reports_leaves_an_index_that_says_exactly_that(tmp_path):
    """Ctrl-C/SIGTERM used to leave new reports under an index.html and manifest.json of the previous run."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from fixtures.cli import make_notebook

    nbs, out = tmp_path / "nbs", tmp_path / "out"
    make_notebook(nbs, "quick", "v: int = 1", ["import vnru\nvnru.record('v', v)"])
    make_notebook(nbs, "slow", "pause: float = 0", ["import time\ntime.sleep(pause)", "import vnru\nvnru.record('p', pause)"])
    first = vnru("run", "--notebooks-dir", nbs, "--out", out, "-q")
    assert first.returncode == 0, first.stderr
    previous = manifest_of(out)
    proc = subprocess.Popen([sys.executable, "-m", "vnru.cli", "run", "--notebooks-dir", str(nbs), "--out", str(out),
                             "-q", "-j", "2", "-p", "quick.v", "2", "-p", "slow.pause", "120"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), start_new_session=True)
    deadline = time.monotonic() + 120
    while "v = 2" not in (out / "quick.ipynb").read_text(encoding="utf-8") and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=90)
    assert proc.returncode == 130 and "Traceback" not in stderr
    manifest = manifest_of(out)
    assert manifest["run_id"] != previous["run_id"] and manifest["status"] == "stopped" and manifest["stopped"] is True
    reports = {r["name"]: r for r in manifest["reports"]}
    assert reports["quick"]["run_id"] == manifest["run_id"] and reports["quick"]["results"] == {"v": 2}
    assert reports["slow"] == next(r for r in previous["reports"] if r["name"] == "slow")  # still its files
    assert json.loads((out / "slow.ipynb").read_text(encoding="utf-8"))["metadata"]["papermill"]["parameters"] == {}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "This run was stopped (Ctrl-C or a signal) with 1 of 2 planned notebooks finished" in index
    assert "1 ok; 1 kept from earlier runs" in index


def test_an_edited_datapackage_json_in_a_data_directory_is_refused_in_one_line(data_copy, tmp_path):
    """It was silently ignored, yet part of the manifest's checksum (issue 23)."""
    from vnru import load_trade
    from vnru.errors import DataError

    descriptor = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"]["fields"][0]["constraints"] = {"required": False}
    (data_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    words = f"{data_copy / 'datapackage.json'}: differs from the kit's schema; vnru checks every data directory"
    validated = vnru("validate", "--data-dir", data_copy)
    assert validated.returncode == 1 and words in validated.stderr + validated.stdout
    run = vnru("run", "trade_growth", "--data-dir", data_copy, "--out", tmp_path / "out", "-q")
    assert run.returncode == 1 and words in only_line(run.stderr) and not (tmp_path / "out").exists()
    with pytest.raises(DataError, match="differs from the kit's schema"):
        load_trade(data_copy)
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="datapackage.json: cannot be read as JSON"):
        load_trade(data_copy)
    (data_copy / "datapackage.json").unlink()  # none at all: the kit's schema, as always
    assert len(load_trade(data_copy)) > 0


def test_a_notebook_with_a_long_legal_name_publishes_alone_and_in_a_sweep(tmp_path):
    """A 240-character name (NAME.ipynb fits in 255 bytes) could not be published; its sweep wrote no manifest."""
    from fixtures.cli import make_notebook

    name = "n" * 240
    make_notebook(tmp_path / "nbs", name, "n: int = 1", ["import vnru\nvnru.record('n', n)"])
    alone = vnru("run", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "alone", "-q")
    assert alone.returncode == 0, alone.stderr
    assert {f"{name}.ipynb", f"{name}.html", "index.html", "manifest.json"} <= {p.name for p in (tmp_path / "alone").iterdir()}
    swept = vnru("run", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "swept", "-q", "--sweep", "n=1,2")
    assert swept.returncode == 0, swept.stderr
    manifest = manifest_of(tmp_path / "swept")
    assert [r["results"] for r in manifest["reports"]] == [{"n": 1}, {"n": 2}]
    assert (tmp_path / "swept" / f"{name}.sweep.csv").is_file() and (tmp_path / "swept" / "index.html").is_file()
    assert all((tmp_path / "swept" / f).is_file() for r in manifest["reports"] for f in r["files"].values())
    assert not [p for p in (tmp_path / "swept").rglob("*") if p.name.startswith(".")]
