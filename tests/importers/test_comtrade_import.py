"""`vnru import comtrade`: layouts, mapping to Vietnam's side, skipped rows, periods, idempotence, bad input.

The importer stores every partner as a Parquet dataset (DIR/comtrade/); ``load_products`` returns the pair's rows.

Every Comtrade file here is SYNTHETIC (see fixtures/comtrade.py): real column layouts, made-up values.
"""

import re
import subprocess
import sys

import pandas as pd
import pytest

import vnru
from fixtures.comtrade import LEGACY_COLUMNS, PLUS_COLUMNS, annual_rows, legacy_row, plus_row, write_csv, write_json
from fixtures.importing import assert_refused, files_in, imported
from vnru.paths import BUNDLED_DATA_DIR


def dataset(out):
    """Every stored row of the imported dataset, in a stable order (DuckDB over the Parquet parts)."""
    from vnru.data import imported

    return imported.query("SELECT * EXCLUDE (source_id) FROM trade ORDER BY ALL", out)


def sums(frame):
    return frame.groupby(["year", "flow", "reporter"])["value_usd_m"].sum().round(6).to_dict()


def test_comtradeplus_csv_maps_flows_to_vietnams_side_and_keeps_reporters_apart(tmp_path, vnru_cli):
    path = write_csv(tmp_path / "TradeData_2_20_2025_10_30_9.csv", PLUS_COLUMNS, annual_rows())
    out, stdout = imported(vnru_cli, tmp_path, path)
    products = vnru.load_products(data_dir=out)
    assert sums(products) == {
        (2022, "vn_exports", "VN"): 1250.0, (2023, "vn_exports", "VN"): 1100.0, (2023, "vn_imports", "VN"): 401.5,
        (2023, "vn_exports", "RU"): 1220.0, (2023, "vn_imports", "RU"): 450.0}
    assert set(products["hs_code"]) == {"85", "09", "27", "01"}  # leading zeros kept
    assert "Animals; live" in set(products["product"])  # as the file names it
    coffee = products[(products.hs_code == "09") & (products.year == 2022)].iloc[0]
    assert (coffee.from_month, coffee.months, coffee.quantity, coffee.quantity_unit) == (1, 12, 100000000.0, "kg")
    source = vnru.load_sources(data_dir=out).iloc[0]
    assert source.source_id == products.source_id.iloc[0] and str(source.published.date()) == "2025-02-20"
    assert "H6" in source.note
    # the skipped rows are counted in the summary; other partners (World, China) are now kept, as ISO codes
    assert "11 rows kept" in stdout
    assert set(dataset(out)["partner"]) == {"RUS", "VNM", "WLD", "CHN"}
    for count, reason in ((1, "TOTAL or aggregate"),
                          (1, "re-exports and re-imports"), (1, "breakdowns by second partner")):
        assert re.search(rf"skipped\s+{count}\s+{reason}", stdout), stdout


def test_reimporting_the_same_file_does_not_duplicate_rows(tmp_path, vnru_cli):
    path = write_csv(tmp_path / "vn_ru.csv", PLUS_COLUMNS, annual_rows())
    out, _ = imported(vnru_cli, tmp_path, path)
    first = dataset(out)
    _, stdout = imported(vnru_cli, tmp_path, path)
    assert dataset(out).equals(first)
    assert len(list((out / "comtrade" / "parts").iterdir())) == 1
    assert len(vnru.load_sources(data_dir=out)) == 1
    assert "11 earlier imported rows replaced" in stdout


def test_a_newer_download_replaces_older_rows_for_the_same_code_and_period(tmp_path, vnru_cli):
    old = write_csv(tmp_path / "old.csv", PLUS_COLUMNS, annual_rows()[:2])
    new = write_csv(tmp_path / "new.csv", PLUS_COLUMNS, [plus_row(2022, "704", "X", "643", "85", "Elec", "7000000")])
    out, _ = imported(vnru_cli, tmp_path, old)
    imported(vnru_cli, tmp_path, new)
    products = vnru.load_products(data_dir=out)
    assert sorted(zip(products.hs_code, products.value_usd_m, strict=True)) == [("09", 250.0), ("85", 7.0)]
    assert len(vnru.load_sources(data_dir=out)) == 2


def test_monthly_periods_become_single_months(tmp_path, vnru_cli):
    rows = [plus_row(202301, "704", "X", "643", "0901", "Coffee", "12000000"),
            plus_row(202302, "704", "X", "643", "0901", "Coffee", "13000000"),
            plus_row(202312, "643", "M", "704", "0901", "Coffee", "14000000")]
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "monthly.csv", PLUS_COLUMNS, rows))
    products = vnru.load_products(data_dir=out).sort_values(["reporter", "from_month"])
    assert list(zip(products.year, products.from_month, products.months, products.reporter, strict=True)) == [
        (2023, 12, 12, "RU"), (2023, 1, 1, "VN"), (2023, 2, 2, "VN")]
    assert set(products.flow) == {"vn_exports"}


