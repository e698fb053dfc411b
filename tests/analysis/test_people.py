"""vnru.analysis.people and vnru.report.plots.people on the SYNTHETIC indicators of fixtures/people.py (expectations by hand)."""

import math

import pandas as pd
import pytest

import vnru
from fixtures.files import edit_csv
from fixtures.people import synthetic_data
from vnru.analysis import people as P
from vnru.analysis import people_view


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    return synthetic_data(tmp_path_factory.mktemp("people") / "data")


@pytest.fixture(scope="module")
def ind(synth):
    return vnru.load_indicators(synth)


@pytest.fixture(scope="module")
def arrivals(ind):
    return P.series(ind, "russian_arrivals")


def test_the_loader_reads_periods_and_dates(ind):
    assert str(ind["year"].dtype) == "Int64" and str(ind["months"].dtype) == "Int64"
    period = ind[ind["indicator"] == "russian_arrivals"]
    assert period["as_of"].isna().all() and period["year"].notna().all()
    dated = ind[ind["indicator"] == "vn_students_in_russia"]
    assert dated["year"].isna().all() and dated["as_of"].notna().all()


def test_months_outside_1_to_12_is_a_data_error(tmp_path):
    data = synthetic_data(tmp_path / "data")
    edit_csv(data / "indicators.csv", "2016,6,", "2016,13,")
    with pytest.raises(vnru.DataError) as err:
        vnru.load_indicators(data)
    assert err.value.column == "months"


@pytest.mark.parametrize("old, new", [(",2012,12,,,synth-a", ",2012,12,2012-06-01,day,synth-a"),  # both
                                      (",2012,12,,,synth-a", ",,,,,synth-a"),  # neither
                                      (",2012,12,,,synth-a", ",2012,,2012-06-01,day,synth-a")])  # a year, no months
def test_a_row_must_be_a_period_or_a_date(tmp_path, old, new):
    data = synthetic_data(tmp_path / "data")
    edit_csv(data / "indicators.csv", old, new)
    with pytest.raises(vnru.DataError) as err:  # the loader names the row (vnru.data.rowrules)
        vnru.load_indicators(data)
    assert err.value.row is not None


@pytest.mark.parametrize("change", [{"as_of": pd.Timestamp("2012-06-01"), "as_of_precision": "day"},  # both
                                   {"year": pd.NA, "months": pd.NA}])  # neither
def test_a_frame_built_by_hand_must_be_a_period_or_a_date(tmp_path, change):
    ind = vnru.load_indicators(synthetic_data(tmp_path / "data"))
    row = ind.index[(ind["indicator"] == "russian_arrivals") & (ind["year"] == 2012) & (ind["source_id"] == "synth-a")]
    for column, value in change.items():
        ind.loc[row, column] = value
    with pytest.raises(vnru.DataError, match="'russian_arrivals' from 'synth-a' needs either year and months"):
        P.series(ind, "russian_arrivals")


def test_labels():
    assert P.period_label(2019, 12) == "2019"
    assert P.period_label(2024, 6) == "Jan–Jun 2024"
    assert P.period_label(2024, 1) == "Jan 2024"
    row = {"value_low": 60000.0, "value_high": 80000.0, "qualifier": "about"}
    assert P.figure_label(row) == "about 60,000–80,000"
    assert P.figure_label({"value_low": 232300.0, "value_high": math.nan, "qualifier": "exactly"}) == "232,300"


def test_series_keeps_every_figure_and_flags_partial_years(arrivals):
    assert len(arrivals) == 16
    assert list(arrivals.loc[arrivals["partial"], "when"]) == ["Jan–Jun 2016", "Jan–Sep 2025"]
    conflicts = arrivals[arrivals["conflict"]]
    assert sorted(set(conflicts["year"])) == [2013, 2024] and set(conflicts["n_figures"]) == {2}
    # headline: the exact figure before the hedged one
    heads = P.headline(arrivals).set_index("year")
    assert heads.loc[2013, "value"] == 200000 and heads.loc[2024, "value"] == 232300
    assert list(P.full_years(arrivals)["year"]) == [2012, 2013, 2014, 2015, 2017, 2018, 2019, 2020, 2021,
                                                    2022, 2023, 2024]  # 2016 has only a half year: a gap


