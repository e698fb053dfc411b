"""`vnru audit`: each kind of finding planted in a copy of the data, explanations, exit codes."""

import subprocess
import sys

import pytest

from fixtures.files import read_rows, write_rows
from vnru.data import audit as A

SRC_A, SRC_B = "seed-mofa-2024-06-18", "seed-nhandan-2017-06-29"
TRADE_COLS = ["year", "months", "flow", "value_usd_m", "qualifier", "yoy_pct", "reporter", "authority",
              "source_id", "preferred", "note"]


def vnru(*args):
    return subprocess.run([sys.executable, "-m", "vnru.cli", *args], capture_output=True, text=True, check=False)


def append(path, records):
    """Append rows given as dicts (missing columns empty); return their file row numbers."""
    rows = read_rows(path)
    header = rows[0]
    first = len(rows) + 1
    rows += [[str(r.get(c, "")) for c in header] for r in records]
    write_rows(path, rows)
    return list(range(first, first + len(records)))


def trade(year, value, months=12, flow="total", reporter="VN", source=SRC_A, **extra):
    return {"year": year, "months": months, "flow": flow, "value_usd_m": value, "reporter": reporter,
            "source_id": source, **extra}


def open_findings(data_dir):
    return [f for f in A.audit(data_dir) if not f.explained]


def only(findings, kind):
    found = [f for f in findings if f.kind == kind]
    assert len(found) == 1, findings
    return found[0]


# --- the bundled data -------------------------------------------------------------------------

def test_bundled_data_has_no_unexplained_finding():
    findings = A.audit()
    assert [str(f) for f in findings if not f.explained] == []
    assert all(len(f.explanation) >= 10 for f in findings)


def test_cli_on_bundled_data_exits_0():
    result = vnru("audit")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("0 unexplained finding(s)")


# --- each kind, planted -----------------------------------------------------------------------

def test_growth_contradicting_the_previous_year(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2091, 1500, yoy_pct=10, source=SRC_B),
                                            trade(2091, 1100, yoy_pct=10, months=12, reporter="RU")])
    finding = only(open_findings(data_copy), "growth")
    assert (finding.file, finding.row) == ("trade.csv", rows[1])
    assert "implies 1,363.6 for 2090" in finding.message and f"row {rows[0]}" in finding.message


def test_growth_within_rounding_is_not_a_finding(data_copy):
    # 3630 after 3550 is +2.25 %; a stated 2.3 % (rounded) agrees
    append(data_copy / "trade.csv", [trade(2090, 3550), trade(2091, 3630, yoy_pct=2.3, source=SRC_B)])
    assert open_findings(data_copy) == []


def test_growth_compares_like_months_only(data_copy):
    append(data_copy / "trade.csv", [trade(2090, 1000, months=6), trade(2091, 1500, yoy_pct=10, source=SRC_B)])
    assert open_findings(data_copy) == []


def test_flows_not_adding_up_to_the_total(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 300, flow="vn_exports"),
                                            trade(2090, 400, flow="vn_imports")])
    finding = only(open_findings(data_copy), "flows")
    assert finding.row == rows[0] and "= 700, not the stated total 1,000" in finding.message


def test_flows_of_different_sources_are_not_compared(data_copy):
    append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 300, flow="vn_exports", source=SRC_B),
                                     trade(2090, 400, flow="vn_imports", source=SRC_B)])
    assert open_findings(data_copy) == []


def test_partial_year_above_the_full_year(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 1200, months=6, source=SRC_B)])
    finding = only(open_findings(data_copy), "partial")
    assert finding.row == rows[1] and f"above the 12-month figure 1,000 (row {rows[0]})" in finding.message


def test_same_value_entered_twice(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 1000, source=SRC_B)])
    finding = only(open_findings(data_copy), "duplicate")
    assert finding.row == rows[1] and f"as row {rows[0]} ({SRC_A})" in finding.message


def test_reporter_disagreeing_with_its_authority(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000, reporter="RU", authority="Vietnam customs"),
                                            trade(2091, 900, reporter="VN", authority="President Putin"),
                                            trade(2092, 900, reporter="VN", authority="TASS (no agency named)")])
    found = [f for f in open_findings(data_copy) if f.kind == "reporter"]
    assert [f.row for f in found] == rows[:2]
    assert "stands for VN" in found[0].message and "stands for RU" in found[1].message


