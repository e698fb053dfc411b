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

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from vnru import datapackage
from vnru.errors import DataError, UsageError
from vnru.importers.comtrade import Parsed, download_date, parse
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


def _columns(name):
    return [f["name"] for f in datapackage.fields(name)]


def _read_existing(path: Path, name: str) -> pa.Table:
    """An existing table of the directory as text columns (empty table when the file is missing)."""
    columns = _columns(name)
    if not path.exists():
        return pa.table({c: pa.array([], pa.string()) for c in columns})
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="utf-8"),
                               convert_options=pacsv.ConvertOptions(
                                   column_types={c: pa.string() for c in columns}, strings_can_be_null=True))
    except pa.ArrowInvalid as exc:
        raise DataError(f"cannot merge into it: {' '.join(str(exc).split())[:200]}", file=str(path)) from None
    if table.column_names != columns:
        raise DataError(f"cannot merge into it: its columns are not {', '.join(columns)}", file=str(path))
    return table


def _as_text(table: pa.Table, columns) -> pa.Table:
    """``table`` with every products column present, as text (numbers in their shortest exact form)."""
    n = table.num_rows
    out = {}
    for column in columns:
        if column in table.column_names:
            out[column] = pc.cast(table[column], pa.string())
        else:
            out[column] = pa.nulls(n, pa.string())
    return pa.table(out)


def _dedupe_products(parsed: Parsed, sid: str) -> tuple[pa.Table, int]:
    """The file's rows with its source id; a second row with the same products key is dropped and counted."""
    table = parsed.table.append_column("source_id", pa.array([sid] * parsed.table.num_rows, pa.string()))
    key = ["year", "from_month", "months", "flow", "reporter", "hs_code"]
    indexed = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    first = indexed.group_by(key, use_threads=False).aggregate([("_row", "min")])["_row_min"]
    kept = table.take(pc.sort_indices(first))
    # Two codes with the same description would collide on the products key (product, not hs_code).
    product = kept["product"]
    counts = kept.group_by(["year", "from_month", "months", "flow", "reporter", "product"]).aggregate(
        [("hs_code", "count")])
    if counts.num_rows < kept.num_rows:
        labelled = pc.binary_join_element_wise(product, " (HS ", kept["hs_code"], ")", "")
        kept = kept.set_column(kept.column_names.index("product"), "product", labelled)
    return kept, table.num_rows - kept.num_rows


def _write_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` as CSV next to ``path`` and move it into place (no half-written file)."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        pacsv.write_csv(table, tmp, write_options=pacsv.WriteOptions(quoting_style="needed"))
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
    products_columns, sources_columns = _columns("products"), _columns("sources")
    incoming, sources, files = [], [], []
    for item in parsed:
        sid = source_id(item.path)
        rows, duplicates = _dedupe_products(item, sid)
        if duplicates:
            item.skipped["duplicate rows (same code, period and flow)"] = duplicates
        incoming.append(_as_text(rows, products_columns))
        sources.append(_source_row(item, sid, rows.num_rows))
        files.append((item, sid, rows.num_rows))
    new = pa.concat_tables(incoming)
    # A later file wins over an earlier one in the same run for the same key.
    new_ids = pa.array(sorted({s["source_id"] for s in sources}))
    directory.mkdir(parents=True, exist_ok=True)
    existing = _read_existing(directory / "products.csv", "products")
    old_sources = _read_existing(directory / "sources.csv", "sources")
    keep = pc.invert(pc.is_in(existing["source_id"], new_ids))
    imported_before = pc.starts_with(pc.fill_null(existing["source_id"], ""), SOURCE_PREFIX)
    overlap = _key_in(existing, new)
    keep = pc.and_(keep, pc.invert(pc.and_(imported_before, overlap)))
    replaced = existing.num_rows - (pc.sum(keep).as_py() or 0)
    merged = pa.concat_tables([existing.filter(keep), _last_wins(new)])
    used = pc.unique(merged["source_id"])
    stale = pc.and_(pc.starts_with(old_sources["source_id"], SOURCE_PREFIX),
                    pc.invert(pc.is_in(old_sources["source_id"], used)))
    old_sources = old_sources.filter(pc.invert(pc.or_(stale, pc.is_in(old_sources["source_id"], new_ids))))
    new_sources = pa.Table.from_pylist(sources, schema=pa.schema([(c, pa.string()) for c in sources_columns]))
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
    indexed = pa.table({"k": keys, "i": pa.array(range(new.num_rows), pa.int64())})
    last = indexed.group_by("k", use_threads=False).aggregate([("i", "max")])["i_max"]
    return new.take(pc.sort_indices(last))
