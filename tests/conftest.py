"""Shared fixtures: a private copy of the bundled data to break, and notebook execution."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from fixtures.notebooks import run_notebook
from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR

# fixtures shared by several test files (each module in tests/fixtures/ holds helpers; these also hold fixtures)
pytest_plugins = ["fixtures.browser", "fixtures.importing"]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ (the bundled data is never touched by a test)."""
    monkeypatch.delenv("VNRU_DATA_DIR", raising=False)
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target








@pytest.fixture(scope="session")
def notebooks_dir():
    return NOTEBOOKS_DIR










# --- shared executions: each bundled notebook runs once per session where a test only reads the result ---------

@contextmanager
def shared_dir(tmp_path_factory, name: str):
    """A directory made once per test session, also when pytest-xdist runs the session on several workers
    (``make test``: ``-n 2 --dist loadfile``): the first worker to get here fills it while holding a lock; the
    others wait, then read it. Yields (directory, True if the caller must fill it)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the session's temp dir, above the workers' own
    directory = root / f"shared-{name}"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = directory / ".complete"
        yield directory, not done.exists()
        directory.mkdir(exist_ok=True)
        done.touch()


@pytest.fixture(scope="session")
def full_run(tmp_path_factory):
    """One `vnru run` of every bundled notebook (HTML included, two jobs) on the bundled data, shared by every
    test that only reads a default run: ``out`` (the report directory), ``result`` (the CLI's exit code and
    output) and ``manifest``. Tests that change a run copy ``out`` first."""
    with shared_dir(tmp_path_factory, "full_run") as (base, fill):
        out, saved = base / "reports", base / "result.json"
        if fill:
            env = {k: v for k, v in os.environ.items() if k != "VNRU_DATA_DIR"}
            done = subprocess.run([sys.executable, "-m", "vnru.cli", "run", "--out", str(out), "--jobs", "2", "-q"],
                                  capture_output=True, text=True, env=env, timeout=900, check=False)
            base.mkdir(exist_ok=True)
            saved.write_text(json.dumps({"returncode": done.returncode, "stdout": done.stdout,
                                         "stderr": done.stderr}), encoding="utf-8")
    result = SimpleNamespace(**json.loads(saved.read_text(encoding="utf-8")))
    assert (out / "manifest.json").is_file(), result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return SimpleNamespace(out=out, result=result, manifest=manifest)


@pytest.fixture(scope="session")
def default_notebook(tmp_path_factory):
    """``default_notebook(name)``: (executed notebook, results) of notebooks/NAME.ipynb run once per session
    through papermill with its default parameters; each caller gets its own copy."""
    import nbformat

    from vnru.report.results import read_results

    def get(name: str):
        with shared_dir(tmp_path_factory, f"default-{name}") as (directory, fill):
            if fill:
                directory.mkdir(exist_ok=True)
                run_notebook(name, directory)
        executed = nbformat.read(str(directory / f"{name}.ipynb"), as_version=4)
        return executed, read_results(executed)

    return get
