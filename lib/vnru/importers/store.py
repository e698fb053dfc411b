"""Store imported product rows in a user's data directory: merge, de-duplicate, write atomically.

The directory gets ``products.csv`` and ``sources.csv`` (what ``vnru.load_products`` needs), one sources row
per imported file. Re-importing a file replaces its own rows; a newer file replaces older imported rows for
the same period, flow, reporter and HS code, so the same figure never appears twice. Curated rows already in
the directory are kept as they are. The kit's bundled data/ is refused.
"""

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

from vnru import atomic
from vnru.data import datapackage
from vnru.errors import DataError, UsageError
from vnru.importers.encoded import dictionary
from vnru.importers.protocol import Parsed
from vnru.paths import BUNDLED_DATA_DIR


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


def source_id(path: Path, prefix: str = "comtrade-") -> str:
    """A stable id for a file: its name (slug) and a digest of its size and first and last MiB."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with open(path, "rb") as handle:
        digest.update(handle.read(1 << 20))
        handle.seek(max(0, path.stat().st_size - (1 << 20)))
        digest.update(handle.read())
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:40] or "file"
    return f"{prefix}{slug}-{digest.hexdigest()[:8]}"


REPLACE_KEY = ("year", "from_month", "months", "flow", "reporter", "hs_code")  # the Comtrade importer's key
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
    """``table`` with exactly the columns of ``schema`` (missing ones empty), in its types; a text column may
    stay dictionary-encoded (see ``_decoded``)."""
    n = table.num_rows
    columns = {}
    for f in schema:
        column = table[f.name] if f.name in table.column_names else pa.nulls(n, f.type)
        encoded = pa.types.is_dictionary(column.type) and column.type.value_type == f.type
        columns[f.name] = column if column.type == f.type or encoded else pc.cast(column, f.type)
    return pa.table(columns)


def _decoded(table: pa.Table) -> pa.Table:
    """``table`` with dictionary-encoded columns turned into plain ones (to concatenate with other tables)."""
    return pa.table({name: pc.cast(column, column.type.value_type) if pa.types.is_dictionary(column.type) else column
                     for name, column in zip(table.column_names, table.columns)})


def _concat(tables: list) -> pa.Table:
    """The tables one after the other (one table is returned as it is, its dictionaries kept)."""
    tables = [t for t in tables if t.num_rows] or tables[:1]
    return tables[0] if len(tables) == 1 else pa.concat_tables([_decoded(t) for t in tables])


def _codes(column) -> tuple[np.ndarray, int]:
    """Integer codes of a column's values (dictionary indices) and how many distinct values there are."""
    encoded = dictionary(column)
    return encoded.indices.to_numpy(zero_copy_only=False), len(encoded.dictionary)


def _repeats(*parts) -> bool:
    """Whether a combination of the integer code arrays ``parts`` (each with its size) occurs twice.
    The combined key is built in place and sorted: several times faster here than hashing it."""
    key = np.zeros(len(parts[0][0]), dtype="int64")
    for codes, size in parts:
        key *= max(size, 1)
        key += codes
    key.sort()
    return bool((key[1:] == key[:-1]).any())


def _period_codes(table: pa.Table) -> list:
    """The year, first and last month as code arrays with their sizes (four-digit years, months below 13)."""
    sizes = (("year", 10_000), ("from_month", 13), ("months", 13))
    return [(table[column].to_numpy(), size) for column, size in sizes]


def _one_to_one(a, b) -> bool:
    """Whether each value of the code array ``a`` goes with a single value of ``b`` and the other way round."""
    def functional(x, y):
        (xs, x_size), (ys, _) = x, y
        seen = np.zeros(x_size, dtype="int64")
        seen[xs] = ys
        return bool(np.array_equal(seen[xs], ys))

    return functional(a, b) and functional(b, a)


def _dedupe_products(parsed: Parsed, sid: str, key) -> tuple[pa.Table, int]:
    """The file's rows with its source id; a second row for the same code, period and flow is dropped (counted)."""
    n = parsed.table.num_rows
    sids = pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype="int8")), pa.array([sid], pa.string()))
    table = parsed.table.append_column("source_id", sids)
    code = _codes(table["hs_code"])
    if _repeats(*_period_codes(table), _codes(table["flow"]), _codes(table["reporter"]), code):
        table = _one_per_key(table, "min", key)
        code = _codes(table["hs_code"])
    # Two codes with the same description would collide on the products key (product, not hs_code).
    if not _one_to_one(code, _codes(table["product"])):
        labelled = pc.binary_join_element_wise(pc.cast(table["product"], pa.string()), " (HS ",
                                               pc.cast(table["hs_code"], pa.string()), ")", "")
        table = table.set_column(table.column_names.index("product"), "product", labelled)
    return table, n - table.num_rows


