"""Read a UN Comtrade download (comtradeplus / API CSV or JSON, legacy CSV) into an Arrow table of its columns.

What is accepted, and how: the delimiter is read from the header (comma, semicolon or tab); the encoding from
the bytes (UTF-8, UTF-16 with a byte order mark, else cp1252 — Windows' latin-1, which Comtrade's Excel exports
use — and latin-1 where cp1252 cannot decode a byte); ``.gz`` files are read as they are; headers are matched
ignoring case and surrounding spaces. One rule for missing values: the tokens in ``MISSING`` are missing
wherever they appear. A ``.zip`` archive, a ragged or truncated row and an API reply without records are
refused in one line naming the file (and the row).
"""

import csv
import gzip
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from vnru.errors import DataError

# comtradeplus and API exports: the 47 columns, typeCode ... isAggregate (those the importer reads).
PLUS_REQUIRED = ("period", "reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue")
PLUS_OPTIONAL = ("cmdDesc", "partner2Code", "customsCode", "motCode", "netWgt", "classificationCode")
# Legacy Comtrade CSV (22- and 35-column variants), renamed to the comtradeplus names.
LEGACY = {"Period": "period", "Reporter Code": "reporterCode", "Trade Flow Code": "flowCode",
          "Partner Code": "partnerCode", "Commodity Code": "cmdCode", "Trade Value (US$)": "primaryValue"}
LEGACY_OPTIONAL = {"Commodity": "cmdDesc", "2nd Partner Code": "partner2Code", "Customs Proc. Code": "customsCode",
                   "Mode of Transport Code": "motCode", "Netweight (kg)": "netWgt", "Classification": "classificationCode"}
NUMERIC = ("primaryValue", "netWgt")
CODES = ("period", "reporterCode", "partnerCode", "flowCode", "cmdCode", "cmdDesc", "partner2Code", "customsCode",
         "motCode", "classificationCode")  # few distinct values: read dictionary-encoded, worked on once per value
INTEGER_CODES = ("reporterCode", "partnerCode", "partner2Code", "motCode")  # read as integers where they all parse
MISSING = ["", "#N/A", "N/A", "NA", "NULL", "null", "NaN", "nan", "n/a", "-", "..."]
_DICT = pa.dictionary(pa.int32(), pa.string())

__all__ = ["MISSING", "STREAM_BYTES", "NotStreamed", "pieces", "read", "stream_bytes"]


def _encoding(raw: bytes) -> str:
    """UTF-16 (a byte order mark), UTF-8 where the bytes decode, else cp1252 (latin-1 where cp1252 cannot)."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    try:
        raw.decode("utf-8-sig")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(raw) - 4:  # a multi-byte character cut at the end of the sample
            return "utf-8"
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _opener(path: Path):
    if path.suffix.lower() == ".zip":
        raise DataError("a .zip archive: unzip it and import the CSV or JSON file inside", file=str(path))
    return gzip.open if path.suffix.lower() == ".gz" else open


def _layout(columns, path) -> tuple[str, dict]:
    """The layout of the header and the renaming {column as written: comtradeplus name}; DataError otherwise.
    Names are matched ignoring case and surrounding spaces."""
    written = {c.strip().lower(): c for c in columns}
    for layout, required, optional in (("comtradeplus", {c: c for c in PLUS_REQUIRED}, PLUS_OPTIONAL),
                                       ("legacy", LEGACY, LEGACY_OPTIONAL)):
        wanted = {**required, **(optional if isinstance(optional, dict) else {c: c for c in optional})}
        if all(name.lower() in written for name in required):
            return layout, {written[k.lower()]: v for k, v in wanted.items() if k.lower() in written}
    raise DataError("unknown layout: expected the comtradeplus/API columns (" + ", ".join(PLUS_REQUIRED)
                    + ") or the legacy Comtrade columns (" + ", ".join(LEGACY) + ")", file=str(path))


def _ragged_row(path: Path, opener, encoding: str, delimiter: str):
    """The spreadsheet row number of the first row whose field count differs from the header's (or None)."""
    with opener(path, "rt", encoding=encoding, errors="replace", newline="") as handle:
        rows = csv.reader(handle, delimiter=delimiter)
        width = len(next(rows, []))
        for number, row in enumerate(rows, start=2):
            if len(row) != width:
                return number, len(row), width
    return None


def _header(path: Path):
    """What the first 64 KiB say: opener, encoding, delimiter, layout and the renaming of the columns used."""
    opener = _opener(path)
    with opener(path, "rb") as handle:
        raw = handle.read(1 << 16)
    encoding = _encoding(raw)
    text = raw.decode("utf-16" if encoding == "utf-16" else "utf-8-sig" if encoding == "utf-8" else encoding,
                      errors="ignore")
    line = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=line.count)
    layout, rename = _layout(next(csv.reader([line], delimiter=delimiter), []), path)
    return opener, encoding, delimiter, layout, rename


def _convert(rename, types):
    codes = {c: _DICT for c, to in rename.items() if to in CODES}
    return pacsv.ConvertOptions(include_columns=list(rename), strings_can_be_null=True, null_values=MISSING,
                                column_types={**{c: pa.string() for c in rename}, **codes, **types})


STREAM_BYTES = None  # a plain CSV file larger than this is parsed in pieces (None: by the memory free now)
STREAM_ROWS = 4_000_000  # rows per piece


