"""vnru.importers — third-party downloads into a data directory of your own (never the bundled data).

``REGISTRY`` maps the word after ``vnru import`` to the module holding its importer object (see
``vnru.importers.protocol.Importer``); a second importer is one module and one line here. Importers use
only vnru.data and the leaves.
"""

from importlib import import_module

REGISTRY = {"comtrade": "vnru.importers.comtrade"}
EXTRAS = {"comtrade": ("comtrade", ("pyarrow", "duckdb"))}  # importer -> (the extra, the modules it brings)

__all__ = ["EXTRAS", "REGISTRY", "get", "import_files", "require"]


def require(name: str) -> None:
    """A UsageError naming the extra to install when an importer's engine is missing (not part of a light install)."""
    from importlib.util import find_spec

    from vnru.errors import UsageError

    extra, modules = EXTRAS.get(name, (None, ()))
    missing = [m for m in modules if find_spec(m) is None]
    if missing:
        raise UsageError(f"vnru import {name} needs {' and '.join(missing)}: pip install 'vnru[{extra}]'")


def get(name: str):
    """The importer registered as ``name``; a UsageError lists the known ones."""
    from vnru.errors import UsageError

    if name not in REGISTRY:
        raise UsageError(f"no importer named {name!r}; importers: {', '.join(sorted(REGISTRY))}")
    require(name)
    return import_module(REGISTRY[name]).IMPORTER


def import_files(paths, data_dir, importer: str = "comtrade"):
    """Import ``paths`` with the named importer into ``data_dir``; returns the store's Summary."""
    importer = get(importer)  # first: it names a missing extra before the store needs pyarrow
    from vnru.importers.store import import_files as store

    return store(paths, data_dir, importer)
