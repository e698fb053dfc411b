"""vnru.batch: the batch-run layer behind ``vnru run`` (not needed inside a notebook).

It finds the notebooks and their parameters (notebooks, catalogue, sweep), plans and runs them (runner) through
papermill in worker processes or on Dask (executors/: local, worker, kernel, warm, zygote, dask), makes each
executed notebook a report page (nbhtml, page, figurecard), publishes every file
atomically into one output directory at a time (outdir, lifeline, runchecks, with vnru.atomic) and writes the
run's index page (index, cards, html). Nothing below this layer imports from it; what a notebook calls while it
runs (``vnru.record``, ``vnru.show``, ``vnru.report.params``) lives in vnru.report.

Submodules are imported lazily, on first attribute access, so that ``import vnru.batch`` stays light.
"""

from vnru._modules import lazy

_SUBMODULES = {"cache", "cards", "catalogue", "executors", "figurecard", "html", "index", "jobs", "lifeline", "nbhtml",
               "notebooks", "outdir", "page", "page_style", "runchecks", "runner", "sweep", "values"}
__getattr__, __dir__ = lazy(__name__, _SUBMODULES)
