"""vnru: curated Vietnam–Russia relations data and the helpers to analyse, chart and report on it.

Start here
----------
Load a table, cite it, plot a series, run a report::

    import vnru
    trade = vnru.load_trade()                       # a typed DataFrame; every row has a source_id
    vnru.cite(trade["source_id"].head(3))           # "Publisher (2024), Title; …"
    from vnru.analysis import trade as T            # pure analyses: growth, CAGR, mirror gaps …
    from vnru.report.plots import new_axes, trade as trade_plots
    series = T.both_series(trade)
    ax = trade_plots.plot_series(new_axes(10, 6)[1], series, 1995, 2024)
    vnru.run_notebooks(["trade_growth"], out_dir="reports")   # what `vnru run trade_growth` does

Public names: the loaders (``load_trade``, ``load_investment``, ``load_timeline``, ``load_indicators``,
``load_targets``, ``load_products``, ``load_partners``, ``load_vn_fdi_investors``, ``load_sources``,
``load_table``, ``TABLES``), ``cite``, ``show``, ``show_sources``, ``key_results``, ``record``, ``read_results``,
``run_notebooks``, ``import_files``, the errors (``VnruError``, ``DataError``, ``ParameterError``,
``UsageError``) and ``__version__``.

The layers, one folder each (dependencies point down only)::

    vnru.batch      `vnru run`: plan, execute, publish, index
    vnru.report     params, results, tables, findings, downloads, formats, labels, plots
    vnru.analysis   pure frame -> frame functions; evidence (which figure is the headline)
    vnru.data       loaders, schema checks, citations, audit, conventions
    vnru.importers  third-party downloads (UN Comtrade) into a data directory of your own

Names load lazily, so ``import vnru`` stays light: pandas and matplotlib are imported on first use.
"""

from vnru._modules import OLD_PATHS, install_old_paths, lazy, old_path
from vnru.errors import DataError, ParameterError, UsageError, VnruError

__version__ = "0.1.0"

_EXPORTS = {
    **dict.fromkeys(("load_table", "load_sources", "load_trade", "load_investment", "load_timeline",
                     "load_indicators", "load_targets", "load_products", "load_partners", "load_vn_fdi_investors",
                     "TABLES"),
                    "vnru.data.loaders"),
    "cite": "vnru.data.citations",
    "record": "vnru.report.results", "read_results": "vnru.report.results",
    "show": "vnru.report.tables", "show_sources": "vnru.report.tables", "key_results": "vnru.report.tables",
    "run_notebooks": "vnru.batch.runner",
    "import_files": "vnru.importers",
}
_LAYERS = {"data", "analysis", "report", "batch", "importers", "errors", "paths", "kit", "atomic", "cli"}

__all__ = [  # noqa: RUF022 (grouped as in the docstring)
    "load_trade", "load_investment", "load_timeline", "load_indicators", "load_targets", "load_products",
    "load_partners", "load_vn_fdi_investors", "load_sources", "load_table", "TABLES", "cite", "show", "show_sources",
    "key_results", "record", "read_results", "run_notebooks", "import_files",
    "VnruError", "DataError", "ParameterError", "UsageError", "__version__",
]

_lazy_getattr, _lazy_dir = lazy(__name__, _LAYERS, _EXPORTS)
install_old_paths()


def __getattr__(name):
    """Public names and layers load on first use; an old attribute path (``vnru.trade``) warns once."""
    if f"vnru.{name}" in OLD_PATHS:
        module = old_path(f"vnru.{name}")
        globals()[name] = module
        return module
    return _lazy_getattr(name)


def __dir__():
    return sorted(set(_lazy_dir()) - {"OLD_PATHS", "install_old_paths", "lazy", "old_path"})