def stream_bytes() -> int:
    """Bytes above which a plain CSV is parsed in pieces. Read whole, a file holds about four times its size in
    memory (4.5 GB for 1.2 GB at 10^7 rows), and a whole read is the faster; so a file is read whole while
    that fits in half the memory free now, and in pieces above (never below 1 GiB)."""
    if STREAM_BYTES is not None:
        return STREAM_BYTES
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not a POSIX system: the fixed floor
        return 1 << 30
    return max(1 << 30, free // 8)


class NotStreamed(Exception):
    """The file cannot be read in pieces as it is (a value that needs the whole-file reader's fallbacks)."""


def pieces(path: Path):
    """A large plain UTF-8 CSV file as (layout, encoding, first data row, iterator of tables of about STREAM_ROWS
    rows, columns renamed as ``read`` does); None when the file is read whole (JSON, .gz, small, other encodings).
    The iterator raises NotStreamed where the whole-file reader must decide (a non-number, a non-UTF-8 byte, a
    ragged row): the caller then reads the file whole, with its fallbacks and messages."""
    if path.suffix.lower() in (".gz", ".json", ".zip") or path.stat().st_size <= stream_bytes():
        return None
    _, encoding, delimiter, layout, rename = _header(path)
    if encoding != "utf-8":
        return None
    types = {c: pa.float64() for c, to in rename.items() if to in NUMERIC}
    types |= {c: pa.int32() for c, to in rename.items() if to in INTEGER_CODES}

    def tables():
        try:
            reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 24),
                                    parse_options=pacsv.ParseOptions(delimiter=delimiter),
                                    convert_options=_convert(rename, types))
            batches, rows = [], 0
            for batch in reader:
                batches.append(batch)
                rows += batch.num_rows
                if rows >= STREAM_ROWS:
                    yield pa.Table.from_batches(batches).rename_columns([rename[c] for c in batch.schema.names])
                    batches, rows = [], 0
            if batches:
                yield pa.Table.from_batches(batches).rename_columns([rename[c] for c in batches[0].schema.names])
        except pa.ArrowInvalid as exc:
            raise NotStreamed(str(exc)) from None

    return layout, encoding, 2, tables()


def read_csv(path: Path) -> tuple[pa.Table, str, str]:
    """The file's columns that the importer uses (codes as text, values as numbers where they parse)."""
    opener, encoding, delimiter, layout, rename = _header(path)
    numbers = {c: pa.float64() for c, to in rename.items() if to in NUMERIC}
    integers = {c: pa.int32() for c, to in rename.items() if to in INTEGER_CODES}  # parsing beats hashing text

    def attempt(types, encoding):
        convert = _convert(rename, {**integers, **types})
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 22),
                              parse_options=pacsv.ParseOptions(delimiter=delimiter), convert_options=convert)

    for _ in range(5):
        try:
            table = attempt(numbers, encoding)
            break
        except pa.ArrowInvalid as exc:
            message = " ".join(str(exc).split())
            if "UTF8" in message and encoding == "utf-8":  # non-UTF-8 bytes further on
                encoding = "cp1252"
            elif ("decode" in message or "codec" in message) and encoding == "cp1252":
                encoding = "latin-1"
            elif "conversion error to int32" in message and integers:  # codes with spaces or letters: as text
                integers = {}
            elif "conversion error" in message and numbers:  # a value that is not a number: named later
                numbers = {}
            else:
                ragged = _ragged_row(path, opener, "utf-8" if encoding == "utf-8" else encoding, delimiter)
                if ragged:
                    number, got, width = ragged
                    raise DataError(f"ragged or truncated row: {got} fields where the header has {width}",
                                    file=str(path), row=number) from None
                raise DataError(f"not a readable CSV file: {message[:200]}", file=str(path)) from None
        except UnicodeDecodeError:
            encoding = "latin-1"
    shown = {"cp1252": "cp1252 (Windows latin-1)"}.get(encoding, encoding)
    return table.rename_columns([rename[c] for c in table.column_names]), layout, shown


def _text(value):
    """A JSON value as the text a CSV would hold: 901 and 901.0 as '901', None as None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def read_json(path: Path) -> tuple[pa.Table, str, str]:
    with _opener(path)(path, "rb") as handle:
        raw = handle.read()
    encoding = _encoding(raw[:1 << 16])
    try:
        document = json.loads(raw.decode("utf-8-sig" if encoding == "utf-8" else encoding))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid JSON ({getattr(exc, 'msg', exc)})", file=str(path)) from None
    records = document.get("data") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError("JSON holds no list of records (expected {\"data\": [...]} as the Comtrade API returns)",
                        file=str(path))
    if not records:
        raise DataError("the API reply holds 0 records (no data for the query, or the query was refused)",
                        file=str(path))
    layout, rename = _layout(list(dict.fromkeys(k for r in records[:1000] for k in r)), path)
    missing = set(MISSING)
    data = {}
    for column, name in rename.items():
        values = [_text(r.get(column)) for r in records]
        data[name] = pa.array([None if v is None or v.strip() in missing else v for v in values], pa.string())
    return pa.table(data), f"{layout} JSON", encoding


def read(path: Path) -> tuple[pa.Table, str, str, int]:
    """The table, its layout, encoding and the spreadsheet number of its first data row."""
    is_json = path.name.lower().removesuffix(".gz").endswith(".json")
    table, layout, encoding = (read_json if is_json else read_csv)(path)
    return table, layout, encoding, 1 if is_json else 2
