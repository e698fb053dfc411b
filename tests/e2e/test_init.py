"""`vnru init DIR`: a copy of the notebooks and data package that vnru and the notebooks use from inside DIR."""

import json
import subprocess
import sys

import pytest

from fixtures.files import ROOT
from vnru import paths
from vnru.errors import UsageError
from vnru.kit import create_kit
from vnru.paths import BUNDLED_DATA_DIR, KIT_MARKER, NOTEBOOKS_DIR, find_kit, resolve_data_dir


def vnru(*args, cwd):
    return subprocess.run([sys.executable, "-m", "vnru.cli", *args], capture_output=True, text=True, cwd=cwd,
                          check=False)


def _snapshot(*folders):
    return {p: p.read_bytes() for folder in folders for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def kit(tmp_path, monkeypatch):
    monkeypatch.delenv("VNRU_DATA_DIR", raising=False)
    create_kit(tmp_path / "kit")
    return tmp_path / "kit"


def test_init_copies_the_notebooks_and_the_data_package_and_prints_the_next_commands(tmp_path):
    result = vnru("init", "my kit", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "my kit"
    assert {p.name for p in (target / "notebooks").iterdir()} == {p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")}
    data = {p.name for p in BUNDLED_DATA_DIR.iterdir() if p.suffix == ".csv" or p.name == "datapackage.json"}
    assert {p.name for p in (target / "data").iterdir()} == data
    assert (target / "data" / "trade.csv").read_bytes() == (BUNDLED_DATA_DIR / "trade.csv").read_bytes()
    assert json.loads((target / KIT_MARKER).read_text())["kit"] == "vnru"
    assert "  cd 'my kit'; jupyter lab\n" in result.stdout
    assert "  vnru run --notebooks-dir notebooks --data-dir data\n" in result.stdout
    assert vnru("validate", cwd=target).returncode == 0


def test_init_refuses_an_existing_kit_without_force_and_keeps_added_files_with_it(kit):
    (kit / "data" / "trade.csv").write_text("edited\n", encoding="utf-8")
    (kit / "notebooks" / "mine.ipynb").write_text("{}", encoding="utf-8")
    result = vnru("init", str(kit), cwd=kit.parent)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--force" in result.stderr and "Traceback" not in result.stderr
    assert (kit / "data" / "trade.csv").read_text(encoding="utf-8") == "edited\n"
    assert vnru("init", str(kit), "--force", cwd=kit.parent).returncode == 0
    assert (kit / "data" / "trade.csv").read_bytes() == (BUNDLED_DATA_DIR / "trade.csv").read_bytes()
    assert (kit / "notebooks" / "mine.ipynb").is_file()


@pytest.mark.parametrize("target", ["data", "data/inside", "notebooks", "."])
def test_init_refuses_the_bundled_folders(target):
    before = _snapshot(BUNDLED_DATA_DIR, NOTEBOOKS_DIR)
    result = vnru("init", target, "--force", cwd=ROOT)
    assert result.returncode == 2, result.stdout
    assert "bundled" in result.stderr and result.stderr.count("\n") == 1
    assert _snapshot(BUNDLED_DATA_DIR, NOTEBOOKS_DIR) == before
    assert not (ROOT / KIT_MARKER).exists() and not (BUNDLED_DATA_DIR / "inside").exists()


def test_init_refuses_a_file(tmp_path):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        create_kit(tmp_path / "taken")


def test_inside_a_kit_the_loaders_default_to_its_data(kit, monkeypatch):
    assert find_kit(kit) == kit and find_kit(kit / "notebooks") == kit and find_kit(kit.parent) is None
    monkeypatch.chdir(kit / "notebooks")  # where JupyterLab starts the kernel of a kit notebook
    assert resolve_data_dir(None) == (kit / "data").resolve()
    assert paths.default_notebooks_dir() == kit / "notebooks"
    monkeypatch.setenv("VNRU_DATA_DIR", str(BUNDLED_DATA_DIR))
    assert resolve_data_dir(None) == BUNDLED_DATA_DIR.resolve()  # the environment variable still wins
    assert resolve_data_dir(str(kit / "data")) == (kit / "data").resolve()


def test_a_kernel_started_in_the_kits_notebooks_reads_the_kits_data(kit):
    lines = (kit / "data" / "timeline.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (kit / "data" / "timeline.csv").write_text("".join(lines[:6]), encoding="utf-8")
    code = "import vnru; print(len(vnru.load_timeline()))"
    out = subprocess.run([sys.executable, "-c", code], cwd=kit / "notebooks", capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "5"


def test_vnru_list_inside_a_kit_lists_its_notebooks(kit):
    (kit / "notebooks" / "trade_growth.ipynb").rename(kit / "notebooks" / "my_trade.ipynb")
    out = vnru("list", cwd=kit).stdout
    assert "my_trade:" in out and "trade_growth:" not in out


def test_vnru_run_inside_a_kit_gives_every_kernel_the_data_its_manifest_names(kit, tmp_path, monkeypatch):
    import nbformat

    from vnru.batch.runner import run_notebooks

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("n: int = 1  # a number"),
                nbformat.v4.new_code_cell("import vnru\nvnru.record('data', str(vnru.paths.resolve_data_dir(None)))")]
    nb.cells[0].metadata["tags"] = ["parameters"]
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, str(tmp_path / "nbs" / "where.ipynb"))  # notebooks outside the kit, run from inside it
    monkeypatch.chdir(kit)
    manifest = run_notebooks(out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", html=False)
    assert manifest["data_dir"] == str((kit / "data").resolve())
    assert manifest["reports"][0]["results"]["data"] == manifest["data_dir"]


def test_init_force_keeps_every_file_the_user_changed_as_orig_and_lists_it(kit):
    """`vnru init DIR --force` silently replaced edited notebooks and data, imported rows included (issue 23)."""
    (kit / "notebooks" / "trade_growth.ipynb").write_text('{"cells": []}', encoding="utf-8")
    (kit / "data" / "trade.csv").write_text("edited\n", encoding="utf-8")
    (kit / "data" / "trade.csv.orig").write_text("an older keep\n", encoding="utf-8")
    result = vnru("init", str(kit), "--force", cwd=kit.parent)
    assert result.returncode == 0, result.stderr
    assert "Kept 2 file(s) you changed" in result.stdout
    assert "  notebooks/trade_growth.ipynb.orig\n" in result.stdout and "  data/trade.csv.orig.2\n" in result.stdout
    assert (kit / "notebooks" / "trade_growth.ipynb.orig").read_text(encoding="utf-8") == '{"cells": []}'
    assert (kit / "data" / "trade.csv.orig.2").read_text(encoding="utf-8") == "edited\n"
    assert (kit / "data" / "trade.csv.orig").read_text(encoding="utf-8") == "an older keep\n"
    assert (kit / "data" / "trade.csv").read_bytes() == (BUNDLED_DATA_DIR / "trade.csv").read_bytes()
    again = vnru("init", str(kit), "--force", cwd=kit.parent)  # nothing changed since: nothing kept
    assert again.returncode == 0 and "Kept" not in again.stdout
    assert sorted(p.name for p in kit.rglob("*.orig*")) == ["trade.csv.orig", "trade.csv.orig.2",
                                                           "trade_growth.ipynb.orig"]
    assert vnru("list", cwd=kit).returncode == 0 and vnru("validate", cwd=kit).returncode == 0


def test_init_force_replaces_an_unchanged_copy_of_an_older_kit_silently(kit):
    marker = json.loads((kit / KIT_MARKER).read_text(encoding="utf-8"))
    (kit / "data" / "trade.csv").write_text("as an older kit wrote it\n", encoding="utf-8")
    marker["files"]["data/trade.csv"] = __import__("hashlib").sha256(b"as an older kit wrote it\n").hexdigest()
    (kit / KIT_MARKER).write_text(json.dumps(marker), encoding="utf-8")
    result = vnru("init", str(kit), "--force", cwd=kit.parent)
    assert result.returncode == 0 and "Kept" not in result.stdout and not list(kit.rglob("*.orig"))
