"""vnru.data — the data package layer: loaders, schema (datapackage, tableschema, rowrules), validation,
citations, audit and the conventions every layer shares (reporters, flows, hedges, precision, rounding).

Depends only on the leaves (vnru.paths, vnru.errors, vnru.atomic). Submodules load on first use, so
``import vnru.data`` is light; the loaders are re-exported here (``from vnru.data import load_trade``).
"""

from vnru._modules import lazy

_LOADERS = ("TABLES", "load_table", "load_sources", "load_trade", "load_investment", "load_timeline",
            "load_indicators", "load_targets", "load_products", "load_partners", "load_vn_fdi_investors")
_SUBMODULES = {"audit", "audit_partners", "audit_rows", "citations", "conventions", "countries", "datapackage",
               "imported", "loaders", "rowrules", "tableschema", "validation", "version"}
__all__ = ["TABLES", "load_indicators", "load_investment", "load_partners", "load_products", "load_sources",
           "load_table", "load_targets", "load_timeline", "load_trade", "load_vn_fdi_investors"]
__getattr__, __dir__ = lazy(__name__, _SUBMODULES, {name: "vnru.data.loaders" for name in _LOADERS})
