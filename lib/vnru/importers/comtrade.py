"""Read UN Comtrade downloads (comtradeplus / API CSV and JSON, legacy CSV) into ``products`` rows.

Only the Vietnam-Russia pair becomes product rows, seen from Vietnam's side with the reporter kept:
Vietnam (M49 704) reporting exports -> vn_exports, VN; imports -> vn_imports, VN;
Russia (M49 643) reporting exports -> vn_imports, RU; imports -> vn_exports, RU (mirror figures, never summed).
Re-exports and re-imports are skipped and counted: they are goods passing through, not the pair's own trade,
and Comtrade already reports them apart from exports and imports. TOTAL rows, other partners (World, third
countries) and breakdowns by second partner, customs procedure or mode of transport are counted, not kept.
"""

import csv
import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vnru.errors import DataError
from vnru.importers import encoded
from vnru.importers.protocol import Parsed

VIETNAM, RUSSIA = "704", "643"

# comtradeplus and API exports: the 47 columns, typeCode ... isAggregate (those the importer reads).
PLUS_REQUIRED = ("period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue")
PLUS_OPTIONAL = ("cmdDesc", "partner2Code", "customsCode", "motCode", "netWgt", "classificationCode")
# Legacy Comtrade CSV (22- and 35-column variants), renamed to the comtradeplus names.
LEGACY = {"Period": "period", "Reporter Code": "reporterCode", "Trade Flow Code": "flowCode",
          "Partner Code": "partnerCode", "Commodity Code": "cmdCode", "Trade Value (US$)": "primaryValue"}
LEGACY_OPTIONAL = {"Commodity": "cmdDesc", "2nd Partner Code": "partner2Code", "Customs Proc. Code": "customsCode",
                   "Mode of Transport Code": "motCode", "Netweight (kg)": "netWgt", "Classification": "classificationCode"}
# Flow codes: comtradeplus letters, legacy numbers (1 import, 2 export, 3 re-export, 4 re-import).
EXPORTS, IMPORTS, RE_FLOWS = {"X", "2"}, {"M", "1"}, {"RX", "RM", "3", "4"}
NUMERIC = ("primaryValue", "netWgt")
CODES = ("period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "cmdDesc", "partner2Code", "customsCode",
         "motCode", "classificationCode")  # few distinct values: read dictionary-encoded, worked on once per value
KEPT = ("period", "reporterCode", "flowCode", "cmdCode", "cmdDesc", "primaryValue", "netWgt", "classificationCode")
INTEGER_CODES = ("reporterCode", "partnerCode", "partner2Code", "motCode")  # read as integers where they all parse
_DICT = pa.dictionary(pa.int32(), pa.string())
_HS = r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6})$"


def _decode_header(raw: bytes) -> tuple[str, str]:
    """The first line of the file as text, and the encoding to read the file with (UTF-8, else latin-1)."""
    try:
        raw.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        encoding = "latin-1" if exc.start < len(raw) - 4 else "utf-8"  # a cut multi-byte char at the end is fine
    text = raw.decode(encoding if encoding != "utf-8" else "utf-8-sig", errors="ignore")
    return text.splitlines()[0] if text else "", encoding


def _layout(columns, path) -> tuple[str, dict]:
    """Which layout the header is, and the renaming to comtradeplus names; DataError listing what was expected."""
    names = set(columns)
    if set(PLUS_REQUIRED) <= names:
        return "comtradeplus", {c: c for c in PLUS_REQUIRED + PLUS_OPTIONAL if c in names}
    if set(LEGACY) <= names:
        return "legacy", {k: v for k, v in {**LEGACY, **LEGACY_OPTIONAL}.items() if k in names}
    raise DataError("unknown layout: expected the comtradeplus/API columns (" + ", ".join(PLUS_REQUIRED)
                    + ") or the legacy Comtrade columns (" + ", ".join(LEGACY) + ")", file=str(path))


