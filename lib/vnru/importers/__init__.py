"""vnru.importers — third-party downloads into a data directory of your own (never the bundled data).

``REGISTRY`` maps the word after ``vnru import`` to the module holding its importer object (see
``vnru.importers.protocol.Importer``); a second importer is one module and one line here. Importers use
only vnru.data and the leaves.
"""

from importlib import import_module

REGISTRY = {"comtrade": "vnru.importers.comtrade"}

__all__ = ["REGISTRY", "get", "import_files"]


def get(name: str):
    """The importer registered as ``name``; a UsageError lists the known ones."""
    from vnru.errors import UsageError

    if name not in REGISTRY:
        raise UsageError(f"no importer named {name!r}; importers: {', '.join(sorted(REGISTRY))}")
    return import_module(REGISTRY[name]).IMPORTER


def import_files(paths, data_dir, importer: str = "comtrade"):
    """Import ``paths`` with the named importer into ``data_dir``; returns the store's Summary."""
    from vnru.importers.store import import_files as store

    return store(paths, data_dir, get(importer))
