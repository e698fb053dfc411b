"""The tables trade_growth shows for reading (issue 24), built by vnru.analysis.trade."""

import vnru
from vnru.analysis import trade as T


def test_the_headline_table_is_for_reading():
    """The headline figures table (issue 24: 21 columns, one cell a list of dicts making a tall empty row): one row
    per reporter, plain values only, the CAGR's years and the break years as text."""
    window = T.in_window(vnru.load_trade(), 1992, 2025, ["VN", "RU"])
    series = T.both_series(window, sources=vnru.load_sources(), reporters=["VN", "RU"])
    table = T.headline_table(T.by_reporter(T.yoy_growth(series, by=["reporter", "flow"]), ["VN", "RU"], 1992, 2025))
    assert list(table["reporter"]) == ["VN", "RU"] and len(table.columns) <= 13
    assert not table.map(lambda v: isinstance(v, (list, dict))).any().any()
    vn = table.set_index("reporter").loc["VN"]
    assert vn["cagr_years"] == "1992\u20132024" and vn["series_breaks"] == "2013, 2014"
    assert T.headline_table({}).empty
