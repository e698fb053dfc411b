"""Every notebook runs through papermill on the bundled data (committed clean: test_notebooks_alike.py)."""

import pytest

from vnru.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_bundled_notebooks_exist():
    assert {"trade_growth", "trade_context", "investment_rankings", "diplomatic_timeline", "people_exchange"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_defaults(name, default_notebook):
    _, results = default_notebook(name)
    assert results, f"{name} recorded no results"
