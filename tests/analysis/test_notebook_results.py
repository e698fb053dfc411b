"""The library calls behind the notebooks' thin cells, on small hand-computed frames: the key results each
notebook records in one call (``results.record_all`` of ``<analysis>.report_results``) and the figures its
cells used to compute inline (the products mirror-gap percentage, the investor league in brief, …)."""

import pandas as pd
import pytest

from vnru.analysis import investment, people_view, product_view, timeline, trade
from vnru.errors import ParameterError
from vnru.report import results

# --- report.results.record_all -------------------------------------------------------------------------------------


def test_record_all_records_every_key_in_order_as_record_does():
    before = results.recorded()
    results.record_all({"zz_first": 1.5, "aa_second": [1, 2], "mm_third": pd.Timestamp("2024-04-01")})
    got = results.recorded()
    assert list(got)[-3:] == ["zz_first", "aa_second", "mm_third"]
    assert [got[k] for k in ("zz_first", "aa_second", "mm_third")] == [1.5, [1, 2], "2024-04-01"]
    results.record_all([("zz_first", None)])  # pairs too; a key recorded again moves to the end, as with record
    assert list(results.recorded())[-1] == "zz_first" and results.recorded()["zz_first"] is None
    assert set(before) <= set(results.recorded())


@pytest.mark.parametrize("bad", [{"ok_key": 1, "Bad Key": 2}, {"ok_key": 1, "table": pd.DataFrame({"a": [1]})}])
def test_record_all_checks_every_key_and_value_before_recording_any(bad):
    results.record_all({"ok_key": 0})
    with pytest.raises(ParameterError):
        results.record_all(bad)
    assert results.recorded()["ok_key"] == 0, "nothing of a refused mapping is recorded"


# --- trade_products: the mirror gap of a whole flow ----------------------------------------------------------------

GAP = pd.DataFrame({"flow": ["vn_exports"] * 3, "year": [2023] * 3, "hs_code": ["03", "09", "85"],
                    "value_vn": [100.0, 300.0, 0.0], "value_ru": [110.0, 250.0, 5.0], "gap": [10.0, -50.0, 5.0]})


def test_mirror_gap_pct_is_the_sum_of_gaps_over_vietnams_sum():
    # (10 - 50 + 5) / (100 + 300 + 0) * 100 = -35 / 400 * 100 = -8.75 (not the mean of the products' percentages)
    assert product_view.mirror_gap_pct(GAP) == pytest.approx(-8.75)
    assert product_view.mirror_gap_pct(GAP.iloc[[2]]) is None  # Vietnam reports nothing: no percentage


def _composition_inputs():
    shares = pd.DataFrame({"reporter": ["VN", "VN", "VN"], "flow": ["vn_exports"] * 3, "year": [2023, 2023, 2022],
                           "hs_code": ["85", "03", "85"], "value_usd_m": [70.0, 30.0, 50.0],
                           "share_pct": [70.0, 30.0, 100.0]})
    detail = shares[shares["year"] == 2023]
    index = pd.DataFrame({"flow": ["vn_exports", "vn_exports"], "reporter": ["VN", "VN"], "year": [2022, 2023],
                          "hhi": [10000.0, 5800.04]})
    parts = pd.DataFrame({"flow": ["vn_exports", "vn_exports"], "hs_code": ["85", "03"],
                          "total_growth_pct": [100.0 / 3, 100.0 / 3]})
    return {"year": 2023, "hs_level": 2, "detail": detail, "shares": shares, "index": index, "parts": parts}


def test_products_report_results_in_composition_mode():
    chosen = pd.DataFrame({"flow": ["vn_exports"] * 4})
    got = product_view.report_results("composition", chosen, ["vn_exports", "vn_imports"], gap=GAP,
                                      **_composition_inputs())
    assert got == {"mode": "composition", "rows": 4, "year": 2023, "hs_level": 2,
                   "vn_exports_vn_top_product": "85", "vn_exports_vn_top_share_pct": 70.0,
                   "vn_exports_vn_total_usd_m": 100.0, "vn_exports_vn_hhi": 5800.0, "vn_exports_growth_pct": 33.33,
                   "vn_exports_largest_contributor": "85", "vn_exports_mirror_gap_pct": -8.75}
    assert "vn_exports_mirror_gap_pct" not in product_view.report_results(
        "composition", chosen, ["vn_exports"], **_composition_inputs())  # reporter != "both": no gap recorded


