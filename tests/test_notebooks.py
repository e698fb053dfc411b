"""Every notebook is committed clean and runs through papermill on the bundled data."""

import json

import pytest

from vnru.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_bundled_notebooks_exist():
    assert {"trade_growth", "trade_context", "investment_rankings", "diplomatic_timeline", "people_exchange"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_defaults(name, default_notebook):
    _, results = default_notebook(name)
    assert results, f"{name} recorded no results"
