"""Read UN Comtrade downloads (comtradeplus / API CSV and JSON, legacy CSV) into ``products`` rows.

Only the Vietnam-Russia pair becomes product rows, seen from Vietnam's side with the reporter kept:
Vietnam (M49 704) reporting exports -> vn_exports, VN; imports -> vn_imports, VN;
Russia (M49 643) reporting exports -> vn_imports, RU; imports -> vn_exports, RU (mirror figures, never summed).
Re-exports and re-imports are skipped and counted: they are goods passing through, not the pair's own trade,
and Comtrade already reports them apart from exports and imports. TOTAL rows, other partners (World, third
countries) and breakdowns by second partner, customs procedure or mode of transport are counted, not kept.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vnru.errors import DataError

VIETNAM, RUSSIA = "704", "643"
REPORTERS = {VIETNAM: "VN", RUSSIA: "RU"}

# comtradeplus and API exports: the 47 columns, typeCode ... isAggregate (those the importer reads).
PLUS_REQUIRED = ("period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue")
PLUS_OPTIONAL = ("freqCode", "cmdDesc", "partner2Code", "customsCode", "motCode", "netWgt", "classificationCode")
# Legacy Comtrade CSV (22- and 35-column variants), renamed to the comtradeplus names.
LEGACY = {"Period": "period", "Reporter Code": "reporterCode", "Trade Flow Code": "flowCode",
          "Partner Code": "partnerCode", "Commodity Code": "cmdCode", "Trade Value (US$)": "primaryValue"}
LEGACY_OPTIONAL = {"Commodity": "cmdDesc", "2nd Partner Code": "partner2Code", "Customs Proc. Code": "customsCode",
                   "Mode of Transport Code": "motCode", "Netweight (kg)": "netWgt", "Classification": "classificationCode"}
# Flow codes: comtradeplus letters, legacy numbers (1 import, 2 export, 3 re-export, 4 re-import).
EXPORTS, IMPORTS, RE_FLOWS = {"X", "2"}, {"M", "1"}, {"RX", "RM", "3", "4"}
NUMERIC = ("primaryValue", "netWgt")
_HS = r"^(?:[0-9]{2}|[0-9]{4}|[0-9]{6})$"


@dataclass
class Parsed:
    """The product rows of one file (a pyarrow Table in products' columns) and what was left out, counted."""

    path: Path
    layout: str
    encoding: str
    table: pa.Table
    classification: str = ""
    rows_read: int = 0
    skipped: dict = field(default_factory=dict)


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
    with open(path, "rb") as handle:
        head = handle.read(1 << 16)
    line, encoding = _decode_header(head)
    columns = next(csv.reader([line]), [])
    layout, rename = _layout([c.strip() for c in columns], path)
    read = pacsv.ReadOptions(encoding=encoding, block_size=1 << 24)
    convert = pacsv.ConvertOptions(include_columns=list(rename), column_types={c: pa.string() for c in rename},
                                   strings_can_be_null=True)
    try:
        table = pacsv.read_csv(path, read_options=read, convert_options=convert)
    except pa.ArrowInvalid as exc:
        if encoding == "utf-8" and "UTF8" in str(exc):  # non-UTF-8 bytes after the header: a latin-1 download
            encoding = "latin-1"
            table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 24),
                                   convert_options=convert)
        else:
            raise DataError(f"not a readable CSV file: {' '.join(str(exc).split())[:200]}", file=str(path)) from None
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


def _numeric(table: pa.Table, column: str, path: Path, row_offset: int) -> pa.Array:
    """``column`` as float64; DataError naming file, row and column for the first value that is not a number."""
    values = pc.utf8_trim_whitespace(table[column])
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    try:
        return pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        import pandas as pd

        text = values.to_pandas()
        bad = text.notna() & pd.to_numeric(text, errors="coerce").isna()
        first = int(bad.to_numpy().nonzero()[0][0])
        raise DataError(f"not a number: {text.iloc[first]!r}", file=str(path), row=first + row_offset,
                        column=column) from None


def _period(table: pa.Table, path: Path):
    """year, from_month, months from ``period`` (2023 = full year; 202301 = January alone)."""
    period = pc.utf8_trim_whitespace(table["period"])
    ok = pc.match_substring_regex(period, r"^(?:[0-9]{4}|[0-9]{4}(?:0[1-9]|1[0-2]))$")
    if not pc.all(pc.fill_null(ok, False)).as_py():
        first = pc.index(pc.fill_null(ok, False), False).as_py()
        raise DataError(f"period {period[first].as_py()!r} is neither a year (2023) nor a month (202301)",
                        file=str(path), row=first + 2, column="period")
    year = pc.cast(pc.utf8_slice_codeunits(period, 0, 4), pa.int64())
    monthly = pc.equal(pc.utf8_length(period), 6)
    month = pc.cast(pc.if_else(monthly, pc.utf8_slice_codeunits(period, 4, 6), "1"), pa.int64())
    return year, month, pc.if_else(monthly, month, 12)


