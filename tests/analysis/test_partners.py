"""vnru.analysis.partners and partner_claims on small planted frames (results worked out by hand)."""

import pandas as pd
import pytest

from vnru.analysis import partner_claims as C
from vnru.analysis import partners as P

COLUMNS = ["year", "from_month", "months", "country", "partner", "flow", "value_usd_m", "rank", "rank_of",
           "rank_scope", "qualifier", "reporter", "authority", "source_id", "note"]


def frame(*rows) -> pd.DataFrame:
    """Rows as (year, months, country, partner, flow, value, reporter, source_id[, rank, rank_scope])."""
    out = []
    for r in rows:
        year, months, country, partner, flow, value, reporter, source = r[:8]
        rank, scope = (r[8], r[9]) if len(r) > 8 else (None, None)
        out.append({"year": year, "from_month": 1, "months": months, "country": country, "partner": partner,
                    "flow": flow, "value_usd_m": value, "rank": rank, "rank_of": None, "rank_scope": scope,
                    "qualifier": None, "reporter": reporter, "authority": None, "source_id": source, "note": None})
    df = pd.DataFrame(out, columns=COLUMNS)
    for col in ("year", "from_month", "months", "rank", "rank_of"):
        df[col] = df[col].astype("Int64")
    df["value_usd_m"] = df["value_usd_m"].astype("float64")
    for col in ("country", "partner", "flow", "rank_scope", "qualifier", "reporter", "authority", "source_id",
                "note"):
        df[col] = df[col].astype("string")
    return df


@pytest.fixture
def planted():
    return frame(
        (2020, 12, "VNM", "WLD", "total", 500_000, "VN", "vn-world"),
        (2020, 12, "VNM", "RUS", "total", 5_000, "VN", "vn-ru"),
        (2020, 12, "RUS", "VNM", "total", 7_000, "RU", "ru-vn"),      # Russia's figure: never over Vietnam's total
        (2021, 12, "VNM", "WLD", "total", 600_000, "VN", "vn-world"),
        (2021, 12, "VNM", "RUS", "total", 6_600, "VN", "vn-ru"),
        (2021, 12, "VNM", "CHN", "total", 160_000, "VN", "vn-cn"),
        (2021, 12, "VNM", "USA", "total", 110_000, "VN", "vn-us"),
        (2021, 12, "VNM", "JPN", "total", 6_600, "VN", "vn-jp"),       # tied with Russia
        (2021, 12, "VNM", "ASEAN", "total", 80_000, "VN", "vn-asean"),  # a group: not in computed ranks
        (2021, 12, "VNM", "WLD", "total", 590_000, "US", "us-world"),  # another reporter's total: never used
        (2023, 12, "VNM", "WLD", "total", 680_000, "VN", "vn-world"),  # 2022 missing: no growth bridged
        (2023, 12, "VNM", "RUS", "total", 3_600, "VN", "vn-ru"),
        (2024, 5, "VNM", "WLD", "total", 300_000, "VN", "vn-5m"),     # a partial year, apart
        (2024, 5, "VNM", "RUS", "total", 1_500, "VN", "vn-5m"),
    )


def test_share_uses_one_reporter_and_keeps_partial_years_apart(planted):
    s = P.shares(planted)
    assert list(zip(s["year"], s["months"], s["partial"], strict=True)) == [
        (2020, 12, False), (2021, 12, False), (2023, 12, False), (2024, 5, True)]
    assert s["share_pct"].round(3).tolist() == [1.0, 1.1, 0.529, 0.5]
    assert (s["world_source_id"].iloc[:3] == "vn-world").all() and s["derived"].all()
    assert (s["reporter"] == "VN").all()
    # Russia's statistics: no world total of Russia's, so no share at all (never 7,000 over Vietnam's 500,000)
    assert P.shares(planted, country="VNM", partner="RUS", reporter="RU").empty
    assert P.shares(planted, country="RUS", partner="VNM", reporter="RU").empty


def test_latest_share_is_the_latest_full_year_with_both_figures(planted):
    latest = P.latest_share(planted)
    assert latest["year"] == 2023 and latest["share_pct"] == pytest.approx(100 * 3_600 / 680_000)
    assert (latest["source_id"], latest["world_source_id"], latest["reporter"]) == ("vn-ru", "vn-world", "VN")
    assert P.latest_share(planted.iloc[0:0]) is None


