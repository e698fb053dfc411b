"""The old Comtrade importer's defects (issue 27), one test each, on SYNTHETIC files in the real layouts.

Every file here is made up (see fixtures/comtrade.py): real column names and codes, invented values.
"""

import csv
import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

import vnru
from fixtures.comtrade import COUNTRIES, PLUS_COLUMNS, annual_rows, plus_row, write_csv, write_json
from fixtures.importing import assert_refused, files_in, imported
from fixtures.importing import vnru_cli as cli_fixture
from vnru.analysis import product_view as V
from vnru.analysis import products as P
from vnru.data import imported as store_reader

vnru_cli = cli_fixture  # the same fixture as the import tests
COUNTRIES.setdefault("842", ("USA", "USA"))


def column(name):
    return PLUS_COLUMNS.index(name)


# 1. curated rows were added to the Comtrade chapter sums
def test_curated_rows_are_never_added_to_imported_ones(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    header = ",".join(f["name"] for f in vnru.data.datapackage.fields("products"))
    (out / "products.csv").write_text(header + "\n2023,1,12,vn_imports,RU,02,Meat,139,,,,,,,,,RU customs,"
                                      "my-src,\n", encoding="utf-8")
    with open(out / "sources.csv", "a", encoding="utf-8") as handle:
        handle.write("my-src,A report,Somebody,2024-01-01,,news,en,\n")
    everything = vnru.load_products(data_dir=out)
    assert len(everything) == 10  # both kinds load ...
    chosen = V.one_kind(everything)  # ... but the analyses see one kind only
    assert len(chosen) == 9 and "02" not in set(chosen["hs_code"])
    assert chosen.attrs["curated_rows_set_aside"] == 1
    totals = P.at_hs_level(V.full_years(chosen), 2).groupby(["reporter", "flow"])["value_usd_m"].sum()
    assert totals[("RU", "vn_imports")] == 450.0


# 2. the last file imported won, not the latest download
@pytest.mark.parametrize("together", [True, False])
def test_the_later_download_wins_whatever_the_import_order(tmp_path, vnru_cli, together):
    def rows(value):
        return [plus_row(2022, "704", "X", "643", "85", "Elec", value)]

    revised = write_csv(tmp_path / "TradeData_2_1_2025_9_0_0.csv", PLUS_COLUMNS, rows("111000000"))
    preliminary = write_csv(tmp_path / "TradeData_9_1_2023_9_0_0.csv", PLUS_COLUMNS, rows("999000000"))
    files = sorted([revised, preliminary])  # the shell's glob order: the 2023 download comes last
    assert files[-1] == preliminary
    if together:
        out, stdout = imported(vnru_cli, tmp_path, *files)
    else:
        out, _ = imported(vnru_cli, tmp_path, files[0])
        _, stdout = imported(vnru_cli, tmp_path, files[1])
    assert vnru.load_products(data_dir=out)["value_usd_m"].tolist() == [111.0]
    assert "superseded by the later download comtrade-tradedata-2-1-2025" in stdout
    sources = vnru.load_sources(data_dir=out).set_index("source_id")["note"]
    assert len(sources) == 2  # the loser's provenance is kept, with a note
    assert any("1 rows superseded by comtrade-tradedata-2-1-2025" in note for note in sources)


# 3. concurrent imports lost rows; a reader saw products and sources disagree
def test_concurrent_imports_keep_every_file_and_readers_see_whole_states(tmp_path):
    out = tmp_path / "mydata"
    files = []
    for i, reporter_year in enumerate(range(2000, 2004)):
        rows = [plus_row(reporter_year, "704", "X", "643", f"{c:02d}", "x", str(1000 + c)) for c in range(1, 98)]
        files.append(write_csv(tmp_path / f"f{i}.csv", PLUS_COLUMNS, rows * 200))
    env = dict(os.environ)
    procs = [subprocess.Popen([sys.executable, "-m", "vnru.cli", "import", "comtrade", str(f), "--data-dir",
                               str(out)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in files]
    disagreements = 0
    while any(p.poll() is None for p in procs):
        if (out / "comtrade" / "manifest.json").exists():
            ids = set(store_reader.query("SELECT DISTINCT source_id FROM trade", out)["source_id"])
            disagreements += not ids <= set(pd.read_csv(out / "sources.csv")["source_id"])
        time.sleep(0.05)
    assert [p.wait() for p in procs] == [0, 0, 0, 0], [p.stderr.read() for p in procs]
    assert disagreements == 0
    years = store_reader.query("SELECT year, count(*) n FROM trade GROUP BY year ORDER BY year", out)
    assert years["year"].tolist() == [2000, 2001, 2002, 2003] and set(years["n"]) == {97}


# 4. codes that lost their leading zeros were dropped as "TOTAL or aggregate"
def test_codes_without_their_leading_zero_are_restored(tmp_path, vnru_cli):
    rows = [plus_row(2023, "704", "X", "643", code, "Coffee", "5000000") for code in ("9", "901", "90111")]
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "excel.csv", PLUS_COLUMNS, rows))
    assert sorted(vnru.load_products(data_dir=out)["hs_code"]) == ["09", "0901", "090111"]
    assert "3  HS codes with a lost leading zero restored" in stdout
    api = write_json(tmp_path / "api.json", rows)
    document = json.loads(api.read_text())
    for record, number in zip(document["data"], (9, 901, 90111.0), strict=True):
        record["cmdCode"] = number  # the API's numbers
    api.write_text(json.dumps(document))
    out, _ = imported(vnru_cli, tmp_path / "j", api)
    assert sorted(vnru.load_products(data_dir=out)["hs_code"]) == ["09", "0901", "090111"]


# 5. one annual row threw away a complete monthly year; distinct subheadings flagged as conflicts
def test_an_annual_row_keeps_a_complete_monthly_year(tmp_path, vnru_cli):
    months = [plus_row(202300 + m, "704", "X", "643", f"{c:02d}", "x", "1000000") for m in range(1, 13)
              for c in range(1, 46)]
    monthly = write_csv(tmp_path / "monthly.csv", PLUS_COLUMNS, months)
    annual = write_csv(tmp_path / "annual.csv", PLUS_COLUMNS, [plus_row(2023, "704", "X", "643", "85", "E", "3e8")])
    out, _ = imported(vnru_cli, tmp_path, monthly, annual)
    years = V.full_years(V.one_kind(vnru.load_products(data_dir=out)))
    assert len(years) == 46 and years["value_usd_m"].sum() == pytest.approx(45 * 12 + 300)


def test_distinct_subheadings_are_not_conflicting_figures():
    rows = pd.DataFrame({"hs_code": ["851712", "851713", "851712"], "product": ["Phones", "Phones", "Phones"],
                         "flow": ["vn_exports"] * 3, "reporter": ["VN"] * 3, "year": [2023] * 3,
                         "from_month": [1] * 3, "months": [12] * 3, "value_usd_m": [1.0, 2.0, 1.5]})
    assert V.reported(rows).set_index("value_usd_m")["conflict"].to_dict() == {1.0: True, 1.5: True, 2.0: False}


# 6. the same file twice; inf, 1e400, impossible periods; missing values under four rules
def test_the_same_file_twice_in_one_run_is_one_source(tmp_path, vnru_cli):
    path = write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows())
    out, _ = imported(vnru_cli, tmp_path, path, path)
    assert len(vnru.load_sources(data_dir=out)) == 1 and len(vnru.load_products(data_dir=out)) == 9


