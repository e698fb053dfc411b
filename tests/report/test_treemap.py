"""The treemap of a flow's composition: the squarified layout (areas proportional to values, tiling the box)
and the blocks it draws (top products named, the rest grouped as "all other products")."""

import matplotlib
import pandas as pd
import pytest

from vnru.analysis.product_view import treemap_blocks
from vnru.report.palette import ALTERNATIVE, CATEGORICAL
from vnru.report.plots.products import plot_treemap, treemap_layout  # the layout needs squarify ([comtrade] extra)

matplotlib.use("agg")


def test_the_layout_is_the_squarified_example_of_bruls_huizing_and_van_wijk():
    # the paper's example: 6, 6, 4, 3, 2, 2, 1 in a 6 x 4 box; the two 6s become two 3 x 2 squares-ish blocks
    boxes = treemap_layout([6, 6, 4, 3, 2, 2, 1], 6, 4)
    assert boxes[0] == pytest.approx((0, 0, 3, 2)) and boxes[1] == pytest.approx((0, 2, 3, 2))
    assert boxes[2] == pytest.approx((3, 0, 12 / 7, 7 / 3))  # 4 and 3 share a 7/3-high row: widths 12/7, 9/7
    assert [dx * dy for _, _, dx, dy in boxes] == pytest.approx([6, 6, 4, 3, 2, 2, 1])  # area = value here
    assert max(x + dx for x, _, dx, _ in boxes) == pytest.approx(6)
    assert max(y + dy for _, y, _, dy in boxes) == pytest.approx(4)


def test_areas_are_proportional_to_values_in_any_box():
    values = [500.0, 120.0, 80.0, 1.5]
    boxes = treemap_layout(values, 100, 60)
    areas = [dx * dy for _, _, dx, dy in boxes]
    assert sum(areas) == pytest.approx(6000)
    assert [a / 6000 for a in areas] == pytest.approx([v / sum(values) for v in values])
    with pytest.raises(ValueError):
        treemap_layout([3.0, 0.0])


def _shares():
    values = {"85": 50.0, "09": 20.0, "03": 15.0, "64": 10.0, "61": 5.0}
    rows = [{"reporter": "VN", "flow": "vn_exports", "year": 2023, "from_month": 1, "months": 12, "hs_code": c,
             "value_usd_m": v, "share_pct": v} for c, v in values.items()]
    rows.append({"reporter": "VN", "flow": "vn_imports", "year": 2023, "from_month": 1, "months": 12,
                 "hs_code": "27", "value_usd_m": 7.0, "share_pct": 100.0})
    rows.append({"reporter": "RU", "flow": "vn_exports", "year": 2023, "from_month": 1, "months": 12,
                 "hs_code": "85", "value_usd_m": 99.0, "share_pct": 100.0})  # the other reporter: left out
    return pd.DataFrame(rows)


def test_the_blocks_name_the_top_products_and_group_the_rest():
    blocks = treemap_blocks(_shares(), 2023, "VN", 3)
    exports = blocks[blocks["flow"] == "vn_exports"]
    assert exports["hs_code"].tolist() == ["85", "09", "03", "other"]
    assert exports["value_usd_m"].tolist() == [50.0, 20.0, 15.0, 15.0]  # 10 + 5 grouped
    assert exports["share_pct"].sum() == pytest.approx(100.0)
    assert exports["name"].iloc[-1] == "all other products"
    assert blocks[blocks["flow"] == "vn_imports"]["hs_code"].tolist() == ["27"]  # nothing to group: no block


def test_the_chart_colours_products_from_the_categorical_palette_and_the_rest_grey():
    import matplotlib.pyplot as plt

    blocks = treemap_blocks(_shares(), 2023, "VN", 3)
    fig, ax = plt.subplots()
    plot_treemap(ax, blocks[blocks["flow"] == "vn_exports"], ["src"], sources=pd.DataFrame(
        {"source_id": ["src"], "title": ["A source"], "publisher": ["P"], "published": ["2024"], "url": [""]}))
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours == [*CATEGORICAL[:3], ALTERNATIVE]
    texts = [t.get_text() for t in ax.texts]
    assert any("50.0 %" in t for t in texts) and any("all other products" in t and "15.0 %" in t for t in texts)
    from vnru.report.chartdata import chart_frame

    data = chart_frame(fig)  # the download's data: the blocks drawn (patches alone carry no points)
    assert data["hs_code"].tolist() == ["85", "09", "03", "other"] and data["share_pct"].sum() == pytest.approx(100)
    plt.close(fig)
