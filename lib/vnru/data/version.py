"""Which data a report read: a checksum of the data package's files and the date of its newest source."""

import hashlib
from functools import lru_cache
from pathlib import Path

__all__ = ["data_checksum", "newest_source"]


def data_checksum(data_dir) -> str:
    """sha256 over the data package's own files in ``data_dir``: the tables datapackage.json names, and
    datapackage.json when the directory has one, sorted by name (name, NUL, bytes, NUL). Each file is read
    once, in chunks; other files in the directory (an unrelated large CSV) are never opened."""
    from vnru.data import datapackage

    digest = hashlib.sha256()
    directory = Path(data_dir)
    own = {datapackage.resource(name)["path"] for name in datapackage.table_names()} | {"datapackage.json"}
    for name in sorted(own):
        path = directory / name
        if not path.is_file():
            continue
        digest.update(name.encode() + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=8)
def newest_source(data_dir=None) -> str | None:
    """The publication date (ISO) of the newest dated document in the data's sources.csv; None when none is dated.

    Read with the csv module (the schema keeps ``published`` a full ISO date or empty): the run's index and
    every kernel's provenance ask for it, and neither should pay pandas and a validated load for one column."""
    import csv

    from vnru.paths import resolve_data_dir

    with open(resolve_data_dir(data_dir) / "sources.csv", newline="", encoding="utf-8") as handle:
        dates = [d for d in ((row.get("published") or "").strip() for row in csv.DictReader(handle)) if len(d) == 10]
    return max(dates) if dates else None