def test_ranks_share_places_on_ties_leave_out_groups_and_count_only_partners_with_a_figure(planted):
    r = P.ranks(planted)
    y2021 = r[r["year"] == 2021].set_index("partner")
    assert y2021["rank"].to_dict() == {"CHN": 1, "USA": 2, "JPN": 3, "RUS": 3}
    assert (y2021["n_partners"] == 4).all() and y2021.loc[["JPN", "RUS"], "tied"].all()
    assert not y2021.loc["CHN", "tied"] and "ASEAN" not in y2021.index and "WLD" not in y2021.index
    with_groups = P.ranks(planted, groups=True)
    assert with_groups.query("year == 2021 and partner == 'RUS'")["rank"].iloc[0] == 4
    mine = P.rank_among(planted).set_index("year")
    assert mine.loc[2021, "label"] == "joint 3rd among the 4 partners with a figure"
    assert mine.loc[2021, "ahead"] == ["CHN", "USA"]
    assert mine.loc[2020, "label"] == "the only partner with a figure"


def test_growth_against_the_world_total_never_bridges_a_gap_year(planted):
    g = P.growth_vs_world(planted)
    assert g["year"].tolist() == [2021]  # 2023 has no 2022 to compare with; 2024 is partial
    assert g["pair_growth_pct"].iloc[0] == pytest.approx(32.0)
    assert g["world_growth_pct"].iloc[0] == pytest.approx(20.0)
    assert bool(g["faster"].iloc[0]) and g["derived"].all()


def test_stated_rank_beside_the_rank_the_same_source_gives():
    df = frame(
        (2021, 11, "VNM", "USA", "exports", 85_000, "VN", "release", 1, "Vietnam's export markets"),
        (2021, 11, "VNM", "CHN", "exports", 50_000, "VN", "release", 3, "Vietnam's export markets"),  # says 3rd
        (2021, 11, "VNM", "EU27", "exports", 36_000, "VN", "release", 2, "Vietnam's export markets"),
        (2021, 11, "VNM", "RUS", "total", None, "VN", "other", 19, "Vietnam's trading partners"),
    )
    t = P.stated_vs_computed(df).set_index("partner")
    assert t.loc["USA", "agrees"] is True and t.loc["CHN", "computed_same_source"] == 2
    assert t.loc["CHN", "agrees"] is False and t.loc["EU27", "agrees"] is False
    assert pd.isna(t.loc["RUS", "agrees"]) and t.loc["RUS", "stated"] == 19


def test_asean_ranks_use_russias_statistics_only():
    df = frame(
        (2021, 12, "RUS", "VNM", "total", 7_100, "RU", "ru-vn"),
        (2021, 12, "RUS", "THA", "total", 2_300, "RU", "ru-th"),
        (2021, 12, "RUS", "THA", "total", 9_000, "TH", "thai"),     # Thailand's own figure: another reporter
        (2021, 12, "RUS", "CHN", "total", 140_000, "RU", "ru-cn"),  # not an ASEAN member
        (2021, 12, "RUS", "IDN", "total", 3_300, "RU", "ru-id"),
        (2021, 12, "RUS", "PHL", "total", 1_000, "RU", "ru-ph"),
        (2013, 12, "RUS", "THA", "total", 3_700, "RU", "ru-th"),     # Vietnam has no 2013 figure: no rank
        (2012, 12, "RUS", "VNM", "total", 3_600, "RU", "ru-vn"),     # two members only: below MIN_RANK_FIELD
        (2012, 12, "RUS", "THA", "total", 3_200, "RU", "ru-th"),
    )
    a = P.asean_ranks(df)
    assert a["year"].tolist() == [2021] and a["rank"].tolist() == [1] and a["n_partners"].tolist() == [4]
    assert a["label"].iloc[0] == "1st among the 4 partners with a figure (of 10 members)"


