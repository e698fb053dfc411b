"""Store imported rows in a user's data directory as a Parquet dataset (see ``vnru.data.imported``).

One Parquet part per imported download under ``DIR/comtrade/parts/``, listed by ``DIR/comtrade/manifest.json``,
and one ``sources.csv`` row per download (its provenance). The rules:

* **One import at a time**: the directory is locked (``flock``; a second import waits for the first).
* **Nothing half-done**: every file is parsed before anything is written; parts are written into a private
  staging folder, moved into ``parts/`` and then the manifest is renamed into place (the commit point). A
  failed write (full disk), SIGTERM or a kill leaves the previous dataset whole; the next import removes what a
  killed one left behind (staging folders, parts no manifest lists).
* **Re-import replaces**: the same download (same ``source_id``) replaces its own part, never duplicates it.
* **The newer download wins**: where two downloads hold the same reporter, partner, flow, period and HS code,
  the row of the later download (by the date and time in the file name, else the file's modification time)
  is kept and the other file's part is rewritten without it; the loser stays listed in sources.csv with a note.
* Curated tables in the directory (products.csv ...) are never read or rewritten; the bundled data/ is refused.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from vnru import atomic
from vnru.data import datapackage
from vnru.data.imported import MANIFEST, PARTS, STORE, manifest
from vnru.errors import UsageError, VnruError
from vnru.importers.encoded import dictionary
from vnru.paths import BUNDLED_DATA_DIR

__all__ = ["ROW_GROUP", "Interrupted", "Summary", "import_files", "sorted_by_partner", "source_id", "target_dir"]


class Interrupted(VnruError):
    """SIGTERM during an import: nothing was published, the previous dataset is kept."""


@dataclass
class Summary:
    """What one import did: per file (parsed, source_id, rows kept), totals and what newer downloads replaced."""

    files: list
    rows_written: int
    replaced: int
    data_dir: Path
    superseded: list = field(default_factory=list)  # (loser source_id, winner source_id, rows)


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


def _first_per_key(table: pa.Table, key) -> pa.Table:
    """The first row of each ``key`` in file order (a repeat is checked for cheaply first: sorted int keys)."""
    combined = np.zeros(table.num_rows, dtype="int64")
    for column in key:
        encoded = dictionary(table[column])
        combined *= max(len(encoded.dictionary), 1)
        combined += encoded.indices.to_numpy(zero_copy_only=False)
    ordered = np.sort(combined)
    if not (ordered[1:] == ordered[:-1]).any():
        return table
    _, first = np.unique(combined, return_index=True)
    return table.take(np.sort(first))


def _slices(table: pa.Table) -> list[str]:
    """The reporter, year and frequency combinations a part covers: only parts sharing one can overlap."""
    freq = pc.if_else(pc.and_(pc.equal(table["from_month"], 1), pc.equal(table["months"], 12)), "A", "M")
    groups = pa.table({"r": pc.cast(table["reporter"], pa.string()), "y": table["year"], "f": freq})
    groups = groups.group_by(["r", "y", "f"]).aggregate([])
    return sorted(f"{r}:{y}:{f}" for r, y, f in zip(*(groups[c].to_pylist() for c in ("r", "y", "f")), strict=True))


@contextlib.contextmanager
def _locked(directory: Path):
    """Hold an exclusive flock on ``directory`` (waits for another import into it to finish)."""
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        with contextlib.suppress(OSError):  # a file system without flock: imports are not kept apart
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def _sigterm_interrupts():
    """SIGTERM raises Interrupted (so staging is removed and one line is printed) while the block runs."""
    def stop(signum, frame):
        raise Interrupted("import stopped by SIGTERM: nothing was published, the previous dataset is kept")

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_litter(store: Path, listed: set) -> None:
    """Staging folders and unlisted parts a killed import left (called holding the lock)."""
    for leftover in store.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for part in (store / PARTS).glob("*"):
        if part.name not in listed:
            part.unlink(missing_ok=True)


def sorted_by_partner(table: pa.Table) -> pa.Table:
    """``table`` ordered by partner (text order, stable): each Parquet row group then holds few partners, so a
    query on World rows (the indices') skips the row groups of the 200 other partners by their statistics."""
    partner = dictionary(table["partner"])
    names = np.array(partner.dictionary.to_pylist(), dtype=object)
    rank = np.empty(len(names), dtype=np.int32)
    rank[np.argsort(names)] = np.arange(len(names), dtype=np.int32)
    order = np.argsort(rank[partner.indices.to_numpy(zero_copy_only=False)], kind="stable")
    return table.take(order)


ROW_GROUP = 1 << 17  # small enough for statistics to skip most of a part, large enough to scan fast


FILTERED = ("partner", "reporter", "year", "flow")  # the columns queries filter on: their row-group statistics


def _write(table: pa.Table, path: Path) -> None:
    """One part, sorted by partner. Statistics only for the columns queries filter on and dictionaries only for
    codes and text: amounts are neither (at 10^7 rows the write took 2.8 s with both everywhere, 1.7 s so,
    and the file is a quarter smaller)."""
    numbers = [f.name for f in table.schema if pa.types.is_floating(f.type)]
    keys = [name for name in table.column_names if name not in numbers]
    try:
        pq.write_table(sorted_by_partner(table), path, compression="zstd", row_group_size=ROW_GROUP,
                       use_dictionary=keys, write_statistics=[c for c in FILTERED if c in table.column_names])
    except OSError as exc:
        raise atomic.PublishError(path.parent.parent, exc) from None  # the dataset folder, not the temp file


def _stamp(importer, path: Path) -> str:
    import datetime as dt

    return importer.downloaded(path) or dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")


def _without(loser: Path, winner: Path, out: Path, key) -> int:
    """Write ``loser`` less the rows whose key ``winner`` holds to ``out``; the rows removed."""
    import duckdb

    con = duckdb.connect()
    try:
        using = ", ".join(key)
        before = con.execute("SELECT count(*) FROM read_parquet(?)", [str(loser)]).fetchone()[0]
        quoted = [str(p).replace("'", "''") for p in (loser, winner, out)]
        con.execute(f"COPY (SELECT l.* FROM read_parquet('{quoted[0]}') l ANTI JOIN read_parquet('{quoted[1]}') w "
                    f"USING ({using}) ORDER BY l.partner) TO '{quoted[2]}' "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP})")
        after = con.execute("SELECT count(*) FROM read_parquet(?)", [str(out)]).fetchone()[0]
    except duckdb.IOException as exc:
        raise atomic.PublishError(out.parent.parent, exc) from None
    finally:
        con.close()
    return before - after


