"""vnru.report.findings: sentences from hand-built inputs (numbers formatted, missing numbers leave a sentence out),
the HTML block, and the investment helpers' date precision the reports rely on."""

import math

import pandas as pd
import pytest

from fixtures.samples import SMALL, TOY
from vnru.analysis import investment as inv
from vnru.report import findings as F


@pytest.mark.parametrize("value, text", [(4567.0, "USD 4.57 bn"), (870.4, "USD 870 m"), (2.54, "USD 2.5 m"),
                                         (-1200.0, "USD -1.2 bn"),
                                         (3835.733123, "USD 3.84 bn")])  # Comtrade's whole dollars: was a crash
def test_money(value, text):
    assert F.money(value) == text


def test_numbers_and_periods():
    assert F.pct(26.72) == "+26.7 %" and F.pct(-3.05) == "-3.0 %" and F.pct(81.3, signed=False) == "81.3 %"
    assert F.count(232300.0) == "232,300" and F.ordinal(1) == "1st" and F.ordinal(12) == "12th"
    assert F.ordinal(22) == "22nd" and F.ordinal(103) == "103rd"
    assert F.period(2024) == "2024" and F.period(2025, 11) == "January–November 2025"
    assert F.period(2024, 1, 6) == "June 2024"
    assert all(F.missing(v) for v in (None, math.nan, pd.NA, pd.NaT, math.inf))
    assert not F.missing(0, "", 2024, pd.Timestamp("2024-01-01"))


def _trade_result(**overrides):
    base = {"latest_year": 2024, "latest_months": 12, "latest_value_usd_m": 4600.0, "latest_yoy_pct": 26.7213,
            "peak_year": 2021, "peak_value_usd_m": 5500.0, "cagr_from": 1992, "cagr_to": 2024, "cagr_pct": 10.24}
    return {**base, **overrides}


def test_trade_both_reporters_and_mirror_gap():
    out = F.trade({"VN": _trade_result(), "RU": _trade_result(latest_value_usd_m=6000.0, latest_yoy_pct=20.0)},
                  2024, 30.43)
    assert out == [
        "Vietnam's statistics put two-way trade at USD 4.6 bn in 2024, +26.7 % on the year before.",
        "Russia's statistics put two-way trade at USD 6 bn in 2024, +20.0 % on the year before.",
        "The peak in Vietnam's figures is 2021, at USD 5.5 bn.",
        "From 1992 to 2024 Vietnam's figure changed by +10.2 % a year on average (CAGR).",
        "In 2024 Russia's statistics record 30.4 % more trade than Vietnam's (the mirror gap).",
    ]
    assert "less trade" in F.trade({"VN": _trade_result()}, 2020, -12.0)[-1]


def test_trade_leaves_out_what_is_missing():
    out = F.trade({"VN": _trade_result(latest_months=11, latest_yoy_pct=None, peak_year=None, cagr_pct=math.nan)})
    assert out == ["Vietnam's statistics put two-way trade at USD 4.6 bn in January–November 2024."]
    assert F.trade({"RU": {"figures": 0}}) == []
    assert F.trade({"VN": _trade_result()}, None, None)[-1].startswith("From 1992")


def _leaders(rows):
    return pd.DataFrame(rows, columns=["flow", "reporter", "year", "product", "value_usd_m", "source_id"])


def test_products_reported_names_the_change_of_leader():
    out = F.products_reported(_leaders([
        ("vn_exports", "VN", 2021, "Phones and parts", 1500.0, "a"),
        ("vn_exports", "VN", 2023, "Textiles and garments", 420.0, "c"),
        ("vn_imports", "RU", 2023, "Fertilisers", math.nan, "c"),
    ]))
    assert out == [
        ("The largest reported item of Vietnam's exports to Russia (Vietnam's figures) in 2023 is Textiles and "
        "garments, at USD 420 m."),
        ("Earlier leaders of Vietnam's exports to Russia (Vietnam's figures), each for its own period: Phones and "
         "parts in 2021."),
        "The largest reported item of Vietnam's imports from Russia (Russia's figures) in 2023 is Fertilisers.",
    ]
    assert not any("taken its place" in s for s in out)  # issue 22: leaders of different periods never replace
    assert out[0].values["value_usd_m"] == 420.0 and out[0].source_ids == ["c"]
    assert F.products_reported(_leaders([])) == []