@pytest.mark.parametrize(("field", "value", "words"), [
    ("primaryValue", "inf", "not a finite number"), ("primaryValue", "1e400", "not a finite number"),
    ("period", "0999", "period '0999'"), ("period", "2101", "period '2101'"),
    ("reporterCode", "123456", "unknown Comtrade country code '123456'")])
def test_impossible_values_are_refused_with_the_row(tmp_path, vnru_cli, field, value, words):
    rows = annual_rows()
    rows[3][column(field)] = value
    result = vnru_cli("import", "comtrade", write_csv(tmp_path / "bad.csv", PLUS_COLUMNS, rows),
                      "--data-dir", tmp_path / "out")
    assert_refused(result, "bad.csv", words, "row 5", field)
    assert not (tmp_path / "out").exists()


def test_one_rule_for_missing_values_counted(tmp_path, vnru_cli):
    rows = annual_rows()
    for i, token in enumerate(["#N/A", "NULL", "NaN", "n/a", "-"]):
        rows[i][column("primaryValue")] = token
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "gaps.csv", PLUS_COLUMNS, rows))
    assert "5  rows without a trade value" in stdout and len(vnru.load_products(data_dir=out)) == 4


def test_comtrade_country_codes_become_iso(tmp_path, vnru_cli):
    rows = [plus_row(2023, "704", "X", "842", "85", "E", "5000000"), plus_row(2023, "704", "X", "0", "85", "E", "9")]
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "usa.csv", PLUS_COLUMNS, rows))
    assert set(store_reader.query("SELECT partner FROM trade", out)["partner"]) == {"USA", "WLD"}
    assert set(store_reader.query("SELECT classification FROM trade", out)["classification"]) == {"H6"}


