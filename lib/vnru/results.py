"""Key results: ``record`` them in a notebook, read them back from the executed notebook.

A recorded result is an ordinary display output carrying a vnru MIME bundle, so it shows as
text in JupyterLab and HTML, and the batch runner finds it in the executed .ipynb.
"""

import datetime as _dt
import json
import math
import re

from vnru.errors import ParameterError

MIME_TYPE = "application/vnd.vnru.result+json"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def _plain(value):
    """A JSON-ready copy of ``value`` (numpy and pandas scalars, dates, NA become plain types)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    import pandas as pd

    if pd.isna(value):
        return
    if isinstance(value, _dt.datetime):
        midnight = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return
    if isinstance(value, (bool, int, float, str)):
        return value
    raise ParameterError(f"cannot record a value of type {type(value).__name__}: {value!r}")


def record(key: str, value) -> None:
    """Record a key result under ``key``: shown in the notebook, read back by ``vnru run``."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ParameterError(f"result key must be snake_case text, got {key!r}")
    plain = _plain(value)
    json.dumps(plain)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython: nothing to display
        return
    if get_ipython() is None:
        return
    display({"text/plain": f"{key} = {plain!r}", MIME_TYPE: {"key": key, "value": plain}}, raw=True)
    return


def read_results(notebook) -> dict:
    """The results recorded in an executed notebook (a path or a loaded nbformat node)."""
    if not hasattr(notebook, "cells"):
        import nbformat

        notebook = nbformat.read(str(notebook), as_version=4)
    found = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            bundle = output.get("data", {}).get(MIME_TYPE)
            if bundle:
                found[bundle["key"]] = bundle["value"]
    return found
