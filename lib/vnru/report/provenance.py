"""What a report was made from: kit and package versions, the data's checksum and newest source, the licence.

One home for the facts a page, a download's metadata JSON and the run's manifest all state.
"""

from functools import lru_cache

__all__ = ["LICENCE", "provenance", "software_versions"]

LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
           "path": "https://creativecommons.org/licenses/by/4.0/"}  # the data package's licence (datapackage.json)


def software_versions() -> dict:
    """Python's version and those of the libraries that shape a report (None when one is not installed)."""
    return dict(_versions())


@lru_cache(maxsize=1)
def _versions() -> dict:  # once per process: importlib.metadata scans sys.path (every download's JSON asks)
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in ("pandas", "matplotlib", "papermill"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


@lru_cache(maxsize=8)
def _data_facts(folder: str) -> dict:
    from vnru.data.version import data_checksum, newest_source

    try:
        checksum = data_checksum(folder)
    except OSError:
        checksum = None
    try:
        newest = newest_source(str(folder))
    except Exception:  # noqa: BLE001 -- provenance never stops a report: an unreadable package is "unknown"
        newest = None
    return {"data_sha256": checksum, "newest_source": newest}


def provenance(data_dir=None) -> dict:
    """Kit version, software versions, data checksum, newest source date and licence for ``data_dir``."""
    from vnru import __version__
    from vnru.paths import resolve_data_dir

    try:
        facts = _data_facts(str(resolve_data_dir(data_dir or None)))
    except Exception:  # noqa: BLE001 -- a missing data directory: the facts are unknown, the page is still made
        facts = {"data_sha256": None, "newest_source": None}
    return {"kit": "vnru", "kit_version": __version__, "software": software_versions(), **facts, "licence": LICENCE}