# 7. scale: validate could not check an import-only directory (the timings are in bench/)
def test_an_import_only_directory_validates(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    result = vnru_cli("validate", "--data-dir", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported dataset" in result.stdout


def test_an_import_only_directory_is_audited_for_what_applies_and_says_what_it_skipped(tmp_path, vnru_cli):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    result = vnru_cli("audit", "--data-dir", out)  # was: "no table to audit", exit 2
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("skipped: comtrade/ (the imported Comtrade dataset)") and "vnru validate" in lines[0]
    assert lines[1] == "skipped: trade.csv, products.csv, investment.csv, partners.csv: not in the directory"
    assert lines[-1].startswith("0 unexplained finding(s), 0 explained, in no curated table")


# 8. a killed import left temp files for good; SIGTERM printed nothing
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_import_leaves_the_previous_dataset_whole_and_no_litter(tmp_path, vnru_cli, sig):
    out, _ = imported(vnru_cli, tmp_path, write_csv(tmp_path / "a.csv", PLUS_COLUMNS, annual_rows()))
    before = files_in(out)
    rows = [plus_row(2000 + y % 20, "704", "X", "643", f"{c:02d}", "x", "1") for y in range(20) for c in range(1, 98)]
    big = write_csv(tmp_path / "big.csv", PLUS_COLUMNS, rows * 150)
    proc = subprocess.Popen([sys.executable, "-m", "vnru.cli", "import", "comtrade", str(big), "--data-dir",
                             str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list((out / "comtrade").glob(".staging-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.send_signal(sig)
    _, err = proc.communicate()
    if proc.returncode == 0:
        pytest.skip("the import finished before the signal")
    assert files_in(out) == before or sig == signal.SIGKILL  # a SIGKILL may leave a staging folder ...
    assert len(vnru.load_products(data_dir=out)) == 9  # ... but the previous dataset is whole
    if sig == signal.SIGTERM:
        assert "stopped by SIGTERM" in err and "Traceback" not in err
    imported(vnru_cli, tmp_path, write_csv(tmp_path / "b.csv", PLUS_COLUMNS, annual_rows()[:1]))
    assert not [p for p in (out / "comtrade").rglob("*") if p.name.startswith(".")]  # the next import cleans up


# 9. messages: delimiters, encodings, compressed files, headers, empty API replies, cp1252
@pytest.mark.parametrize("variant", ["semicolon", "tab", "utf16", "gz", "header_case"])
def test_other_file_shapes_are_read(tmp_path, vnru_cli, variant):
    rows = annual_rows()
    columns = [f"  {c.upper()} " for c in PLUS_COLUMNS] if variant == "header_case" else PLUS_COLUMNS
    buffer = io.StringIO()
    csv.writer(buffer, delimiter={"semicolon": ";", "tab": "\t"}.get(variant, ","), lineterminator="\n").writerows(
        [columns, *rows])
    text = buffer.getvalue()
    path = tmp_path / ("a.csv.gz" if variant == "gz" else "a.csv")
    if variant == "gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-16" if variant == "utf16" else "utf-8")
    out, _ = imported(vnru_cli, tmp_path, path)
    assert len(vnru.load_products(data_dir=out)) == 9


def test_zip_files_and_empty_api_replies_are_named(tmp_path, vnru_cli):
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"PK\x03\x04")
    assert_refused(vnru_cli("import", "comtrade", archive, "--data-dir", tmp_path / "o"), "a.zip", "unzip it")
    empty = tmp_path / "e.json"
    empty.write_text('{"count": 0, "data": []}')
    assert_refused(vnru_cli("import", "comtrade", empty, "--data-dir", tmp_path / "o"), "0 records")


def test_cp1252_is_read_as_cp1252(tmp_path, vnru_cli):
    rows = [plus_row(2023, "704", "X", "643", "09", "Coffee – roasted", "5000000")]
    out, stdout = imported(vnru_cli, tmp_path, write_csv(tmp_path / "w.csv", PLUS_COLUMNS, rows, encoding="cp1252"))
    assert vnru.load_products(data_dir=out)["product"].tolist() == ["Coffee – roasted"] and "cp1252" in stdout


def test_reading_an_import_without_duckdb_names_the_extra(monkeypatch, tmp_path):
    """A runtime-only install (no [comtrade] extra) gets one line naming the extra, not an ImportError."""
    import sys

    import pytest

    from vnru.data import imported
    from vnru.errors import UsageError

    monkeypatch.setitem(sys.modules, "duckdb", None)
    with pytest.raises(UsageError, match=r"needs duckdb: pip install 'vnru\[comtrade\]'"):
        imported.connect(tmp_path)
