"""Key results: ``record`` them in a notebook, read them back from the executed notebook.

A recorded result is a display output carrying a vnru MIME bundle and an empty text/plain, so it
shows nothing in JupyterLab or the HTML report (``vnru.key_results()`` shows them all as one table),
and the batch runner finds it in the executed .ipynb. Its output metadata carries the tag RESULT_TAG,
which the HTML export uses to drop the empty output altogether.
"""

import datetime as _dt
import json
import math
import re

from vnru.errors import ParameterError

MIME_TYPE = "application/vnd.vnru.result+json"
RESULT_TAG = "vnru-result"
_recorded = {}  # key -> value recorded in this process (the kernel), in order
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


MAX_DEPTH = 20  # nesting levels of a recorded value


def _plain(value, _path=()):
    """A JSON-ready copy of ``value``: numpy and pandas scalars become plain numbers, dates (numpy datetime64
    too) ISO text, NaN/NA None. A table or an array is refused (record a number, or ``.tolist()`` /
    ``.to_dict()`` a small one), as is a list that contains itself or nests more than MAX_DEPTH levels."""
    if isinstance(value, (dict, list, tuple)):
        if any(value is seen for seen in _path):
            raise ParameterError(f"cannot record a {type(value).__name__} that contains itself")
        if len(_path) >= MAX_DEPTH:
            raise ParameterError(f"cannot record a value nested more than {MAX_DEPTH} levels deep")
        inner = (*_path, value)
        if isinstance(value, dict):
            return {str(k): _plain(v, inner) for k, v in value.items()}
        return [_plain(v, inner) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    if getattr(value, "ndim", 0):  # DataFrame, Series, ndarray, Index: pd.isna would answer cell by cell
        raise ParameterError(f"cannot record a {type(value).__name__}: record a number, text, a date or a "
                             "list/dict of them (for a small table: .to_dict('records'), for a column: .tolist())")
    import pandas as pd

    if pd.isna(value):
        return
    if type(value).__name__ == "datetime64":  # numpy's: .item() would give nanoseconds as an int
        value = pd.Timestamp(value).to_pydatetime()
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
    """Record a key result under ``key``: kept quietly in the notebook, read back by ``vnru run``."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ParameterError(f"result key must be snake_case text, got {key!r}")
    plain = _plain(value)
    json.dumps(plain)
    _recorded.pop(key, None)
    _recorded[key] = plain
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python without IPython: nothing to display
        return
    if get_ipython() is None:
        return
    display({"text/plain": "", MIME_TYPE: {"key": key, "value": plain}}, raw=True,
            metadata={"tags": [RESULT_TAG]})


def record_all(results) -> None:
    """Record every key of ``results`` (a mapping, or pairs) in its order, each as ``record`` does: a notebook's
    key results in one call. Every key and value is checked before the first is recorded."""
    pairs = list(results.items() if hasattr(results, "items") else results)
    for key, value in pairs:
        if not isinstance(key, str) or not _KEY.match(key):
            raise ParameterError(f"result key must be snake_case text, got {key!r}")
        json.dumps(_plain(value))
    for key, value in pairs:
        record(key, value)


def recorded() -> dict:
    """The results recorded so far in this process (a notebook's kernel), in the order recorded."""
    return dict(_recorded)


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
                found[bundle["key"]] = _plain(bundle["value"])  # plain dicts: no nbformat class to unpickle
    return found

__all__ = [
    "MAX_DEPTH", "MIME_TYPE", "RESULT_TAG", "read_results", "record", "record_all", "recorded",
]
