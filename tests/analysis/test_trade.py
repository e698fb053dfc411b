"""vnru.analysis.trade and vnru.analysis.growth: hand-computed expectations on small frames, then the bundled data."""

import math

import numpy as np
import pandas as pd
import pytest

import vnru
from vnru.analysis import trade as T
from vnru.analysis.growth import last_digit_unit


def rows(*records):
    """Trade-like rows: (reporter, flow, year, months, value, qualifier, yoy, source_id[, preferred])."""
    cols = ["reporter", "flow", "year", "months", "value_usd_m", "qualifier", "yoy_pct", "source_id", "preferred"]
    full = [tuple(r) + (None,) * (len(cols) - len(r)) for r in records]
    return pd.DataFrame(full, columns=cols)


def test_last_digit_unit():
    assert last_digit_unit([3630, 2.3, 4569, 1018.5, 1000, 10.65]).tolist() == pytest.approx([10, 0.1, 1, 0.1, 1000, 0.01])


def test_pick_prefers_the_marked_row_then_unhedged_then_precise():
    trade = rows(("VN", "total", 2017, 12, 5300, None, None, "a"),
                 ("VN", "total", 2017, 12, 3550, None, 31, "b", "yes"),
                 ("VN", "total", 2018, 12, 4500, "about", None, "c"),
                 ("VN", "total", 2018, 12, 4500, None, None, "d"),
                 ("VN", "total", 2018, 12, 4570, None, None, "e"))
    picked = T.pick_figures(trade).set_index("year")
    assert picked.loc[2017, "source_id"] == "b"          # curator's mark beats everything
    assert picked.loc[2018, "source_id"] == "e"          # unhedged, and 4570 is more precise than 4500
    assert picked.loc[2018, "n_reported"] == 3
    assert picked.loc[2018, "alternatives"] == [4500, 4500, 4570]


def test_pick_uses_source_kind_and_date_when_given():
    trade = rows(("VN", "total", 2012, 12, 3613, None, None, "thesis"),
                 ("VN", "total", 2012, 12, 3660, None, None, "old"),
                 ("VN", "total", 2012, 12, 3650, None, None, "new"))
    sources = pd.DataFrame({"source_id": ["thesis", "old", "new"], "kind": ["reference", "news", "news"],
                            "published": pd.to_datetime(["2020-01-01", "2013-01-01", "2014-01-01"])})
    assert T.pick_figures(trade, sources)["source_id"].item() == "new"


def test_annual_series_full_years_and_partial_flag():
    trade = rows(("VN", "total", 2014, 12, 2500, None, None, "a"),
                 ("VN", "total", 2015, 6, 1200, None, None, "b"),
                 ("VN", "total", 2015, 10, 2100, None, None, "c"),
                 ("RU", "total", 2014, 12, 3740, None, None, "d"))
    full = T.annual_series(trade, "VN")
    assert full["year"].tolist() == [2014] and full["value_usd_m"].tolist() == [2500]
    part = T.annual_series(trade, "VN", include_partial=True)
    assert part["year"].tolist() == [2014, 2015]
    assert part["months"].tolist() == [12, 10] and part["partial"].tolist() == [False, True]
    with pytest.raises(T.TradeError, match="reporter must be one of 'VN', 'RU'"):
        T.annual_series(trade, "both")


def test_yoy_growth_flags_beyond_rounding_only():
    frame = pd.DataFrame({"year": [2019, 2020, 2021, 2023], "months": 12,
                          "value_usd_m": [251, 276.1, 303.71, 320], "yoy_pct": [None, 10, 12, 5]})
    g = T.yoy_growth(frame).set_index("year")
    assert g.loc[2020, "yoy_computed_pct"] == pytest.approx(10.0)
    # rounding band: 100 * (0.05/251 + 276.1*0.5/251**2) + 0.5 (stated rate to whole percent) = 0.73904
    assert g.loc[2020, "yoy_tolerance_pp"] == pytest.approx(0.73904, abs=1e-4)
    assert g.loc[2020, "yoy_disagrees"] == False
    assert g.loc[2021, "yoy_gap_pp"] == pytest.approx(-2.0)
    assert g.loc[2021, "yoy_disagrees"] == True
    assert pd.isna(g.loc[2023, "yoy_computed_pct"])     # 2022 missing: no growth over two years
    assert pd.isna(g.loc[2019, "yoy_disagrees"])


