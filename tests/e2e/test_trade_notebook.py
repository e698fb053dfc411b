"""notebooks/trade_growth.ipynb through papermill: recorded results against values computed here
straight from the CSV (csv module, no vnru.analysis.trade), and bad parameters stopping in the first cell."""

import csv

import pytest

from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook
from vnru.paths import BUNDLED_DATA_DIR
from vnru.report import findings as F


def _full_year_totals(reporter):
    """{year: [values]} of full-year two-way figures of one reporter, read from trade.csv directly."""
    out = {}
    with open(BUNDLED_DATA_DIR / "trade.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["reporter"] == reporter and row["flow"] == "total" and row["months"] == "12":
                out.setdefault(int(row["year"]), []).append(float(row["value_usd_m"]))
    return out


def _one(values):
    assert len(set(values)) == 1, values   # the years used below have a single reported value
    return values[0]


def test_defaults_both_reporters(default_notebook):
    executed, res = default_notebook("trade_growth")
    vn, ru = _full_year_totals("VN"), _full_year_totals("RU")
    last = max(vn)
    assert res["latest_year"] == last == 2024 and res["latest_months"] == 12
    assert res["latest_value_usd_m"] == _one(vn[last])
    assert res["latest_yoy_pct"] == pytest.approx((_one(vn[last]) / _one(vn[last - 1]) - 1) * 100)
    first = min(vn)
    assert (res["cagr_from"], res["cagr_to"]) == (first, last)
    assert res["cagr_pct"] == pytest.approx(((_one(vn[last]) / _one(vn[first])) ** (1 / (last - first)) - 1) * 100)
    assert res["peak_year"] == max(vn, key=lambda y: max(vn[y]))
    assert res["ru_latest_year"] == max(ru) and res["ru_latest_value_usd_m"] == _one(ru[max(ru)])
    assert res["ru_peak_year"] == max(ru, key=lambda y: max(ru[y]))
    gap_year = max(set(vn) & set(ru))
    assert res["mirror_gap_latest_year"] == gap_year
    assert res["mirror_gap_latest_pct"] == pytest.approx((_one(ru[gap_year]) / _one(vn[gap_year]) - 1) * 100)
    assert res["reporters"] == ["VN", "RU"] and res["events_marked"] > 0
    # issue 24: "key" labels a handful of milestones chosen by kind from the timeline
    assert res["milestones"] == ["1994-treaty", "2001-strategic-partnership", "2012-comprehensive-partnership",
                                 "2016-eaeu-fta-in-force", "2024-06-putin-state-visit"]
    assert_no_warnings(executed)
    found = findings_on_top(executed, res)
    assert found[0].startswith(f"Vietnam's statistics put two-way trade at {F.money(res['latest_value_usd_m'])} in "
                               f"{res['latest_year']}, {F.pct(res['latest_yoy_pct'])} on the year before")
    # issue 22: the latest part-year (January-November 2025) is said beside the same months of 2024
    assert "the latest figure, for January–November 2025" in found[0] and "same months of 2024" in found[0]
    assert "series breaks in 2013" in next(s for s in found if "(CAGR)" in s)
    traced = res["findings"]  # the manifest's findings: text, values and sources of each sentence
    assert [f["text"] for f in traced] == found and all(f["source_ids"] for f in traced)
    assert found[1].startswith(f"Russia's statistics put two-way trade at {F.money(res['ru_latest_value_usd_m'])} "
                               f"in {res['ru_latest_year']}")
    assert f"The peak in Vietnam's figures is {res['peak_year']}, at {F.money(res['peak_value_usd_m'])}." in found
    # issue 25: Russia's share of Vietnam's trade in the latest year with both figures (Vietnam's statistics: the
    # pair's 4,600 from trade.csv over the world's 405,530 + 380,760 in 2024), with both figures and both sources
    assert res["russia_share_year"] == 2024 and res["russia_share_pct"] == pytest.approx(100 * 4_600 / 786_290)
    assert res["russia_share_sources"] == ["vietnamnews-2025-09-20-idt-forum", "tuoitre-2025-01-06-gdp-2024"]
    assert "; in 2024 Russia accounted for 0.59 % of Vietnam's two-way trade in Vietnam's statistics (USD 4.6 bn of " \
        "USD 786.29 bn, its exports plus imports; derived from two sources)" in traced[0]["text"]
    assert set(res["russia_share_sources"]) <= set(traced[0]["source_ids"])
    assert (f"In {res['mirror_gap_latest_year']} Russia's statistics record "
            f"{F.pct(res['mirror_gap_latest_pct'], signed=False)} more trade") in found[-1]


def test_russia_only_window_without_events(tmp_path):
    executed, res = run_notebook("trade_growth", tmp_path, {"reporter": "RU", "start": "2010", "end": "2023",
                                                     "milestones": "none"})
    ru = {y: v for y, v in _full_year_totals("RU").items() if 2010 <= y <= 2023}
    first, last = min(ru), max(ru)
    assert res["reporters"] == ["RU"] and "vn_latest_year" not in res and "mirror_gap_latest_pct" not in res
    assert res["latest_year"] == last and res["latest_value_usd_m"] == _one(ru[last])
    assert res["cagr_from"] == first
    assert res["cagr_pct"] == pytest.approx(((_one(ru[last]) / _one(ru[first])) ** (1 / (last - first)) - 1) * 100)
    assert res["events_marked"] == 0
    assert_no_warnings(executed)
    found = findings_on_top(executed, res)
    assert found[0].startswith(f"Russia's statistics put two-way trade at {F.money(res['latest_value_usd_m'])} "
                               f"in {res['latest_year']}, {F.pct(res['latest_yoy_pct'])}")
    assert (f"From {res['cagr_from']} to {res['cagr_to']} Russia's figure changed by {F.pct(res['cagr_pct'])} a year"
            in found[-1])
    assert not [s for s in found if "Vietnam" in s or "mirror" in s]
    assert "russia_share_year" not in res  # Russia's share rests on Vietnam's statistics, not shown here


def test_vietnam_with_partial_years(tmp_path):
    executed, res = run_notebook("trade_growth", tmp_path, {"reporter": "VN", "start": "2015", "include_partial": True})
    with open(BUNDLED_DATA_DIR / "trade.csv", encoding="utf-8") as f:
        partial_2025 = [float(r["value_usd_m"]) for r in csv.DictReader(f) if r["reporter"] == "VN"
                        and r["flow"] == "total" and r["year"] == "2025" and r["months"] == "11"]
    assert res["latest_year"] == 2025 and res["latest_months"] == 11
    assert res["latest_value_usd_m"] == _one(partial_2025)
    vn = _full_year_totals("VN")
    assert (res["cagr_from"], res["cagr_to"]) == (2016, 2024)
    assert res["cagr_pct"] == pytest.approx(((_one(vn[2024]) / _one(vn[2016])) ** (1 / 8) - 1) * 100)
    assert_no_warnings(executed)
    found = findings_on_top(executed, res)
    assert found[0] == f"Vietnam's statistics put two-way trade at {F.money(res['latest_value_usd_m'])} in " \
        "January–November 2025."  # a partial year is named as such, and has no growth on a full year
    assert found[1].startswith("In 2024 Russia accounted for 0.59 % of Vietnam's two-way trade")  # issue 25


@pytest.mark.parametrize("parameters,message", [
    ({"start": "2020", "end": "2010"}, "start (2020) is after end (2010)"),
    ({"start": "92"}, 'start must be a year such as 2016 (YYYY), or "" for no limit; got \'92\''),
    ({"milestones": "1994-treaty,nope"}, "milestones has unknown event id(s) 'nope'"),
    ({"reporter": "XX"}, "reporter must be one of 'VN', 'RU', 'both'; got 'XX'"),
])
def test_bad_parameters_stop_in_first_cell(tmp_path, parameters, message):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("trade_growth", tmp_path, parameters)
    assert message in str(err.value)
