"""Shared fixtures: a private copy of the bundled data to break, and notebook execution."""

import csv
import shutil
from pathlib import Path

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

    from vnru.results import read_results

    out = out_dir / f"{name}.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"), str(out), parameters=parameters or {},
        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS_DIR),
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

@pytest.fixture(scope="session")
def full_run(tmp_path_factory):
    """One `vnru run` of every bundled notebook (HTML included, two jobs) on the bundled data, shared by every
    test that only reads a default run: ``out`` (the report directory), ``result`` (the CLI's exit code and
    output) and ``manifest``. Tests that change a run copy ``out`` first."""
    import json
    import os
    import subprocess
    import sys
    from types import SimpleNamespace

    out = tmp_path_factory.mktemp("full_run") / "reports"
    env = {k: v for k, v in os.environ.items() if k != "VNRU_DATA_DIR"}
    result = subprocess.run([sys.executable, "-m", "vnru.cli", "run", "--out", str(out), "--jobs", "2", "-q"],
                            capture_output=True, text=True, env=env, timeout=900, check=False)
    assert (out / "manifest.json").is_file(), result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return SimpleNamespace(out=out, result=result, manifest=manifest)


@pytest.fixture(scope="session")
def default_notebook(tmp_path_factory):
    """``default_notebook(name)``: (executed notebook, results) of notebooks/NAME.ipynb run once per session
    through papermill with its default parameters; each caller gets its own copy."""
    import copy

    executed = {}

    def get(name: str):
        if name not in executed:
            executed[name] = run_notebook(name, tmp_path_factory.mktemp(f"default-{name}"))
        return copy.deepcopy(executed[name])

    return get


# Under pytest-xdist (`-n 2 --dist loadgroup` in pyproject's addopts) a session fixture is made once per worker:
# the tests that share a run go to one worker, so that each shared execution still happens once.
SHARED_GROUPS = {"full_run": "full_run", "browser": "full_run", "default_notebook": "default_notebooks"}


def pytest_collection_modifyitems(items):
    for item in items:
        group = next((SHARED_GROUPS[f] for f in getattr(item, "fixturenames", ()) if f in SHARED_GROUPS), None)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
