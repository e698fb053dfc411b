"""notebooks/trade_products.ipynb through papermill, on SYNTHETIC data directories built here.

(a) curated-like figures (few products, partial periods, a conflict) -> "reported" mode;
(b) an imported SYNTHETIC Comtrade file (every chapter, full years) -> "composition" mode.
The bundled data is only checked to run and record its keys (its rows are curated elsewhere).
"""

import csv
import re

import pytest

from fixtures.comtrade import PLUS_COLUMNS, plus_row, write_csv
from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook
from vnru.importers.store import import_files
from vnru.report import findings as F

PRODUCTS_HEADER = ["year", "from_month", "months", "flow", "reporter", "hs_code", "product", "value_usd_m",
                   "quantity", "quantity_unit", "share_pct", "yoy_pct", "rank", "rank_of", "rank_scope",
                   "qualifier", "authority", "source_id", "note"]
CURATED = [  # year, from_month, months, flow, reporter, hs_code, product, value, source
    (2021, 1, 12, "vn_exports", "VN", "8517", "Phones and parts", "1500", "src-a"),
    (2021, 1, 12, "vn_exports", "VN", "", "Textiles and garments", "300", "src-a"),
    (2022, 1, 12, "vn_exports", "VN", "8517", "Phones and parts", "700", "src-b"),
    (2022, 1, 12, "vn_exports", "VN", "", "Textiles and garments", "350", "src-b"),
    (2023, 1, 12, "vn_exports", "VN", "8517", "Phones and parts", "250", "src-c"),
    (2023, 1, 12, "vn_exports", "VN", "", "Textiles and garments", "420", "src-c"),
    (2023, 1, 12, "vn_exports", "VN", "", "Textiles and garments", "400", "src-b"),  # conflicts with src-c
    (2024, 1, 5, "vn_exports", "VN", "0901", "Coffee", "120", "src-c"),  # January-May
    (2023, 1, 12, "vn_imports", "RU", "", "Fertilisers", "200", "src-c"),
]


def curated_dir(tmp_path):
    """A SYNTHETIC curated-like data directory: products.csv and sources.csv only."""
    out = tmp_path / "curated"
    out.mkdir()
    with open(out / "products.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(PRODUCTS_HEADER)
        for y, first, last, flow, rep, code, product, value, sid in CURATED:
            writer.writerow([y, first, last, flow, rep, code, product, value, "", "", "", "", "", "", "", "", "",
                             sid, "synthetic test row"])
    with open(out / "sources.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source_id", "title", "publisher", "published", "url", "kind", "language", "note"])
        for sid in ("src-a", "src-b", "src-c"):
            writer.writerow([sid, f"Synthetic report {sid}", "Test", "2024-06-01", "", "news", "en", "synthetic"])
    return out


CHAPTERS = [f"{c:02d}" for c in range(1, 41)]  # 40 chapters: a complete-looking year


def comtrade_dir(tmp_path):
    """A SYNTHETIC Comtrade import: 40 chapters, 2021-2023, both reporters and flows."""
    rows = []
    for y in (2021, 2022, 2023):
        for i, chapter in enumerate(CHAPTERS):
            base = (i + 1) * 1_000_000 * (1 + (y - 2021) * (0.5 if chapter == "01" else 0.1))
            rows.append(plus_row(y, "704", "X", "643", chapter, f"Chapter {chapter}", str(round(base))))
            rows.append(plus_row(y, "643", "M", "704", chapter, f"Chapter {chapter}", str(round(base * 1.1))))
            rows.append(plus_row(y, "704", "M", "643", chapter, f"Chapter {chapter}", str(round(base / 2))))
    out = tmp_path / "imported"
    import_files([write_csv(tmp_path / "TradeData_3_1_2025_9_0_0.csv", PLUS_COLUMNS, rows)], out)
    return out


def shown_text(executed) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/plain", ""))
                   + str(o.get("text", "")) for c in executed.cells for o in c.get("outputs", []))


