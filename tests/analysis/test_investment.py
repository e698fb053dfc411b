"""vnru.analysis.investment: percentile, per-project size, history, changes, side by side, league (hand values)."""

import math

import pandas as pd
import pytest

import vnru
from fixtures.samples import TOY, frame
from vnru.analysis import investment as inv
from vnru.errors import ParameterError


def test_percentile_by_hand():
    assert inv.percentile(28, 145) == pytest.approx(117 / 144 * 100)  # 81.25
    assert inv.percentile(23, 116) == pytest.approx(93 / 115 * 100)  # 80.87
    assert inv.percentile(1, 101) == 100 and inv.percentile(101, 101) == 0
    assert inv.percentile(1, 1) == 100
    assert math.isnan(inv.percentile(5, None)) and math.isnan(inv.percentile(200, 145))
    s = inv.percentile(pd.Series([3, 4], index=[7, 8], dtype="Int64"), pd.Series([75, 80], index=[7, 8]))
    assert list(s.index) == [7, 8] and s.round(2).tolist() == [97.30, 96.20]


def test_capital_per_project_skips_missing_and_zero():
    got = inv.capital_per_project(TOY[TOY.direction == "ru_in_vn"].reset_index(drop=True))
    assert got[0] == 20.0 and got[1] == 10.0 and math.isnan(got[2]) and math.isnan(got[3])


def test_history_window_and_ranking():
    hist = inv.history(TOY, "ru_in_vn", "2015", "2017-12-31")
    assert hist.source_id.tolist() == ["c-src", "a-src"]  # same date: exact before hedged
    assert hist.hedged.tolist() == [False, True]
    ranked = inv.ranking_history(TOY, "both")
    assert ranked.source_id.tolist() == ["b-src", "c-src", "d-src", "f-src"]
    assert ranked.percentile.round(2).tolist() == [83.0, 80.87, 81.25, 97.3]
    with pytest.raises(ParameterError, match="direction must be one of"):
        inv.history(TOY, "ru_to_vn")


def test_latest_tie_rule():
    hedged_first = TOY.iloc[[2, 1]]
    assert inv.latest(hedged_first)["source_id"] == "c-src"  # exact beats 'about' on the same date
    two_exact = TOY.iloc[[1]].assign(source_id="z-src")
    assert inv.latest(pd.concat([two_exact, TOY.iloc[[1]]]))["source_id"] == "c-src"
    assert inv.latest(TOY[TOY.direction == "vn_in_ru"], "rank")["source_id"] == "f-src"
    assert inv.latest(TOY.iloc[0:0]) is None


def test_changes_consecutive_and_ends():
    hist = inv.history(TOY, "ru_in_vn")
    steps = inv.changes(hist, "capital_usd_m")
    # issue 22: b-src 2,000 -> c-src 1,100 is two sources disagreeing (-45 %), not a movement of the stock
    assert math.isnan(steps.change.iloc[0]) and steps.change.iloc[1] == -110.0
    assert math.isnan(steps["pct_change"].iloc[0]) and steps["pct_change"].round(1).iloc[1] == -10.0
    assert steps["reading"].tolist() == ["sources disagree: not a movement of the stock", "change between two sources"]
    ends = inv.changes(hist, "rank", span="ends")
    assert ends.iloc[0][["from_value", "to_value", "change"]].tolist() == [18, 28, 10]
    assert ends.iloc[0].days == (pd.Timestamp("2018-01-01") - pd.Timestamp("2014-02-01")).days


def test_side_by_side_keeps_gaps():
    both = inv.side_by_side(TOY).set_index("year")
    assert both.loc[2014, "ru_in_vn_capital_usd_m"] == 2000 and both.loc[2014, "vn_in_ru_capital_usd_m"] == 2500
    assert math.isnan(both.loc[2014, "vn_to_ru_ratio"])  # issue 22: two documents' statements give no ratio
    assert math.isnan(both.loc[2016, "vn_in_ru_capital_usd_m"])  # no report: not filled
    assert both.loc[2016, "ru_in_vn_source_id"] == "c-src"
    assert math.isnan(both.loc[2018, "vn_to_ru_ratio"])  # d-src and f-src: not one document
    same = inv.side_by_side(TOY.assign(source_id="one-doc")).set_index("year")
    assert same.loc[2018, "vn_to_ru_ratio"] == pytest.approx(2900 / 990)


