"""The bilateral indices on hand-computed examples (made-up numbers), and the download each one names when an
input is missing."""

import pandas as pd
import pytest

from fixtures.comtrade import PLUS_COLUMNS, annual_rows, plus_row, write_csv
from vnru.analysis import bilateral as B
from vnru.data import imported
from vnru.data.imported import MissingDownload


def frame(reporter, values, year=2023):
    return pd.DataFrame({"reporter": reporter, "year": year, "hs_code": list(values),
                         "value_usd": [float(v) for v in values.values()]})


VN_EXPORTS = frame("VNM", {"09": 30, "85": 70})
WORLD = frame("WLD", {"09": 10, "85": 890, "27": 100}).drop(columns="reporter")


def test_rca_is_the_balassa_ratio():
    result = B.rca(VN_EXPORTS, WORLD).set_index("hs_code")["rca"]
    assert result["09"] == pytest.approx(0.30 / 0.01)  # 30
    assert result["85"] == pytest.approx(0.70 / 0.89)  # 0.7865
    assert len(result) == 2  # 27: Vietnam does not export it


def test_complementarity_by_hand():
    ru_imports = frame("RUS", {"09": 20, "85": 20, "27": 60})
    # |.2-.3| + |.2-.7| + |.6-0| = 1.2 -> 100 * (1 - 1.2/2) = 40
    assert B.complementarity(VN_EXPORTS, ru_imports)["tci"].tolist() == pytest.approx([40.0])
    assert B.complementarity(VN_EXPORTS, VN_EXPORTS.assign(reporter="RUS"))["tci"].tolist() == pytest.approx([100.0])


def test_trade_intensity_by_hand():
    totals = pd.DataFrame({"year": [2023], "x_ij": [5.0], "x_i": [100.0], "m_j": [40.0], "m_w": [2000.0]})
    assert B.trade_intensity(totals)["tii"].tolist() == pytest.approx([2.5])  # 5 % of exports vs 2 % of imports


def test_partner_share_by_hand():
    result = B.partner_share(frame("VNM", {"09": 3}), VN_EXPORTS).set_index("hs_code")["share_pct"]
    assert result.to_dict() == pytest.approx({"09": 10.0, "85": 0.0})


def test_grubel_lloyd_by_chapter_by_hand():
    exports = frame("VNM", {"0901": 6, "0902": 2})
    imports = frame("VNM", {"0901": 2, "2709": 10})
    result = B.grubel_lloyd(exports, imports).set_index("chapter")["gl"]
    assert result.to_dict() == pytest.approx({"09": 1 - 6 / 10, "27": 0.0})


def test_unit_values_only_where_a_weight_is_reported():
    rows = pd.DataFrame({"value_usd": [100.0, 5.0, 7.0], "net_wgt_kg": [50.0, 0.0, None]})
    values = B.unit_values(rows)["usd_per_kg"].tolist()
    assert values[0] == 2.0 and pd.isna(values[1]) and pd.isna(values[2])


@pytest.mark.parametrize(("call", "download"), [
    (lambda: B.rca(VN_EXPORTS, WORLD.iloc[0:0]), "reporters All, partner World"),
    (lambda: B.complementarity(VN_EXPORTS, VN_EXPORTS.iloc[0:0]), "partner World, flow Import"),
    (lambda: B.unit_values(pd.DataFrame({"value_usd": [1.0], "net_wgt_kg": [None]})), "netWgt")])
def test_a_missing_input_names_the_download(call, download):
    with pytest.raises(MissingDownload, match=download):
        call()


def test_the_data_layer_names_the_missing_download(tmp_path):
    from vnru.importers import import_files

    out = tmp_path / "d"
    import_files([write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows())], out)
    exports = imported.by_product(out, reporters=("VNM",), digits=2)  # VN's exports to World: one row
    assert exports[["hs_code", "value_usd"]].values.tolist() == [["85", 50000000000.0]]
    with pytest.raises(MissingDownload, match="reporter RUS, partner World, flow Export"):
        imported.by_product(out, reporters=("VNM", "RUS"), digits=2)
    with pytest.raises(MissingDownload, match="reporters All, partner World"):
        imported.world_by_product(out, digits=2)


def test_the_trade_intensity_totals_are_summed_in_place_and_give_the_hand_computed_index(tmp_path, monkeypatch):
    from vnru.importers import import_files

    monkeypatch.setattr(imported, "MIN_WORLD_REPORTERS", 2)  # a two-reporter "world", for a small example
    rows = [plus_row(2023, "704", "X", "643", "09", "Coffee", "3"), plus_row(2023, "704", "X", "643", "85", "El", "2"),
            plus_row(2023, "704", "X", "0", "09", "Coffee", "40"), plus_row(2023, "704", "X", "0", "85", "El", "60"),
            plus_row(2023, "643", "M", "0", "27", "Fuels", "40"), plus_row(2023, "156", "M", "0", "85", "El", "1960")]
    out = tmp_path / "d"
    import_files([write_csv(tmp_path / "a.csv", PLUS_COLUMNS, rows)], out)
    totals = imported.intensity_totals("VNM", "RUS", out)
    assert totals[["year", "x_ij", "x_i", "m_j", "m_w"]].values.tolist() == [[2023, 5.0, 100.0, 40.0, 2000.0]]
    assert B.trade_intensity(totals)["tii"].tolist() == pytest.approx([2.5])  # (5/100) / (40/2000)
    with pytest.raises(MissingDownload, match="reporter RUS, partner VNM, flow Export"):  # Russia's side absent
        imported.intensity_totals("RUS", "VNM", out)
    monkeypatch.setattr(imported, "MIN_WORLD_REPORTERS", 20)
    with pytest.raises(MissingDownload, match="reporters All, partner World, flow Import"):
        imported.intensity_totals("VNM", "RUS", out)
