"""trade_context.ipynb through papermill on the bundled data: default and non-default parameters, results recorded
(values worked out from data/partners.csv by hand), findings on top, a bad parameter stopping with one line."""

import papermill
import pytest

from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook


def _findings(nb, results):
    assert_no_warnings(nb)
    return findings_on_top(nb, results)


def test_defaults(tmp_path):
    nb, results = run_notebook("trade_context", tmp_path)
    found = _findings(nb, results)
    # 2022: Vietnam's statistics give 3,750 for Russia and 732,000 for the world -> 0.512 % (derived)
    assert (results["share_latest_year"], results["share_latest_pct"]) == (2022, 0.512)
    assert results["share_latest_sources"] == ["urdupoint-2023-04-17-le-dac-quan", "vinachem-2024-10-foreign-trade-610bn"]
    assert results["partners_shown"] == ["CHN", "USA", "EU", "ASEAN", "KOR", "JPN", "RUS"]
    assert results["russia_stated_rank_latest"] == "19th of Vietnam's trading partners (Jan–Jul 2018)"
    # 2021 by Russian figures: Vietnam 7,100, Indonesia 3,300, Thailand 2,300, the Philippines more than 1,000
    assert results["vietnam_asean_place_latest"] == "1st among the 4 partners with a figure (of 10 members) (2021)"
    claims = results["claims"]
    assert claims["largest-in-southeast-asia"] == {"supports": [2018, 2020, 2021], "contradicts": [2017],
                                                   "cannot_say": []}
    # 2022, Vietnam's figures: the Netherlands (more than 11,090), the UK 8,600, Italy 6,200, France 5,300 and
    # Belgium 4,500 all above Russia (3,550 / 3,750): five European countries ahead; other years lack figures
    assert claims["top-five-in-europe"] == {"supports": [], "contradicts": [2022],
                                            "cannot_say": [2009, 2012, 2014, 2015, 2017, 2018, 2019, 2020, 2021, 2023]}
    assert claims["top-five-overall"]["contradicts"] == [2018, 2021, 2022] and claims["top-five-overall"]["supports"] == []
    assert found[0].startswith("In 2022 Russia accounted for 0.51 % of Vietnam's two-way trade in Vietnam's statistics")
    assert any("support it for 2018, 2020, 2021 and contradict it for 2017" in s for s in found)


def test_a_shorter_window_and_two_partners(tmp_path):
    nb, results = run_notebook("trade_context", tmp_path, {"start": "2015", "end": "2021", "partners": "CHN,RUS"})
    _findings(nb, results)
    assert results["partners_shown"] == ["CHN", "RUS"]
    # 2021: 5,500 over 668,500 (Vietnam's statistics)
    assert (results["share_latest_year"], results["share_latest_pct"]) == (2021, 0.823)
    # 2021, Vietnam's full-year totals: the US, Japan, Korea, Hong Kong, India, Australia, Germany, the Netherlands
    # and the UK above Russia's 5,500; Belgium and Poland below
    assert results["russia_rank_latest"] == "10th among the 12 partners with a figure"
    assert results["russia_rank_latest_year"] == 2021
    assert results["claims"]["top-five-overall"] == {"supports": [], "contradicts": [2018, 2021],
                                                     "cannot_say": [2015, 2017, 2019, 2020]}
    assert results["share_periods"] < 10


def test_an_unknown_partner_stops_with_the_choices(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("trade_context", tmp_path, {"partners": "RUS,XYZ"})
    assert err.value.ename == "ParameterError" and "partners has unknown value(s) 'XYZ'" in err.value.evalue