def test_headline_prefers_the_more_precise_of_two_exact_figures(ind):
    both_exact = ind.assign(qualifier=ind["qualifier"].replace({"more than": "exactly"}))
    heads = P.headline(P.series(both_exact, "russian_arrivals")).set_index("year")
    assert heads.loc[2024, "value"] == 232300  # 232,300 (to the hundred) before 280,000 (to the ten thousand)


def test_window_limits_the_years(ind):
    window = P.series(ind, "russian_arrivals", 2015, 2019)
    assert sorted(set(window["year"])) == [2015, 2016, 2017, 2018, 2019]


def test_growth_only_between_consecutive_full_years(ind, arrivals):
    g = P.yoy(arrivals, P.select(ind, ["russian_arrivals_yoy_pct"])).set_index("year")
    assert g.loc[2013, "yoy_computed_pct"] == pytest.approx(100.0)
    assert g.loc[2014, "yoy_computed_pct"] == pytest.approx(56.0)   # 312,000 / 200,000
    assert g.loc[2015, "yoy_computed_pct"] == pytest.approx(-20.0)  # 249,600 / 312,000
    assert pd.isna(g.loc[2017, "yoy_computed_pct"])                  # 2016 has no full year: never bridged
    assert g.loc[2019, "yoy_computed_pct"] == pytest.approx(650 / 600 * 100 - 100)
    assert g.loc[2024, "yoy_computed_pct"] == pytest.approx(232300 / 120000 * 100 - 100)
    assert not g.loc[2014, "yoy_disagrees"] and g.loc[2015, "yoy_disagrees"]  # stated -7 % against -20 %
    assert g.loc[2015, "stated_source_id"] == "synth-b"
    assert list(g.index[g["conflict"]]) == [2013, 2014, 2024]  # 2014 grows from the disputed 2013


def test_latest_and_peak(ind, arrivals):
    assert P.latest(ind, "russian_arrivals", full_only=True) == {
        "indicator": "russian_arrivals", "when": "2024", "year": 2024, "partial": False, "value_low": 232300.0,
        "value_high": None,
        "figure": "232,300", "unit": "arrivals", "source_id": "synth-a", "n_figures": 2, "range": None}
    newest = P.latest(ind, "russian_arrivals")  # issue 22: the newest date across all rows, by end of period
    assert (newest["when"], newest["partial"]) == ("Jan–Sep 2025", True)
    assert P.latest(ind, "russian_arrivals", end=2019)["value_low"] == 650000
    students = P.latest(ind, "vn_students_in_russia")
    assert (students["value_low"], students["when"], students["source_id"]) == (3000, "20 Jun 2024", "synth-c")
    assert P.latest(ind, "vn_students_in_russia", end=2019)["when"] == "29 Jun 2017"
    assert P.latest(ind, "russian_scholarships")["value_low"] == 1000
    assert P.latest(ind, "no_such_indicator") is None
    only_partial = P.latest(ind, "russian_arrivals", start=2025)
    assert (only_partial["when"], only_partial["partial"], only_partial["value_low"]) == ("Jan–Sep 2025", True, 435000)
    top = P.peak(arrivals)
    assert (top["year"], top["value"]) == (2019, 650000)


def test_community_ranges(ind):
    r = P.ranges(ind)
    assert list(r["when"]) == ["Jun 2017", "Jun 2024", "18 Jun 2024"]
    assert list(r["low"]) == [80000, 60000, 60000] and list(r["high"]) == [100000, 60000, 80000]
    assert list(r["is_range"]) == [True, False, True]
    assert list(r["figure"]) == ["about 80,000–100,000", "about 60,000", "60,000–80,000"]


def test_trained_claims_side_by_side_with_what_they_count(ind):
    c = P.claims(ind)
    assert list(c["value_low"]) == [30000, 40000, 50000, 150000]
    assert list(c["figure"]) == ["30,000", "nearly 40,000", "50,000", "more than 150,000"]
    assert c["counts"].iloc[2] == "SYNTHETIC. University graduates only."


