"""Parameter values of a batch run: text or YAML converted to a parameter's declared type, and checked.

``-p KEY VALUE`` gives text ("2016" -> 2016 for an int); ``-y``/``-f`` give YAML values, read with dates kept as
text (:func:`load_yaml`, as papermill's NoDatesSafeLoader). A value that does not fit is a UsageError naming the
parameter. (Split from vnru.batch.notebooks, which re-exports these names.)
"""

import math
import re
import reprlib
import sys

from vnru.errors import UsageError

_INT = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}
MAX_DEPTH = 20  # nesting levels a parameter value may have (lists in lists, ...)
_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxlevel = 80, 80, 4


def _base_type(type_name: str) -> tuple:
    """("int", allows None) from annotations such as ``int``, ``int | None`` or ``Optional[int]``."""
    text = type_name.replace(" ", "")
    optional = text.startswith(("Optional[", "None|")) or "|None" in text
    text = text.removeprefix("Optional[").removesuffix("]") if text.startswith("Optional[") else text
    text = text.replace("|None", "").replace("None|", "")
    return text.split("[")[0], optional


def convert(param, value, origin: str = ""):
    """``value`` as the type ``param`` declares: text is parsed ("2016" -> 2016 for an int), typed
    values are checked. A value that does not fit is a UsageError naming the parameter."""
    kind, optional = _base_type(param.type)
    where = f" ({origin})" if origin else ""

    def bad(expected):
        return UsageError(f"parameter {param.name} expects {expected}; got {shown(value)}{where}")

    converted = _convert(kind, optional, param, value, bad)
    problem = _unsafe(converted)
    if problem:
        raise bad(problem)
    return converted


def shown(value) -> str:
    """``value`` for a message: a short repr, even of a huge or deeply nested value."""
    try:
        return _SHORT.repr(value)
    except (ValueError, RecursionError):  # an int past Python's digit limit
        return f"a {type(value).__name__} too large to show"


def load_yaml(text):
    """``text`` read as YAML, dates kept as text (as papermill's NoDatesSafeLoader does): ``start: 1990-01-01``
    is the text "1990-01-01", which a notebook and manifest.json can hold. Raises yaml.YAMLError and the like."""
    from typing import ClassVar

    import yaml

    class NoDatesSafeLoader(yaml.SafeLoader):
        yaml_implicit_resolvers: ClassVar[dict] = {key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
                                   for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    return yaml.load(text, Loader=NoDatesSafeLoader)  # a SafeLoader


def _unsafe(value, depth=0) -> str | None:
    """What a parameter value should have been when it is unfit for a run, else None: a non-finite number
    (manifest.json is strict JSON, and NaN passes every range check), nesting deeper than MAX_DEPTH, or a
    value JSON cannot hold (a date object given through the Python API)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "a finite number (not NaN or infinity)"
    if not isinstance(value, (str, int, float, bool, list, tuple, dict, type(None))):
        return "text, a number, true/false, a list or a mapping (a date as text: \"2019-01-01\")"
    if isinstance(value, (list, tuple, dict)):
        if depth >= MAX_DEPTH:
            return f"a value nested at most {MAX_DEPTH} levels deep"
        items = list(value.keys()) + list(value.values()) if isinstance(value, dict) else value
        return next((p for p in (_unsafe(v, depth + 1) for v in items) if p), None)
    return None


def _convert(kind, optional, param, value, bad):
    """``value`` converted to ``kind`` (see :func:`convert`)."""
    nullable = optional or param.default is None  # `-p msg None` on `msg = None` is None, as papermill injects
    if value is None or (nullable and isinstance(value, str) and value.strip().lower() in {"none", "null"}):
        if optional or param.default is None:
            return None
        raise bad(kind or "a value")
    if kind == "str":
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # `start: 2010` in YAML is the year the reader meant, not a type error
        raise bad("text (quote the value in YAML)")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, (str, int)) else None
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise bad("true or false")
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and _INT.match(value.strip()):
            try:
                return int(value)
            except ValueError:  # past Python's limit on digits
                raise bad(f"a whole number of at most {sys.get_int_max_str_digits() or 4300} digits") from None
        raise bad("a whole number")
    if kind == "float":
        try:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                return float(value)
        except (ValueError, OverflowError):
            pass
        raise bad("a number")
    if kind in ("list", "dict", "tuple") and isinstance(value, str):
        import yaml

        try:
            value = load_yaml(value)
        except (yaml.YAMLError, ValueError, OverflowError, RecursionError):
            raise bad(f"a YAML {kind}") from None
    if kind in ("list", "tuple") and not isinstance(value, (list, tuple)):
        raise bad("a list")
    if kind == "dict" and not isinstance(value, dict):
        raise bad("a mapping")
    return list(value) if kind in ("list", "tuple") else value

__all__ = ["MAX_DEPTH", "convert", "load_yaml", "shown"]
