"""vnru.analysis.timeline: hand-computed expectations on small frames and on the bundled data."""

import pandas as pd
import pytest

import vnru
from fixtures.samples import SMALL
from vnru.analysis import timeline as tl


@pytest.mark.parametrize("date,precision,text", [
    ("2024-06-19", "day", "19 Jun 2024"), ("2015-04-01", "month", "Apr 2015"), ("2008-01-01", "year", "2008")])
def test_format_date_never_invents_a_day(date, precision, text):
    assert tl.format_date(pd.Timestamp(date), precision) == text


def test_format_span():
    rows = SMALL.set_index("event_id")
    assert tl.format_span(rows.loc["v3"]) == "19\u201320 Jun 2024"
    assert tl.format_span(rows.loc["v1"]) == "Apr 2015"
    assert tl.format_span(pd.Series({"date": pd.Timestamp("2021-11-29"), "precision": "day",
                                     "end_date": pd.Timestamp("2021-12-02")})) == "29 Nov\u20132 Dec 2021"


def test_filter_by_period_and_category():
    out = tl.filter_events(SMALL, "2001-01-01", "2016-12-31", ["visit", "partnership"])
    assert out.event_id.tolist() == ["b", "d", "v1", "v2"]
    assert tl.filter_events(SMALL, categories=["call"]).empty


@pytest.mark.parametrize("day,level", [("2001-02-28", "none"), ("2001-03-01", "strategic"),
                                       ("2012-07-26", "strategic"), ("2012-07-27", "comprehensive_strategic"),
                                       ("1960-01-01", "none")])
def test_level_is_a_step_function(day, level):
    assert tl.level_on(SMALL, day) == level


def test_level_periods_clip_to_window():
    periods = tl.level_periods(SMALL, "2000-01-01", "2013-01-01")
    assert periods.level.tolist() == ["none", "strategic", "comprehensive_strategic"]
    assert periods.start.tolist()[1] == pd.Timestamp("2001-03-01")


def test_anniversaries_in_window():
    out = tl.anniversaries(SMALL, "2025-01-01", window_days=365, keys=("a", "b", "d"))
    assert list(zip(out.event_id, out.years, out.when)) == [("a", 75, "30 Jan 2025")]
    out = tl.anniversaries(SMALL, "2026-01-01", window_days=730, keys=("a", "b", "d"))
    assert list(zip(out.event_id, out.years)) == [("b", 25), ("d", 15)]


def test_anniversary_of_a_month_precision_event_stays_month_precision():
    out = tl.anniversaries(SMALL, "2025-03-01", window_days=60, keys=("v1",))
    assert out.when.tolist() == ["Apr 2025"] and out.years.tolist() == [10]


def test_visits_by_decade_counts_top_level_only():
    table = tl.visits_by_decade(SMALL)
    assert table.loc[2010].tolist() == [1, 1] and table.loc[2020].tolist() == [0, 1]
    assert list(table.columns) == ["vn_to_ru", "ru_to_vn"]


def test_longest_gaps():
    gaps = tl.visit_gaps(SMALL, n=2)
    assert gaps.from_event.tolist() == ["v2", "v1"]
    assert gaps.days.tolist()[0] == (pd.Timestamp("2024-06-19") - pd.Timestamp("2016-05-16")).days
    assert gaps.approximate.tolist() == [False, True]
    read = tl.visit_gaps(SMALL, n=2, titles=True)  # a table for reading: titles, no event ids (issue 24)
    assert "from_event" not in read and read.from_visit.tolist() == list(SMALL.set_index("event_id").loc[
        ["v2", "v1"], "title"])


def test_bundled_timeline_is_rich_and_visits_are_complete():
    events = vnru.load_timeline()
    assert len(events) >= 60
    visits = events[events.category == "visit"]
    assert visits.side.notna().all() and visits.visit_level.notna().all()
    assert events[events.category != "visit"].side.isna().all()
    assert (events.end_date.dropna() >= events.loc[events.end_date.notna(), "date"]).all()
    assert tl.level_on(events, "2025-01-01") == "comprehensive_strategic"
    nxt = tl.anniversaries(events, "2025-01-01", window_days=60)
    assert (nxt.event_id.iloc[0], nxt.years.iloc[0], nxt.when.iloc[0]) == ("1950-relations", 75, "30 Jan 2025")


def test_placeholder_days_are_01():
    events = vnru.load_timeline()
    rough = events[events.precision != "day"]
    assert (rough.date.dt.day == 1).all()
    assert (rough[rough.precision == "year"].date.dt.month == 1).all()


def test_importance_ranks_summits_above_working_visits():
    """Labels go to the most important events first (issue 24): key events and upgrades, then the summits that
    adopted a partnership statement or treaty, ... anniversaries last; the newest first within a rank."""
    events = vnru.load_timeline()
    rank = dict(zip(events["event_id"], tl.importance(events), strict=True))
    assert rank["2012-comprehensive-partnership"] == rank["1950-relations"] == tl.IMPORTANCE["key"]
    assert rank["2024-06-putin-state-visit"] == rank["2013-11-12-putin-state-visit"] == tl.IMPORTANCE["summit"]
    assert rank["2024-06-putin-state-visit"] < rank["2024-06-20-joint-statement"] < rank["2010-10-medvedev-visit"] \
        < rank["2009-12-15-dung-visit"] < rank["2022-07-lavrov-visit"] < rank["2024-03-26-call"] \
        < rank["2024-06-16-treaty-30"]
    assert set(events.loc[tl.summits(events), "event_id"]) >= {"2001-putin-visit", "2024-06-putin-state-visit",
                                                                "2012-07-sang-visit"}  # month known: its month
    order = list(tl.label_order(events)["event_id"])
    assert order.index("2024-06-putin-state-visit") < order.index("2013-11-12-putin-state-visit") \
        < order.index("2024-06-20-joint-statement")