def _stage(table: pa.Table, path: Path) -> Path:
    """``table`` written completely as CSV to a temp file beside ``path`` and flushed to disk; the temp path.

    polars writes it: its CSV writer formats on every core, several times faster than Arrow's single-threaded
    one, which took longer than reading the Comtrade file. Text is quoted, numbers are not; a float column of
    whole numbers (weights in kg) is written without ".0". A failed write removes the temp file and raises
    PublishError naming ``path``."""
    import polars as pl

    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise atomic.PublishError(path, exc) from None
    try:
        pl.from_arrow(_for_writing(table)).write_csv(tmp, quote_style="non_numeric")
        with open(tmp, "rb+") as written:
            os.fsync(written.fileno())
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # polars' OSError carries only a message: "No space left on device ..."
            raise atomic.PublishError(path, exc) from None
        raise
    return Path(tmp)


def _write_together(tables: dict) -> None:
    """Write every ``{path: table}``: all are staged before any is renamed into place, so a full disk or a
    failed write changes none of them (products.csv and sources.csv never disagree)."""
    staged = {}
    try:
        for path, table in tables.items():
            staged[path] = _stage(table, path)
        for path, tmp in staged.items():
            atomic.publish(tmp, path)
    finally:
        for tmp in staged.values():  # left over only when a write or an earlier rename failed
            tmp.unlink(missing_ok=True)


def _for_writing(table: pa.Table) -> pa.Table:
    """``table`` as it is written: float columns whose values are all whole numbers (below 2**53) as
    integers, so that "8506242", not "8506242.0", is written; columns with no value at all as nulls (polars
    writes those faster)."""
    for i, field in enumerate(table.schema):
        column = table.column(i)
        if column.null_count == len(column):
            table = table.set_column(i, field.name, pa.nulls(len(column), pa.null()))
        elif pa.types.is_floating(field.type) and pc.all(pc.and_(
                pc.equal(pc.floor(column), column), pc.less(pc.abs(column), 2.0 ** 53))).as_py():
            table = table.set_column(i, field.name, pc.cast(column, pa.int64()))
    return table


def import_files(paths, data_dir, importer=None) -> Summary:
    """Parse every file first (nothing is written when one is bad), then merge them into ``data_dir``.

    ``importer`` follows vnru.importers.protocol (default: the Comtrade importer)."""
    if importer is None:
        from vnru.importers.comtrade import IMPORTER as importer
    directory = target_dir(data_dir)
    parsed = [importer.parse(p) for p in paths]
    incoming, sources, files = [], [], []
    for item in parsed:
        sid = source_id(item.path, importer.source_prefix)
        rows, duplicates = _dedupe_products(item, sid, importer.key)
        if duplicates:
            item.skipped["duplicate rows (same code, period and flow)"] = duplicates
        incoming.append(rows)
        sources.append(importer.source_row(item, sid, rows.num_rows))
        files.append((item, sid, rows.num_rows))
    directory.mkdir(parents=True, exist_ok=True)
    existing = _read_existing(directory / f"{importer.table}.csv", importer.table)
    new = _concat([_in_columns(t, _schema(importer.table)) for t in incoming])
    new = _one_per_key(new, "max", importer.key) if len(incoming) > 1 else new  # the later file's row wins
    new_ids = pa.array(sorted({s["source_id"] for s in sources}))
    old_sources = _read_existing(directory / "sources.csv", "sources")
    before = existing.num_rows
    existing = existing.filter(pc.invert(pc.is_in(existing["source_id"], new_ids)))  # re-import: replaced
    imported_before = pc.starts_with(pc.fill_null(existing["source_id"], ""), importer.source_prefix)
    if pc.any(imported_before).as_py():  # rows of an earlier download for the same code and period: replaced
        existing = existing.filter(pc.invert(pc.and_(imported_before, _key_in(existing, new, importer.key))))
    replaced = before - existing.num_rows
    merged = _concat([existing, new])
    used = pc.unique(existing["source_id"])  # and every new file's id, which replaces its old row below
    stale = pc.and_(pc.starts_with(old_sources["source_id"], importer.source_prefix),
                    pc.invert(pc.is_in(old_sources["source_id"], used)))
    old_sources = old_sources.filter(pc.invert(pc.or_(stale, pc.is_in(old_sources["source_id"], new_ids))))
    new_sources = pa.Table.from_pylist(sources, schema=_schema("sources"))
    _write_together({directory / f"{importer.table}.csv": merged,
                     directory / "sources.csv": pa.concat_tables([old_sources, new_sources])})
    return Summary(files, merged.num_rows, replaced, directory)


def _key(table: pa.Table, key) -> pa.Array:
    parts = [pc.fill_null(pc.cast(table[c], pa.string()), "") for c in key]
    return pc.binary_join_element_wise(*parts, "|")


def _key_in(existing: pa.Table, new: pa.Table, key) -> pa.Array:
    return pc.is_in(_key(existing, key), pc.unique(_key(new, key)))


def _one_per_key(table: pa.Table, which: str, key=REPLACE_KEY) -> pa.Table:
    """One row per ``key``, in file order: the first (``which="min"``) or the last (``"max"``) of each."""
    indexed = pa.table({"k": _key(table, key), "i": pa.array(np.arange(table.num_rows))})
    kept = indexed.group_by("k", use_threads=False).aggregate([("i", which)])[f"i_{which}"]
    return table.take(np.sort(kept.to_numpy()))  # the kept rows' own positions, in file order

__all__ = [
    "REPLACE_KEY", "Summary", "import_files", "source_id", "target_dir",
]
