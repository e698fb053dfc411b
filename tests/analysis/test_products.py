"""vnru.analysis.products: composition, top-N, growth, contributions, HHI and mirror gap, checked by hand."""

import numpy as np
import pandas as pd
import pytest

from vnru.analysis import products


def table(rows):
    """Rows of (reporter, flow, year, months, hs_code, value); from_month 1 (January-to-date or full year)."""
    frame = pd.DataFrame(rows, columns=["reporter", "flow", "year", "months", "hs_code", "value_usd_m"])
    frame.insert(3, "from_month", 1)
    return frame


EXAMPLE = table([
    ("VN", "vn_exports", 2022, 12, "85", 60.0), ("VN", "vn_exports", 2022, 12, "09", 30.0),
    ("VN", "vn_exports", 2022, 12, "61", 10.0),
    ("VN", "vn_exports", 2023, 12, "85", 40.0), ("VN", "vn_exports", 2023, 12, "09", 45.0),
    ("VN", "vn_exports", 2023, 12, "62", 35.0),
    ("VN", "vn_exports", 2024, 5, "85", 20.0),  # January-May: never compared with full years
    ("RU", "vn_exports", 2023, 12, "85", 50.0), ("RU", "vn_exports", 2023, 12, "09", 40.0),
])


def pick(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= frame[column].to_numpy() == value
    return frame[mask]


def test_composition_shares_add_to_100_within_reporter_flow_and_period():
    shares = products.composition(EXAMPLE)
    vn23 = pick(shares, reporter="VN", year=2023, months=12).set_index("hs_code")["share_pct"]
    assert vn23.to_dict() == pytest.approx({"85": 40 / 120 * 100, "09": 37.5, "62": 35 / 120 * 100})
    assert pick(shares, year=2024)["share_pct"].tolist() == [100.0]  # the partial year stands alone
    assert pick(shares, reporter="RU")["share_pct"].tolist() == pytest.approx([50 / 90 * 100, 40 / 90 * 100])
    assert shares.groupby(["reporter", "year", "months"])["share_pct"].sum().tolist() == pytest.approx([100] * 4)


def test_top_n_keeps_one_set_of_products_per_series_and_sums_the_rest():
    top = products.top_n(EXAMPLE, 2)
    vn = pick(top, reporter="VN", months=12)
    # over 2022-2023: 85 = 100, 09 = 75, 62 = 35, 61 = 10 -> top 2 are 85 and 09
    assert list(zip(vn.year, vn.hs_code, vn.value_usd_m, strict=True)) == [
        (2022, "85", 60.0), (2022, "09", 30.0), (2022, "other", 10.0),
        (2023, "85", 40.0), (2023, "09", 45.0), (2023, "other", 35.0)]
    assert pick(top, reporter="RU")["hs_code"].tolist() == ["85", "09"]
    with pytest.raises(ValueError):
        products.top_n(EXAMPLE, 0)


def test_growth_only_on_matching_periods():
    grown = products.growth(EXAMPLE)
    assert list(zip(grown.hs_code, grown.previous, grown.growth_pct, strict=True)) == [
        ("85", 60.0, pytest.approx(-100 / 3)), ("09", 30.0, pytest.approx(50.0))]
    assert set(grown.reporter) == {"VN"} and set(grown.year) == {2023}  # RU has no 2022; 2024 is January-May


def test_growth_refuses_two_figures_for_one_product_and_period():
    doubled = pd.concat([EXAMPLE, EXAMPLE.iloc[[0]]])
    with pytest.raises(ValueError, match="two rows for hs_code '85'"):
        products.growth(doubled)


def test_contributions_add_up_to_the_growth_of_the_total():
    parts = products.contributions(EXAMPLE)
    assert set(parts.year) == {2023} and set(parts.reporter) == {"VN"}
    by_code = parts.set_index("hs_code")["contribution_pp"]
    # total 100 -> 120 (+20 %): 85 -20, 09 +15, 62 +35 (new), 61 -10 (gone)
    assert by_code.to_dict() == pytest.approx({"62": 35.0, "09": 15.0, "61": -10.0, "85": -20.0})
    assert by_code.sum() == pytest.approx(20.0) and parts["total_growth_pct"].iloc[0] == pytest.approx(20.0)
    assert parts["hs_code"].tolist() == ["62", "09", "61", "85"]  # largest contribution first


def test_hhi_is_the_sum_of_squared_percent_shares():
    index = products.hhi(EXAMPLE)
    vn22 = pick(index, reporter="VN", year=2022).iloc[0]
    assert vn22.hhi == pytest.approx(60**2 + 30**2 + 10**2) and vn22.products == 3
    assert vn22.equivalent == pytest.approx(10_000 / 4_600)
    assert pick(index, year=2024).iloc[0].hhi == pytest.approx(10_000)
    assert len(index) == 4  # VN 2022, VN 2023, VN 2024 Jan-May, RU 2023


def test_mirror_gap_where_both_reporters_report():
    gap = products.mirror_gap(EXAMPLE)
    assert list(zip(gap.hs_code, gap.value_vn, gap.value_ru, gap.gap, strict=True)) == [
        ("09", 45.0, 40.0, -5.0), ("85", 40.0, 50.0, 10.0)]
    assert gap.set_index("hs_code")["gap_pct"].to_dict() == pytest.approx({"09": -5 / 45 * 100, "85": 25.0})


def test_rows_without_a_value_are_ignored():
    with_gaps = pd.concat([EXAMPLE, table([("VN", "vn_exports", 2023, 12, "03", None)])])
    assert len(products.composition(with_gaps)) == len(EXAMPLE)


def test_at_hs_level_sums_one_level_only():
    mixed = table([("VN", "vn_exports", 2023, 12, "0901", 5.0), ("VN", "vn_exports", 2023, 12, "0902", 1.0),
                   ("VN", "vn_exports", 2023, 12, "09", 6.0), ("VN", "vn_exports", 2023, 12, "8517", 9.0)])
    chapters = products.at_hs_level(mixed, 2)
    assert chapters.set_index("hs_code")["value_usd_m"].to_dict() == {"09": 6.0}  # the chapter rows as given
    headings = products.at_hs_level(mixed, 4)
    assert headings.set_index("hs_code")["value_usd_m"].to_dict() == {"0901": 5.0, "0902": 1.0, "8517": 9.0}
    assert products.at_hs_level(mixed, 6).empty


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match="hs_code"):
        products.composition(EXAMPLE.drop(columns="hs_code"))
