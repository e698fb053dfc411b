"""UN Comtrade downloads into the imported trade store: every reporter, partner and product kept.

One row per reporter, partner, flow, period and HS code, as the reporter states it: ``reporter`` and ``partner``
as ISO alpha-3 (Comtrade's own codes mapped, see ``areas``; World is ``WLD``), ``flow`` ``X`` (exports) or ``M``
(imports), ``year``, ``from_month``, ``months`` (an annual figure 1..12, a monthly one m..m), ``hs_code`` (text,
2, 4 or 6 digits), ``product``, ``classification`` (the HS vintage, H0..H6), ``value_usd``, ``net_wgt_kg``.
Skipped and counted, never stored: TOTAL and other non-HS codes, breakdowns by second partner, customs
procedure or mode of transport (they would count the same goods twice), re-exports and re-imports, rows
without a reporter, partner or flow code, rows without a trade value (one rule: see ``comtrade_read.MISSING``)
and a second row for the same key. HS codes that lost a leading zero (``9``, ``901``, ``90111``: Excel, API
numbers) are restored and counted. Refused, naming file, row and column: an unknown country code, a period
outside 1962..this year, a value that is not a finite number or is negative, a non-HS classification.
"""

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vnru.errors import DataError
from vnru.importers import areas, encoded
from vnru.importers.comtrade_read import NotStreamed, pieces, read
from vnru.importers.protocol import Parsed

EXPORTS, IMPORTS, RE_FLOWS = {"X", "2"}, {"M", "1"}, {"RX", "RM", "3", "4"}
FIRST_YEAR = 1962  # Comtrade's first year
KEY = ("reporter", "partner", "flow", "year", "from_month", "months", "hs_code")
SCHEMA = pa.schema([("reporter", pa.string()), ("partner", pa.string()), ("flow", pa.string()),
                    ("year", pa.int16()), ("from_month", pa.int8()), ("months", pa.int8()),
                    ("hs_code", pa.string()), ("product", pa.string()), ("classification", pa.string()),
                    ("value_usd", pa.float64()), ("net_wgt_kg", pa.float64())])
_HS = r"^(?:[0-9]{1,6})$"

__all__ = ["IMPORTER", "KEY", "SCHEMA", "download_date", "parse"]


def _where(table, mask, row_offset) -> int:
    """The spreadsheet row number of the first True of ``mask``."""
    return int(table["_row"][pc.index(pc.fill_null(mask, False), True).as_py()].as_py()) + row_offset


def _text(column):
    return encoded.map_values(column, pc.utf8_trim_whitespace) if not pa.types.is_integer(column.type) else column


def _is_in(column, values) -> pa.Array:
    """Whether each code is one of ``values`` (text codes; integer columns compare with the numeric ones)."""
    if pa.types.is_integer(column.type):
        return pc.is_in(column, pa.array(sorted(int(v) for v in values if v.isdigit()), column.type))
    return encoded.by_value(column, lambda v: pc.is_in(v, pa.array(sorted(values))))


def _is_all(table, column, all_values) -> pa.Array:
    """True where a breakdown column is absent, empty or says 'all' (0 / C00)."""
    if column not in table.column_names:
        return pa.array(np.ones(table.num_rows, dtype=bool))
    return pc.fill_null(_is_in(_text(table[column]), all_values), True)


def _fails(condition) -> pa.Array:
    return pc.invert(pc.fill_null(condition, False))


