"""Store imported product rows in a user's data directory: merge, de-duplicate, write atomically.

The directory gets ``products.csv`` and ``sources.csv`` (what ``vnru.load_products`` needs), one sources row
per imported file. Re-importing a file replaces its own rows; a newer file replaces older imported rows for
the same period, flow, reporter and HS code, so the same figure never appears twice. Curated rows already in
the directory are kept as they are. The kit's bundled data/ is refused.
"""

import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vnru import datapackage
from vnru.errors import DataError, UsageError
from vnru.importers.comtrade import Parsed, _dictionary, download_date, parse
from vnru.paths import BUNDLED_DATA_DIR

SOURCE_PREFIX = "comtrade-"
REPLACE_KEY = ["year", "from_month", "months", "flow", "reporter", "hs_code"]


@dataclass
class Summary:
    """What one import did: per file the rows read, kept and skipped (by reason), and the totals written."""

    files: list
    rows_written: int
    replaced: int
    data_dir: Path


def target_dir(data_dir) -> Path:
    """The directory to write, created if missing; the bundled data/ (or a folder inside it) is a UsageError."""
    path = Path(data_dir).expanduser().resolve()
    bundled = BUNDLED_DATA_DIR.resolve()
    if path == bundled or bundled in path.parents:
        raise UsageError(f"--data-dir {data_dir} is inside the kit's bundled data ({bundled}); "
                         "import into a directory of your own")
    if path.exists() and not path.is_dir():
        raise UsageError(f"--data-dir {data_dir} is not a directory")
    return path


def source_id(path: Path) -> str:
    """A stable id for a file: its name (slug) and a digest of its size and first and last MiB."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(0, path.stat().st_size - (1 << 20)))
        digest.update(handle.read())
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "file"
    return f"{SOURCE_PREFIX}{slug}-{digest.hexdigest()[:8]}"


_ARROW_TYPES = {"integer": pa.int64(), "number": pa.float64()}


def _schema(name: str) -> pa.Schema:
    """The table's columns with Arrow types from datapackage.json (integer, number, else text)."""
    return pa.schema([(f["name"], _ARROW_TYPES.get(f["type"], pa.string())) for f in datapackage.fields(name)])


def _read_existing(path: Path, name: str) -> pa.Table:
    """A table already in the directory, typed by the schema (empty table when the file is missing)."""
    schema = _schema(name)
    if not path.exists():
        return schema.empty_table()
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="utf-8"),
                               convert_options=pacsv.ConvertOptions(column_types=schema, strings_can_be_null=True))
    except pa.ArrowInvalid as exc:
        raise DataError(f"cannot merge into it: {' '.join(str(exc).split())[:200]}", file=str(path)) from None
    if table.column_names != schema.names:
        raise DataError(f"cannot merge into it: its columns are not {', '.join(schema.names)}", file=str(path))
    return table


def _in_columns(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with exactly the columns of ``schema`` and their types (missing columns empty)."""
    n = table.num_rows
    return pa.table({f.name: pc.cast(table[f.name], f.type) if f.name in table.column_names else pa.nulls(n, f.type)
                     for f in schema}, schema=schema)


def _codes(column) -> tuple[np.ndarray, int]:
    """Integer codes of a column's values (dictionary indices) and how many distinct values there are."""
    encoded = _dictionary(column)
    return encoded.indices.to_numpy(zero_copy_only=False).astype("int64"), len(encoded.dictionary)


def _distinct(*parts) -> int:
    """How many distinct combinations the integer code arrays ``parts`` (each with its size) form."""
    key = np.zeros(len(parts[0][0]), dtype="int64")
    for codes, size in parts:
        key = key * max(size, 1) + codes
    return pc.count_distinct(pa.array(key)).as_py()


def _period_codes(table: pa.Table) -> tuple[np.ndarray, int]:
    """One integer per year, first and last month, flow and reporter (for counting distinct keys fast)."""
    def ints(column):
        return table[column].to_numpy().astype("int64")

    flow = pc.equal(table["flow"], "vn_exports").to_numpy(zero_copy_only=False).astype("int64")
    reporter = pc.equal(table["reporter"], "VN").to_numpy(zero_copy_only=False).astype("int64")
    return (((ints("year") * 13 + ints("from_month")) * 13 + ints("months")) * 2 + flow) * 2 + reporter, 2101 * 676


def _dedupe_products(parsed: Parsed, sid: str) -> tuple[pa.Table, int]:
    """The file's rows with its source id; a second row for the same code, period and flow is dropped (counted)."""
    table = parsed.table.append_column("source_id", pa.array([sid] * parsed.table.num_rows, pa.string()))
    code = _codes(table["hs_code"])
    if _distinct(_period_codes(table), code) < table.num_rows:
        keys = _key(table)
        indexed = pa.table({"k": keys, "i": pa.array(np.arange(table.num_rows))})
        first = indexed.group_by("k", use_threads=False).aggregate([("i", "min")])["i_min"]
        table = table.take(pc.sort_indices(first))
        code = _codes(table["hs_code"])
    # Two codes with the same description would collide on the products key (product, not hs_code).
    product = _codes(table["product"])
    distinct = [pc.count_distinct(pa.array(c[0])).as_py() for c in (code, product)]
    if not distinct[0] == distinct[1] == _distinct(code, product):
        labelled = pc.binary_join_element_wise(pc.cast(table["product"], pa.string()), " (HS ",
                                               pc.cast(table["hs_code"], pa.string()), ")", "")
        table = table.set_column(table.column_names.index("product"), "product", labelled)
    return table, parsed.table.num_rows - table.num_rows


PARALLEL_ROWS = 200_000  # a table this long is formatted in slices on several threads


def _csv_bytes(table: pa.Table) -> list:
    """``table`` formatted as CSV (header first), in slices formatted side by side: Arrow's CSV writer is
    single-threaded and releases the GIL, and formatting a million rows takes longer than reading them."""
    workers = min(os.cpu_count() or 1, 4)
    if table.num_rows < PARALLEL_ROWS or workers < 2:
        workers = 1
    step = -(-table.num_rows // workers) if table.num_rows else 1

    def piece(i):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table.slice(i * step, step), sink,
                        write_options=pacsv.WriteOptions(quoting_style="needed", include_header=i == 0))
        return sink.getvalue()

    if workers == 1:
        return [piece(0)]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(piece, range(workers)))


