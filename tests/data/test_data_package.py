"""The bundled data package: valid, every row sourced, every seed figure present."""

import json

import pandas as pd
import pytest

import vnru
from vnru.data import datapackage
from vnru.paths import BUNDLED_DATA_DIR


def test_bundled_package_is_valid():
    problems, rows = datapackage.validate(BUNDLED_DATA_DIR)
    assert problems == []
    assert rows["sources"] >= 5


def test_descriptor_describes_every_csv():
    described = {r["path"] for r in datapackage.descriptor()["resources"]}
    on_disk = {p.name for p in BUNDLED_DATA_DIR.glob("*.csv")}
    assert described == on_disk


def test_every_field_is_documented():
    for res in datapackage.descriptor()["resources"]:
        assert res.get("title") and res.get("description"), res["name"]
        for field in res["schema"]["fields"]:
            assert field.get("description"), f"{res['name']}.{field['name']}"


@pytest.mark.parametrize("name", [n for n in datapackage.table_names() if n != "sources"])
def test_every_row_cites_a_source(name):
    frame = vnru.load_table(name)
    assert frame.source_id.notna().all()
    assert set(frame.source_id) <= set(vnru.load_sources().source_id)
    assert any(fk["reference"]["resource"] == "sources"
               for fk in datapackage.resource(name)["schema"]["foreignKeys"])


def test_every_seed_is_a_source_and_is_cited():
    sources = vnru.load_sources()
    seeds = sources[sources.kind == "seed"].source_id
    assert len(seeds) == 5
    cited = set()
    for name in datapackage.table_names():
        if name != "sources":
            cited |= set(vnru.load_table(name).source_id)
    assert set(seeds) <= cited


SEED_FIGURES = [
    # (table, column, value) that the seed articles state
    ("trade", "value_usd_m", 3630.0), ("trade", "value_usd_m", 2700.0), ("trade", "value_usd_m", 1370.0),
    ("investment", "capital_usd_m", 984.98), ("investment", "capital_usd_m", 1630.0),
    ("investment", "capital_usd_m", 1100.0), ("investment", "rank_of", 145), ("investment", "rank_of", 80),
    ("investment", "rank_of", 116), ("indicators", "value_low", 40000.0), ("indicators", "value_high", 80000.0),
    ("indicators", "value_low", 1000.0), ("indicators", "value_low", 3000.0), ("indicators", "value_low", 20.0),
]


@pytest.mark.parametrize("table,column,value", SEED_FIGURES)
def test_seed_figures_present(table, column, value):
    assert value in vnru.load_table(table)[column].tolist()


SEED_DATES = ["1950-01-30", "1994-06-16", "2001-03-01", "2012-07-27", "2021-11-30", "2024-03-26",
              "2024-06-19", "2024-06-20", "2024-07-02"]  # culture days: opened 2 July (issue 22), the seed announced 1 July


@pytest.mark.parametrize("day", SEED_DATES)
def test_seed_dates_present(day):
    assert pd.Timestamp(day) in set(vnru.load_timeline().date)


def test_partnership_upgrades_carry_their_level():
    events = vnru.load_timeline()
    levels = events.dropna(subset=["partnership_level"]).set_index("partnership_level").date
    assert levels["strategic"] == pd.Timestamp("2001-03-01")
    assert levels["comprehensive_strategic"] == pd.Timestamp("2012-07-27")


def test_multi_day_visits_have_end_dates():
    events = vnru.load_timeline()
    putin = events[events.event_id == "2024-06-putin-state-visit"].iloc[0]
    assert putin.end_date == pd.Timestamp("2024-06-20") and putin.side == "ru_to_vn"


def test_descriptor_is_plain_json():
    json.loads((BUNDLED_DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def test_readme_data_dictionary_names_every_column():
    from fixtures.files import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines()
            if line.startswith("| `") and ".csv`" in line}
    for res in datapackage.descriptor()["resources"]:
        assert res["path"] in rows, f"README has no row for {res['path']}"
        for field in res["schema"]["fields"]:
            assert f"`{field['name']}`" in rows[res["path"]], f"README misses {res['path']}:{field['name']}"


def test_one_row_per_document_in_sources():
    sources = vnru.load_sources()
    urls = sources.url.dropna()
    assert not urls.duplicated().any(), sorted(urls[urls.duplicated()])