def _read_csv(path: Path) -> tuple[pa.Table, str, str]:
    """The file's columns that the importer uses (codes as text, values as numbers where they parse)."""
    with open(path, "rb") as handle:
        line, encoding = _decode_header(handle.read(1 << 16))
    layout, rename = _layout(next(csv.reader([line]), []), path)
    numbers = {c: pa.float64() for c, to in rename.items() if to in NUMERIC}
    codes = {c: _DICT for c, to in rename.items() if to in CODES}
    integers = {c: pa.int32() for c, to in rename.items() if to in INTEGER_CODES}  # parsing beats hashing text

    def read(types, encoding):
        convert = pacsv.ConvertOptions(include_columns=list(rename), strings_can_be_null=True,
                                       column_types={**{c: pa.string() for c in rename}, **codes, **integers,
                                                     **types})
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 22),
                              convert_options=convert)

    for attempt in range(4):
        try:
            table = read(numbers, encoding)
            break
        except pa.ArrowInvalid as exc:
            message = " ".join(str(exc).split())
            if encoding == "utf-8" and "UTF8" in message and attempt < 3:  # non-UTF-8 bytes further on: latin-1
                encoding = "latin-1"
            elif "conversion error to int32" in message and integers:  # codes with spaces or letters: as text
                integers = {}
            elif "conversion error" in message and numbers:  # a value that is not a number: see _numeric
                numbers = {}
            else:
                raise DataError(f"not a readable CSV file: {message[:200]}", file=str(path)) from None
    return table.rename_columns([rename[c] for c in table.column_names]), layout, encoding


def _read_json(path: Path) -> tuple[pa.Table, str, str]:
    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"not valid JSON ({exc.msg} at line {exc.lineno})", file=str(path)) from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError("JSON holds no list of records (expected {\"data\": [...]} as the Comtrade API returns)",
                        file=str(path))
    columns = list(dict.fromkeys(k for r in records[:1000] for k in r))
    layout, rename = _layout(columns, path)
    data = {rename[c]: pa.array([None if r.get(c) is None else str(r.get(c)) for r in records], pa.string())
            for c in rename}
    return pa.table(data), f"{layout} JSON", encoding


def _where(table, mask, row_offset) -> int:
    """The spreadsheet row number of the first True of ``mask``."""
    return int(table["_row"][pc.index(pc.fill_null(mask, False), True).as_py()].as_py()) + row_offset


def _numeric(table: pa.Table, column: str, path: Path, row_offset: int) -> pa.Array:
    """``column`` as float64; DataError naming file, row and column for the first value that is not a number."""
    values = table[column]
    if pa.types.is_floating(values.type):
        return values
    values = pc.utf8_trim_whitespace(values)
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        import pandas as pd

        text = values.to_pandas()
        bad = text.notna() & pd.to_numeric(text, errors="coerce").isna()
        raise DataError(f"not a number: {text[bad.to_numpy()].iloc[0]!r}", file=str(path),
                        row=_where(table, pa.array(bad.to_numpy()), row_offset), column=column) from None


def _period(table: pa.Table, path: Path, row_offset: int):
    """year, from_month, months from ``period`` (2023 = full year; 202301 = January alone)."""
    period = encoded.map_values(table["period"], pc.utf8_trim_whitespace)
    ok = pc.fill_null(encoded.by_value(period, lambda p: pc.match_substring_regex(
        p, r"^(?:[0-9]{4}|[0-9]{4}(?:0[1-9]|1[0-2]))$")), False)
    if not pc.all(ok).as_py():
        bad = pc.invert(ok)
        raise DataError(f"period {pc.cast(period.filter(bad), pa.string())[0].as_py()!r} is neither a year (2023) nor a month (202301)",
                        file=str(path), row=_where(table, bad, row_offset), column="period")

    def month(p, otherwise):  # the month of 202301; ``otherwise`` for a year alone
        return pc.cast(pc.if_else(pc.equal(pc.utf8_length(p), 6), pc.utf8_slice_codeunits(p, 4, 6), otherwise),
                       pa.int64())

    year = encoded.by_value(period, lambda p: pc.cast(pc.utf8_slice_codeunits(p, 0, 4), pa.int64()))
    return year, encoded.by_value(period, lambda p: month(p, "1")), encoded.by_value(period, lambda p: month(p, "12"))