def test_products_composition():
    detail = pd.DataFrame({"flow": ["vn_exports", "vn_exports", "vn_exports"], "reporter": ["VN", "VN", "RU"],
                           "year": [2023] * 3, "hs_code": ["85", "61", "85"], "name": ["Electrical", "Apparel", "E"],
                           "share_pct": [40.04, 20.0, 50.0]})
    shares = pd.DataFrame({"flow": ["vn_exports"] * 3, "reporter": ["VN", "VN", "VN"], "year": [2023, 2023, 2022],
                           "value_usd_m": [1000.0, 500.0, 900.0]})
    hhi = pd.DataFrame({"flow": ["vn_exports"], "reporter": ["VN"], "year": [2023], "hhi": [2100.4]})
    parts = pd.DataFrame({"flow": ["vn_exports"], "reporter": ["VN"], "year": [2023], "hs_code": ["85"],
                          "name": ["Electrical"], "total_growth_pct": [66.67]})
    out = F.products_composition(2023, "VN", detail, shares, hhi, parts)
    assert out == [
        ("In 2023 Vietnam's exports to Russia (Vietnam's figures) totalled USD 1.5 bn; the largest product, HS 85 "
        "(Electrical), made up 40.0 % and the concentration index (HHI) is 2,100."),
        "Vietnam's exports to Russia changed by +66.7 % on 2022; HS 85 (Electrical) contributed most.",
    ]
    assert len(F.products_composition(2023, "VN", detail, shares)) == 1  # no HHI, no growth: one sentence


def test_investment_from_summaries():
    summaries = {d: inv.summary(TOY, d) for d in ("ru_in_vn", "vn_in_ru")}
    out = F.investment(summaries, "Japan", pd.Timestamp("2017-12-31"))
    assert out == [
        ("In 2018 Russia ranked 28th of 145 among the countries and territories investing in Vietnam "
        "(percentile 81.2)."),
        ("Russia's registered capital in Vietnam stood at USD 990 m as reported for 2018, in 0 projects "
        "(latest count)."),
        ("In Sep 2018 Vietnam's investment in Russia ranked 3rd of 75 among the destinations of Vietnam's "
        "investment abroad (percentile 97.3)."),
        ("Vietnam's registered capital in Russia stood at USD 2.9 bn as reported for Sep 2018, in 23 projects "
        "(latest count)."),
        "The leading investor in Vietnam in the ranking of Dec 2017 is Japan.",
    ]
    no_rank = F.investment({"vn_in_ru": {**summaries["vn_in_ru"], "latest_rank": None, "latest_projects": None}})
    assert no_rank == ["Vietnam's registered capital in Russia stood at USD 2.9 bn as reported for Sep 2018."]


def test_timeline_level_and_anniversary():
    from vnru.analysis import timeline as tl

    end = pd.Timestamp("2025-01-01")
    upcoming = tl.anniversaries(SMALL, end, window_days=60, keys=["a"])
    out = F.timeline(SMALL, SMALL, pd.Timestamp("1950-01-01"), end, 3, upcoming, 60, end)
    # issue 22: the first and last events in the data, not the window; nothing from the day of the run
    assert out == [("The timeline holds 8 events from Relations (30 Jan 1950) to Speaker (8 Sep 2024), 3 of them "
                    "visits at the top level."),
                   ("At the last event in the data (8 Sep 2024) the relationship is a comprehensive strategic "
                    "partnership (in force since 27 Jul 2012)."),
                   "The next round anniversary falls on 30 Jan 2025: 75 years since Relations."]
    later = F.timeline(SMALL, SMALL, pd.Timestamp("1950-01-01"), pd.Timestamp("2031-06-30"), 3)
    assert later == out[:2]  # run on another day (window ending "today"): the same findings
    assert out[0].values["first_event"] == "a" and out[0].values["last_event"] == "v4"
    early = F.timeline(SMALL.iloc[:1], SMALL, pd.Timestamp("1950-01-01"), pd.Timestamp("2000-12-31"),
                       upcoming=upcoming.iloc[0:0], window_days=30, as_of=pd.Timestamp("2000-12-31"))
    assert early[1] == "On 31 Dec 2000 the relationship has no partnership framework."
    assert early[2] == "No round anniversary of a key event falls within 30 days of 31 Dec 2000."