def assert_publishable(executed):
    """No warnings or errors printed, no NaN or float years in the shown tables."""
    text = shown_text(executed)
    assert "NaN" not in text and "<NA>" not in text
    assert not re.search(r">(19|20)\d\d\.0<", text)  # years shown as whole numbers
    assert_no_warnings(executed)


def composition_findings(executed, res, flow, year):
    """The sentences name the recorded total, top product, share, HHI and growth of the flow (Vietnam's figures)."""
    found = findings_on_top(executed, res)
    first = f"In {year} {F.FLOW_NAMES[flow]} (Vietnam's figures) totalled {F.money(res[f'{flow}_vn_total_usd_m'])}; " \
        f"the largest product, HS {res[f'{flow}_vn_top_product']} ("
    lead = [s for s in found if s.startswith(first)]
    assert len(lead) == 1, found
    assert f"made up {F.pct(res[f'{flow}_vn_top_share_pct'], signed=False)}" in lead[0]
    assert f"(HHI) is {res[f'{flow}_vn_hhi']:,.0f}." in lead[0]
    return found


def test_curated_mode_shows_reported_figures_with_periods_and_conflicts(tmp_path):
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(curated_dir(tmp_path)),
                                                              "reporter": "both"})
    assert res["mode"] == "reported" and res["rows"] == len(CURATED)
    assert res["partial_figures"] == 1 and res["conflicting_figures"] == 2
    assert res["years"] == [2021, 2024]
    leaders = res["leading_products"]  # harmonised names (analysis/product_names), compared like with like
    assert leaders["vn_exports/VN/2021"] == "Phones and components (HS 8517)"
    assert leaders["vn_exports/VN/2023"] == "Textiles and garments (HS 50–63)"  # phones gave way to textiles
    assert "vn_imports/RU/2023" not in leaders  # one item alone is no leader (issue 22)
    assert "Jan–May 2024" in shown_text(executed)
    assert_publishable(executed)
    found = findings_on_top(executed, res)
    assert ("Earlier leaders of Vietnam's exports to Russia (Vietnam's figures), each for its own period: Phones and "
            "components (HS 8517) in 2021, 2022.") in found
    for key, product in leaders.items():
        if key.endswith("/2023"):
            f, r, y = key.split("/")
            assert any(s.startswith(f"The largest reported item of {F.FLOW_NAMES[f]} ({F.REPORTER_NAMES[r]}'s figures) "
                                    f"in {y} is {product}") for s in found), (key, found)
    assert sum("image/png" in o.get("data", {}) for c in executed.cells for o in c.get("outputs", [])) == 2


def test_curated_mode_one_flow_one_reporter(tmp_path):
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(curated_dir(tmp_path)),
                                                              "flow": "vn_imports", "reporter": "RU"})
    assert res["mode"] == "reported" and res["rows"] == 1
    assert res["leading_products"] == {}  # issue 22: one reported item alone is no leader
    assert_no_warnings(executed)
    assert findings_on_top(executed, res) == [
        ("No leader of Vietnam's imports from Russia (Russia's figures) can be named: the sources never report two "
         f"products for the same period; the largest single figure is Fertilisers, {F.money(200)} in 2023.")]