def _numeric(table, column, path, row_offset) -> pa.Array:
    """``column`` as float64; DataError naming file, row and column for a value that is not a finite number."""
    values = table[column]
    if not pa.types.is_floating(values.type):
        try:
            values = pc.cast(pc.utf8_trim_whitespace(values), pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            import pandas as pd

            text = pc.utf8_trim_whitespace(values).to_pandas()
            bad = (text.notna() & pd.to_numeric(text, errors="coerce").isna()).to_numpy()
            raise DataError(f"not a number: {text[bad].iloc[0]!r}", file=str(path),
                            row=_where(table, pa.array(bad), row_offset), column=column) from None
    if not pa.types.is_float64(values.type):
        values = pc.cast(values, pa.float64())
    finite = pc.is_finite(values)
    if not pc.all(pc.fill_null(finite, True)).as_py():
        bad = _fails(pc.fill_null(finite, True))
        raise DataError(f"not a finite number: {values.filter(bad)[0].as_py()!r} (a value too large or inf)",
                        file=str(path), row=_where(table, bad, row_offset), column=column)
    return values


def _period(table, path, row_offset):
    """year, from_month, months from ``period`` (2023 = full year; 202301 = January alone)."""
    period = encoded.map_values(table["period"], pc.utf8_trim_whitespace)
    last = dt.date.today().year

    def valid(p):
        shape = pc.match_substring_regex(p, r"^(?:[0-9]{4}|[0-9]{4}(?:0[1-9]|1[0-2]))$")
        year = pc.cast(pc.if_else(shape, pc.utf8_slice_codeunits(p, 0, 4), "0"), pa.int64())
        return pc.and_(shape, pc.and_(pc.greater_equal(year, FIRST_YEAR), pc.less_equal(year, last)))

    ok = pc.fill_null(encoded.by_value(period, valid), False)
    if not pc.all(ok).as_py():
        bad = pc.invert(ok)
        raise DataError(f"period {pc.cast(period.filter(bad), pa.string())[0].as_py()!r} is neither a year "
                        f"({FIRST_YEAR}..{last}) nor a month of one (202301)", file=str(path),
                        row=_where(table, bad, row_offset), column="period")

    def month(p, otherwise):
        return pc.cast(pc.if_else(pc.equal(pc.utf8_length(p), 6), pc.utf8_slice_codeunits(p, 4, 6), otherwise),
                       pa.int8())

    year = encoded.by_value(period, lambda p: pc.cast(pc.utf8_slice_codeunits(p, 0, 4), pa.int16()))
    return year, encoded.by_value(period, lambda p: month(p, "1")), encoded.by_value(period, lambda p: month(p, "12"))


def _countries(table, column, path, row_offset) -> pa.Array:
    """Comtrade country codes as ISO alpha-3; DataError naming the first code no table knows."""
    values = encoded.dictionary(table[column] if pa.types.is_integer(table[column].type)
                                else pc.utf8_trim_whitespace(pc.cast(table[column], pa.string())))
    mapped = []
    for code in values.dictionary.to_pylist():
        text = str(code)
        iso = areas.iso3(int(text)) if text.isdigit() else None
        if iso is None:
            raw = table[column]
            bad = (pc.equal(raw, code) if pa.types.is_integer(raw.type)
                   else pc.equal(pc.utf8_trim_whitespace(pc.cast(raw, pa.string())), text))
            raise DataError(f"unknown Comtrade country code {text!r} (not in Comtrade's or ISO 3166's codes)",
                            file=str(path), row=_where(table, bad, row_offset), column=column)
        mapped.append(iso)
    return pa.DictionaryArray.from_arrays(values.indices, pa.array(mapped, pa.string()))


def _hs_codes(column) -> tuple[pa.Array, pa.Array, pa.Array]:
    """HS codes with a lost leading zero restored; whether each row holds an HS code; whether it was restored."""
    codes = encoded.dictionary(column)
    values = pc.utf8_trim_whitespace(codes.dictionary)
    digits = pc.fill_null(pc.match_substring_regex(values, _HS), False)
    odd = pc.and_(digits, pc.equal(pc.bit_wise_and(pc.utf8_length(values), 1), 1))
    fixed = pc.if_else(odd, pc.binary_join_element_wise("0", values, ""), values)
    return (pa.DictionaryArray.from_arrays(codes.indices, fixed), pc.take(digits, codes.indices),
            pc.take(odd, codes.indices))


def _classification(table, path, row_offset):
    if "classificationCode" not in table.column_names:
        return pa.nulls(table.num_rows, pa.string())
    vintage = encoded.map_values(table["classificationCode"], pc.utf8_trim_whitespace)
    hs = pc.fill_null(encoded.by_value(vintage, lambda v: pc.match_substring_regex(v, r"^(?:H[0-9S]|HS)$")), True)
    if not pc.all(hs).as_py():
        bad = pc.invert(hs)
        raise DataError(f"classification {pc.cast(vintage.filter(bad), pa.string())[0].as_py()!r} is not HS: "
                        "download with classification HS", file=str(path), row=_where(table, bad, row_offset),
                        column="classificationCode")
    return vintage


def parse(path) -> Parsed:
    """Read one Comtrade file into store rows (a pyarrow Table in ``SCHEMA``) and the skip counts. A large plain
    CSV file is parsed in pieces (``comtrade_read.pieces``: bounded memory), anything else whole."""
    path = Path(path)
    streamed = pieces(path)
    if streamed is not None:
        layout, encoding, row_offset, tables = streamed
        try:
            done, start = [], 0
            for table in tables:
                done.append(_kept(table, path, row_offset, start))
                start += table.num_rows
        except NotStreamed:
            streamed = None
    if streamed is None:
        table, layout, encoding, row_offset = read(path)
        done = [_kept(table, path, row_offset, 0)]
    count = sum(d[1] for d in done)
    skipped, restored_kept = {}, sum(d[3] for d in done)
    for _, _, dropped, _ in done:
        for reason, n in dropped.items():
            skipped[reason] = skipped.get(reason, 0) + n
    kept = [d[0] for d in done if d[0].num_rows]
    if not kept:
        raise DataError(f"no product rows among {count} rows ("
                        + ", ".join(f"{n} {why}" for why, n in skipped.items()) + ")", file=str(path))
    rows = kept[0] if len(kept) == 1 else pa.concat_tables(kept, promote_options="permissive")
    notes = {"HS codes with a lost leading zero restored (9 -> 09)": restored_kept} if restored_kept else {}
    return Parsed(path, layout, encoding, rows, _vintages(rows), count, skipped, notes)


def _kept(table, path, row_offset, start) -> tuple:
    """One table (the whole file, or a piece of it whose first row is the file's ``start``) parsed: (store rows,
    rows read, {reason: rows dropped}, codes restored among the kept)."""
    count = table.num_rows
    table = table.append_column("_row", pa.array(np.arange(start, start + count)))
    flow = encoded.map_values(table["flowCode"], lambda v: pc.utf8_upper(pc.utf8_trim_whitespace(v))) \
        if not pa.types.is_integer(table["flowCode"].type) else pc.cast(table["flowCode"], pa.string())
    code, is_hs, restored = _hs_codes(table["cmdCode"])
    whole = pc.and_(pc.and_(_is_all(table, "partner2Code", ["0", ""]),
                            _is_all(table, "customsCode", ["C00", "0", ""])), _is_all(table, "motCode", ["0", ""]))
    value_missing = pc.is_null(table["primaryValue"])
    reasons = (  # a dropped row is counted under the first reason that applies to it
        ("rows without a reporter, partner or flow code", pc.or_(pc.or_(
            pc.is_null(table["reporterCode"]), pc.is_null(table["partnerCode"])), pc.is_null(flow))),
        ("TOTAL or aggregate commodity codes", pc.invert(is_hs)),
        ("breakdowns by second partner, customs procedure or transport", _fails(whole)),
        ("re-exports and re-imports", pc.fill_null(_is_in(flow, RE_FLOWS), False)),
        ("other flow codes", _fails(_is_in(flow, EXPORTS | IMPORTS))),
        ("rows without a trade value (empty, #N/A, NULL, NaN, n/a, -)", value_missing))
    keep, skipped = pa.array(np.ones(count, dtype=bool)), {}
    for reason, drop in reasons:
        dropped = pc.sum(pc.and_(keep, pc.fill_null(drop, False))).as_py() or 0
        if dropped:
            skipped[reason] = dropped
            keep = pc.and_not(keep, pc.fill_null(drop, False))
    restored_kept = pc.sum(pc.and_(keep, restored)).as_py() or 0
    table = table.append_column("_code", code).append_column("_flow", flow).filter(keep)
    if table.num_rows == 0:
        return pa.table({}), count, skipped, 0
    return _rows(table, path, row_offset), count, skipped, restored_kept


def _vintages(rows) -> str:
    return ", ".join(sorted(v for v in pc.unique(rows["classification"]).to_pylist() if v))


def _rows(table, path, row_offset) -> pa.Table:
    value = _numeric(table, "primaryValue", path, row_offset)
    if pc.any(pc.less(value, 0)).as_py():
        raise DataError("negative trade value", file=str(path), row=_where(table, pc.less(value, 0), row_offset),
                        column="primaryValue")
    weight = (_numeric(table, "netWgt", path, row_offset) if "netWgt" in table.column_names
              else pa.nulls(table.num_rows, pa.float64()))
    year, from_month, months = _period(table, path, row_offset)
    product = (encoded.map_values(table["cmdDesc"], pc.utf8_trim_whitespace) if "cmdDesc" in table.column_names
               else pa.nulls(table.num_rows, pa.string()))
    exports = pc.fill_null(_is_in(table["_flow"], EXPORTS), False)
    return pa.table({
        "reporter": _countries(table, "reporterCode", path, row_offset),
        "partner": _countries(table, "partnerCode", path, row_offset),
        "flow": encoded.labels(exports, "X", "M"), "year": year, "from_month": from_month, "months": months,
        "hs_code": table["_code"], "product": product,
        "classification": _classification(table, path, row_offset),
        "value_usd": value, "net_wgt_kg": pc.if_else(pc.fill_null(pc.greater(weight, 0), False), weight, None),
        "_row": table["_row"]})


def download_date(path) -> str | None:
    """The download date a comtradeplus file name carries (TradeData_M_D_YYYY_h_m_s.csv), as YYYY-MM-DD."""
    found = re.match(r"^TradeData_(\d{1,2})_(\d{1,2})_(\d{4})_(\d{1,2})_(\d{1,2})_(\d{1,2})", Path(path).name)
    if not found:
        return None
    month, day, year, *_ = map(int, found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def download_stamp(path) -> str | None:
    """The download date and time of a comtradeplus file name, sortable (2025-02-20T10:30:09), or None."""
    found = re.match(r"^TradeData_(\d{1,2})_(\d{1,2})_(\d{4})_(\d{1,2})_(\d{1,2})_(\d{1,2})", Path(path).name)
    if not found or download_date(path) is None:
        return None
    month, day, year, hour, minute, second = map(int, found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"


class ComtradeImporter:
    """`vnru import comtrade`: UN Comtrade files into the imported trade store (see vnru.importers.protocol)."""

    name, source_prefix = "comtrade", "comtrade-"
    key = KEY
    schema = SCHEMA

    def parse(self, path) -> Parsed:
        return parse(path)

    def downloaded(self, path) -> str | None:
        return download_stamp(path)

    def source_row(self, parsed: Parsed, sid: str, rows: int) -> dict:
        """One sources.csv row: the file, its layout, HS vintage and download date."""
        downloaded = download_date(parsed.path)
        classes = f"classification {parsed.classification}" if parsed.classification else "classification not stated"
        when = f"downloaded {downloaded} (from the file name)" if downloaded else "download date unknown"
        note = (f"UN Comtrade {parsed.layout} file {parsed.path.name} ({parsed.encoding}), {classes}, {when}; "
                f"{rows} rows imported by vnru import comtrade on {dt.date.today().isoformat()}.")
        return {"source_id": sid, "title": f"UN Comtrade download {parsed.path.name}",
                "publisher": "United Nations Statistics Division (UN Comtrade)", "published": downloaded,
                "url": None, "kind": "reference", "language": "en", "note": note}


IMPORTER = ComtradeImporter()
