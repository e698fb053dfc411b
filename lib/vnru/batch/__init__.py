"""vnru.batch: the batch-run layer behind ``vnru run`` (not needed inside a notebook).

It finds the notebooks and their parameters (notebooks, sweep), runs them through papermill in worker processes
or on Dask (runner, pool, execute, kernel, warm, dask_executor), publishes every file atomically into one output
directory at a time (outdir, lifeline, runchecks, with vnru.atomic) and writes the run's index page (report, cardparts).
The data layer, the analyses and the plots never import from here; the helpers a notebook calls while it runs
(``vnru.record``, ``vnru.params``, ``vnru.show``) stay at the top of the package.

Submodules are imported lazily, on first attribute access, so that ``import vnru.batch`` stays light.
"""

from importlib import import_module

_SUBMODULES = {
    "cardparts", "dask_executor", "execute", "kernel", "lifeline", "notebooks", "outdir", "pool",
    "report", "runchecks", "runner", "sweep", "warm",
}


def __getattr__(name):
    if name not in _SUBMODULES:
        raise AttributeError(f"module 'vnru.batch' has no attribute {name!r}")
    module = import_module(f"vnru.batch.{name}")
    globals()[name] = module
    return module


def __dir__():
    return sorted(set(globals()) | _SUBMODULES)