def import_files(paths, data_dir, importer=None) -> Summary:
    """Parse every file first (nothing is written when one is bad), then publish them into ``data_dir``.

    ``importer`` follows vnru.importers.protocol (default: the Comtrade importer)."""
    if importer is None:
        from vnru.importers.comtrade import IMPORTER as importer
    directory = target_dir(data_dir)
    parsed = [importer.parse(Path(p)) for p in paths]
    directory.mkdir(parents=True, exist_ok=True)
    store = directory / STORE
    (store / PARTS).mkdir(parents=True, exist_ok=True)
    with _locked(directory), _sigterm_interrupts():
        current = manifest(directory)
        _remove_litter(store, {p["file"] for p in current["parts"]})
        staging = store / f".staging-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            return _merge(parsed, directory, store, staging, current, importer)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _merge(parsed, directory, store, staging, current, importer) -> Summary:
    parts = {p["source_id"]: dict(p, path=store / PARTS / p["file"]) for p in current["parts"]}
    earlier = set(parts)  # imported before this run: their rows count as replaced
    files, sources, superseded, replaced = [], {}, [], 0
    order = sorted(parsed, key=lambda item: _stamp(importer, item.path))  # oldest download first
    for item in order:
        sid = source_id(item.path, importer.source_prefix)
        rows = _first_per_key(item.table, importer.key)
        if rows.num_rows < item.table.num_rows:
            item.skipped["duplicate rows (same code, period and flow)"] = item.table.num_rows - rows.num_rows
        rows = rows.drop_columns([c for c in rows.column_names if c.startswith("_")])
        rows = rows.append_column("source_id", pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(rows.num_rows, dtype="int8")), pa.array([sid], pa.string())))
        if sid in parts:  # the same download again: its part is replaced
            replaced += parts.pop(sid)["rows"] if sid in earlier else 0
            earlier.discard(sid)
        path = staging / f"{sid}.parquet"
        _write(rows, path)
        entry = {"source_id": sid, "downloaded": _stamp(importer, item.path), "rows": rows.num_rows,
                 "slices": _slices(rows), "classification": item.classification, "path": path}
        for other in list(parts.values()):
            if not set(other["slices"]) & set(entry["slices"]):
                continue
            loser, winner = (other, entry) if other["downloaded"] <= entry["downloaded"] else (entry, other)
            out = staging / f"{loser['source_id']}.{uuid.uuid4().hex[:6]}.parquet"
            removed = _without(loser["path"], winner["path"], out, importer.key)
            if removed:
                loser.update(path=out, rows=loser["rows"] - removed)
                superseded.append((loser["source_id"], winner["source_id"], removed))
                replaced += removed if loser["source_id"] in earlier else 0
        parts[sid] = entry
        files.append((item, sid, entry["rows"]))
        sources[sid] = importer.source_row(item, sid, entry["rows"])
    _publish(directory, store, parts, sources, superseded)
    return Summary(files, sum(p["rows"] for p in parts.values()), replaced, directory, superseded)


