"""investment_rankings.ipynb through papermill: results checked against the CSV read independently."""

import csv

import pytest

from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook
from vnru.paths import BUNDLED_DATA_DIR
from vnru.report import findings as F

EXACT = {"", "exactly"}


def _rows(name):
    with open(BUNDLED_DATA_DIR / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _latest(rows, field):
    """Latest row carrying ``field``; same date: exact figure first, then lowest source_id."""
    have = [r for r in rows if r[field]]
    last = max(r["as_of"] for r in have)
    tied = sorted((r for r in have if r["as_of"] == last),
                  key=lambda r: (r["qualifier"] not in EXACT, r["source_id"]))
    return tied[0]


def _check_findings(nb, results, directions):
    """The sentences carry the recorded rank, field, percentile and capital of each direction."""
    assert_no_warnings(nb)
    text = " ".join(findings_on_top(nb, results))
    for d in directions:
        rank = (f"ranked {F.ordinal(results[f'{d}_latest_rank'])} of {results[f'{d}_latest_rank_of']} "
                f"{F.DIRECTION_WORDS[d][1]} (percentile {results[f'{d}_latest_percentile']:.1f})")
        assert rank in text
        assert f"{F.DIRECTION_WORDS[d][2]} stood at" in text and F.money(results[f"{d}_latest_capital_usd_m"]) in text
        assert f"in {F.count(results[f'{d}_latest_projects'])} projects" in text
    assert f"is {results['league_leader']}." in text
    assert "$" not in "".join(c.source for c in nb.cells if c.cell_type == "markdown")  # no LaTeX: renders offline


def _expected(direction, start="0000", end="9999"):
    rows = [r for r in _rows("investment.csv") if r["direction"] == direction and start <= r["as_of"] <= end]
    ranked, cap, proj = _latest(rows, "rank"), _latest(rows, "capital_usd_m"), _latest(rows, "projects")
    rank, field = int(ranked["rank"]), int(ranked["rank_of"])
    return {f"{direction}_reports": len(rows), f"{direction}_latest_rank": rank,
            f"{direction}_latest_rank_of": field,
            f"{direction}_latest_percentile": round((field - rank) / (field - 1) * 100, 2),
            f"{direction}_latest_capital_usd_m": float(cap["capital_usd_m"]),
            f"{direction}_latest_projects": int(proj["projects"]),
            f"{direction}_best_rank": min(int(r["rank"]) for r in rows if r["rank"])}


def test_defaults_match_the_csv(default_notebook):
    nb, results = default_notebook("investment_rankings")
    for direction in ("ru_in_vn", "vn_in_ru"):
        for key, value in _expected(direction).items():
            assert results[key] == pytest.approx(value), key
    # hand check of the headline numbers (MOFA, June 2024)
    assert (results["ru_in_vn_latest_rank"], results["ru_in_vn_latest_rank_of"]) == (28, 145)
    assert results["ru_in_vn_latest_percentile"] == 81.25
    fdi = _rows("vn_fdi_investors.csv")
    last = max(r["as_of"] for r in fdi)
    assert results["league_date"] == last
    assert results["league_leader"] == next(r["investor"] for r in fdi if r["as_of"] == last and r["rank"] == "1")
    assert results["league_highlight_rank"] == 28  # Russia, April 2024 (nearest ranked stock to 2023-09-20)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 3
    _check_findings(nb, results, ("ru_in_vn", "vn_in_ru"))
    shown = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "reported stocks, 20 with a rank, 2008 to Apr 2024" in shown  # no invented day for a year-only date
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stdout"]  # no print line


def test_other_direction_window_and_league(tmp_path):
    params = {"direction": "vn_in_ru", "start": "2014", "end": "2019-12-31", "league_date": "2010-01-01",
              "top_n": 3, "highlight": "Japan"}
    nb, results = run_notebook("investment_rankings", tmp_path, params)
    expected = _expected("vn_in_ru", "2014-01-01", "2019-12-31")
    for key, value in expected.items():
        assert results[key] == pytest.approx(value), key
    assert (results["vn_in_ru_latest_rank"], results["vn_in_ru_latest_rank_of"]) == (3, 75)
    assert results["vn_in_ru_latest_capital_usd_m"] == 3000.0
    assert not any(k.startswith("ru_in_vn") for k in results)
    # the July 2009 ranking is known to the month: recorded as 2009-07, never an invented day
    assert results["league_date"] == "2009-07" and results["league_leader"] == "Taiwan"
    assert results["league_highlight_rank"] == 4  # Japan, shown although outside the top 3
    _check_findings(nb, results, ("vn_in_ru",))
    text = " ".join(results["key_findings"])
    assert F.DIRECTION_WORDS["ru_in_vn"][1] not in text and F.DIRECTION_WORDS["ru_in_vn"][2] not in text


@pytest.mark.parametrize("params, message", [
    ({"direction": "sideways"}, "direction must be one of 'ru_in_vn', 'vn_in_ru', 'both'"),
    ({"top_n": 0}, "top_n must be between 1 and 30"),
    ({"start": "2020", "end": "2010"}, "start (2020-01-01) is after end (2010-01-01)"),
    ({"start": "2030"}, "no reported stock for direction 'both' from 2030-01-01 on"),
])
def test_bad_parameters_stop_with_one_line(tmp_path, params, message):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("investment_rankings", tmp_path, params)
    assert message in str(err.value)