def test_figure_at_the_other_reporters_level(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 1500, reporter="RU"),
                                            trade(2090, 1520, source=SRC_B)])
    finding = only(open_findings(data_copy), "level")
    assert finding.row == rows[2] and "other reporter's level (1,500)" in finding.message


def test_investment_stock_repeated_under_a_later_date(data_copy):
    rows = append(data_copy / "investment.csv", [
        {"as_of": "2090-04-01", "as_of_precision": "month", "direction": "ru_in_vn", "projects": 300,
         "capital_usd_m": 1500, "qualifier": "about", "source_id": SRC_A},
        {"as_of": "2090-06-18", "as_of_precision": "day", "direction": "ru_in_vn", "projects": 300,
         "capital_usd_m": 1499.98, "rank": 20, "rank_of": 150, "source_id": SRC_B},
        {"as_of": "2091-06-18", "as_of_precision": "day", "direction": "ru_in_vn", "projects": 300,
         "capital_usd_m": 1500, "source_id": SRC_B}])
    finding = only(open_findings(data_copy), "duplicate")
    assert (finding.file, finding.row) == ("investment.csv", rows[1]) and "78 days apart" in finding.message


def test_products_growth_and_duplicates(data_copy):
    def product(year, value, **extra):
        return {"year": year, "from_month": 1, "months": 12, "flow": "vn_exports", "reporter": "VN",
                "hs_code": "0901", "product": "coffee", "value_usd_m": value, "source_id": SRC_A, **extra}
    rows = append(data_copy / "products.csv", [product(2090, 100), product(2091, 150, yoy_pct=10),
                                               product(2091, 150, source_id=SRC_B),
                                               product(2092, 2, quantity=993, quantity_unit="tonnes"),
                                               product(2092, 2, quantity=933, quantity_unit="tonnes", source_id=SRC_B)])
    findings = open_findings(data_copy)   # same value with different quantities is a conflict, not a repeat
    assert {(f.file, f.row, f.kind) for f in findings} == {("products.csv", rows[1], "growth"),
                                                           ("products.csv", rows[2], "duplicate")}


# --- explanations -----------------------------------------------------------------------------

def test_explained_finding_is_not_reported(data_copy):
    note = "Source's own rate. audit growth: the source computes growth on a revised 2090 figure."
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2091, 1500, yoy_pct=10, source=SRC_B, note=note)])
    growth = only([f for f in A.audit(data_copy) if f.row == rows[1]], "growth")
    assert growth.explained and growth.explanation == "the source computes growth on a revised 2090 figure."
    assert open_findings(data_copy) == []
    result = vnru("audit", "--data-dir", str(data_copy))
    assert result.returncode == 0 and "growth" not in result.stdout
    listed = vnru("audit", "--all", "--data-dir", str(data_copy))
    assert listed.returncode == 0 and "[explained: the source computes growth" in listed.stdout


@pytest.mark.parametrize("note", ["growth computed on a revised figure",        # no 'audit KIND:' marker
                                  "audit duplicate: another source repeats it",  # explains another kind
                                  "audit growth: revised"])                      # too short to be a reason
def test_an_explanation_must_name_the_kind_and_give_a_reason(data_copy, note):
    append(data_copy / "trade.csv", [trade(2090, 1000), trade(2091, 1500, yoy_pct=10, source=SRC_B, note=note)])
    assert [f.kind for f in open_findings(data_copy)] == ["growth"]


def test_explanations_parse_several_kinds():
    note = "Kept. audit level: matches Russia's customs figure; audit duplicate: adds the growth rate."
    assert A.explanations(note) == {"level": "matches Russia's customs figure",
                                    "duplicate": "adds the growth rate."}


def test_an_explanation_keeps_its_own_semicolons():
    note = "audit duplicate: same count as VEN's report; kept for the sector breakdown it adds."
    assert A.explanations(note) == {"duplicate": "same count as VEN's report; kept for the sector breakdown it adds."}