def test_claims_table_on_planted_data():
    members = sorted(C.ASEAN_MEMBERS - {"VNM"})
    rows = [
        (2017, 7, "RUS", "VNM", "total", None, "RU", "embassy", 2, "Russia's trading partners in ASEAN"),
        (2018, 12, "RUS", "VNM", "total", None, "VN", "ambassador", 1, "Russia's trading partners in ASEAN"),
        (2008, 12, "RUS", "THA", "total", None, "RU", "thai-first", 1, "Russia's trading partners in Southeast Asia"),
        (2021, 12, "RUS", "VNM", "total", 7_100, "RU", "ru-21"), (2021, 12, "RUS", "THA", "total", 2_300, "RU", "ru-21"),
        (2022, 12, "RUS", "VNM", "total", 4_000, "RU", "ru-22"), (2022, 12, "RUS", "THA", "total", 4_500, "RU", "ru-22"),
    ] + [(2023, 12, "RUS", m, "total", 100.0 + i, "RU", "ru-23") for i, m in enumerate(members)] + [
        (2023, 12, "RUS", "VNM", "total", 5_000, "RU", "ru-23"),
        (2018, 7, "VNM", "RUS", "total", None, "VN", "moit", 19, "Vietnam's trading partners")]
    t = C.claims_table(frame(*rows))
    asean = t[t["claim_id"] == "largest-in-southeast-asia"].set_index(["year", "basis"])
    assert asean.loc[(2017, "stated rank"), "verdict"] == C.CONTRADICTS
    assert asean.loc[(2018, "stated rank"), "verdict"] == C.SUPPORTS
    assert asean.loc[(2008, "stated rank"), "verdict"] == C.CONTRADICTS  # another member stated first
    assert asean.loc[(2021, "values"), "verdict"] == C.CANNOT_SAY      # first, but among 2 of 10 only
    assert "2 of 10 ASEAN members" in asean.loc[(2021, "values"), "why"]
    assert asean.loc[(2022, "values"), "verdict"] == C.CONTRADICTS     # Thailand above, same reporter
    assert asean.loc[(2023, "values"), "verdict"] == C.SUPPORTS        # every member has a figure
    s = C.claims_summary(t).set_index("claim_id")
    assert s.loc["largest-in-southeast-asia", "supports"] == [2018, 2023]
    assert s.loc["largest-in-southeast-asia", "contradicts"] == [2008, 2017, 2022]
    assert s.loc["largest-in-southeast-asia", "cannot_say"] == [2021]
    assert s.loc["top-five-overall", "contradicts"] == [2018]
    assert s.loc["top-five-in-europe", "evidence"] == 0 and "no stated rank" in s.loc["top-five-in-europe", "note"]


def test_claims_never_mix_reporters():
    """Vietnam's figure for the pair against Thailand's own figure for Russia-Thailand says nothing."""
    df = frame((2021, 12, "RUS", "VNM", "total", 5_500, "VN", "vn"), (2021, 12, "RUS", "THA", "total", 9_000, "TH", "th"))
    assert C.claims_table(df).empty


def test_longest_periods_keep_the_full_year_else_the_longest_from_january():
    top = P.headline(frame((2022, 12, "RUS", "VNM", "total", 3_600, "RU", "a"),
                           (2022, 10, "RUS", "VNM", "total", 3_000, "RU", "b"),
                           (2023, 7, "RUS", "VNM", "total", 1_900, "RU", "c"),
                           (2023, 3, "RUS", "VNM", "total", 700, "RU", "d")))
    kept = P.longest_periods(top)
    assert list(zip(kept["year"], kept["months"], strict=True)) == [(2022, 12), (2023, 7)]


def test_rank_points_put_stated_and_computed_ranks_side_by_side(planted):
    stated = frame((2018, 7, "VNM", "RUS", "total", None, "VN", "moit", 19, "Vietnam's trading partners"))
    points = P.rank_points(pd.concat([planted, stated], ignore_index=True))
    assert points[["year", "kind", "rank"]].values.tolist() == [[2018, "stated", 19], [2021, "computed", 3]]
    assert points["label"].tolist() == ["19th of Vietnam's trading partners", "joint 3rd of 4 with a figure"]
    assert points.loc[1, "source_ids"] == ["vn-cn", "vn-jp", "vn-ru", "vn-us"]


def test_findings_leave_out_what_is_missing_and_say_when_nothing_speaks_to_a_claim(planted):
    from vnru.report import findings as F

    assert F.partners() == []
    summary = C.claims_summary(C.claims_table(planted))
    found = F.partners(P.latest_share(planted), None, None, None, summary)
    assert found[0] == ("In 2023 Russia accounted for 0.53 % of Vietnam's two-way trade in Vietnam's statistics "
                        "(USD 3.6 bn of USD 680 bn; derived from two sources).")
    assert "\u201cRussia is one of Vietnam's top five trading partners in Europe\u201d: nothing in the data speaks to it." \
        in found


