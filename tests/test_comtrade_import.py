"""`vnru import comtrade`: layouts, mapping to Vietnam's side, skipped rows, periods, idempotence, bad input.

Every Comtrade file here is SYNTHETIC (see comtrade_fixtures): real column layouts, made-up values.
"""

import re
import subprocess
import sys

import pandas as pd
import pytest

import vnru
from comtrade_fixtures import LEGACY_COLUMNS, PLUS_COLUMNS, annual_rows, legacy_row, plus_row, write_csv, write_json
from vnru.cli import main
from vnru.paths import BUNDLED_DATA_DIR


@pytest.fixture
def vnru_cli(capfd):
    """`vnru ARGS` run in this process (fast): stdout, stderr and the exit code as a CompletedProcess."""
    def run(*args):
        capfd.readouterr()
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = exc.code
        out, err = capfd.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return run


def imported(vnru_cli, tmp_path, *files):
    out = tmp_path / "mydata"
    result = vnru_cli("import", "comtrade", *files, "--data-dir", out)
    assert result.returncode == 0, result.stderr
    return out, result.stdout


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
    # the skipped rows are counted in the summary
    assert "9 product rows kept" in stdout
    for count, reason in ((1, "TOTAL or aggregate"), (2, "other reporter or partner"),
                          (1, "re-exports and re-imports"), (1, "breakdowns by second partner")):
        assert re.search(rf"skipped\s+{count}\s+{reason}", stdout), stdout


def test_reimporting_the_same_file_does_not_duplicate_rows(tmp_path, vnru_cli):
    path = write_csv(tmp_path / "vn_ru.csv", PLUS_COLUMNS, annual_rows())
    out, _ = imported(vnru_cli, tmp_path, path)
    first = (out / "products.csv").read_bytes()
    _, stdout = imported(vnru_cli, tmp_path, path)
    assert (out / "products.csv").read_bytes() == first
    assert len(vnru.load_sources(data_dir=out)) == 1
    assert "9 earlier imported rows replaced" in stdout


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
    with open(out / "products.csv", "a", encoding="utf-8") as handle:
        handle.write("2023,1,5,vn_exports,VN,,\"Phones, parts\",10.5,,,,,,,,about,GSO,my-src,\"a, note\"\n")
    with open(out / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("my-src,A report,Somebody,2024-01-01,,news,en,\n")
    imported(vnru_cli, tmp_path, write_csv(tmp_path / "b.csv", PLUS_COLUMNS, annual_rows()[:1]))
    products = vnru.load_products(data_dir=out)
    assert "Phones, parts" in set(products["product"]) and len(products) == 10


def assert_refused(result, *words, code=1):
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("case", ["layout", "no_pair", "non_numeric", "bundled", "inside_bundled"])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, case, vnru_cli):
    out = tmp_path / "mydata"
    good = write_csv(tmp_path / "good.csv", PLUS_COLUMNS, annual_rows())
    if case == "layout":
        bad = write_csv(tmp_path / "bad.csv", ["Year", "Value"], [["2023", "1"]])
        result = vnru_cli("import", "comtrade", good, bad, "--data-dir", out)
        assert_refused(result, "bad.csv", "unknown layout", "cmdCode", "Trade Flow Code")
    elif case == "no_pair":
        bad = write_csv(tmp_path / "bad.csv", PLUS_COLUMNS, annual_rows()[-5:])
        result = vnru_cli("import", "comtrade", good, bad, "--data-dir", out)
        assert_refused(result, "bad.csv", "no Vietnam-Russia product rows")
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
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write_csv(tmp_path / "bad.csv", ["Year", "Value"], [["2023", "1"]])
    assert_refused(vnru_cli("import", "comtrade", bad, "--data-dir", out), "unknown layout")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_file_is_a_usage_error(tmp_path, vnru_cli):
    result = vnru_cli("import", "comtrade", tmp_path / "nope.csv", "--data-dir", tmp_path / "out")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_imported_directory_validates(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    frame = pd.read_csv(out / "products.csv", dtype=str)
    assert frame.columns.tolist() == [f["name"] for f in vnru.datapackage.fields("products")]
    vnru.datapackage.check("products", out)


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
                   "not a readable CSV file")
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


def test_a_long_table_is_written_in_slices_byte_for_byte_as_in_one_piece(monkeypatch):
    """The parallel CSV writer: one header, slices in order, quoting as the single writer does."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from vnru.importers import store

    n = 1_001
    table = pa.table({"year": pa.array(range(n)), "product": pa.array([None if i % 7 == 0 else f'a, "b" {i}'
                                                                      for i in range(n)]),
                      "value_usd_m": pa.array([i / 3 for i in range(n)])})
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, write_options=pacsv.WriteOptions(quoting_style="needed"))
    monkeypatch.setattr(store, "PARALLEL_ROWS", 10)
    monkeypatch.setattr(store.os, "cpu_count", lambda: 3)
    pieces = store._csv_bytes(table)
    assert len(pieces) == 3
    assert b"".join(bytes(p) for p in pieces) == bytes(sink.getvalue())