def test_products_report_results_in_reported_and_empty_mode():
    rows = pd.DataFrame({"product": ["Rice", "Rice", "Coal"], "year": [2022, 2024, 2023],
                         "partial": [False, True, False], "conflict": [False, True, True]})
    lead = pd.DataFrame({"flow": ["vn_exports"], "reporter": ["VN"], "year": [2022], "product": ["Rice"]})
    assert product_view.report_results("reported", rows, rows=rows, lead=lead) == {
        "mode": "reported", "rows": 3, "products": 2, "partial_figures": 1, "conflicting_figures": 2,
        "years": [2022, 2024], "leading_products": {"vn_exports/VN/2022": "Rice"}}
    assert product_view.report_results("empty", rows.iloc[:0]) == {"mode": "empty", "rows": 0}


def test_flows_in_keeps_the_flow_order_and_can_ask_for_values():
    frame = pd.DataFrame({"flow": ["vn_imports", "vn_exports"], "value_usd_m": [None, 1.0]})
    assert product_view.flows_in(frame) == ["vn_exports", "vn_imports"]
    assert product_view.flows_in(frame, valued=True) == ["vn_exports"]
    assert product_view.detail_year(pd.DataFrame({"year": [2021, 2023]}), 0) == 2023
    assert product_view.detail_year(pd.DataFrame({"year": [2021, 2023]}), 2021) == 2021


# --- investment_rankings: the league in brief ----------------------------------------------------------------------

LEAGUE = pd.DataFrame({
    "investor": ["Korea", "Singapore", "Russia"], "rank": [1, 2, 26], "rank_of": [None, 151, 151],
    "as_of": pd.to_datetime(["2024-04-01", "2024-04-01", "2024-03-20"]), "as_of_precision": ["month", "month", "day"],
    "origin": ["vn_fdi_investors", "vn_fdi_investors", "investment"], "highlight": [False, False, True]})


def test_league_summary_gives_date_precision_field_and_leader():
    assert investment.league_summary(LEAGUE) == {"date": pd.Timestamp("2024-04-01"), "precision": "month",
                                                 "field": 151, "leader": "Korea"}
    no_field = investment.league_summary(LEAGUE.assign(rank_of=None))
    assert no_field["field"] is None and no_field["leader"] == "Korea"


def test_investment_report_results_prefix_each_direction_then_the_league():
    summary = {key: None for key in investment.RECORDED} | {"reports": 3, "latest_rank": 26,
                                                            "latest_rank_as_of": pd.Timestamp("2024-03-01"),
                                                            "latest_rank_as_of_precision": "month"}
    got = investment.report_results({"ru_in_vn": summary}, LEAGUE)
    assert list(got) == [f"ru_in_vn_{k}" for k in investment.RECORDED] + [
        "league_date", "league_leader", "league_highlight_rank"]
    assert got["ru_in_vn_latest_rank_as_of"] == "2024-03" and got["ru_in_vn_reports"] == 3
    assert (got["league_date"], got["league_leader"], got["league_highlight_rank"]) == ("2024-04", "Korea", 26)
    assert investment.report_results({}, LEAGUE.assign(highlight=False))["league_highlight_rank"] is None


# --- people_exchange ----------------------------------------------------------------------------------------------


def test_people_report_results_take_the_range_of_estimates_and_claims():
    selected = pd.DataFrame({"indicator": ["vn_community_in_russia", "vn_community_in_russia", "flights"]})
    community = pd.DataFrame({"low": [60000.0, 80000.0], "high": [100000.0, 80000.0]})
    trained = pd.DataFrame({"value_low": [30000.0, 75000.0, 50000.0]})
    heads = {"arrivals_latest": None, "arrivals_peak": None, "vn_students_in_russia": None,
             "russian_scholarships": {"value_low": 1000.0, "when": "2024", "source_id": "s1"}}
    assert people_view.report_results(selected, heads, community=community, trained=trained) == {
        "figures_shown": 3, "indicators_shown": 2, "scholarships_latest": 1000.0, "scholarships_latest_when": "2024",
        "scholarships_latest_source": "s1", "scholarships_latest_range": None, "community_estimates": 2, "community_low": 60000.0,
        "community_high": 100000.0, "trained_claims": 3, "trained_min": 30000.0, "trained_max": 75000.0}