def _write_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` as CSV next to ``path`` and move it into place (no half-written file)."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in _csv_bytes(table):
                out.write(part)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _source_row(parsed: Parsed, sid: str, rows: int) -> dict:
    downloaded = download_date(parsed.path)
    classes = f"classification {parsed.classification}" if parsed.classification else "classification not stated"
    when = f"downloaded {downloaded} (from the file name)" if downloaded else "download date unknown"
    note = (f"UN Comtrade {parsed.layout} file {parsed.path.name} ({parsed.encoding}), {classes}, {when}; "
            f"{rows} product rows imported by vnru import comtrade on {dt.date.today().isoformat()}.")
    return {"source_id": sid, "title": f"UN Comtrade download {parsed.path.name}",
            "publisher": "United Nations Statistics Division (UN Comtrade)", "published": downloaded,
            "url": None, "kind": "reference", "language": "en", "note": note}


def import_files(paths, data_dir) -> Summary:
    """Parse every file first (nothing is written when one is bad), then merge them into ``data_dir``."""
    directory = target_dir(data_dir)
    parsed = [parse(p) for p in paths]
    incoming, sources, files = [], [], []
    for item in parsed:
        sid = source_id(item.path)
        rows, duplicates = _dedupe_products(item, sid)
        if duplicates:
            item.skipped["duplicate rows (same code, period and flow)"] = duplicates
        incoming.append(rows)
        sources.append(_source_row(item, sid, rows.num_rows))
        files.append((item, sid, rows.num_rows))
    directory.mkdir(parents=True, exist_ok=True)
    existing = _read_existing(directory / "products.csv", "products")
    new = pa.concat_tables([_in_columns(t, _schema("products")) for t in incoming])
    new = _last_wins(new) if len(incoming) > 1 else new
    new_ids = pa.array(sorted({s["source_id"] for s in sources}))
    old_sources = _read_existing(directory / "sources.csv", "sources")
    before = existing.num_rows
    existing = existing.filter(pc.invert(pc.is_in(existing["source_id"], new_ids)))  # re-import: replaced
    imported_before = pc.starts_with(pc.fill_null(existing["source_id"], ""), SOURCE_PREFIX)
    if pc.any(imported_before).as_py():  # rows of an earlier download for the same code and period: replaced
        existing = existing.filter(pc.invert(pc.and_(imported_before, _key_in(existing, new))))
    replaced = before - existing.num_rows
    merged = pa.concat_tables([existing, new])
    used = pc.unique(merged["source_id"])
    stale = pc.and_(pc.starts_with(old_sources["source_id"], SOURCE_PREFIX),
                    pc.invert(pc.is_in(old_sources["source_id"], used)))
    old_sources = old_sources.filter(pc.invert(pc.or_(stale, pc.is_in(old_sources["source_id"], new_ids))))
    new_sources = pa.Table.from_pylist(sources, schema=_schema("sources"))
    _write_atomic(pa.concat_tables([old_sources, new_sources]), directory / "sources.csv")
    _write_atomic(merged, directory / "products.csv")
    return Summary(files, merged.num_rows, replaced, directory)


def _key(table: pa.Table) -> pa.Array:
    parts = [pc.fill_null(pc.cast(table[c], pa.string()), "") for c in REPLACE_KEY]
    return pc.binary_join_element_wise(*parts, "|")


def _key_in(existing: pa.Table, new: pa.Table) -> pa.Array:
    return pc.is_in(_key(existing), pc.unique(_key(new)))


def _last_wins(new: pa.Table) -> pa.Table:
    """Rows of several files in one run: for the same key, the later file's row is kept."""
    keys = _key(new)
    indexed = pa.table({"k": keys, "i": pa.array(np.arange(new.num_rows))})
    last = indexed.group_by("k", use_threads=False).aggregate([("i", "max")])["i_max"]
    return new.take(pc.sort_indices(last))
