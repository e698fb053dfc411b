"""vnru.analysis.product_view: the notebook's mode, period labels, conflicts, leaders, full years from months, display."""

import pandas as pd

from vnru.analysis import product_view as V


def rows(*items):
    """(year, from_month, months, flow, reporter, hs_code, product, value, source_id) tuples as a table."""
    return pd.DataFrame(items, columns=["year", "from_month", "months", "flow", "reporter", "hs_code", "product",
                                        "value_usd_m", "source_id"])


def test_period_labels():
    assert [V.period_label(*p) for p in [(2023, 1, 12), (2024, 1, 5), (2024, 3, 3), (2024, 4, 6)]] == [
        "2023", "Jan–May 2024", "Mar 2024", "Apr–Jun 2024"]


def test_reported_marks_partial_periods_and_conflicts():
    table = V.reported(rows((2023, 1, 12, "vn_exports", "VN", "", "Textiles", 420.0, "a"),
                            (2023, 1, 12, "vn_exports", "VN", "", "Textiles", 400.0, "b"),
                            (2023, 1, 12, "vn_exports", "RU", "", "Textiles", 500.0, "c"),
                            (2024, 1, 5, "vn_exports", "VN", "", "Textiles", 150.0, "a")))
    assert table["conflict"].tolist() == [False, True, True, False]  # RU's figure is a mirror, not a conflict
    assert table["partial"].tolist() == [False, False, False, True]
    assert V.leaders(table).empty  # one product alone (however many sources) is no leader


def test_full_years_are_summed_from_twelve_single_months_only():
    months = [(2023, m, m, "vn_exports", "VN", "09", "Coffee", 1.0, "s") for m in range(1, 13)]
    months += [(2024, m, m, "vn_exports", "VN", "09", "Coffee", 1.0, "s") for m in range(1, 6)]  # Jan-May only
    full = V.full_years(rows(*months))
    assert list(zip(full.year, full.from_month, full.months, full.value_usd_m, strict=True)) == [(2023, 1, 12, 12.0)]


def test_mode_needs_a_full_year_with_many_codes():
    few = rows(*[(2023, 1, 12, "vn_exports", "VN", f"{c:02d}", "x", 1.0, "s") for c in range(1, 10)])
    many = rows(*[(2023, 1, 12, "vn_exports", "VN", f"{c:02d}", "x", 1.0, "s") for c in range(1, 41)])
    partial = many.assign(months=5)
    assert (V.mode(few, 2), V.mode(many, 2), V.mode(partial, 2), V.mode(many, 4)) == (
        "reported", "composition", "reported", "reported")


def test_shown_has_whole_years_and_no_nan():
    """A product table is shown through vnru.show, the one path to a table (product_view.shown formatted a
    second way): whole years, missing values as '–', money with its unit in the header."""
    import vnru

    frame = pd.DataFrame({"year": pd.array([2024, None], dtype="Int64"), "value_usd_m": [1234.56, float("nan")],
                          "partial": [True, False], "note": ["x", None]})
    shown = vnru.show(frame).frame
    assert shown.to_dict("list") == {"year": ["2024", "–"], "value (USD m)": ["1,234.56", "–"],
                                     "partial": ["yes", "no"], "note": ["x", "–"]}
    assert not hasattr(V, "shown")


def test_one_product_across_the_sources_spellings_is_one_group():
    rows = pd.DataFrame({"hs_code": ["31", "31", "31", "8517", "851712", None, None],
                         "product": ["Fertiliser", "Fertilizer", "Fertiliser", "Phones and components",
                                     "Phones and parts", "Textiles", "textiles "]})
    grouped = V.with_groups(rows)
    assert grouped["group"].tolist() == ["31", "31", "31", "8517", "8517", "textiles", "textiles"]
    assert grouped["group_name"].tolist()[:3] == ["Fertilisers (HS 31)"] * 3  # one name from the name table
    assert grouped["product"].tolist() == rows["product"].tolist()  # the sources' names are kept


def _period_rows(*items):
    """(year, from_month, months, product, hs_code, value, rank, rank_scope, source_id) -> curated-like rows."""
    frame = pd.DataFrame(items, columns=["year", "from_month", "months", "product", "hs_code", "value_usd_m", "rank",
                                         "rank_scope", "source_id"])
    return V.reported(frame.assign(flow="vn_exports", reporter="VN"))


def test_a_lone_full_year_row_does_not_lead_over_a_larger_ranked_part_year():
    """Issue 22: 'the leading export of 2017' was dried mango at USD 0.20 m, the only full-year row, while phones
    were USD 379 m for January-May, ranked first by their source."""
    rows = _period_rows((2017, 1, 5, "Phones and components", "8517", 379.1, 1, "Vietnam's export products to Russia", "a"),
                        (2017, 1, 5, "Textiles", None, 71.7, None, None, "a"),
                        (2017, 1, 12, "Dried mango", None, 0.202, None, None, "b"))
    lead = V.leaders(rows)
    assert list(zip(lead["year"], lead["months"], lead["product"], lead["by"], strict=True)) == [
        (2017, 5, "Phones and components (HS 8517)", "source rank")]


def test_aggregates_never_lead_and_spellings_are_one_product():
    rows = _period_rows((2021, 1, 12, "Agro-forestry-aquatic products", None, 550.0, None, None, "a"),
                        (2021, 1, 12, "Coffee", "0901", 173.0, None, None, "a"),
                        (2021, 1, 12, "Pangasius", "03", 32.5, None, None, "b"),
                        (2016, 1, 12, "Garments and textiles", None, 110.0, None, None, "c"),
                        (2016, 1, 12, "Textiles", None, 90.0, None, None, "d"))
    lead = V.leaders(rows)
    assert lead["year"].tolist() == [2021] and lead["product"].str.startswith("Coffee").all()
    assert rows.loc[rows["year"] == 2016, "group"].nunique() == 1  # two spellings of textiles: one product
    assert rows.loc[rows["product"].str.startswith("Agro"), "aggregate"].all()