def test_api_json_gives_the_same_rows_as_the_csv(tmp_path, vnru_cli):
    csv_dir, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    json_out = tmp_path / "json"
    result = vnru_cli("import", "comtrade", write_json(tmp_path / "a.json", annual_rows()), "--data-dir", json_out)
    assert result.returncode == 0, result.stderr
    assert sums(vnru.load_products(data_dir=json_out)) == sums(vnru.load_products(data_dir=csv_dir))


def test_legacy_csv_with_numeric_flow_codes(tmp_path, vnru_cli):
    rows = [legacy_row(2015, "704", "2", "643", "03", "Fish and crustaceans", "90000000"),
            legacy_row(2015, "704", "1", "643", "31", "Fertilisers", "60000000"),
            legacy_row(2015, "643", "1", "704", "03", "Fish and crustaceans", "95000000"),
            legacy_row(2015, "704", "3", "643", "03", "Fish and crustaceans", "1000"),
            legacy_row(2015, "704", "2", "643", "TOTAL", "All", "1000000000")]
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "legacy.csv", LEGACY_COLUMNS, rows))
    assert sums(vnru.load_products(data_dir=out)) == {
        (2015, "vn_exports", "VN"): 90.0, (2015, "vn_imports", "VN"): 60.0, (2015, "vn_exports", "RU"): 95.0}
    assert "legacy" in stdout


def test_latin1_file_is_decoded(tmp_path, vnru_cli):
    rows = annual_rows()[:1] + [plus_row(2023, "704", "X", "643", "09", "Café, thé, maté", "5000000")]
    path = write_csv(tmp_path / "latin.csv", PLUS_COLUMNS, rows, encoding="latin-1")
    out, stdout = imported(vnru_cli, tmp_path, path)
    assert "Café, thé, maté" in set(vnru.load_products(data_dir=out)["product"])
    assert "latin-1" in stdout


