"""A large plain CSV file is parsed in pieces (bounded memory: 10^8 rows did not fit): the same rows, counts and
messages as the whole-file reader. The piece size is made small here; every file is SYNTHETIC."""

import pytest

from fixtures.comtrade import PLUS_COLUMNS, annual_rows, plus_row, write_csv
from vnru.errors import DataError
from vnru.importers import comtrade, comtrade_read


def _rows():
    rows = annual_rows() * 1  # kept rows and rows the importer skips, counted
    rows += [plus_row(2000 + k % 20, "704", "X", "643", f"{c:02d}", f"Chapter {c}", str(1000 + k))
             for k in range(20) for c in range(1, 60)]
    rows += [plus_row(2010, "704", "X", "643", "9", "Coffee", "77")]  # a lost leading zero, restored
    return rows


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(comtrade_read, "STREAM_BYTES", 1_000)
    monkeypatch.setattr(comtrade_read, "STREAM_ROWS", 100)
    monkeypatch.setattr(comtrade_read.pacsv, "ReadOptions", lambda **kw: _small_blocks(**kw))


_ReadOptions = comtrade_read.pacsv.ReadOptions


def _small_blocks(**kw):
    return _ReadOptions(**(kw | {"block_size": 4096}))


def test_a_file_parsed_in_pieces_gives_the_rows_and_counts_of_a_whole_read(tmp_path, small_pieces, monkeypatch):
    path = write_csv(tmp_path / "big.csv", PLUS_COLUMNS, _rows())
    assert len(list(comtrade_read.pieces(path)[3])) > 5  # several pieces
    pieces = comtrade.parse(path)
    monkeypatch.setattr(comtrade_read, "STREAM_BYTES", 1 << 40)  # the whole-file reader
    monkeypatch.setattr(comtrade, "pieces", lambda p: None)
    whole = comtrade.parse(path)
    assert pieces.table.num_rows == whole.table.num_rows == 1180 + 11 + 1  # World and China rows kept too
    assert pieces.table.to_pylist() == whole.table.to_pylist()  # _row: the file's row numbers, both ways
    assert pieces.skipped == whole.skipped and pieces.rows_read == whole.rows_read == len(_rows())
    assert pieces.notes == whole.notes == {"HS codes with a lost leading zero restored (9 -> 09)": 1}


def test_a_bad_row_in_a_later_piece_is_named_with_its_row_in_the_file(tmp_path, small_pieces):
    rows = _rows()
    rows[900] = plus_row(2015, "704", "X", "643", "85", "E", "-5")
    with pytest.raises(DataError, match="negative trade value") as raised:
        comtrade.parse(write_csv(tmp_path / "neg.csv", PLUS_COLUMNS, rows))
    assert "row 902" in str(raised.value)  # header is row 1


def test_what_the_pieces_cannot_read_falls_back_to_the_whole_file_reader(tmp_path, small_pieces):
    rows = _rows()
    rows[700] = plus_row(2015, "704", "X", "643", "85", "E", "12abc")
    with pytest.raises(DataError, match="12abc") as raised:
        comtrade.parse(write_csv(tmp_path / "text.csv", PLUS_COLUMNS, rows))
    assert "row 702" in str(raised.value)


def test_an_import_in_pieces_stores_the_dataset_of_a_whole_import(tmp_path, small_pieces, monkeypatch):
    from vnru.data import imported
    from vnru.importers import import_files

    path = write_csv(tmp_path / "big.csv", PLUS_COLUMNS, _rows())
    import_files([path], tmp_path / "pieces")
    monkeypatch.setattr(comtrade, "pieces", lambda p: None)
    import_files([path], tmp_path / "whole")
    sql = "SELECT * EXCLUDE (source_id) FROM trade ORDER BY ALL"
    pieces, whole = imported.query(sql, tmp_path / "pieces"), imported.query(sql, tmp_path / "whole")
    assert len(pieces) == 1191 and pieces.equals(whole)  # the restored "9" repeats 2010's chapter 09: first kept


def test_a_file_is_read_whole_while_four_times_it_fits_in_half_the_free_memory(monkeypatch):
    """At 10^7 rows (1.2 GB) the pieces made the import 1.8x pyarrow's read instead of 1.25x: the size at which
    a file is parsed in pieces follows the memory free now (never below 1 GiB), unless fixed by STREAM_BYTES."""
    import os

    monkeypatch.setattr(comtrade_read, "STREAM_BYTES", None)
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_AVPHYS_PAGES": 5_000_000, "SC_PAGE_SIZE": 4096}[name])
    assert comtrade_read.stream_bytes() == 5_000_000 * 4096 // 8  # 20 GB free: whole up to 2.5 GB
    monkeypatch.setattr(os, "sysconf", lambda name: {"SC_AVPHYS_PAGES": 100_000, "SC_PAGE_SIZE": 4096}[name])
    assert comtrade_read.stream_bytes() == 1 << 30
    monkeypatch.setattr(comtrade_read, "STREAM_BYTES", 1_000)
    assert comtrade_read.stream_bytes() == 1_000