def _is_all(table, column, all_values) -> pa.Array:
    """True where a breakdown column is absent, empty or says 'all' (0 / C00)."""
    if column not in table.column_names:
        return pa.array(np.ones(table.num_rows, dtype=bool))
    if pa.types.is_integer(table[column].type):
        return pc.fill_null(_is_in(table[column], all_values), True)
    return pc.fill_null(encoded.by_value(table[column], lambda v: pc.is_in(pc.utf8_trim_whitespace(v),
                                                                    pa.array(all_values))), True)


def _normalised(table: pa.Table) -> pa.Table:
    """Codes trimmed (flow codes upper case)."""
    for column in ("reporterCode", "partnerCode", "cmdCode", "flowCode"):
        if pa.types.is_integer(table[column].type):
            continue
        clean = (lambda v: pc.utf8_upper(pc.utf8_trim_whitespace(v))) if column == "flowCode" else pc.utf8_trim_whitespace
        table = table.set_column(table.column_names.index(column), column, encoded.map_values(table[column], clean))
    return table


def _is_in(column, values) -> pa.Array:
    """Whether each code is one of ``values`` (text codes; integer columns compare with the numeric ones)."""
    if pa.types.is_integer(column.type):
        numbers = sorted(int(v) for v in values if v.isdigit())
        if len(numbers) == 1:
            return pc.equal(column, pa.scalar(numbers[0], column.type))
        return pc.is_in(column, pa.array(numbers, column.type))
    return encoded.by_value(column, lambda v: pc.is_in(v, pa.array(sorted(values))))


def _fails(condition) -> pa.Array:
    """True where ``condition`` is False or missing."""
    return pc.invert(pc.fill_null(condition, False))


def parse(path) -> Parsed:
    """Read one Comtrade file into product rows (pyarrow Table with the products columns) and skip counts."""
    path = Path(path)
    table, layout, encoding = (_read_json if path.suffix.lower() == ".json" else _read_csv)(path)
    row_offset = 1 if "JSON" in layout else 2  # spreadsheet numbering: the CSV header is row 1
    count = table.num_rows
    table = _normalised(table)
    reporter_vn, reporter_ru = _is_in(table["reporterCode"], [VIETNAM]), _is_in(table["reporterCode"], [RUSSIA])
    partner_vn, partner_ru = _is_in(table["partnerCode"], [VIETNAM]), _is_in(table["partnerCode"], [RUSSIA])
    whole = pc.and_(pc.and_(_is_all(table, "partner2Code", ["0", ""]),
                            _is_all(table, "customsCode", ["C00", "0", ""])), _is_all(table, "motCode", ["0", ""]))
    flow = table["flowCode"]
    reasons = (  # a dropped row is counted under the first reason that applies to it
        ("other reporter or partner (World, third countries)",
         _fails(pc.or_(pc.and_(reporter_vn, partner_ru), pc.and_(reporter_ru, partner_vn)))),
        ("TOTAL or aggregate commodity codes", _fails(encoded.by_value(table["cmdCode"],
                                                                lambda c: pc.match_substring_regex(c, _HS)))),
        ("breakdowns by second partner, customs procedure or transport", _fails(whole)),
        ("re-exports and re-imports", pc.fill_null(_is_in(flow, RE_FLOWS), False)),
        ("other flow codes", _fails(_is_in(flow, EXPORTS | IMPORTS))))
    keep, skipped = pa.array(np.ones(table.num_rows, dtype=bool)), {}
    for reason, drop in reasons:
        dropped = pc.sum(pc.and_(keep, drop)).as_py() or 0
        if dropped:
            skipped[reason] = dropped
            keep = pc.and_not(keep, drop)
    # One copy of the kept rows in the columns still needed, and each row's position in the file (for errors)
    positions = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
    table = table.select([c for c in table.column_names if c in KEPT]).filter(keep)
    table = table.append_column("_row", pa.array(positions))
    if table.num_rows == 0:
        raise DataError(f"no Vietnam-Russia product rows among {count} rows ("
                        + ", ".join(f"{n} {why}" for why, n in skipped.items()) + ")", file=str(path))
    return Parsed(path, layout, encoding, _products(table, path, row_offset), _classification(table), count,
                  skipped)