def test_yoy_growth_by_extra_groups_and_rejects_duplicates():
    frame = pd.DataFrame({"product": ["a", "a", "b", "b"], "flow": "x", "year": [2020, 2021, 2020, 2021],
                          "value_usd_m": [100.0, 150.0, 200.0, 100.0]})
    g = T.yoy_growth(frame, by=["product", "flow"]).set_index(["product", "year"])
    assert g.loc[("a", 2021), "yoy_computed_pct"] == pytest.approx(50.0)
    assert g.loc[("b", 2021), "yoy_computed_pct"] == pytest.approx(-50.0)
    with pytest.raises(T.TradeError, match="one row per"):
        T.yoy_growth(pd.concat([frame, frame]), by=["product", "flow"])


def test_implied_previous_is_marked_implied():
    frame = pd.DataFrame({"year": [2023], "months": [12], "value_usd_m": [3630.0], "yoy_pct": [2.3],
                          "source_id": ["s"]})
    out = T.implied_previous(frame)
    assert out["year"].item() == 2022 and out["from_time"].item() == 2023
    assert out["implied_value"].item() == pytest.approx(3548.387, abs=1e-3)   # 3630 / 1.023
    assert out["implied"].item() is True or out["implied"].item() == True
    assert out["source_id"].item() == "s"


def test_cagr_and_clear_error_on_missing_end():
    frame = pd.DataFrame({"year": [2000, 2001, 2002], "value_usd_m": [100.0, 105.0, 121.0]})
    assert T.cagr(frame, 2000, 2002)["cagr_pct"].item() == pytest.approx(10.0)
    with pytest.raises(T.TradeError, match="CAGR 2000-2003: no value for 2003"):
        T.cagr(frame, 2000, 2003)
    with pytest.raises(T.TradeError, match="not before end"):
        T.cagr(frame, 2002, 2000)
    assert math.isnan(T.cagr(frame, 1999, 2002, missing="nan")["cagr_pct"].item())


def test_cagr_by_group():
    frame = pd.DataFrame({"product": ["a", "a", "b", "b"], "year": [2010, 2012, 2010, 2012],
                          "value_usd_m": [100.0, 144.0, 400.0, 100.0]})
    out = T.cagr(frame, 2010, 2012, by="product").set_index("product")["cagr_pct"]
    assert out["a"] == pytest.approx(20.0) and out["b"] == pytest.approx(-50.0)
    with pytest.raises(T.TradeError, match=r"no value for 2012 for \{'product': 'c'\}"):
        T.cagr(pd.concat([frame, pd.DataFrame({"product": ["c"], "year": [2010], "value_usd_m": [1.0]})]),
               2010, 2012, by="product")


def test_cagr_table_says_which_end_is_missing():
    series = pd.DataFrame({"reporter": ["VN", "VN", "RU"], "year": [2016, 2021, 2021],
                           "value_usd_m": [2700.0, 5500.0, 7100.0]})
    table = T.cagr_table(series, [(2016, 2021)]).set_index("reporter")
    assert table.loc["VN", "cagr_pct"] == pytest.approx(((5500 / 2700) ** 0.2 - 1) * 100)
    assert table.loc["RU", "note"] == "no figure for 2016"


def test_balance_and_mirror_gap():
    picked = rows(("VN", "vn_exports", 2018, 12, 2440, None, None, "m"),
                  ("VN", "vn_imports", 2018, 12, 2100, None, None, "m"))
    bal = T.trade_balance(picked)
    assert bal["balance_usd_m"].item() == pytest.approx(340.0) and bal["same_source"].item()
    series = rows(("VN", "total", 2023, 12, 3630, None, None, "v"), ("RU", "total", 2023, 12, 5000, None, None, "r"),
                  ("RU", "total", 2021, 12, 7100, None, None, "r2"))
    gap = T.mirror_gap(series)
    assert gap["year"].tolist() == [2023]
    assert gap["gap_usd_m"].item() == 1370 and gap["gap_pct"].item() == pytest.approx(37.741, abs=1e-3)


