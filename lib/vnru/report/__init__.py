"""vnru.report — what a notebook calls to become a report: parameters (params), key results (results),
tables (show), findings, downloads, formats (dates, periods, money, percentages), labels (one dict per
code list) and plots/ (one module per topic).

Depends on vnru.analysis, vnru.data and the leaves; never on vnru.batch. Submodules load on first use.
"""

from vnru._modules import lazy

_SUBMODULES = {"bilateral", "chartdata", "downloads", "figurefiles", "findings", "formats", "labels", "palette",
               "params", "plots", "provenance", "results", "tables", "tidy"}
__all__ = ["downloads", "findings", "formats", "labels", "params", "plots", "results", "tables"]
__getattr__, __dir__ = lazy(__name__, _SUBMODULES)