def _classification(table) -> str:
    if "classificationCode" not in table.column_names:
        return ""
    return ", ".join(sorted(v for v in pc.unique(table["classificationCode"]).to_pylist() if v))


def _products(table: pa.Table, path: Path, row_offset: int) -> pa.Table:
    """The kept rows mapped to the products columns (source_id is set when the file is stored)."""
    value = _numeric(table, "primaryValue", path, row_offset)
    if pc.any(pc.less(value, 0)).as_py():
        raise DataError("negative trade value", file=str(path), row=_where(table, pc.less(value, 0), row_offset),
                        column="primaryValue")
    weight = _numeric(table, "netWgt", path, row_offset) if "netWgt" in table.column_names else None
    year, from_month, months = _period(table, path, row_offset)
    reporter_vn = _is_in(table["reporterCode"], [VIETNAM])
    vn_exports = pc.equal(reporter_vn, _is_in(table["flowCode"], EXPORTS))  # VN's exports or RU's imports
    code = table["cmdCode"]
    product = None
    if "cmdDesc" in table.column_names:
        product = encoded.map_values(table["cmdDesc"], lambda d: pc.if_else(pc.equal(pc.utf8_trim_whitespace(d), ""),
                                                                    None, pc.utf8_trim_whitespace(d)))
    if product is None or product.null_count:  # no description: "HS 090111"
        named = encoded.map_values(code, lambda c: pc.binary_join_element_wise("HS ", c, ""))
        product = named if product is None else pc.coalesce(pc.cast(product, pa.string()), pc.cast(named, pa.string()))
    has_weight = pc.fill_null(pc.greater(weight, 0), False) if weight is not None else None
    n = table.num_rows
    return pa.table({
        "year": year, "from_month": from_month, "months": months,
        "flow": encoded.labels(vn_exports, "vn_exports", "vn_imports"),
        "reporter": encoded.labels(reporter_vn, "VN", "RU"),
        "hs_code": code, "product": product,
        "value_usd_m": pc.divide(value, 1e6),
        "quantity": pc.if_else(has_weight, weight, None) if weight is not None else pa.nulls(n, pa.float64()),
        "quantity_unit": encoded.labels(has_weight, "kg", None) if weight is not None else pa.nulls(n, pa.string()),
    })


def download_date(path) -> str | None:
    """The download date a comtradeplus file name carries (TradeData_M_D_YYYY_h_m_s.csv), as YYYY-MM-DD."""
    found = re.match(r"^TradeData_(\d{1,2})_(\d{1,2})_(\d{4})_", Path(path).name)
    if not found:
        return None
    month, day, year = map(int, found.groups())
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


class ComtradeImporter:
    """`vnru import comtrade`: UN Comtrade files into products rows (see vnru.importers.protocol)."""

    name, table, source_prefix = "comtrade", "products", "comtrade-"
    key = ("year", "from_month", "months", "flow", "reporter", "hs_code")

    def parse(self, path) -> Parsed:
        return parse(path)

    def source_row(self, parsed: Parsed, sid: str, rows: int) -> dict:
        """One sources.csv row: the file, its layout, HS vintage and download date."""
        downloaded = download_date(parsed.path)
        classes = f"classification {parsed.classification}" if parsed.classification else "classification not stated"
        when = f"downloaded {downloaded} (from the file name)" if downloaded else "download date unknown"
        note = (f"UN Comtrade {parsed.layout} file {parsed.path.name} ({parsed.encoding}), {classes}, {when}; "
                f"{rows} product rows imported by vnru import comtrade on {dt.date.today().isoformat()}.")
        return {"source_id": sid, "title": f"UN Comtrade download {parsed.path.name}",
                "publisher": "United Nations Statistics Division (UN Comtrade)", "published": downloaded,
                "url": None, "kind": "reference", "language": "en", "note": note}


IMPORTER = ComtradeImporter()

__all__ = ["IMPORTER", "Parsed", "download_date", "parse"]
