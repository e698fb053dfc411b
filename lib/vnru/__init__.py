"""vnru: curated Vietnam-Russia relations data and the helpers to analyse and chart it.

Names are resolved lazily so that ``import vnru`` stays light: pandas and
matplotlib are imported only when a loader, an analysis or a plot is first used.
"""

from importlib import import_module

from vnru.errors import DataError, ParameterError, UsageError, VnruError

__version__ = "0.1.0"

_LAZY_NAMES = {
    "load_table": "vnru.data",
    "load_sources": "vnru.data",
    "load_trade": "vnru.data",
    "load_investment": "vnru.data",
    "load_timeline": "vnru.data",
    "load_indicators": "vnru.data",
    "load_targets": "vnru.data",
    "load_products": "vnru.data",
    "load_vn_fdi_investors": "vnru.data",
    "TABLES": "vnru.data",
    "cite": "vnru.citations",
    "record": "vnru.results",
    "read_results": "vnru.results",
    "show": "vnru.tables",
    "show_sources": "vnru.tables",
    "key_results": "vnru.tables",
}
_SUBMODULES = {
    "citations", "cli", "data", "datapackage", "errors", "growth", "investment", "params",
    "paths", "people", "plots", "results", "tables", "tableschema", "timeline",
    "trade", "hs", "importers", "products", "product_view", "findings", "batch",
}
# Batch-run modules that lived at the top before vnru.batch: ``vnru.runner`` etc. still resolve (attribute access).
_MOVED_TO_BATCH = {"execute", "notebooks", "pool", "report", "runner"}

__all__ = [
    "TABLES",
    "DataError",
    "ParameterError",
    "UsageError",
    "VnruError",
    "__version__",
    "cite",
    "key_results",
    "load_indicators",
    "load_investment",
    "load_products",
    "load_sources",
    "load_table",
    "load_targets",
    "load_timeline",
    "load_trade",
    "load_vn_fdi_investors",
    "read_results",
    "record",
    "show",
    "show_sources",
]


def __getattr__(name):
    if name in _LAZY_NAMES:
        value = getattr(import_module(_LAZY_NAMES[name]), name)
    elif name in _SUBMODULES:
        value = import_module(f"vnru.{name}")
    elif name in _MOVED_TO_BATCH:
        value = import_module(f"vnru.batch.{name}")
    else:
        raise AttributeError(f"module 'vnru' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__) | _SUBMODULES | _MOVED_TO_BATCH)