def _investors():
    rows = [("2009-07-31", "month", "Taiwan", "TWN", 2005, 21200.0, None, 1, 87, "s1", ""),
            ("2009-07-31", "month", "South Korea", "KOR", 2201, 20100.0, None, 2, 87, "s1", ""),
            ("2009-07-31", "month", "Japan", "JPN", 1116, 17600.0, None, 4, 87, "s1", ""),
            ("2017-12-31", "month", "Japan", "JPN", None, None, None, 1, 120, "s2", "")]
    cols = ["as_of", "as_of_precision", "investor", "iso3", "projects", "capital_usd_m", "qualifier",
            "rank", "rank_of", "source_id", "note"]
    df = pd.DataFrame(rows, columns=cols)
    df["as_of"] = pd.to_datetime(df["as_of"])
    df["rank"] = df["rank"].astype("Int64")
    df["rank_of"] = df["rank_of"].astype("Int64")
    return df


def test_context_league_adds_russia_nearest_in_time():
    league = inv.context_league(_investors(), "2010-01-01", top_n=2, highlight="Russia", investment=TOY)
    assert league.investor.tolist() == ["Taiwan", "South Korea", "Russia"]
    russia = league.iloc[-1]
    assert russia.origin == "investment" and russia.highlight and russia.source_id == "b-src"
    assert russia["rank"] == 18 and russia.percentile == pytest.approx(83.0)


def test_context_league_highlight_beyond_top_n_and_latest_default():
    league = inv.context_league(_investors(), "2009-12-31", top_n=2, highlight="jpn")
    assert league.investor.tolist() == ["Taiwan", "South Korea", "Japan"]
    assert league.highlight.tolist() == [False, False, True]
    latest = inv.context_league(_investors(), None, top_n=3, highlight="Japan")
    assert latest.as_of.unique().tolist() == [pd.Timestamp("2017-12-31")]
    with pytest.raises(ParameterError, match="no ranking of investors on or before 2000-01-01"):
        inv.context_league(_investors(), "2000-01-01")


def test_bundled_data_keeps_seed_rows_and_conflicts():
    data = vnru.load_investment()
    seeds = data[data.source_id.str.startswith("seed-")]
    assert len(seeds) == 3 and set(seeds.capital_usd_m) == {1100.0, 984.98, 1630.0}
    same_day = data[(data.direction == "ru_in_vn") & (data.as_of == "2018-11-19")]
    assert len(same_day) == 2  # two reports of one day kept side by side
    fdi = vnru.load_vn_fdi_investors()
    assert {"KOR", "SGP", "JPN", "TWN", "HKG"} <= set(fdi.iso3)


def test_key_results_record_dates_at_their_precision():
    """Regression: a stock known to the month was recorded (and shown on the index card) as 2024-04-01."""
    ru = inv.key_results(inv.summary(TOY, "ru_in_vn"))
    assert ru["latest_rank_as_of"] == "2018" and ru["latest_capital_as_of"] == "2018"  # year precision
    assert ru["latest_rank"] == 28 and ru["reports"] == 4 and set(ru) == set(inv.RECORDED)
    vn = inv.key_results(inv.summary(TOY, "vn_in_ru"))
    assert vn["latest_rank_as_of"] == "2018-09-11"  # day precision keeps the day
    month = frame([("2024-04-01", "month", "ru_in_vn", 186, 984.98, None, 28, 145, "MOFA", "m-src", "")])
    assert inv.key_results(inv.summary(month, "ru_in_vn"))["latest_capital_as_of"] == "2024-04"
    empty = inv.key_results(inv.summary(TOY, "ru_in_vn", start="2030-01-01"))
    assert empty["latest_rank_as_of"] is None and empty["reports"] == 0


def test_league_date_carries_its_precision():
    league = inv.context_league(_investors(), "2010-01-01", top_n=2, highlight="Russia", investment=TOY)
    when, precision = inv.league_date(league)
    assert when == pd.Timestamp("2009-07-31") and precision == "month"
    assert vnru.report.tables.format_date(when, precision) == "Jul 2009"
    assert inv.league_date(league.iloc[0:0]) == (None, None)