def test_people_sentences():
    growth = pd.DataFrame({"year": [2023, 2024], "yoy_computed_pct": [math.nan, 93.61]})
    community = pd.DataFrame({"low": [60000.0, 80000.0], "high": [80000.0, 100000.0]})
    out = F.people({"year": 2024, "value_low": 232300.0}, growth, {"year": 2019, "value": 650000.0},
                   {"figure": "more than 3,000", "when": "20 Jun 2024"}, community)
    assert out == ["The latest full-year count is 232,300 visitor arrivals from Russia in 2024, +93.6 % on 2023.",
                   "The peak year for arrivals is 2019, with 650,000.",
                   "The latest count of Vietnamese students in Russia is more than 3,000 (20 Jun 2024).",
                   "Estimates of the Vietnamese community in Russia range from 60,000 to 100,000 (2 estimates)."]
    peak_now = F.people({"year": 2019, "value_low": 650000.0}, None, {"year": 2019, "value": 650000.0})
    assert peak_now == [("The latest full-year count is 650,000 visitor arrivals from Russia in 2019, the highest "
                         "full-year figure in the data.")]
    # issue 22: the row counting 689,700 names another counter (ATOR): no sentence says "Vietnam recorded"
    assert not any(s.startswith("Vietnam recorded") for s in out + peak_now)
    spread = {"low": 3000.0, "high": 5000.0, "first": "2024-06-17", "last": "2024-09-03", "n_sources": 4,
              "source_ids": ["a", "b", "c", "d"], "when": "June–September 2024"}
    ranged = F.people(students={"figure": "about 3,000", "when": "3 Sep 2024", "range": spread})
    assert ranged == [("The latest counts of Vietnamese students in Russia range from 3,000 to 5,000 "
                      "(June–September 2024, 4 sources).")]
    assert ranged[0].source_ids == ["a", "b", "c", "d"]
    assert F.people() == []


def test_no_sentence_carries_a_missing_value():
    for sentences in (F.trade({"VN": _trade_result(latest_yoy_pct=math.nan)}, math.nan, 5.0),
                      F.people({"year": 2024, "value_low": math.nan})):
        assert not [s for s in sentences if "nan" in s.lower() or "None" in s or "NaT" in s]


def test_html_block_escapes_and_says_when_empty():
    block = F.html_block(["A < B & C's"])
    assert block.startswith('<div class="vnru-findings"') and "<li>A &lt; B &amp; C's</li>" in block
    assert "No finding" in F.html_block([])


def test_investment_changes_and_side_by_side_keep_date_precision():
    steps = inv.changes(inv.history(TOY, "ru_in_vn"), "capital_usd_m")
    assert steps["from_date_precision"].tolist() == ["month", "month"]
    assert steps["to_date_precision"].tolist() == ["month", "year"]
    both = inv.side_by_side(TOY).set_index("year")
    assert both.loc[2018, "ru_in_vn_as_of_precision"] == "year" and both.loc[2018, "vn_in_ru_as_of_precision"] == "day"


def test_trade_says_russias_share_of_vietnams_trade_with_both_figures_and_sources():
    """Issue 25: trade_growth names Russia's share of Vietnam's trade (vnru.analysis.partners.latest_share) with
    both figures and both sources, after the latest figures or, with five sentences said already, within the
    sentence of its reporter's latest figure; no share, or its reporter not shown, no share said."""
    share = {"year": 2022, "share_pct": 0.5123, "value_usd_m": 3750.0, "world_usd_m": 732000.0, "source_id": "ru-doc",
             "world_source_id": "world-doc", "reporter": "VN", "flow": "total"}
    alone = F.trade({"VN": _trade_result()}, share=share)  # room for a sentence of its own, after the latest figure
    assert alone[1] == F.share_sentence(share) and alone[1].source_ids == ["ru-doc", "world-doc"]
    assert alone[1].values["value_usd_m"] == 3750.0 and alone[1].values["world_usd_m"] == 732000.0
    both = {"VN": _trade_result(latest_source_id="vn-doc"), "RU": _trade_result(latest_value_usd_m=6000.0)}
    out = F.trade(both, 2024, 30.43, share=share)  # five sentences already: it joins Vietnam's latest figure
    assert len(out) == 5 and [s for s in out if "accounted for" in s] == [out[0]]
    assert out[0].endswith("; in 2022 Russia accounted for 0.51 % of Vietnam's two-way trade in Vietnam's statistics "
                           "(USD 3.75 bn of USD 732 bn; derived from two sources).")
    assert out[0].source_ids == ["ru-doc", "vn-doc", "world-doc"] and out[0].values["russia_share"]["year"] == 2022
    assert out[-1].startswith("In 2024 Russia's statistics record")
    assert not [s for s in F.trade({"VN": _trade_result()}) if "accounted for" in s]
    assert not [s for s in F.trade({"RU": _trade_result()}, share=share) if "accounted for" in s]
    assert F.share_sentence(share) == ("In 2022 Russia accounted for 0.51 % of Vietnam's two-way trade in Vietnam's "
                                       "statistics (USD 3.75 bn of USD 732 bn; derived from two sources).")


