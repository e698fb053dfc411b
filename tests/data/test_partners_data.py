"""The bundled partner context (data/partners.csv): schema, key, codes, coverage, and the row rules."""

import csv

import pandas as pd
import pytest

import vnru
from fixtures.files import edit_csv, read_rows, write_rows
from vnru.data import countries, datapackage
from vnru.data.rowrules import PARTNER_KEY
from vnru.paths import BUNDLED_DATA_DIR

COLUMNS = ["year", "from_month", "months", "country", "partner", "flow", "value_usd_m", "rank", "rank_of",
           "rank_scope", "qualifier", "reporter", "authority", "source_id", "note"]
GROUP_CODES = {"WLD", "EU25", "EU27", "EU28", "ASEAN", "EAEU"}


@pytest.fixture(scope="module")
def partners():
    return vnru.load_partners()


@pytest.fixture(scope="module")
def raw_rows():
    with open(BUNDLED_DATA_DIR / "partners.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_columns_are_the_documented_ones_in_order(partners):
    assert list(partners.columns) == COLUMNS
    assert [f["name"] for f in datapackage.fields("partners")] == COLUMNS
    assert datapackage.resource("partners")["schema"]["foreignKeys"][0]["reference"]["resource"] == "sources"


def test_coverage_targets(partners):
    assert len(partners) >= 200 and partners["source_id"].nunique() >= 100
    world = partners[(partners["country"] == "VNM") & (partners["partner"] == "WLD")]
    assert world["year"].nunique() >= 25
    assert world[world["months"] == 12]["year"].nunique() >= 25
    # Vietnam's partners with values in at least 6 distinct years (the EU under any membership is one partner;
    # Russia's partners do not count towards Vietnam's)
    assert (vietnam_partner_years(partners) >= 6).sum() >= 8, vietnam_partner_years(partners).tail(12)


def vietnam_partner_years(partners):
    """Distinct years with a value, per partner of Vietnam (EU25/EU27/EU28 counted as one 'EU'), most first."""
    valued = partners[(partners["country"] == "VNM") & (partners["partner"] != "WLD") & partners["value_usd_m"].notna()]
    who = valued["partner"].where(~valued["partner"].str.startswith("EU"), "EU")
    return valued.assign(who=who).groupby("who")["year"].nunique().sort_values(ascending=False)


def test_partner_years_count_vietnams_partners_only_and_the_eu_once(partners):
    """The coverage count ignores Russia's partners and merges the EU's membership codes (so it can fail)."""
    rows = [{"year": y, "country": "RUS", "partner": "THA", "value_usd_m": 1.0} for y in range(2000, 2010)]
    rows += [{"year": 2000 + i, "country": "VNM", "partner": code, "value_usd_m": 1.0}
             for i, code in enumerate(["EU25", "EU27", "EU27", "EU28", "EU28", "EU27"])]
    rows += [{"year": 2001, "country": "VNM", "partner": "WLD", "value_usd_m": 1.0},
             {"year": 2002, "country": "VNM", "partner": "KOR", "value_usd_m": None}]
    counts = vietnam_partner_years(pd.DataFrame(rows))
    assert counts.to_dict() == {"EU": 6}


def test_group_codes_are_the_kits_own_list():
    assert set(countries.GROUPS) == GROUP_CODES


def test_every_code_is_a_group_or_iso_alpha3(partners):
    codes = set(partners["partner"]) | set(partners["country"])
    assert set(partners["country"]) <= {"VNM", "RUS"}
    assert all(countries.is_known(c) for c in codes), sorted(c for c in codes if not countries.is_known(c))
    assert not countries.is_known("XX") and not countries.is_known("EU29") and not countries.is_known("vnm")


def test_country_codes_exist_in_pycountry(partners):
    """With pycountry installed, every country code is a real ISO 3166-1 alpha-3 code with a name."""
    pycountry = pytest.importorskip("pycountry")
    for code in sorted(set(partners["partner"]) - GROUP_CODES):
        assert pycountry.countries.get(alpha_3=code) is not None, code
        assert countries.name(code) != code
    assert countries.name("VNM") in ("Viet Nam", "Vietnam")


def test_names_of_groups_are_said_in_words():
    assert countries.name("WLD") == "the world" and "28" in countries.name("EU28")


def test_every_source_id_is_in_sources(partners):
    assert set(partners["source_id"]) <= set(vnru.load_sources()["source_id"])


def test_key_is_unique_and_every_row_states_a_value_or_a_rank(raw_rows, partners):
    keys = [tuple(r[c] for c in PARTNER_KEY) for r in raw_rows]
    assert len(keys) == len(set(keys))
    assert (partners["value_usd_m"].notna() | partners["rank"].notna()).all()
    assert (partners["rank"].notna() == partners["rank_scope"].notna()).all()


def test_months_are_whole_and_eu_codes_follow_membership(partners):
    assert (partners["from_month"] <= partners["months"]).all()
    eu = partners[partners["partner"].str.startswith("EU")]
    assert set(eu.loc[eu["year"] == 2006, "partner"]) == {"EU25"}
    assert set(eu.loc[eu["year"].between(2013, 2018), "partner"]) == {"EU28"}
    assert set(eu.loc[eu["year"] >= 2020, "partner"]) == {"EU27"}


def test_low_reliability_mirrors_say_so(partners):
    mirrors = partners[partners["source_id"].str.startswith(("scribd-", "ilovetranslation-"))]
    assert len(mirrors) and mirrors["note"].str.contains("reliab|mirror|copy", case=False).all()


@pytest.mark.parametrize(("old", "new", "column", "message"), [
    (",VNM,WLD,exports,4054,", ",VNM,WLD,exports,4054,", None, None),
    ("1994,1,12,VNM,WLD,exports,4054", "1994,1,4.5,VNM,WLD,exports,4054", "months", "not a whole number"),
    ("1994,1,12,VNM,WLD,exports,4054", "1994,5,4,VNM,WLD,exports,4054", "months", "before from_month"),
    ("1994,1,12,VNM,WLD,exports,4054", "1994,1,12,VNM,EU29,exports,4054", "partner", "pattern"),
    ("1994,1,12,VNM,WLD,exports,4054", "1994,1,12,VNM,VNM,exports,4054", "partner", "own partner"),
    ("1994,1,12,VNM,WLD,exports,4054", "1994,1,12,THA,WLD,exports,4054", "country", "VNM"),
    ("1994,1,12,VNM,WLD,exports,4054,,,,", "1994,1,12,VNM,WLD,exports,4054,3,,,", "rank_scope", "go together"),
    ("1994,1,12,VNM,WLD,exports,4054,", "1994,1,12,VNM,WLD,exports,,", "value_usd_m", "a value, a rank"),
])
def test_bad_rows_are_refused_with_file_row_and_column(data_copy, old, new, column, message):
    edit_csv(data_copy / "partners.csv", old, new)
    if column is None:
        assert len(vnru.load_partners(data_copy)) > 200
        return
    with pytest.raises(vnru.DataError) as caught:
        vnru.load_partners(data_copy)
    text = str(caught.value)
    assert "partners.csv" in text and "row 2" in text and column in text and message in text


def test_a_repeated_key_is_refused(data_copy):
    path = data_copy / "partners.csv"
    rows = read_rows(path)
    write_rows(path, [*rows, rows[1]])
    with pytest.raises(vnru.DataError, match="duplicate key"):
        vnru.load_partners(data_copy)


def test_two_ranks_from_one_statement_are_two_rows(partners):
    soha = partners[(partners["source_id"] == "soha-2017-10-19-vnukov") & partners["rank"].notna()]
    assert sorted(soha["rank"]) == [2, 28] and soha["rank_scope"].nunique() == 2
