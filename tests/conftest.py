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