def test_partners_findings_carry_values_and_sources():
    share = {"year": 2021, "share_pct": 0.823, "value_usd_m": 5500.0, "world_usd_m": 668500.0, "source_id": "a",
             "world_source_id": "b", "reporter": "VN", "flow": "total"}
    growth = {"year": 2021, "pair_growth_pct": 12.0, "world_growth_pct": 22.6, "faster": False,
              "source_ids": ["a", "b", "c"]}
    rank = {"year": 2021, "months": 12, "from_month": 1, "label": "3rd among the 3 partners with a figure", "rank": 3,
            "n_partners": 3, "source_ids": ["a", "d"]}
    out = F.partners(share, growth, rank)
    assert [s.source_ids for s in out] == [["a", "b"], ["a", "b", "c"], ["a", "d"]]
    assert out[1] == ("In 2021 Vietnam's trade with Russia grew 12.0 % while its trade with the world grew 22.6 % "
                      "(Vietnam's statistics; derived).")
    assert out[2].values["n_partners"] == 3 and F.records(out)[0]["values"]["share_pct"] == 0.823


def test_a_claims_verdict_names_the_years_each_way_and_counts_the_undecided():
    from vnru.report.findings.of_partners import _verdict

    assert _verdict({"supports": [2018], "contradicts": [2017], "cannot_say": [2013, 2024]}) == (
        "the data support it for 2018 and contradict it for 2017; 2 other years with figures cannot decide it")
    assert _verdict({"supports": [], "contradicts": [2022], "cannot_say": []}) == "the data contradict it for 2022"
    assert _verdict({"supports": [], "contradicts": [], "cannot_say": [2009, 2010]}) == (
        "the data cannot decide it for any of the 2 years with figures")


def test_products_reported_with_both_reporters_keeps_them_apart_vietnam_first():
    """issue 24: reporter "both" (trade_products' default) gives each reporter's leader, Vietnam's statistics first,
    and at most five sentences: the earlier leaders give way first, the headline reporter's kept."""
    out = F.products_reported(_leaders([
        ("vn_exports", "RU", 2020, "Fish", 90.0, "r1"), ("vn_exports", "RU", 2021, "Coffee", 153.0, "r2"),
        ("vn_exports", "VN", 2021, "Phones", 1500.0, "v1"), ("vn_exports", "VN", 2023, "Textiles", 420.0, "v2"),
        ("vn_imports", "RU", 2020, "Meat", 100.0, "r3"), ("vn_imports", "RU", 2021, "Meat", 137.0, "r4"),
        ("vn_imports", "VN", 2014, "Petroleum", 50.0, "v3"), ("vn_imports", "VN", 2018, "Wheat", 80.0, "v4"),
    ]))
    assert len(out) == F.core.MOST_FINDINGS == 5
    assert [s.split(" in ")[0] for s in out] == [
        "The largest reported item of Vietnam's exports to Russia (Vietnam's figures)",
        "Earlier leaders of Vietnam's exports to Russia (Vietnam's figures), each for its own period: Phones",
        "The largest reported item of Vietnam's exports to Russia (Russia's figures)",
        "The largest reported item of Vietnam's imports from Russia (Vietnam's figures)",
        "The largest reported item of Vietnam's imports from Russia (Russia's figures)"]
    assert all(len(s.source_ids) == 1 or s.startswith("Earlier") for s in out)  # no sentence mixes reporters


def test_a_findings_source_list_is_cut_after_six_ids_and_says_how_many_more():
    long = F.Finding("A claim checked across many years.", {}, [f"s{i}" for i in range(10)])
    block = F.html_block([long])
    assert "s0, s1, s2, s3, s4, s5 and 4 more (all in the manifest" in block and "s6" not in block