def test_target_progress_statuses():
    series = pd.DataFrame({"year": [2012, 2019, 2020, 2024], "value_usd_m": [3660.0, 4500.0, 4850.0, 4600.0]})
    targets = pd.DataFrame({"metric": "trade_total", "value_usd_m": [3000.0, 10000.0, 15000.0, 10000.0],
                            "target_year": pd.array([2012, 2020, 2030, None], dtype="Int64")})
    out = T.target_progress(series, targets)
    assert out["status"].tolist() == ["met", "missed", "open", "no deadline"]
    assert out["progress_pct"].tolist() == pytest.approx([122.0, 48.5, 4600 / 150, 46.0])
    assert out["value_year"].tolist() == [2012, 2020, 2024, 2024]


def test_key_results():
    s = pd.DataFrame({"year": [2020, 2021, 2022, 2023], "months": [12, 12, 12, 5],
                      "value_usd_m": [100.0, 200.0, 150.0, 80.0]})
    res = T.key_results(T.yoy_growth(s), 2020, 2023)
    assert res["latest_year"] == 2023 and res["latest_months"] == 5 and res["latest_yoy_pct"] is None
    assert res["peak_year"] == 2021 and res["cagr_from"] == 2020 and res["cagr_to"] == 2022
    assert res["cagr_pct"] == pytest.approx((1.5 ** 0.5 - 1) * 100)


def test_trade_events_selects_milestones():  # issue 24: trade.trade_events became timeline.milestones
    from vnru.analysis import timeline

    tl = pd.DataFrame({"date": pd.to_datetime(["1994-06-16", "2008-01-01", "2016-01-01", "2024-06-19", "2024-06-20"]),
                       "precision": ["day", "year", "year", "day", "day"],
                       "title": ["Treaty", "Dialogue begins", "Free trade agreement in force", "State visit", "Call"],
                       "category": ["treaty", "dialogue", "economy", "visit", "call"],
                       "visit_level": [None, None, None, "head_of_state", None]})
    tl = tl.assign(event_id=[f"e{i}" for i in range(len(tl))], partnership_level=None, source_id="s")
    ev = timeline.milestones(tl, 1990, 2025)
    assert ev["title"].tolist() == ["Treaty", "Free trade agreement in force", "State visit"]
    assert ev.loc[1, "x"] == 2016.5


def test_growth_is_vectorised_at_scale():
    years, products = np.arange(2000, 2025), np.arange(4000)
    grid = pd.DataFrame({"product": np.repeat(products, len(years)), "year": np.tile(years, len(products))})
    grid["value_usd_m"] = 100.0 * 1.1 ** (grid["year"] - 2000)
    g = T.yoy_growth(grid, by="product")
    assert len(g) == 100_000 and g["yoy_computed_pct"].dropna().round(6).eq(10.0).all()
    assert T.cagr(grid, 2000, 2024, by="product")["cagr_pct"].round(6).eq(10.0).all()


# --- the bundled data -------------------------------------------------------------------------

def test_bundled_trade_has_both_reporters_and_one_mark_per_period():
    trade = vnru.load_trade()
    assert set(trade["reporter"]) == {"VN", "RU"}
    assert trade["year"].min() == 1992 and trade["year"].max() == 2025
    marked = trade[trade["preferred"] == "yes"]
    assert not marked.duplicated(["reporter", "flow", "year", "months"]).any()
    assert (trade["months"] < 12).any()


def test_bundled_series_values():
    trade, sources = vnru.load_trade(), vnru.load_sources()
    vn = T.annual_series(trade, "VN", sources=sources).set_index("year")["value_usd_m"]
    ru = T.annual_series(trade, "RU", sources=sources).set_index("year")["value_usd_m"]
    assert vn[2023] == 3630 and vn[2018] == 4570 and vn[2017] == 3550 and 2015 not in vn.index
    assert ru[2022] == 4569 and ru[2021] == 7100 and 2019 not in ru.index


def test_bundled_targets_cite_sources():
    targets, sources = vnru.load_targets(), vnru.load_sources()
    assert len(targets) >= 15 and set(targets["source_id"]) <= set(sources["source_id"])
    assert {10000.0, 15000.0} <= set(targets["value_usd_m"])


