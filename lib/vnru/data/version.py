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
    """The publication date (ISO) of the newest dated document in the data's sources.csv; None when none is dated."""
    from vnru.data.loaders import load_sources

    published = load_sources(data_dir)["published"].dropna()
    return published.max().date().isoformat() if len(published) else None
