"""trade_products in Comtrade mode on a generated (SYNTHETIC) all-partners directory: the bilateral views."""

import sys

from fixtures.files import ROOT
from fixtures.notebooks import assert_no_warnings, run_notebook

sys.path.insert(0, str(ROOT / "bench"))
from comtrade_scale import write_dataset  # the bench's SYNTHETIC generator

CODES = [f"{c:02d}0101" for c in range(1, 41)]  # 40 chapters, one code each


def _charts(executed, cell_id):
    cell = next(c for c in executed.cells if c.get("id") == cell_id)
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def test_rca_complementarity_intensity_treemap_and_the_russian_gap_on_a_generated_directory(tmp_path):
    data = tmp_path / "synthetic"
    write_dataset(data, rows=20_000, years=[2020, 2021, 2022], codes=CODES, world_imports=True)
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(data), "reporter": "both"})
    assert res["mode"] == "composition" and res["indices_missing_downloads"] == 0
    assert res["tii_vnm_rus_year"] == 2021 and res["tii_rus_vnm_year"] == 2021  # Russia's imports end in 2021
    assert res["tii_vnm_rus"] > 0 and res["tii_rus_vnm"] > 0
    assert _charts(executed, "treemap") == 2  # one per flow
    assert _charts(executed, "bilateral-indices") == 4  # RCA map, complementarity, intensity, who reports
    assert not any("Not shown" in str(o.get("data", {})) for c in executed.cells for o in c.get("outputs", []))
    assert res["rca_year"] == 2021  # the last year with both sides' exports
    assert res["vnm_products_with_rca_above_1"] > 0 and res["rus_products_with_rca_above_1"] > 0
    assert 0 <= res["tci_vnm_rus"] <= 100
    assert res["years_with_one_side_only"] == 1  # 2022: Vietnam's statistics only
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in executed.cells
                   for o in c.get("outputs", []))
    assert "stopped publishing trade by partner in April 2022" in text
    # the chosen year (the latest, 2022) has no Russian rows: the mirror section says so, no empty table
    assert "No mirror comparison for 2022: Russia's statistics have no product rows" in text
    assert_no_warnings(executed)


def test_a_pair_only_import_names_the_downloads_it_lacks(tmp_path):
    from fixtures.comtrade import PLUS_COLUMNS, plus_row, write_csv
    from vnru.importers.store import import_files

    rows = [plus_row(y, "704", "X", "643", f"{c:02d}", "x", str(c * 1_000_000)) for y in (2022, 2023)
            for c in range(1, 41)]
    data = tmp_path / "pair"
    import_files([write_csv(tmp_path / "TradeData_3_1_2025_9_0_0.csv", PLUS_COLUMNS, rows)], data)
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(data)})
    assert res["mode"] == "composition" and res["indices_missing_downloads"] == 5  # RCA, 2 TCI, 2 TII
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for c in executed.cells
                   for o in c.get("outputs", []))
    assert "reporter VNM, partner World, flow Export" in text and "reporter RUS, partner World" in text
    assert "Trade intensity of VNM's exports to RUS" in text and "Trade intensity of RUS's exports to VNM" in text
    assert res["years_with_one_side_only"] == 2  # Russia's side not imported: every year is Vietnam's only