@pytest.mark.parametrize("authority,side", [
    ("Russia's Federal Customs Service (via TASS)", "RU"), ("Vietnamese statistics (Ambassador Bezdetko)", "VN"),
    ("Russian customs (via trade counsellor Duong Hoang Minh)", "RU"), ("Russia's customs (via Vietnam's MoIT)", "RU"),
    ("Vietnam's customs (via Russia's embassy)", "VN"), ("Russia's statistics agency", "RU"), ("Pham Quang Niem, Vietnam MoIT", "VN"),
    ("GSO-based thesis table (secondary)", "VN"), ("President Putin", "RU"), ("RT (no agency named)", None),
    (None, None)])
def test_authority_sides(authority, side):
    assert A.authority_side(authority) == side


# --- the command ------------------------------------------------------------------------------

def test_cli_prints_unexplained_findings_and_exits_1(data_copy):
    rows = append(data_copy / "trade.csv", [trade(2090, 1000), trade(2090, 1000, source=SRC_B)])
    result = vnru("audit", "--data-dir", str(data_copy))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"trade.csv, row {rows[1]}: duplicate: same value 1,000")
    assert lines[-1].startswith("1 unexplained finding(s)")


def test_cli_missing_directory_is_a_usage_error(tmp_path):
    result = vnru("audit", "--data-dir", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "data directory not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_directory_without_tables_is_a_usage_error(tmp_path):
    result = vnru("audit", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "no table to audit" in result.stderr and "Traceback" not in result.stderr


def test_cli_unknown_option_is_a_usage_error():
    result = vnru("audit", "--frobnicate")
    assert result.returncode == 2 and "No such option" in result.stderr


def test_cli_schema_error_exits_1_with_one_line(data_copy):
    append(data_copy / "trade.csv", [trade(2090, "lots")])
    result = vnru("audit", "--data-dir", str(data_copy))
    assert result.returncode == 1 and "'lots' is not a number" in result.stderr
    assert "Traceback" not in result.stderr


# --- the rules of evidence (vnru.analysis.evidence_audit, issue 22) ------------------------------

def test_a_planted_series_break_is_caught_and_can_be_explained(data_copy):
    rows = append(data_copy / "trade.csv", [
        trade(2090, 2000), trade(2091, 3500, source=SRC_B), trade(2092, 2050),
        trade(2090, 3000, reporter="RU"), trade(2091, 3100, reporter="RU"), trade(2092, 3050, reporter="RU")])
    result = vnru("audit", "--data-dir", str(data_copy))
    assert result.returncode == 1 and f"trade.csv, row {rows[1]}: break:" in result.stdout, result.stdout
    assert "2091" in result.stdout and SRC_B in result.stdout
    from vnru.analysis.evidence_audit import audit_directory

    found = [f for f in audit_directory(data_copy).unexplained if f.kind == "break"]
    assert [f.row for f in found] == [rows[1], rows[2]]  # into the off-level figure and back out of it


def test_stated_growth_that_the_previous_period_contradicts_is_caught(data_copy):
    """Issue 22's case: 590,000 for January-November 'up 290 %' implies 151,282 a year earlier, below the
    177,800 that the table holds for January-October of that year."""
    planted = {"indicator": "planted_visits", "qualifier": "exactly", "unit": "arrivals", "source_id": SRC_A,
               "note": "planted"}
    rows = append(data_copy / "indicators.csv", [
        {**planted, "value_low": 177800, "year": 2090, "months": 10},
        {**planted, "value_low": 590000, "year": 2091, "months": 11},
        {**planted, "indicator": "planted_visits_yoy_pct", "value_low": 290, "unit": "%", "year": 2091, "months": 11,
         "source_id": SRC_B},
        {**planted, "indicator": "planted_visits_yoy_pct", "value_low": 190, "unit": "%", "year": 2091, "months": 11}])
    from vnru.analysis.evidence_audit import audit_directory

    found = [f for f in audit_directory(data_copy).unexplained if f.kind == "stated"]
    assert [f.row for f in found] == [rows[2]]  # +190 % (2.9 times) fits: 203,448 lies above 177,800