def test_composition_mode_on_an_imported_directory(tmp_path):
    data = comtrade_dir(tmp_path)
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(data), "top_n": 5})  # reporter: both
    assert res["mode"] == "composition" and res["year"] == 2023 and res["hs_level"] == 2
    # by hand: 2023 VN exports of chapter i = i * 1.2 (USD m), chapter 01 = 1 * 2.0
    total = sum((i + 1) * 1.2 for i in range(1, 40)) + 2.0
    assert res["vn_exports_vn_total_usd_m"] == pytest.approx(total, abs=1e-3)
    assert res["vn_exports_vn_top_product"] == "40"
    assert res["vn_exports_vn_top_share_pct"] == pytest.approx(round(40 * 1.2 / total * 100, 2))
    shares = [(i + 1) * 1.2 / total * 100 for i in range(1, 40)] + [2.0 / total * 100]
    assert res["vn_exports_vn_hhi"] == pytest.approx(round(sum(s * s for s in shares), 1), abs=0.05)
    previous = sum((i + 1) * 1.1 for i in range(1, 40)) + 1.5
    assert res["vn_exports_growth_pct"] == pytest.approx(round((total / previous - 1) * 100, 2), abs=0.01)
    assert res["vn_exports_mirror_gap_pct"] == pytest.approx(10.0, abs=0.01)  # RU's mirror figures are 10 % higher
    assert_publishable(executed)
    found = composition_findings(executed, res, "vn_exports", 2023)
    assert (f"Vietnam's exports to Russia changed by {F.pct(res['vn_exports_growth_pct'])} on 2022; "
            f"HS {res['vn_exports_largest_contributor']} (") in " ".join(found)
    images = sum("image/png" in o.get("data", {}) for c in executed.cells for o in c.get("outputs", []))
    # shares and contributions per flow (VN), HHI, mirror (exports: both report), a treemap per flow, who reports
    assert images == 2 + 1 + 2 + 1 + 2 + 1


def test_composition_mode_other_year_level_and_flow(tmp_path):
    data = comtrade_dir(tmp_path)
    executed, res = run_notebook("trade_products", tmp_path, {"data_dir": str(data), "end": "2022",
                                                              "flow": "vn_imports", "reporter": "VN", "hs_level": 2,
                                                              "top_n": 3})
    assert res["mode"] == "composition" and res["year"] == 2022
    assert res["vn_imports_vn_top_product"] == "40"
    assert "vn_exports_vn_hhi" not in res and "vn_imports_vn_hhi" in res
    assert_publishable(executed)
    found = composition_findings(executed, res, "vn_imports", 2022)
    assert not [s for s in found if "exports" in s]


def test_bundled_data_runs_and_records_its_mode(default_notebook):
    executed, res = default_notebook("trade_products")
    assert res["mode"] in {"reported", "composition", "empty"} and "rows" in res
    assert_publishable(executed)
    findings_on_top(executed, res)


def test_bad_parameter_stops_in_the_first_cell(tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="hs_level must be one of"):
        run_notebook("trade_products", tmp_path, {"hs_level": 3})


def test_vnru_run_on_a_directory_imported_through_the_cli(tmp_path):
    import json

    from vnru.cli import main

    rows = [plus_row(y, rep, fl, par, ch, f"Chapter {ch}", str((i + 1) * 1_000_000))
            for y in (2022, 2023) for i, ch in enumerate(CHAPTERS)
            for rep, fl, par in (("704", "X", "643"), ("643", "M", "704"))]
    data, out = tmp_path / "mydata", tmp_path / "reports"
    for args in (["import", "comtrade", str(write_csv(tmp_path / "vn_ru.csv", PLUS_COLUMNS, rows)), "--data-dir",
                  str(data)],
                 ["run", "trade_products", "--data-dir", str(data), "-p", "reporter", "both", "--out", str(out),
                  "-q", "--no-html"]):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 0
    report = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
    assert report["status"] == "ok" and report["results"]["mode"] == "composition"
    assert report["results"]["year"] == 2023 and report["results"]["vn_exports_mirror_gap_pct"] == 0.0


def test_the_curated_report_leaves_out_the_comtrade_sections_and_says_how_to_import(tmp_path):
    import json

    from vnru.cli import main

    out = tmp_path / "reports"
    with pytest.raises(SystemExit) as exit_:
        main(["run", "trade_products", "--out", str(out), "-q"])
    assert exit_.value.code == 0
    report = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
    assert report["results"]["mode"] == "reported"
    page = (out / "trade_products.html").read_text(encoding="utf-8")
    for heading in ("Composition (Comtrade mode)", "Concentration", "Mirror gap by chapter", "Bilateral indices",
                    "Composition of each flow"):  # empty in a curated run: was on the page
        assert heading not in page
    assert "Reported figures (curated mode)" in page
    assert "need a UN Comtrade download" in page and "vnru import comtrade TradeData_*.csv --data-dir mydata" in page