def _is_all(column, all_values) -> pa.Array:
    """True where a breakdown column is absent, empty or says 'all' (0 / C00)."""
    return pc.fill_null(pc.is_in(pc.utf8_trim_whitespace(column), pa.array(all_values)), True)


def parse(path) -> Parsed:
    """Read one Comtrade file into product rows (pyarrow Table with the products columns) and skip counts."""
    path = Path(path)
    table, layout, encoding = (_read_json if path.suffix.lower() == ".json" else _read_csv)(path)
    row_offset = 1 if "JSON" in layout else 2  # spreadsheet numbering: the CSV header is row 1
    count = table.num_rows
    skipped = {}

    def drop(mask, reason):
        nonlocal table
        mask = pc.fill_null(mask, False)
        n = pc.sum(mask).as_py() or 0
        if n:
            skipped[reason] = skipped.get(reason, 0) + n
            table = table.filter(pc.invert(mask))

    reporter, partner = (pc.utf8_trim_whitespace(table[c]) for c in ("reporterCode", "partnerCode"))
    pair = pc.or_(pc.and_(pc.equal(reporter, VIETNAM), pc.equal(partner, RUSSIA)),
                  pc.and_(pc.equal(reporter, RUSSIA), pc.equal(partner, VIETNAM)))
    drop(pc.invert(pair), "other reporter or partner (World, third countries)")
    code = pc.utf8_trim_whitespace(table["cmdCode"])
    table = table.set_column(table.column_names.index("cmdCode"), "cmdCode", code)
    drop(pc.invert(pc.match_substring_regex(code, _HS)), "TOTAL or aggregate commodity codes")
    breakdown = pc.invert(pc.and_(pc.and_(
        _is_all(table["partner2Code"], ["0", ""]) if "partner2Code" in table.column_names else True,
        _is_all(table["customsCode"], ["C00", "0", ""]) if "customsCode" in table.column_names else True),
        _is_all(table["motCode"], ["0", ""]) if "motCode" in table.column_names else True))
    drop(breakdown, "breakdowns by second partner, customs procedure or transport")
    flow_code = pc.utf8_upper(pc.utf8_trim_whitespace(table["flowCode"]))
    drop(pc.is_in(flow_code, pa.array(sorted(RE_FLOWS))), "re-exports and re-imports")
    flow_code = pc.utf8_upper(pc.utf8_trim_whitespace(table["flowCode"]))
    drop(pc.invert(pc.is_in(flow_code, pa.array(sorted(EXPORTS | IMPORTS)))), "other flow codes")
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
        first = pc.index(pc.fill_null(pc.less(value, 0), False), True).as_py()
        raise DataError("negative trade value", file=str(path), row=first + row_offset, column="primaryValue")
    weight = _numeric(table, "netWgt", path, row_offset) if "netWgt" in table.column_names else None
    year, from_month, months = _period(table, path)
    reporter_vn = pc.equal(pc.utf8_trim_whitespace(table["reporterCode"]), VIETNAM)
    exports = pc.is_in(pc.utf8_upper(pc.utf8_trim_whitespace(table["flowCode"])), pa.array(sorted(EXPORTS)))
    vn_exports = pc.equal(reporter_vn, exports)  # VN's exports, or RU's imports (mirror)
    code = table["cmdCode"]
    desc = (pc.utf8_trim_whitespace(table["cmdDesc"]) if "cmdDesc" in table.column_names
            else pa.nulls(table.num_rows, pa.string()))
    product = pc.coalesce(pc.if_else(pc.equal(desc, ""), None, desc), pc.binary_join_element_wise("HS ", code, ""))
    has_weight = pc.fill_null(pc.greater(weight, 0), False) if weight is not None else None
    n = table.num_rows
    nulls = pa.nulls(n, pa.string())
    return pa.table({
        "year": year, "from_month": from_month, "months": months,
        "flow": pc.if_else(vn_exports, "vn_exports", "vn_imports"),
        "reporter": pc.if_else(reporter_vn, "VN", "RU"),
        "hs_code": code, "product": product,
        "value_usd_m": pc.divide(value, 1e6),
        "quantity": pc.if_else(has_weight, weight, None) if weight is not None else pa.nulls(n, pa.float64()),
        "quantity_unit": pc.if_else(has_weight, "kg", None) if weight is not None else nulls,
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


__all__ = ["Parsed", "download_date", "parse"]
