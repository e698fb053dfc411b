"""Each kind of bad data raises DataError naming the file, the row and the column."""

import pytest

import vnru
from fixtures.files import edit_csv


def _raises(data_dir, loader=vnru.load_trade):
    with pytest.raises(vnru.DataError) as info:
        loader(data_dir)
    return info.value


def test_missing_file(data_copy):
    (data_copy / "trade.csv").unlink()
    err = _raises(data_copy)
    assert "trade.csv" in str(err) and "file not found" in str(err)


def test_missing_column(data_copy):
    path = data_copy / "trade.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("yoy_pct", "growth")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = _raises(data_copy)
    assert err.file.endswith("trade.csv") and err.row == 1 and err.column == "yoy_pct"
    assert "trade.csv, row 1, column 'yoy_pct': missing column 'yoy_pct'" in str(err)


def test_non_number(data_copy):
    edit_csv(data_copy / "trade.csv", "2023,12,total,3630", "2023,12,total,3.6bn")
    err = _raises(data_copy)
    assert err.file.endswith("trade.csv") and err.column == "value_usd_m" and err.row == 4
    assert "'3.6bn' is not a number" in str(err)


def test_unknown_enum_value(data_copy):
    edit_csv(data_copy / "investment.csv", ",ru_in_vn,186,", ",russia_in_vn,186,")
    err = _raises(data_copy, vnru.load_investment)
    assert err.file.endswith("investment.csv") and err.column == "direction" and err.row == 3
    assert "'russia_in_vn' is not one of: ru_in_vn, vn_in_ru" in str(err)


def test_duplicate_key(data_copy):
    path = data_copy / "timeline.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    err = _raises(data_copy, vnru.load_timeline)
    assert err.file.endswith("timeline.csv") and err.row == len(lines) + 1 and err.column == "event_id"
    assert "duplicate key" in str(err) and "same key as row 2" in str(err)


def test_dangling_source_id(data_copy):
    edit_csv(data_copy / "indicators.csv", "seed-nhandan-2017-06-29", "seed-nobody-1999")
    err = _raises(data_copy, vnru.load_indicators)
    assert err.file.endswith("indicators.csv") and err.column == "source_id" and err.row == 2
    assert "'seed-nobody-1999' not found in sources.csv" in str(err)


def test_bad_date(data_copy):
    edit_csv(data_copy / "timeline.csv", "1950-01-30", "30/01/1950")
    err = _raises(data_copy, vnru.load_timeline)
    assert err.column == "date" and err.row == 2 and "is not a date" in str(err)


def test_required_value_missing(data_copy):
    edit_csv(data_copy / "trade.csv", ",2.3,VN,", ",2.3,,")
    err = _raises(data_copy)
    assert err.column == "reporter" and err.row == 4 and "required" in str(err)


def test_empty_file(data_copy):
    (data_copy / "trade.csv").write_text("", encoding="utf-8")
    err = _raises(data_copy)
    assert err.file.endswith("trade.csv") and err.row == 1 and "empty" in str(err)


def test_broken_sources_table_fails_the_dependent_load(data_copy):
    (data_copy / "sources.csv").unlink()
    err = _raises(data_copy)
    assert "sources.csv" in str(err) and "file not found" in str(err)