def test_the_headline_of_one_table_is_chosen_once(monkeypatch):
    """stated_vs_computed and the claims asked for the same headline 90 times (50 s for trade_context)."""
    import vnru
    from vnru.analysis import partner_claims
    from vnru.analysis import partners as PA

    calls = []
    original = PA._headline
    monkeypatch.setattr(PA, "_headline", lambda *a, **k: calls.append(1) or original(*a, **k))
    monkeypatch.setattr(PA, "_HEADLINES", {})
    table, sources = vnru.load_partners(), vnru.load_sources()
    PA.stated_vs_computed(table, sources)
    partner_claims.claims_table(table, sources=sources)
    assert len(calls) == 1
    again = PA.headline(table, sources)
    again["value_usd_m"] = 0  # a caller changing its copy changes nobody else's
    assert (PA.headline(table, sources)["value_usd_m"] > 0).any()


def test_a_computed_rank_is_said_only_among_enough_partners(planted):
    """The evidence rule MIN_RANK_FIELD: 'joint 3rd among 4' is said; a field of three or fewer is not."""
    from vnru.analysis import partner_view
    from vnru.analysis.evidence import MIN_RANK_FIELD

    assert MIN_RANK_FIELD == 4
    said = partner_view.latest_rank(planted, "VN")
    assert said["year"] == 2021 and said["label"] == "joint 3rd among the 4 partners with a figure"
    assert partner_view.latest_rank(planted[planted["partner"] != "JPN"], "VN") is None


def test_the_pairs_figures_from_trade_csv_join_as_each_reporters_own_flows(planted):
    import pandas as pd

    trade = pd.DataFrame({"year": [2024, 2024, 2024], "months": [12, 12, 12],
                          "flow": ["total", "vn_exports", "vn_exports"], "value_usd_m": [4600.0, 1900.0, 2100.0],
                          "qualifier": [None] * 3, "reporter": ["VN", "VN", "RU"], "authority": ["a"] * 3,
                          "source_id": ["vn-2024", "vn-2024", "ru-2024"]})
    joined = P.with_pair(planted, trade)
    added = joined.iloc[len(planted):]
    assert added[["country", "partner", "flow", "reporter"]].values.tolist() == [
        ["VNM", "RUS", "total", "VN"], ["VNM", "RUS", "exports", "VN"], ["RUS", "VNM", "imports", "RU"]]
    assert (added["from_month"] == 1).all() and added["rank"].isna().all()
    again = P.with_pair(joined, trade)  # a figure already held from the same source and period: not added twice
    assert len(again) == len(joined)


def test_a_world_total_is_summed_from_one_sources_exports_and_imports_only_where_none_is_stated(planted):
    import pandas as pd

    base = {"from_month": 1, "months": 12, "country": "VNM", "rank": pd.NA, "rank_of": pd.NA, "rank_scope": None,
            "qualifier": None, "reporter": "VN", "authority": "x", "note": ""}
    rows = pd.DataFrame([
        {**base, "year": 2030, "partner": "WLD", "flow": "exports", "value_usd_m": 400.0, "source_id": "w"},
        {**base, "year": 2030, "partner": "WLD", "flow": "imports", "value_usd_m": 380.0, "source_id": "w"},
        {**base, "year": 2030, "partner": "RUS", "flow": "total", "value_usd_m": 7.8, "source_id": "r"},
        {**base, "year": 2031, "partner": "WLD", "flow": "exports", "value_usd_m": 400.0, "source_id": "w1"},
        {**base, "year": 2031, "partner": "WLD", "flow": "imports", "value_usd_m": 380.0, "source_id": "w2"},
        {**base, "year": 2031, "partner": "RUS", "flow": "total", "value_usd_m": 7.8, "source_id": "r"},
    ]).astype({"year": planted["year"].dtype})
    got = P.shares(pd.concat([planted, rows], ignore_index=True))
    total = got[(got["flow"] == "total") & (got["year"] >= 2030)]
    assert total["year"].tolist() == [2030]  # 2031: exports and imports from two sources are not summed
    assert total["world_usd_m"].iloc[0] == 780.0 and total["share_pct"].iloc[0] == pytest.approx(1.0)
    assert bool(total["world_summed"].iloc[0]) and not got.loc[got["year"] < 2030, "world_summed"].any()


def test_the_summary_line_names_the_partners():
    """The report's first line names partners in words, not codes (issue 24)."""
    from vnru.report import findings

    shown = pd.DataFrame({"source_id": ["a", "b", "a"]})
    line = findings.context_line(shown, 2005, 2024, "VN", ["CHN", "RUS"])
    assert line == "3 figures from 2 sources, 2005–2024; Vietnam's trade in Vietnam's statistics; partners: China, " \
        "Russian Federation"
