"""The curated people-to-people figures (indicators.csv): coverage, conflicts kept, seeds intact, every id documented."""

import json
import re

import pytest

import vnru
from fixtures.files import ROOT

# The ids other code and notebooks rely on (DESIGN.md, issue 12).
REQUIRED_IDS = [
    "russian_arrivals", "russian_arrivals_share_pct", "russian_arrivals_yoy_pct", "vietnamese_arrivals_in_russia",
    "vn_students_in_russia", "russian_scholarships", "vn_community_in_russia", "trained_in_ussr_russia",
    "direct_flights_per_week", "twinned_localities",
]
# (indicator, value_low, value_high or None, qualifier, as_of, source_id): the seed articles' figures, unchanged.
SEED_ROWS = [
    ("vn_students_in_russia", 5000, None, "about", "2017-06-29", "seed-nhandan-2017-06-29"),
    ("vn_students_in_russia", 5000, None, "about", "2024-06-01", "seed-vir-2024-putin-visit"),
    ("vn_students_in_russia", 5000, None, "more than", "2024-06-18", "seed-mofa-2024-06-18"),
    ("vn_students_in_russia", 3000, None, "more than", "2024-06-20", "seed-2024-06-20-talks"),
    ("russian_scholarships", 1000, None, "exactly", "2024-06-18", "seed-mofa-2024-06-18"),
    ("vn_community_in_russia", 60000, None, "about", "2024-06-01", "seed-vir-2024-putin-visit"),
    ("vn_community_in_russia", 60000, 80000, "about", "2024-06-18", "seed-mofa-2024-06-18"),
    ("twinned_localities", 20, None, "exactly", "2024-06-01", "seed-vir-2024-putin-visit"),
    ("twinned_localities", 20, None, "about", "2024-06-18", "seed-mofa-2024-06-18"),
    ("trained_in_ussr_russia", 40000, None, "nearly", "2017-06-29", "seed-nhandan-2017-06-29"),
]


@pytest.fixture(scope="module")
def indicators():
    return vnru.load_indicators()


def test_at_least_a_hundred_sourced_rows(indicators):
    assert len(indicators) >= 100
    assert indicators.source_id.notna().all() and indicators.note.notna().all()


def test_every_source_id_resolves(indicators):
    assert set(indicators.source_id) <= set(vnru.load_sources().source_id)


def test_russian_arrivals_cover_ten_full_years(indicators):
    arrivals = indicators[indicators.indicator == "russian_arrivals"]
    full = arrivals[arrivals.months == 12]
    years = {int(y) for y in full.year if 2009 <= y <= 2025}
    assert len(years) >= 10, sorted(years)
    assert (arrivals.months < 12).any(), "partial years are kept as partial"
    assert arrivals.year.notna().all() and arrivals.as_of.isna().all()


@pytest.mark.parametrize("indicator", REQUIRED_IDS)
def test_required_id_present(indicators, indicator):
    assert (indicators.indicator == indicator).any()


def test_each_row_is_a_period_or_a_date_never_both(indicators):
    period = indicators.year.notna()
    assert (period == indicators.months.notna()).all()
    assert (indicators.as_of.notna() == indicators.as_of_precision.notna()).all()
    assert (period != indicators.as_of.notna()).all()


@pytest.mark.parametrize("seed", SEED_ROWS, ids=lambda s: f"{s[0]}-{s[5]}")
def test_seed_figure_unchanged(indicators, seed):
    indicator, low, high, qualifier, as_of, source_id = seed
    rows = indicators[(indicators.indicator == indicator) & (indicators.source_id == source_id)
                      & (indicators.as_of.dt.strftime("%Y-%m-%d") == as_of)]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.value_low == low and row.qualifier == qualifier
    assert (row.value_high == high) if high is not None else row.value_high != row.value_high  # NaN: no range


def test_conflicting_figures_are_kept(indicators):
    arrivals_2024 = indicators[(indicators.indicator == "russian_arrivals") & (indicators.year == 2024)
                               & (indicators.months == 12)]
    assert arrivals_2024.value_low.nunique() >= 2
    trained = set(indicators[indicators.indicator == "trained_in_ussr_russia"].value_low)
    assert {30000, 50000, 150000} <= trained


def test_growth_rates_are_percentages_and_levels_are_not(indicators):
    growth = indicators[indicators.indicator.str.endswith(("_yoy_pct", "_share_pct"))]
    assert (growth.unit == "%").all()
    assert (indicators[~indicators.index.isin(growth.index)].unit != "%").all()


def test_each_indicator_has_one_unit(indicators):
    units = indicators.groupby("indicator").unit.nunique()
    assert (units == 1).all(), units[units > 1].to_dict()


def test_every_id_is_documented_in_readme_and_datapackage(indicators):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \| (?:period|date)", readme, flags=re.MULTILINE))
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    field = next(f for r in descriptor["resources"] if r["name"] == "indicators"
                 for f in r["schema"]["fields"] if f["name"] == "indicator")
    used = set(indicators.indicator)
    assert used <= documented, sorted(used - documented)
    assert all(i in field["description"] for i in used), sorted(i for i in used if i not in field["description"])
