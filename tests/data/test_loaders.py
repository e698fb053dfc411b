"""Loaders return typed, validated DataFrames; the data directory can be overridden."""

import pandas as pd
import pytest

import vnru
from vnru.data import datapackage

LOADERS = {
    "sources": vnru.load_sources, "trade": vnru.load_trade, "investment": vnru.load_investment,
    "timeline": vnru.load_timeline, "indicators": vnru.load_indicators, "targets": vnru.load_targets,
    "vn_fdi_investors": vnru.load_vn_fdi_investors, "products": vnru.load_products,
    "partners": vnru.load_partners,
}


def test_every_table_has_a_loader():
    assert set(LOADERS) == set(datapackage.table_names())


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_types_follow_the_schema(name):
    frame = LOADERS[name]()
    fields = datapackage.fields(name)
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        dtype = frame[field["name"]].dtype
        if field["type"] == "integer":
            assert str(dtype) == "Int64", field["name"]
        elif field["type"] == "number":
            assert pd.api.types.is_float_dtype(dtype), field["name"]
        elif field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(dtype), field["name"]
        else:
            assert pd.api.types.is_string_dtype(dtype), field["name"]
    assert frame.attrs["table"] == name


def test_trade_values_from_seed():
    trade = vnru.load_trade()
    row = trade[(trade.year == 2023) & (trade.months == 12) & (trade.flow == "total")
                & (trade.source_id == "seed-mofa-2024-06-18")]
    assert row.value_usd_m.tolist() == [3630.0]
    assert row.yoy_pct.tolist() == [2.3]
    assert row.reporter.tolist() == ["VN"]


def test_timeline_sorted_with_datetimes():
    events = vnru.load_timeline()
    assert events.date.is_monotonic_increasing
    first = events.iloc[0]
    assert first.date == pd.Timestamp("1950-01-30") and first.category == "relations"


def test_env_var_overrides_data_dir(data_copy, monkeypatch):
    from fixtures.files import edit_csv

    edit_csv(data_copy / "trade.csv", "2023,12,total,3630", "2023,12,total,3999")
    monkeypatch.setenv("VNRU_DATA_DIR", str(data_copy))
    assert 3999.0 in vnru.load_trade().value_usd_m.tolist()
    monkeypatch.delenv("VNRU_DATA_DIR")
    assert 3999.0 not in vnru.load_trade().value_usd_m.tolist()
    assert 3999.0 in vnru.load_trade(data_copy).value_usd_m.tolist()


def test_missing_data_dir_is_a_data_error(tmp_path):
    with pytest.raises(vnru.DataError, match="data directory not found"):
        vnru.load_trade(tmp_path / "nowhere")


def test_bom_and_windows_line_endings_load(data_copy):
    path = data_copy / "trade.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    frame = vnru.load_trade(data_copy)
    assert frame.columns[0] == "year"
    assert len(frame) == len(vnru.load_trade())
    assert not frame.note.str.endswith("\r").any()


def test_columns_in_another_order_load(data_copy):
    import csv

    path = data_copy / "indicators.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([list(reversed(r)) for r in rows])
    moved, bundled = vnru.load_indicators(data_copy), vnru.load_indicators()
    moved.attrs, bundled.attrs = {}, {}
    pd.testing.assert_frame_equal(moved, bundled, check_exact=True)


def test_cite_names_sources():
    line = vnru.cite(["seed-nhandan-2017-06-29", "seed-vovworld-2024-milestones", "seed-nhandan-2017-06-29"])
    assert line == "Sources: Nhan Dan (NDO) (29 Jun 2017); VOV World (n.d.)"
    assert vnru.cite([]) == ""
    assert vnru.cite(["seed-nhandan-2017-06-29"]).startswith("Source: ")


def test_cite_limits_and_counts_the_rest():
    ids = vnru.load_sources().source_id.tolist()
    line = vnru.cite(ids, limit=2)
    assert line.endswith(f"and {len(ids) - 2} more (see sources.csv)")


def test_cite_unknown_source_is_an_error():
    with pytest.raises(vnru.DataError, match="unknown source_id"):
        vnru.cite(["no-such-source"])
