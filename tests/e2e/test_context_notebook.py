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
    # 2024: Vietnam's statistics give 4,600 for Russia (trade.csv) and 405,530 + 380,760 = 786,290 for the world
    # (exports plus imports of one source, no total stated) -> 0.585 % (derived)
    assert results["share_latest_year"] == 2024 and results["share_latest_pct"] == pytest.approx(100 * 4_600 / 786_290)
    assert results["share_latest_sources"] == ["vietnamnews-2025-09-20-idt-forum", "tuoitre-2025-01-06-gdp-2024"]
    assert results["partners_shown"] == ["CHN", "USA", "EU", "ASEAN", "KOR", "JPN", "RUS"]
    assert results["russia_stated_rank_latest"] == "19th of Vietnam's trading partners (Jan–Jul 2018)"
    # 2021 by Russian figures: Vietnam 7,100, Indonesia 3,300, Thailand 2,300, the Philippines more than 1,000
    assert results["vietnam_asean_place_latest"] == "1st among the 4 partners with a figure (of 10 members) (2021)"
    claims = results["claims"]
    # 2013, 2023 and 2024: Russia's figure for Vietnam (trade.csv) but too few members' figures to say
    assert claims["largest-in-southeast-asia"] == {"supports": [2018, 2020, 2021], "contradicts": [2017],
                                                   "cannot_say": [2013, 2023, 2024]}
    # 2022, Vietnam's figures: the Netherlands (more than 11,090), the UK 8,600, Italy 6,200, France 5,300 and
    # Belgium 4,500 all above Russia (3,550 / 3,750): five European countries ahead; other years lack figures
    assert claims["top-five-in-europe"] == {"supports": [], "contradicts": [2022], "cannot_say": [
        2009, 2010, 2011, 2012, 2013, 2014, 2015, 2017, 2018, 2019, 2020, 2021, 2023, 2024]}
    assert claims["top-five-overall"]["contradicts"] == [2018, 2021, 2022] and claims["top-five-overall"]["supports"] == []
    # 2022, Vietnam's full-year figures: the US, Japan, Australia, the Netherlands, the UK, Italy, France and
    # Belgium above Russia's 3,750, Poland below (China and Korea have no full-year 2022 figure in the data)
    assert (results["russia_rank_latest"], results["russia_rank_latest_year"]) == (
        "9th among the 10 partners with a figure", 2022)
    assert found[0] == ("In 2024 Russia accounted for 0.59 % of Vietnam's two-way trade in Vietnam's statistics "
                        "(USD 4.6 bn of USD 786.29 bn, its exports plus imports; derived from two sources).")
    assert found[1] == ("In 2022 Vietnam's trade with Russia fell 31.8 % while its trade with the world grew 9.5 % "
                        "(Vietnam's statistics; derived).")  # 3,750 on 5,500; 732,000 on 668,500
    assert found[3] == ("\u201cVietnam is Russia's largest trading partner in Southeast Asia\u201d: the data support it "
                        "for 2018, 2020, 2021 and contradict it for 2017; 3 other years with figures cannot decide it.")
    assert found[4].startswith("\u201cRussia is one of Vietnam's top five trading partners in Europe\u201d: the data "
                               "contradict it for 2022; 14 other years")


def test_a_shorter_window_and_two_partners(tmp_path):
    nb, results = run_notebook("trade_context", tmp_path, {"start": "2015", "end": "2021", "partners": "CHN,RUS"})
    _findings(nb, results)
    assert results["partners_shown"] == ["CHN", "RUS"]
    # 2021: 5,500 over 668,500 (Vietnam's statistics)
    assert results["share_latest_year"] == 2021 and results["share_latest_pct"] == pytest.approx(100 * 5_500 / 668_500)
    # 2021, Vietnam's full-year totals: the US, Japan, Korea, Hong Kong, India, Australia, Germany, the Netherlands
    # and the UK above Russia's 5,500; Belgium and Poland below
    assert results["russia_rank_latest"] == "10th among the 12 partners with a figure"
    assert results["russia_rank_latest_year"] == 2021
    assert results["claims"]["top-five-overall"] == {"supports": [], "contradicts": [2018, 2021],
                                                     "cannot_say": [2015, 2016, 2017, 2019, 2020]}
    assert results["share_periods"] < 10


def test_an_unknown_partner_stops_with_the_choices(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("trade_context", tmp_path, {"partners": "RUS,XYZ"})
    assert err.value.ename == "ParameterError" and "partners has unknown value(s) 'XYZ'" in err.value.evalue
