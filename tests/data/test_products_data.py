"""The bundled product figures (data/products.csv): size, period and product coverage, HS codes, keys, sources."""

import csv
import re

import pytest

import vnru
from vnru.paths import BUNDLED_DATA_DIR

# Each product group the curated table must cover: HS code prefixes that belong to it, and words naming it.
PRODUCT_GROUPS = {
    "phones": (("8517",), ("phone",)),
    "textiles": ((), ("textile", "garment", "apparel")),
    "coffee": (("0901",), ("coffee",)),
    "seafood": (("03",), ("seafood", "aquatic", "fish", "catfish", "pangasius", "tuna")),
    "cashew": (("0801",), ("cashew",)),
    "rice": (("1006",), ("rice",)),
    "fruit": (("0804", "0805", "0810"), ("fruit", "mango")),
    "rubber": (("40",), ("rubber",)),
    "steel": (("72",), ("steel",)),
    "coal": (("2701",), ("coal",)),
    "petroleum products": (("2710",), ("petroleum",)),
    "fertiliser": (("31",), ("fertiliser", "fertilizer")),
    "wheat": (("1001",), ("wheat",)),
    "meat": (("02",), ("meat", "pork", "beef", "poultry")),
    "machinery": (("84",), ("machinery", "mechanical")),
}
KEY = ("year", "from_month", "months", "flow", "reporter", "product", "source_id")


@pytest.fixture(scope="module")
def raw_rows():
    """products.csv read as plain text, so that no loader can hide a lost leading zero."""
    with open(BUNDLED_DATA_DIR / "products.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def products():
    return vnru.load_products()


def in_group(row, group):
    prefixes, words = PRODUCT_GROUPS[group]
    hs = row["hs_code"] or ""
    name = row["product"].lower()
    return any(hs.startswith(p) for p in prefixes) or any(re.search(rf"\b{w}", name) for w in words)


def test_at_least_150_rows(products):
    assert len(products) >= 150


def test_years_lie_in_2005_2025_and_both_flows_span_the_period(products):
    assert products["year"].between(2005, 2025).all()
    for flow in ("vn_exports", "vn_imports"):
        years = products.loc[products["flow"] == flow, "year"]
        assert years.min() <= 2015, f"{flow} has no figure before 2016"
        assert years.max() >= 2024, f"{flow} has no figure after 2023"


def test_both_reporters_appear_in_both_flows(products):
    pairs = set(zip(products["flow"], products["reporter"]))
    assert pairs == {(f, r) for f in ("vn_exports", "vn_imports") for r in ("VN", "RU")}


@pytest.mark.parametrize("group", sorted(PRODUCT_GROUPS))
def test_every_product_group_is_covered(raw_rows, group):
    assert any(in_group(row, group) for row in raw_rows), f"no row for {group}"


def test_group_matching_is_not_vacuous():
    assert in_group({"hs_code": "0901", "product": "Le café"}, "coffee")
    assert not in_group({"hs_code": "", "product": "Vegetable products"}, "fruit")
    assert not in_group({"hs_code": "09", "product": "Tea"}, "coffee")


def test_hs_codes_keep_their_leading_zeros(raw_rows, products):
    codes = [row["hs_code"] for row in raw_rows if row["hs_code"]]
    assert all(re.fullmatch(r"\d{2}(\d{2}){0,2}", code) for code in codes)
    assert any(code.startswith("0") for code in codes)
    loaded = set(products["hs_code"].dropna())
    assert loaded == set(codes)  # the loader keeps "0901" as text, not 901


def test_every_source_id_is_in_sources(products):
    sources = set(vnru.load_table("sources")["source_id"])
    missing = set(products["source_id"]) - sources
    assert not missing, f"source_id not in sources.csv: {sorted(missing)}"


def test_no_fact_is_entered_twice(raw_rows):
    keys = [tuple(row[k] for k in KEY) for row in raw_rows]
    duplicates = {k for k in keys if keys.count(k) > 1}
    assert not duplicates, f"duplicate facts: {sorted(duplicates)}"


def test_every_row_states_a_figure(products):
    figures = products[["value_usd_m", "quantity", "share_pct", "yoy_pct", "rank"]]
    assert figures.notna().any(axis=1).all()
    with_quantity = products["quantity"].notna()
    assert products.loc[with_quantity, "quantity_unit"].notna().all()


def test_periods_are_well_formed(products):
    """from_month..months is a span inside one calendar year."""
    assert (products["from_month"] <= products["months"]).all()


def test_ranks_say_what_they_rank(products):
    ranked = products["rank"].notna()
    assert products.loc[ranked, "rank_scope"].notna().all()