def test_events_come_from_the_data_with_their_sources(ind, synth):
    timeline = vnru.load_timeline(synth)
    found = P.events(ind, timeline).set_index("event")
    assert found.loc["rouble_fall", ["start_year", "end_year"]].tolist() == [2015, 2015]
    assert found.loc["covid", ["start_year", "end_year"]].tolist() == [2020, 2021]
    assert found.loc["covid", "source_ids"] == ["synth-a", "synth-b"]
    assert found.loc["flight_stop", ["start_year", "end_year"]].tolist() == [2022, 2022]
    assert found.loc["recovery", "start_year"] == 2025
    window = P.events(ind, timeline, 2015, 2019)
    assert list(window["event"]) == ["rouble_fall"]
    # a timeline event naming the resumption counts too, with its own source
    extra = pd.DataFrame({"title": ["Aeroflot resumes direct flights to Vietnam"], "date": [pd.Timestamp("2024-01-10")],
                          "source_id": ["synth-c"]})
    again = P.events(ind, pd.concat([timeline, extra])).set_index("event")
    assert again.loc["recovery", "start_year"] == 2024 and "synth-c" in again.loc["recovery", "source_ids"]
    quiet = ind.assign(note="")
    assert P.missing_events(P.events(quiet)) == ["Rouble fall", "Covid-19", "Direct flights stopped", "Recovery"]


def test_shown_tables_have_integer_years_and_no_nan(arrivals):
    """people_view.shown selects and renames; vnru.show formats (one path to a table, headers with units kept)."""
    import vnru

    table = vnru.show(people_view.shown(P.yoy(arrivals), ["year", "value", "prev_value", "yoy_computed_pct", "conflict"])).frame
    assert list(table["year"][:2]) == ["2012", "2013"]
    assert table.loc[0, "value"] == "100,000" and table.loc[0, "prev value"] == "–"
    assert table.loc[0, "yoy computed (%)"] == "–" and table.loc[1, "yoy computed (%)"] == "100.0"
    text = table.to_string()
    assert "nan" not in text.lower() and "<NA>" not in text and ".0 " not in table["year"].str.cat(sep=" ")


def test_shown_only_selects_and_renames_and_years_stay_years(arrivals):
    """Regression: people_view.shown formatted to text before vnru.show formatted again; a renamed year column
    ("from") must still read 2014, never 2,014."""
    import vnru

    found = P.events(arrivals.assign(note="rouble fell"), None)
    raw = people_view.shown(found, ["label", "start_year", "end_year"], {"label": "event", "start_year": "from"})
    assert list(raw.columns) == ["event", "from", "end_year"] and raw["from"].dtype.kind == "i"
    shown = vnru.show(raw).frame
    assert shown["from"].tolist() == [str(y) for y in found["start_year"]]
    assert not shown["from"].str.contains(",").any()


def test_coverage(ind):
    cov = P.coverage(P.select(ind)).set_index("indicator")
    assert cov.loc["russian_arrivals", ["figures", "sources", "periods", "dates"]].tolist() == [16, 2, 16, 0]
    assert cov.loc["russian_arrivals", ["first", "last"]].tolist() == ["2012", "Jan–Sep 2025"]
    assert cov.loc["vn_students_in_russia", ["periods", "dates"]].tolist() == [0, 3]


def test_arrivals_chart_draws_every_figure_and_leaves_gaps_empty(ind, synth, arrivals):
    import matplotlib

    matplotlib.use("Agg")
    from vnru.report.plots import people as plots
    from vnru.report.plots.common import new_axes

    fig, ax = new_axes()
    plots.plot_arrivals(ax, arrivals, 2009, 2025, P.events(ind), sources=vnru.load_sources(synth))
    bars = [rect for container in ax.containers for rect in container]
    assert len(bars) == 16  # 14 full-year figures (two years with two) + 2 partial years
    centres = sorted(round(b.get_x() + b.get_width() / 2) for b in bars)
    assert not {2009, 2010, 2011} & set(centres) and centres.count(2024) == 2
    assert ax.get_title(loc="left").startswith("Russian visitor arrivals in Vietnam, 2009–2025")
    assert "arrivals" in ax.get_ylabel() and ax.get_xlabel() == "Year"
    assert any("Synthetic test source A" in t.get_text() for t in fig.texts)
    matplotlib.pyplot.close(fig)