def test_existing_curated_rows_in_the_directory_are_kept(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    header = ",".join(f["name"] for f in vnru.data.datapackage.fields("products"))
    (out / "products.csv").write_text(
        header + "\n2023,1,5,vn_exports,VN,,\"Phones, parts\",10.5,,,,,,,,about,GSO,my-src,\"a, note\"\n", encoding="utf-8")
    curated = (out / "products.csv").read_bytes()
    with open(out / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("my-src,A report,Somebody,2024-01-01,,news,en,\n")
    imported(vnru_cli, tmp_path, write_csv(tmp_path / "b.csv", PLUS_COLUMNS, annual_rows()[:1]))
    products = vnru.load_products(data_dir=out)
    assert "Phones, parts" in set(products["product"]) and len(products) == 10
    assert (out / "products.csv").read_bytes() == curated  # never rewritten by an import




@pytest.mark.parametrize("case", ["layout", "no_pair", "non_numeric", "bundled", "inside_bundled"])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, case, vnru_cli):
    out = tmp_path / "mydata"
    good = write_csv(tmp_path / "good.csv", PLUS_COLUMNS, annual_rows())
    if case == "layout":
        bad = write_csv(tmp_path / "bad.csv", ["Year", "Value"], [["2023", "1"]])
        result = vnru_cli("import", "comtrade", good, bad, "--data-dir", out)
        assert_refused(result, "bad.csv", "unknown layout", "cmdCode", "Trade Flow Code")
    elif case == "no_pair":  # every row skipped (TOTAL, re-export, breakdown): other partners are now kept
        rows = annual_rows()
        bad = write_csv(tmp_path / "bad.csv", PLUS_COLUMNS, [rows[-5], rows[-2], rows[-1]])
        result = vnru_cli("import", "comtrade", good, bad, "--data-dir", out)
        assert_refused(result, "bad.csv", "no product rows among 3 rows")
    elif case == "non_numeric":
        rows = annual_rows()
        rows[2][PLUS_COLUMNS.index("primaryValue")] = "1,2 bn"
        bad = write_csv(tmp_path / "bad.csv", PLUS_COLUMNS, rows)
        result = vnru_cli("import", "comtrade", good, bad, "--data-dir", out)
        assert_refused(result, "bad.csv", "row 4", "primaryValue", "1,2 bn")
    else:
        target = BUNDLED_DATA_DIR if case == "bundled" else BUNDLED_DATA_DIR / "imports"
        before = sorted(p.name for p in BUNDLED_DATA_DIR.iterdir())
        result = vnru_cli("import", "comtrade", good, "--data-dir", target)
        assert_refused(result, "bundled data", code=2)
        assert sorted(p.name for p in BUNDLED_DATA_DIR.iterdir()) == before
        return
    assert not out.exists()


def test_a_bad_file_leaves_an_earlier_import_untouched(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    before = files_in(out)
    bad = write_csv(tmp_path / "bad.csv", ["Year", "Value"], [["2023", "1"]])
    assert_refused(vnru_cli("import", "comtrade", bad, "--data-dir", out), "unknown layout")
    assert files_in(out) == before




def test_missing_file_is_a_usage_error(tmp_path, vnru_cli):
    result = vnru_cli("import", "comtrade", tmp_path / "nope.csv", "--data-dir", tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_imported_directory_loads_with_the_products_columns(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    frame = vnru.load_products(data_dir=out)
    assert frame.columns.tolist() == [f["name"] for f in vnru.data.datapackage.fields("products")]
    vnru.data.datapackage.check("sources", out)


def test_console_command_prints_one_line_without_traceback(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", ["Year", "Value"], [["2023", "1"]])
    result = subprocess.run([sys.executable, "-m", "vnru.cli", "import", "comtrade", str(bad), "--data-dir",
                             str(tmp_path / "out")], check=False, capture_output=True, text=True)
    assert_refused(result, "unknown layout")


def test_byte_order_mark_and_ragged_rows(tmp_path, vnru_cli):
    with_bom = write_csv(tmp_path / "bom.csv", PLUS_COLUMNS, annual_rows(), encoding="utf-8-sig")
    out, _ = imported(vnru_cli, tmp_path, with_bom)
    assert len(vnru.load_products(data_dir=out)) == 9
    ragged = tmp_path / "ragged.csv"
    ragged.write_text((tmp_path / "bom.csv").read_text(encoding="utf-8-sig") + "C,A,1\n", encoding="utf-8")
    assert_refused(vnru_cli("import", "comtrade", ragged, "--data-dir", tmp_path / "r"), "ragged.csv",
                   "ragged or truncated row", "row 16")
    empty = tmp_path / "empty.json"
    empty.write_text('{"error": "no data"}', encoding="utf-8")
    assert_refused(vnru_cli("import", "comtrade", empty, "--data-dir", tmp_path / "r"), "no list of records")


def test_latin1_bytes_after_the_first_64_kib_are_decoded(tmp_path, vnru_cli):
    filler = [plus_row(2023, "704", "X", "0", "85", "Electrical machinery", "1") for _ in range(400)]  # World rows
    rows = filler + [plus_row(2023, "704", "X", "643", "09", "Café, thé, maté", "5000000")]
    path = write_csv(tmp_path / "late.csv", PLUS_COLUMNS, rows, encoding="latin-1")
    assert path.read_bytes().index("é".encode("latin-1")) > 1 << 16
    out, stdout = imported(vnru_cli, tmp_path, path)
    assert set(vnru.load_products(data_dir=out)["product"]) == {"Café, thé, maté"} and "latin-1" in stdout


def test_duplicate_rows_in_one_file_are_dropped_and_counted(tmp_path, vnru_cli):
    rows = annual_rows()[:4] + [plus_row(2022, "704", "X", "643", "85", "Electrical machinery and equipment", "7")]
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "twice.csv", PLUS_COLUMNS, rows))
    products = vnru.load_products(data_dir=out)
    assert len(products) == 4  # the first of the two 2022 HS 85 rows is kept
    assert products.query("year == 2022 and hs_code == '85'")["value_usd_m"].tolist() == [1000.0]
    assert re.search(r"skipped\s+1\s+duplicate rows \(same code, period and flow\)", stdout), stdout
    # the same code and period from both reporters, or in both flows, is not a duplicate
    both = annual_rows()[:9]
    out, stdout = imported(vnru_cli, tmp_path / "b", write_csv(tmp_path / "both.csv", PLUS_COLUMNS, both))
    assert len(vnru.load_products(data_dir=out)) == 9 and "duplicate rows" not in stdout


def test_two_codes_with_one_description_are_told_apart(tmp_path, vnru_cli):
    rows = [plus_row(2023, "704", "X", "643", "0901", "Other", "1000000"),
            plus_row(2023, "704", "X", "643", "0902", "Other", "2000000"),
            plus_row(2023, "704", "X", "643", "85", "Electrical machinery and equipment", "3000000")]
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "other.csv", PLUS_COLUMNS, rows))
    products = vnru.load_products(data_dir=out).set_index("hs_code")["product"].to_dict()
    assert products == {"0901": "Other (HS 0901)", "0902": "Other (HS 0902)",
                        "85": "Electrical machinery and equipment (HS 85)"}


def test_codes_with_spaces_or_letters_and_missing_codes(tmp_path, vnru_cli):
    """Country codes are read as numbers when they all parse; otherwise as text, trimmed. A row without a
    reporter or a flow code is not a product row: it is skipped and counted, never kept half-empty."""
    rows = annual_rows()
    rows[0][PLUS_COLUMNS.index("reporterCode")] = " 704 "
    rows[1][PLUS_COLUMNS.index("partnerCode")] = "643 "
    rows[2][PLUS_COLUMNS.index("reporterCode")] = ""
    rows[3][PLUS_COLUMNS.index("flowCode")] = ""
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "spaces.csv", PLUS_COLUMNS, rows))
    products = vnru.load_products(data_dir=out)
    assert len(products) == 7 and products[["flow", "reporter", "hs_code"]].notna().all().all()
    assert set(products.query("year == 2022")["hs_code"]) == {"85", "09"}
    assert re.search(r"skipped\s+2\s+rows without a reporter, partner or flow code", stdout), stdout
    letters = annual_rows()
    letters[-1][PLUS_COLUMNS.index("motCode")] = "AIR"  # a text transport code: a breakdown, still skipped
    out, stdout = imported(vnru_cli, tmp_path / "l", write_csv(tmp_path / "letters.csv", PLUS_COLUMNS, letters))
    assert len(vnru.load_products(data_dir=out)) == 9
    assert re.search(r"skipped\s+1\s+breakdowns by second partner", stdout), stdout