def _timeline():
    """A SYNTHETIC timeline with one event of each milestone kind, clusters and noise."""
    rows = [  # event_id, date, precision, title, category, partnership_level, visit_level
        ("1991-recognised", "1991-12-27", "day", "Recognition of the Russian Federation", "relations", None, None),
        ("1994-treaty", "1994-06-16", "day", "Treaty on friendly relations, signed", "treaty", None, None),
        ("2001-upgrade", "2001-03-01", "day", "Joint Declaration", "partnership", "strategic", None),
        ("2008-dialogue", "2008-01-01", "year", "Dialogue begins", "dialogue", None, None),
        ("2012-upgrade", "2012-07-27", "day", "Joint Statement", "partnership", "comprehensive_strategic", None),
        ("2013-state-visit", "2013-11-12", "day", "President's state visit", "visit", None, "head_of_state"),
        ("2015-fta-signed", "2015-05-29", "day", "Free trade agreement signed", "agreement", None, None),
        ("2016-fta-in-force", "2016-10-05", "day", "Free trade agreement comes into effect", "economy", None, None),
        ("2017-apec", "2017-11-10", "day", "President at a summit", "visit", None, "head_of_state"),
        ("2022-call", "2022-03-01", "month", "Phone call", "call", None, None),
        ("2024-state-visit", "2024-06-19", "day", "President pays a state visit", "visit", None, "head_of_state"),
    ]
    frame = pd.DataFrame(rows, columns=["event_id", "date", "precision", "title", "category", "partnership_level",
                                        "visit_level"])
    return frame.assign(date=pd.to_datetime(frame["date"]), source_id="s")


def test_key_milestones_are_chosen_by_kind_not_by_date():
    """issue 24: "key" = a handful of milestones by a rule on the timeline's columns: upgrades, treaties and
    relations, one free trade agreement (the step in force), state visits; spaced so that labels have room."""
    from vnru.analysis import timeline as tl

    key = tl.milestones(_timeline(), 1992, 2025)
    assert key["event_id"].tolist() == ["1994-treaty", "2001-upgrade", "2012-upgrade", "2016-fta-in-force",
                                        "2024-state-visit"]  # 2013 is too close to 2012; one FTA step only
    assert key["kind"].tolist() == ["treaty or relations", "partnership upgrade", "partnership upgrade",
                                    "free trade agreement", "state visit"]
    assert key["label"].iloc[1] == "1 Mar 2001\nUpgrade to strategic\npartnership"
    assert key["label"].iloc[0] == "16 Jun 1994\nTreaty on friendly\nrelations"  # cut at the first comma
    assert tl.milestones(_timeline(), 1990, 2025, limit=3)["event_id"].tolist() == [
        "1991-recognised", "2001-upgrade", "2016-fta-in-force"]  # one of each kind per round, up to the limit
    assert tl.milestones(_timeline(), 1992, 2025, "none").empty
    assert tl.milestones(_timeline(), 2014, 2015)["event_id"].tolist() == ["2015-fta-signed"]
    chosen = tl.milestones(_timeline(), 1992, 2025, ["2022-call", "2008-dialogue", "1991-recognised"])
    assert chosen["event_id"].tolist() == ["2008-dialogue", "2022-call"]  # date order, inside the window only
    assert chosen["x"].tolist() == [2008.5, pytest.approx(2022 + 2.5 / 12)]  # year: mid-year; month: mid-month
    table = tl.milestone_table(key)
    assert table.columns.tolist() == ["date", "event", "kind", "source_id"] and table["date"].iloc[0] == "1994-06-16"


def test_milestones_on_the_bundled_timeline_are_a_handful():
    import vnru
    from vnru.analysis import timeline as tl

    events = vnru.load_timeline()
    for start, end in [(1950, 2025), (1992, 2025), (2010, 2025), (2020, 2025)]:
        key = tl.milestones(events, start, end)
        assert 1 <= len(key) <= tl.MAX_MILESTONES and key["x"].diff().dropna().ge((end - start + 1) / 12).all()
    assert "2024-06-putin-state-visit" in set(tl.milestones(events, 1992, 2025)["event_id"])


def test_year_span_is_the_open_ends_of_a_window():
    from vnru.analysis import growth

    assert growth.year_span(pd.DataFrame({"year": pd.array([2005, None, 1992], dtype="Int64")})) == (1992, 2005)
    assert growth.year_span(pd.DataFrame({"year": pd.Series([], dtype="float64")})) == (1950, 2100)
