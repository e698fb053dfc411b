"""Module plumbing shared by the package and its layers: lazy submodules, and the old import paths.

Lazy submodules keep ``import vnru`` light (pandas and matplotlib load on first use). The old paths
(``vnru.trade``, ``vnru.plots``, ``vnru.findings`` …, from before the layers) still import for one
release: each resolves to its new module and warns once with the path to use instead.
"""

import importlib.abc
import importlib.util
import sys
import warnings
from importlib import import_module

# old dotted name -> new dotted name (removed in the release after 0.2)
OLD_PATHS = {
    "vnru.datapackage": "vnru.data.datapackage", "vnru.tableschema": "vnru.data.tableschema",
    "vnru.rowrules": "vnru.data.rowrules", "vnru.citations": "vnru.data.citations", "vnru.audit": "vnru.data.audit",
    "vnru.growth": "vnru.analysis.growth", "vnru.trade": "vnru.analysis.trade",
    "vnru.products": "vnru.analysis.products", "vnru.investment": "vnru.analysis.investment",
    "vnru.people": "vnru.analysis.people", "vnru.timeline": "vnru.analysis.timeline", "vnru.hs": "vnru.analysis.hs",
    "vnru.product_view": "vnru.analysis.product_view",
    "vnru.params": "vnru.report.params", "vnru.results": "vnru.report.results", "vnru.tables": "vnru.report.tables",
    "vnru.findings": "vnru.report.findings", "vnru.downloads": "vnru.report.downloads",
    "vnru.plots": "vnru.report.plots",
    "vnru.runner": "vnru.batch.runner", "vnru.notebooks": "vnru.batch.notebooks",
    "vnru.execute": "vnru.batch.executors.worker", "vnru.pool": "vnru.batch.executors.local",
}
_warned = set()


def lazy(package: str, submodules, exported=None):
    """``__getattr__`` and ``__dir__`` for a package whose submodules (and ``{name: module}`` exports) load on
    first access."""
    exported = dict(exported or {})

    def __getattr__(name):
        if name in exported:
            value = getattr(import_module(exported[name]), name)
        elif name in submodules:
            value = import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(submodules) | set(exported))

    return __getattr__, __dir__


def old_path(name: str):
    """The new module behind an old dotted path, after a one-time FutureWarning naming the new path."""
    new = OLD_PATHS[name]
    if name not in _warned:
        _warned.add(name)
        warnings.warn(f"{name} is now {new}; the old path works until the next release", FutureWarning,
                      stacklevel=3)
    return import_module(new)


class _OldPathFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes ``import vnru.trade`` (an old path) give the module ``vnru.analysis.trade`` itself."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in OLD_PATHS:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        module = old_path(spec.name)
        self._specs = getattr(self, "_specs", {})
        self._specs[spec.name] = module.__spec__  # importlib stamps the old name's spec on it: undone below
        return module

    def exec_module(self, module):
        """Nothing to run (the module is the new one, already imported); give it back its own spec."""
        module.__spec__ = self._specs.pop(module.__spec__.name, module.__spec__)


def install_old_paths() -> None:
    if not any(isinstance(f, _OldPathFinder) for f in sys.meta_path):
        sys.meta_path.append(_OldPathFinder())

__all__ = [
    "OLD_PATHS", "install_old_paths", "lazy", "old_path",
]