def _publish(directory: Path, store: Path, parts: dict, sources: dict, superseded: list) -> None:
    """Move new parts into parts/, write sources.csv, then the manifest (the commit point); drop old parts."""
    listed = []
    for sid, part in parts.items():
        if part["path"].parent != store / PARTS:
            name = f"{sid}-{uuid.uuid4().hex[:8]}.parquet"
            os.replace(part["path"], store / PARTS / name)
            part["path"] = store / PARTS / name
        listed.append({k: v for k, v in part.items() if k != "path"} | {"file": part["path"].name})
    _write_sources(directory, sources, superseded)
    document = {"format": 1, "parts": listed, "superseded": manifest(directory).get("superseded", []) + [
        {"source_id": loser, "by": winner, "rows": rows} for loser, winner, rows in superseded]}
    atomic.write(store / MANIFEST, json.dumps(document, indent=1))
    _remove_litter(store, {p["file"] for p in listed})


def _write_sources(directory: Path, sources: dict, superseded: list) -> None:
    """sources.csv with the new downloads' rows (replacing their earlier rows) and every other row as it was;
    a download that lost rows to a newer one gets a note saying so (its provenance is kept)."""
    import csv
    import io

    import pandas as pd

    names = [f["name"] for f in datapackage.fields("sources")]
    path = directory / "sources.csv"
    old = (pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig") if path.exists()
           else pd.DataFrame(columns=names))
    if list(old.columns) != names:
        raise atomic.PublishError(path, OSError(f"its columns are not {', '.join(names)}; cannot add to it"))
    rows = [r for r in old.to_dict("records") if r["source_id"] not in sources]
    rows += [{k: "" if v is None else str(v) for k, v in row.items()} for row in sources.values()]
    for loser, winner, count in superseded:
        for row in rows:
            if row["source_id"] == loser:
                row["note"] = f"{row['note']} {count} rows superseded by {winner} (a later download).".strip()
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    atomic.write(path, text.getvalue())