def test_people_selections():
    shown = pd.DataFrame({"indicator": ["b", "a", "c", "a"], "x": [2020.0, 2021.0, 2019.0, 2019.0]})
    assert people_view.wanted(shown, ["c", "z", "a"]) == ["c", "a"]
    assert people_view.of_indicators(shown, ["a"], sort=True)["x"].tolist() == [2019.0, 2021.0]
    assert people_view.of_indicators(shown, ["a", "b"], exclude=True)["indicator"].tolist() == ["c"]


# --- diplomatic_timeline -------------------------------------------------------------------------------------------


def test_timeline_report_results():
    events = pd.DataFrame({"event_id": ["e1", "e2"], "date": pd.to_datetime(["2001-03-01", "2012-07-27"]),
                           "precision": ["month", "day"], "partnership_level": ["strategic", None],
                           "source_id": ["s", "s"]})
    upcoming = pd.DataFrame({"event_id": ["e1"], "years": [25], "date": pd.to_datetime(["2026-03-01"]),
                             "precision": ["month"]})
    got = timeline.report_results(events, events, "2020-01-01", events.iloc[:1], upcoming)
    assert got == {"event_count": 2, "first_event": "e1", "last_event": "e2", "first_event_when": "Mar 2001",
                   "partnership_level": "strategic", "top_visit_count": 1, "next_anniversary": "25th: e1",
                   "next_anniversary_date": "2026-03"}
    empty = timeline.report_results(events.iloc[:0], events, "2000-01-01", events.iloc[:0], upcoming.iloc[:0])
    assert empty == {"event_count": 0, "first_event": None, "last_event": None, "first_event_when": None,
                     "partnership_level": "none", "top_visit_count": 0, "next_anniversary": None,
                     "next_anniversary_date": None}


# --- trade_growth -------------------------------------------------------------------------------------------------


def _growth():
    return pd.DataFrame({"reporter": ["VN", "VN", "RU"], "flow": ["total"] * 3, "year": [2022, 2023, 2023],
                         "months": [12, 12, 12], "value_usd_m": [100.0, 110.0, 150.0],
                         "yoy_disagrees": [None, True, False]})


def test_trade_report_results_lead_with_the_first_reporter():
    headlines = {"VN": {"figures": 2, "latest_year": 2023}, "RU": {"figures": 1, "latest_year": 2023}}
    gap = pd.DataFrame({"year": [2021, 2022, 2023], "gap_pct": [10.0, 40.0, 36.4]})
    got = trade.report_results(headlines, ["VN", "RU"], _growth(), _growth(), events=None, gap=gap)
    assert list(got)[:9] == list(trade.HEADLINE_KEYS) and got["latest_year"] == 2023 and got["cagr_pct"] is None
    assert got["reporters"] == ["VN", "RU"] and got["vn_figures"] == 2 and got["ru_figures"] == 1
    assert (got["figures_used"], got["events_marked"], got["yoy_disagreements"]) == (3, 0, 1)
    assert (got["mirror_gap_latest_year"], got["mirror_gap_latest_pct"], got["mirror_gap_median_pct"]) == (
        2023, 36.4, 36.4)
    assert "mirror_gap_latest_year" not in trade.report_results(headlines, ["VN"], _growth(), _growth())
    assert trade.latest_gap(gap) == (2023, 36.4) and trade.latest_gap(None) == (None, None)


def test_trade_windows_and_periods():
    rows = _growth()
    assert trade.reporters_of("both") == ["VN", "RU"] and trade.reporters_of("RU") == ["RU"]
    assert len(trade.in_window(rows, 2023, 2023, ["VN"])) == 1
    series = rows.assign(partial=[False, True, False])
    assert trade.full_years(series, "VN")["year"].tolist() == [2022]
    assert trade.cagr_periods(series, 2022, 2023) == (None, None)  # no standard period inside the window


def test_trade_report_results_record_russias_share_only_with_its_reporter_shown():
    headlines = {"VN": {"figures": 2, "latest_year": 2023}, "RU": {"figures": 1, "latest_year": 2023}}
    share = {"year": 2022, "share_pct": 0.51229, "source_id": "ru-doc", "world_source_id": "world-doc",
             "reporter": "VN"}
    got = trade.report_results(headlines, ["VN", "RU"], _growth(), _growth(), share=share)
    assert list(got)[-3:] == ["russia_share_year", "russia_share_pct", "russia_share_sources"]
    assert (got["russia_share_year"], got["russia_share_pct"], got["russia_share_sources"]) == (
        2022, 0.51229, ["ru-doc", "world-doc"])
    assert "russia_share_year" not in trade.report_results(headlines, ["RU"], _growth(), _growth(), share=share)
