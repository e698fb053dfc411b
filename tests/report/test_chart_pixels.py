"""The pictures do not drift unnoticed: every chart of vnru.report.plots (tests/fixtures/charts.py), drawn on the
bundled data at a fixed size and dpi, is compared with its committed PNG in tests/report/baselines/.

A chart changed on purpose (colours, layout, new data rows): regenerate the baselines, look at them, commit them:

    VNRU_UPDATE_BASELINES=1 .venv/bin/python -m pytest -n 0 tests/report/test_chart_pixels.py

(this rewrites every baseline and passes; without the variable a missing baseline fails). Baselines are drawn at
DPI with matplotlib's own fonts (DejaVu Sans): pixels change with the matplotlib version or the data, and the
tolerance only absorbs anti-aliasing noise.
"""

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.testing.compare import compare_images

from fixtures.charts import CASES

BASELINES = Path(__file__).parent / "baselines"
DPI = 60  # small enough to be quick; big enough that a moved label, a colour or a lost series shows
TOLERANCE = 0.3  # RMS over 0-255 levels (compare_images): same pinned matplotlib, same pixels; a colour
# change of one series (VN red to pure red) moves a whole chart by 2.5
UPDATE = os.environ.get("VNRU_UPDATE_BASELINES") == "1"


@pytest.fixture(autouse=True)
def _house_rc(monkeypatch):
    monkeypatch.delenv("VNRU_DOWNLOADS_DIR", raising=False)  # drawn only, not exported
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        matplotlib.use("Agg")
        yield
    plt.close("all")


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_matches_its_baseline(name, tmp_path):
    fig = CASES[name]()
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=DPI, facecolor="white", metadata={"Software": None})
    plt.close(fig)
    expected = BASELINES / f"{name}.png"
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
        return
    assert expected.is_file(), f"no baseline {expected.name}: VNRU_UPDATE_BASELINES=1 (see this file's docstring)"
    failure = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert failure is None, f"{name} drifted from its baseline ({failure}); if on purpose, regenerate (docstring)"


def test_every_public_plot_function_has_a_case_or_is_listed_as_not_covered():
    """A new chart function gets a case (or a line in NOT_COVERED saying why not)."""
    import inspect

    from vnru.report import plots

    drawn = {f"{m.__name__.rsplit('.', 1)[1]}.{n}" for m in (plots.investment, plots.partners, plots.people,
                                                             plots.products, plots.timeline, plots.trade)
             for n in m.__all__ if inspect.isfunction(getattr(m, n)) and n.startswith(("plot_", "rank_", "stock_",
                                                                                       "league_"))}
    covered = {"investment.rank_figure", "investment.stock_figure", "investment.league_figure",
               "partners.plot_partner_grid", "partners.plot_share", "partners.plot_ranks", "partners.plot_asean",
               "people.plot_arrivals", "people.plot_growth", "people.plot_observations", "people.plot_ranges",
               "people.plot_claims", "products.plot_reported", "timeline.plot_timeline",
               "timeline.plot_visits_by_decade", "trade.plot_series", "trade.plot_yoy", "trade.plot_flows",
               "trade.plot_mirror_gap"}
    not_covered = {"products.plot_shares", "products.plot_hhi", "products.plot_contributions",
                   "products.plot_mirror", "products.plot_treemap"}  # composition mode: an imported Comtrade dataset
    assert drawn - covered - not_covered == set(), "a chart function without a pixel case (tests/fixtures/charts.py)"
    assert len(CASES) >= len(covered)