def test_the_stored_rows_read_back_as_they_were(tmp_path, vnru_cli):
    """Text with commas, quotes, line breaks and accents, leading zeros and missing weights survive Parquet."""
    text = ['a, "b"', "line\nbreak", "Café"]
    rows = [plus_row(2023, "704", "X", "643", code, desc, "1000000", weight)
            for code, desc, weight in zip(["09", "0901", "090111"], text, ["8506242", "", "1"], strict=True)]
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "t.csv", PLUS_COLUMNS, rows))
    back = vnru.load_products(data_dir=out).sort_values("hs_code")
    assert back["hs_code"].tolist() == ["09", "0901", "090111"] and back["product"].tolist() == text
    assert back["quantity"].tolist()[0] == 8506242 and pd.isna(back["quantity"].iloc[1])


def test_a_failed_write_changes_neither_file(tmp_path, vnru_cli, monkeypatch):
    """Disk full while a Parquet part is written: one line naming the dataset, the earlier import untouched
    (parts, sources.csv and the manifest are published only once every part is written), no temp file left."""
    import pyarrow.parquet as pq

    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    before = files_in(out)

    def full_disk(table, where, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pq, "write_table", full_disk)
    newer = write_csv(tmp_path / "b.csv", PLUS_COLUMNS, annual_rows()[:3])
    result = vnru_cli("import", "comtrade", newer, "--data-dir", out)
    assert_refused(result, "comtrade", "No space left on device", "previous file is kept")
    assert files_in(out) == before


def test_imported_files_are_as_readable_as_any_file(tmp_path, vnru_cli):
    """Written through private temp files, published with the permissions the umask gives (not 0600)."""
    import os
    import stat

    umask = os.umask(0o022)
    try:
        out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    finally:
        os.umask(umask)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert set(modes.values()) == {0o644} and len(modes) == 3  # sources.csv, the manifest, one part


def test_two_files_in_one_run_the_later_file_wins(tmp_path, vnru_cli):
    """The same code and period in two files imported together: the row of the file named later is kept."""
    old = write_csv(tmp_path / "old.csv", PLUS_COLUMNS, annual_rows()[:2])
    new = write_csv(tmp_path / "new.csv", PLUS_COLUMNS, [plus_row(2022, "704", "X", "643", "85", "Elec", "7000000")])
    out, _ = imported(vnru_cli, tmp_path, old, new)
    products = vnru.load_products(data_dir=out).set_index("hs_code")
    assert len(products) == 2 and products.loc["85", "value_usd_m"] == 7.0
    assert products.loc["85", "source_id"] != products.loc["09", "source_id"]
    assert len(vnru.load_sources(data_dir=out)) == 2


def test_a_duplicate_in_the_middle_of_a_file_keeps_the_first_row_and_every_other_row():
    """Regression: the de-duplication took the positions of the kept rows' *ranks*, not the rows themselves,
    so a duplicate anywhere but at the end of a file dropped the wrong row."""
    import pyarrow as pa

    from vnru.importers import store

    base = {"year": [2022] * 4, "from_month": [1] * 4, "months": [12] * 4, "flow": ["vn_exports"] * 4,
            "reporter": ["VN"] * 4}
    table = pa.table({**base, "hs_code": ["85", "09", "85", "27"], "value_usd_m": [1.0, 2.0, 3.0, 4.0]})
    key = ("year", "from_month", "months", "flow", "reporter", "hs_code")
    assert store._first_per_key(table, key)["value_usd_m"].to_pylist() == [1.0, 2.0, 4.0]
