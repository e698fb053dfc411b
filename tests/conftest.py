"""Shared fixtures: a private copy of the bundled data to break, and notebook execution."""

import csv
import fcntl
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ (the bundled data is never touched by a test)."""
    monkeypatch.delenv("VNRU_DATA_DIR", raising=False)
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target


def read_rows(path: Path) -> list:
    """All rows of a CSV file, the header first."""
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a CSV (the test fails loudly if the text is not there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture(scope="session")
def notebooks_dir():
    return NOTEBOOKS_DIR


def run_notebook(name: str, out_dir: Path, parameters: dict | None = None):
    """Execute notebooks/NAME.ipynb with papermill; return the executed notebook and its results."""
    import nbformat
    import papermill

    from vnru.batch.executors.warm import IpcKernelManager
    from vnru.report.results import read_results

    out = out_dir / f"{name}.ipynb"
    # Kernels on IPC sockets, as `vnru run` starts them: with TCP, two test workers starting kernels at once
    # can race for the same free port ("Address already in use", the kernel dies before kernel_info).
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out), parameters=parameters or {},
        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS_DIR), kernel_manager_class=IpcKernelManager,
    )
    executed = nbformat.read(str(out), as_version=4)
    return executed, read_results(executed)


def _output_text(output) -> str:
    return str(output.get("text", "")) + "".join(str(v) for k, v in output.get("data", {}).items()
                                                 if k.startswith("text/"))


def assert_no_warnings(executed) -> None:
    """An executed notebook shows no stderr stream, no error and no "Warning" text in any output, no raw
    DataFrame or quoted-string repr (tables go through vnru.show), and every source id linked in a table
    (``#src-ID``) is listed in the report's sources list."""
    import re

    shown = "".join(_output_text(o) for c in executed.cells for o in c.get("outputs", []))
    listed = set(re.findall(r'id="src-([^"]+)"', shown))
    dangling = set(re.findall(r'href="#src-([^"]+)"', shown)) - listed
    assert not dangling, f"source ids linked but not in the sources list: {sorted(dangling)[:5]}"
    for number, cell in enumerate(executed.cells):
        for output in cell.get("outputs", []):
            text = _output_text(output)
            assert output.get("name") != "stderr", f"cell {number} wrote to stderr: {text[:300]}"
            assert output.get("output_type") != "error", f"cell {number} failed: {output.get('evalue')}"
            assert "Warning" not in text, f"cell {number} shows a warning: {text[:300]}"
            assert 'class="dataframe' not in text, f"cell {number} shows a raw DataFrame"
            plain = output.get("data", {}).get("text/plain", "")
            assert not (len(output.get("data", {})) == 1 and str(plain)[:1] in ("'", '"')), \
                f"cell {number} shows a quoted string: {plain[:80]}"


def findings_on_top(executed, results) -> list:
    """The recorded key findings, checked to be shown (escaped HTML) in the report's key-findings block,
    which comes before any chart or table; never NaN/None in a sentence."""
    import html

    sentences = results["key_findings"]
    assert sentences and all(isinstance(s, str) for s in sentences) and len(sentences) <= 5
    for s in sentences:
        assert not any(bad in s for bad in ("nan", "NaN", "None", "NaT", "<NA>")), s
    cells = [(n, _output_text(o), o) for n, c in enumerate(executed.cells) for o in c.get("outputs", [])]
    block = [(n, t) for n, t, _ in cells if 'class="vnru-findings"' in t]
    assert len(block) == 1, "one key-findings block"
    first_content = min(n for n, t, o in cells if "image/png" in o.get("data", {}) or "<table" in t)
    assert block[0][0] < first_content, "key findings come before the first chart or table"
    for s in sentences:
        assert html.escape(s, quote=False) in block[0][1]
    return sentences


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
