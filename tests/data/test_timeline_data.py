"""The bundled timeline as data: coverage of the Soviet era, categories, keys and the conflicts it keeps."""

import json

import pandas as pd
import pytest

import vnru
from vnru.analysis import timeline as tl
from vnru.paths import BUNDLED_DATA_DIR
from vnru.report.plots.timeline import CATEGORY_COLORS

NEW_CATEGORIES = ("aid", "military", "science")


@pytest.fixture(scope="module")
def events():
    return vnru.load_timeline()


def _category_enum():
    package = json.loads((BUNDLED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    timeline = next(res for res in package["resources"] if res["name"] == "timeline")
    field = next(f for f in timeline["schema"]["fields"] if f["name"] == "category")
    return field["constraints"]["enum"]


def test_at_least_120_events_and_40_from_the_soviet_era(events):
    soviet = events[events.date.between("1950-01-01", "1991-12-31")]
    assert len(events) >= 120
    assert len(soviet) >= 40
    decades = set(soviet.date.dt.year // 10 * 10)
    assert decades == {1950, 1960, 1970, 1980, 1990}


@pytest.mark.parametrize("category", NEW_CATEGORIES)
def test_each_new_category_is_used(events, category):
    assert (events.category == category).sum() >= 3


def test_schema_enum_chart_lanes_and_colours_agree():
    assert set(_category_enum()) == set(tl.CATEGORIES) == set(CATEGORY_COLORS)
    assert set(NEW_CATEGORIES) <= set(tl.CATEGORIES)


def test_every_source_id_is_a_document_in_sources(events):
    known = set(vnru.load_sources().source_id)
    assert set(events.source_id) <= known


def test_event_ids_are_unique(events):
    assert not events.event_id.duplicated().any()


@pytest.mark.parametrize("day,category,words", [
    ("1978-06-29", "economy", "Comecon"),
    ("1978-11-03", "treaty", "Treaty of Friendship"),
    ("1979-05-02", "military", "Cam Ranh"),
    ("1980-07-23", "science", "Soyuz 37"),
    ("1981-06-19", "agreement", "Vietsovpetro"),
    ("1991-12-27", "relations", "Russian Federation"),
    ("1994-06-16", "treaty", "Friendly Relations"),
    ("2002-05-02", "military", "Cam Ranh"),
])
def test_milestones_of_the_era_are_dated(events, day, category, words):
    hits = events[(events.date == pd.Timestamp(day)) & (events.category == category)]
    assert hits.title.str.contains(words).any(), f"no {category} event on {day} about {words}"


def test_kosygin_visit_dated_1965_and_the_1964_claim_kept_in_the_note(events):
    kosygin = events[(events.category == "visit") & events.title.str.contains("Kosygin")]
    hanoi_1965 = kosygin[kosygin.date.dt.year == 1965].iloc[0]
    assert (hanoi_1965.date, hanoi_1965.end_date) == (pd.Timestamp("1965-02-06"), pd.Timestamp("1965-02-10"))
    assert "1964" in hanoi_1965.note
    assert not (kosygin.date.dt.year == 1964).any()


def test_soviet_era_visits_have_direction_and_rank(events):
    visits = events[(events.category == "visit") & (events.date.dt.year <= 1991)]
    assert len(visits) >= 15
    assert visits.side.notna().all() and visits.visit_level.notna().all()
    assert set(visits.side) == {"vn_to_ru", "ru_to_vn"}


def test_end_dates_only_on_day_precise_events(events):
    assert (events.loc[events.end_date.notna(), "precision"] == "day").all()


def test_key_events_exist(events):
    assert set(tl.KEY_EVENTS) <= set(events.event_id)
