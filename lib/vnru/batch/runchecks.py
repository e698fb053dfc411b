"""Checks a batch run makes before any notebook starts: its arguments, the notebooks, where it may write,
and the previous manifest; and the strict-JSON form of the manifest it writes.

Each check ends in a one-line UsageError (exit 2) or, for one notebook, a reason it fails alone.
"""

import json
import math
import os
import re
import sys
from pathlib import Path

from vnru.batch import notebooks as nbs
from vnru.errors import NotebookError, UsageError


def names_arg(names) -> list:
    """The notebook names asked for: None or empty = all, one string = that notebook, else a list of strings."""
    if names is None:
        return []
    if isinstance(names, (str, os.PathLike)):
        return [os.fspath(names)]
    try:
        listed = list(names)
    except TypeError:
        raise UsageError(f"names must be a notebook name or a list of them; got {nbs.shown(names)}") from None
    bad = [n for n in listed if not isinstance(n, str)]
    if bad:
        raise UsageError(f"notebook names must be text; got {nbs.shown(bad[0])}")
    return listed


def path_arg(option: str, value) -> Path:
    """``value`` as a path (text or path-like, not empty), or a UsageError naming ``option``."""
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        raise UsageError(f"{option} must be a path (text or pathlib.Path); got {nbs.shown(value)}")
    text = os.fspath(value)
    if not text.strip():
        raise UsageError(f"{option} must not be empty; name a directory (\".\" for the current one)")
    return Path(text).expanduser()


def jobs_arg(jobs):
    """None (as many as cores) or a whole number of at least 1."""
    if jobs is None:
        return None
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise UsageError(f"--jobs must be a whole number; got {nbs.shown(jobs)}")
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1; got {jobs}")
    return jobs


def timeout_arg(timeout):
    """None (no limit) or a positive, finite number of seconds (NaN would silently mean no limit)."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise UsageError(f"--timeout must be a number of seconds; got {nbs.shown(timeout)}")
    try:
        usable = math.isfinite(timeout) and timeout > 0
    except OverflowError:  # an int too large for a float
        usable = False
    if not usable:
        raise UsageError(f"--timeout must be a positive, finite number of seconds; got {nbs.shown(timeout)}")
    return timeout


def read_notebooks(selected: dict) -> tuple[dict, dict]:
    """(name -> declared parameters of each runnable notebook, name -> one-line reason for each broken one)."""
    declared, broken = {}, {}
    for name, path in selected.items():
        try:
            declared[name] = nbs.check(path)
        except NotebookError as exc:
            broken[name] = f"NotebookError: {exc}"
    return declared, broken


def refuse_writing_into_data(out: Path, notebooks_dir: Path, data_dirs) -> None:
    """A UsageError when ``--out`` is (or is inside) a notebooks directory — the one read, the bundled one or the
    kit's — or is (or is inside) a data directory, or holds one: a run never writes into data it reads, and a reports directory is disposable (``make clean``)."""
    from vnru.paths import NOTEBOOKS_DIR, default_notebooks_dir

    target = Path(os.path.realpath(out))
    # the notebooks this run reads, the bundled ones (a checkout's notebooks/, a wheel's vnru/_notebooks) and a kit's
    for directory in dict.fromkeys(Path(os.path.realpath(d)) for d in (notebooks_dir, NOTEBOOKS_DIR,
                                                                        default_notebooks_dir())):
        if target == directory or directory in target.parents:
            where = "is" if target == directory else "is inside"
            raise UsageError(f"--out {out} {where} the notebooks directory {directory}: the reports would overwrite "
                             "the notebooks; choose another --out")
    for directory in dict.fromkeys(Path(os.path.realpath(d)) for d in data_dirs if d):
        if target == directory or directory in target.parents:
            where = "is" if target == directory else "is inside"
            raise UsageError(f"--out {out} {where} the data directory {directory}: a run never writes into its "
                             "data; choose another --out")
        if target in directory.parents:
            raise UsageError(f"--out {out} holds the data directory {directory}: keep reports and data apart; "
                             "choose another --out")


def refuse_unencodable(overrides) -> None:
    """A parameter value that is not valid text (bytes that are not UTF-8 on the command line) is a UsageError.

    Such bytes reach Python as lone surrogates, which no notebook, JSON or HTML file can hold.
    """
    def bad(value):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return True
            return False
        if isinstance(value, dict):
            return any(bad(k) or bad(v) for k, v in value.items())
        return isinstance(value, (list, tuple)) and any(bad(v) for v in value)

    for name, values in overrides.items():
        for key, value in values.items():
            if bad(value):
                shown = re.sub(r"\\udc([89a-f][0-9a-f])", r"\\x\1", repr(value))  # the byte as the shell wrote it
                raise UsageError(f"parameter {key} of {name}: {shown} is not UTF-8 text")


def refuse_other_schemas(data_dirs) -> None:
    """A DataError, before anything runs, when a data directory the run reads holds a datapackage.json that is
    not the kit's (vnru.data.datapackage.schema_problem): the run would ignore it, its checksum would not."""
    from vnru.data.datapackage import schema_problem

    for directory in dict.fromkeys(d for d in data_dirs if d):
        problem = schema_problem(directory)
        if problem:
            raise problem.as_error()


_REPORT_FIELDS = {"name": str, "status": str, "files": dict, "results": dict, "parameters": dict,
                  "overrides": dict, "error": str, "title": str, "run_at": str, "data_dir": str,
                  "data_sha256": str, "duration_s": (int, float), "stem": str, "sweep": dict}


def _shape_problem(manifest) -> str | None:
    """Why ``manifest`` is not a manifest this kit can carry reports over from, or None."""
    if not isinstance(manifest, dict):
        return "it is not a JSON object"
    if not isinstance(manifest.get("reports", []), list):
        return "'reports' is not a list"
    if not isinstance(manifest.get("started", ""), str):
        return "'started' is not text"
    for number, report in enumerate(manifest.get("reports", [])):
        if not isinstance(report, dict) or not isinstance(report.get("name"), str):
            return f"reports[{number}] is not a report with a name"
        for key, kind in _REPORT_FIELDS.items():
            if report.get(key) is not None and (not isinstance(report[key], kind) or isinstance(report[key], bool)):
                return f"reports[{number}].{key} is not {kind.__name__ if isinstance(kind, type) else 'a number'}"
        if not all(isinstance(f, str) for f in (report.get("files") or {}).values()):
            return f"reports[{number}].files holds a name that is not text"
    return None


def previous_manifest(out: Path, warn: bool = False) -> dict:
    """The manifest an earlier run left in ``out`` ({} when there is none). One of an unexpected shape is
    ignored (and replaced by this run's) with a one-line warning on stderr when ``warn``."""
    path = Path(out) / "manifest.json"
    if not path.is_file():  # none yet (or --out cannot be made: that is reported on its own)
        return {}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        problem = _shape_problem(manifest)
    except (OSError, ValueError, RecursionError) as exc:
        manifest, problem = None, f"it cannot be read ({type(exc).__name__})"
    if problem is None:
        return manifest
    if warn:
        print(f"Warning: ignoring the earlier {path} ({problem}); this run replaces it", file=sys.stderr, flush=True)
    return {}


def strict_json(value):
    """``value`` with every NaN or infinity replaced by None, so that it dumps as strict JSON (null)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    return value

__all__ = [
    "jobs_arg", "names_arg", "path_arg", "previous_manifest", "read_notebooks", "refuse_other_schemas", "refuse_unencodable",
    "refuse_writing_into_data",
    "strict_json", "timeout_arg",
]
