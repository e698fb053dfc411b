"""Conventions of analysts' repositories: pre-commit hooks in step with the lock, `make lab` as root, the kernel."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from fixtures.environment import _lock_pins
from fixtures.files import ROOT
from vnru.paths import NOTEBOOKS_DIR


def _hooks() -> dict:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: repo | {"hook": hook} for repo in config["repos"] for hook in repo["hooks"]}


def _make_n(*args) -> str:
    return subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_pre_commit_runs_nbstripout_and_ruff_at_the_locked_versions():
    hooks, pins = _hooks(), _lock_pins()
    assert {"nbstripout", "ruff"} <= set(hooks)
    assert hooks["nbstripout"]["rev"] == pins["nbstripout"]
    assert hooks["ruff"]["rev"] == f"v{pins['ruff']}"


def _nbstripout_verify(paths):
    args = _hooks()["nbstripout"]["hook"].get("args", [])
    command = [str(Path(sys.executable).parent / "nbstripout"), "--verify", *args, *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_committed_notebooks_pass_the_nbstripout_hook():
    result = _nbstripout_verify(sorted(NOTEBOOKS_DIR.glob("*.ipynb")))
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_nbstripout_hook_catches_a_notebook_with_outputs(tmp_path):
    nb = nbformat.read(str(NOTEBOOKS_DIR / "trade_growth.ipynb"), as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 1
    code.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    nbformat.write(nb, str(tmp_path / "dirty.ipynb"))
    assert _nbstripout_verify([tmp_path / "dirty.ipynb"]).returncode != 0


@pytest.mark.parametrize(("euid", "allowed"), [("0", True), ("1000", False)])
def test_make_lab_allows_root_only_when_run_as_root(euid, allowed):
    lab = [line for line in _make_n("lab", f"EUID={euid}").splitlines() if "jupyter lab" in line]
    assert lab and ("--allow-root" in lab[-1]) == allowed
    assert "ipykernel install" in _make_n("lab", f"EUID={euid}")  # lab registers the kernel first


def test_make_lab_allows_root_by_itself_when_root():
    lab = [line for line in _make_n("lab").splitlines() if "jupyter lab" in line][-1]
    assert ("--allow-root" in lab) == (os.geteuid() == 0)


def test_make_kernel_registers_the_kernel_the_notebooks_name_and_it_runs_this_python(tmp_path):
    """`make lab`'s kernel and the notebooks' kernelspec agree: python3, registered inside the venv (issue 23)."""
    line = next(line for line in _make_n("kernel").splitlines() if "ipykernel install" in line)
    args = shlex.split(line)
    assert {"--sys-prefix", "--name", "python3", "--display-name"} <= set(args)
    args = [str(tmp_path) if a == "--sys-prefix" else a for a in args]  # same command, into a scratch prefix
    args.insert(args.index(str(tmp_path)), "--prefix")
    subprocess.run([sys.executable, *args[1:]], check=True, capture_output=True, text=True)
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "python3" / "kernel.json").read_text())
    assert spec["display_name"] == "Python 3 (vnru)"
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve()
    for path in sorted(NOTEBOOKS_DIR.glob("*.ipynb")):
        assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]["name"] == "python3", path.name
    lab = [line for line in _make_n("lab").splitlines() if "jupyter lab" in line][-1]
    assert lab.startswith(f"JUPYTER_PATH={ROOT.resolve() / '.venv' / 'share' / 'jupyter'}")  # before the user's


def test_make_help_lists_the_new_targets():
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for target in ("lab", "kernel", "lock"):
        assert f"make {target} " in out
