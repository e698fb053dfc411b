"""indicators.csv: a row is a figure for a period (year + months) or as of a date (as_of), never both or neither."""

import pytest
from click.testing import CliRunner

import vnru
from fixtures.files import read_rows, write_rows
from vnru.cli import cli


def _set(data_dir, row_number, **cells):
    """Overwrite cells of one data row (spreadsheet numbering: header = row 1) of indicators.csv."""
    path = data_dir / "indicators.csv"
    rows = read_rows(path)
    for column, value in cells.items():
        rows[row_number - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def _error(data_dir):
    with pytest.raises(vnru.DataError) as info:
        vnru.load_indicators(data_dir)
    return info.value


def test_period_and_dated_rows_load_with_their_types(data_copy):
    _set(data_copy, 2, year="2019", months="5", as_of="", as_of_precision="")
    frame = vnru.load_indicators(data_copy)
    assert str(frame.year.dtype) == "Int64" and str(frame.months.dtype) == "Int64"
    assert frame.year.iloc[0] == 2019 and frame.months.iloc[0] == 5 and frame.as_of.isna().iloc[0]
    assert frame.year.isna().iloc[1] and frame.as_of.notna().iloc[1]
    assert list(frame.columns[:7]) == ["indicator", "value_low", "value_high", "qualifier", "unit", "year", "months"]


def test_both_a_period_and_a_date_is_refused(data_copy):
    _set(data_copy, 3, year="2024", months="12")
    err = _error(data_copy)
    assert err.file.endswith("indicators.csv") and err.row == 3 and err.column == "as_of"
    assert "this row has both" in str(err)


def test_neither_a_period_nor_a_date_is_refused(data_copy):
    _set(data_copy, 4, as_of="", as_of_precision="")
    err = _error(data_copy)
    assert err.row == 4 and err.column == "year" and "this row has neither" in str(err)


@pytest.mark.parametrize("cells,column", [
    ({"year": "2024", "as_of": "", "as_of_precision": ""}, "months"),
    ({"months": "12", "as_of": "", "as_of_precision": ""}, "year"),
    ({"as_of_precision": ""}, "as_of_precision"),
])
def test_half_a_period_or_half_a_date_is_refused(data_copy, cells, column):
    _set(data_copy, 2, **cells)
    err = _error(data_copy)
    assert err.row == 2 and err.column == column and "go together" in str(err)


def test_a_repeated_key_is_refused(data_copy):
    path = data_copy / "indicators.csv"
    rows = read_rows(path)
    write_rows(path, rows + [rows[1]])
    err = _error(data_copy)
    assert err.row == len(rows) + 1 and "duplicate key" in str(err) and "same key as row 2" in str(err)


def test_vnru_validate_reports_the_rule(data_copy):
    _set(data_copy, 3, year="2024", months="12")
    result = CliRunner().invoke(cli, ["validate", "--data-dir", str(data_copy)])
    assert result.exit_code == 1
    assert "indicators.csv, row 3, column 'as_of': a row is either" in result.output
    assert [line for line in result.output.splitlines() if "indicators.csv" in line and "FAILED" in line]


def test_bundled_indicators_pass_the_rule():
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
