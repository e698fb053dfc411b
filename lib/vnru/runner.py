"""Batch runs: plan the notebooks and their parameters, run them (vnru.pool), write manifest.json and index.html.

``run_notebooks`` is the Python API that ``vnru run`` mirrors. Each notebook runs in its own
process (``jobs`` at a time); a notebook past its ``timeout`` is stopped and reported as failed.
"""

import datetime as _dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from vnru import notebooks as nbs
from vnru import pool
from vnru.errors import UsageError


def data_checksum(data_dir) -> str:
    """sha256 over datapackage.json and the CSV files of ``data_dir``, sorted by name (name, then bytes)."""
    digest = hashlib.sha256()
    directory = Path(data_dir)
    files = sorted(p for p in directory.iterdir() if p.is_file() and (p.suffix == ".csv" or p.name == "datapackage.json"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def atomic_write(path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory, then rename it over."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is as readable as any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def software_versions() -> dict:
    """Python's version and those of the libraries that shape a report (None when one is not installed)."""
    import platform
    from importlib import metadata

    versions = {"python": platform.python_version()}
    for name in ("pandas", "matplotlib", "papermill"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def run_notebooks(names=None, parameters=None, *, out_dir="reports", notebooks_dir=None, jobs=None,
                  html=True, show_code=False, timeout=None, data_dir=None, progress=False) -> dict:
    """Execute the named notebooks (all by default) into ``out_dir``; return the manifest.

    ``parameters`` is a mapping, or a list of ``(origin, mapping)`` applied in order (see
    :func:`vnru.notebooks.plan`: plain keys, ``NAME.KEY`` keys and per-notebook sections).
    Unknown notebooks or parameters raise UsageError before anything runs.
    """
    from vnru import __version__
    from vnru.paths import default_notebooks_dir, resolve_data_dir
    from vnru.report import render_index

    notebooks_dir = Path(notebooks_dir or default_notebooks_dir()).resolve()
    available = nbs.discover(notebooks_dir)
    selected = nbs.select(available, names or [])
    if not selected:
        raise UsageError(f"no notebooks in {notebooks_dir}")
    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs must be at least 1; got {jobs}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds; got {timeout}")
    declared = {name: nbs.parameters(path) for name, path in selected.items()}
    sources = list(parameters) if isinstance(parameters, (list, tuple)) else [("parameters", parameters or {})]
    data_path = resolve_data_dir(data_dir) if data_dir else None
    default_data = data_path or resolve_data_dir(None)
    if data_path:
        sources.insert(0, ("--data-dir", {n: {"data_dir": str(data_path)} for n in selected
                                           if any(p.name == "data_dir" for p in declared[n])}))
    overrides = nbs.plan(selected, declared, sources, available)
    for values in overrides.values():  # a relative data_dir is meant from where vnru runs, not from notebooks/
        if isinstance(values.get("data_dir"), str) and values["data_dir"] and not Path(values["data_dir"]).is_absolute():
            values["data_dir"] = str(Path(values["data_dir"]).expanduser().resolve())

    out = Path(out_dir)
    if out.resolve() == notebooks_dir:
        raise UsageError(f"--out {out} is the notebooks directory: the reports would overwrite the notebooks")
    ctx = pool.context()  # after every usage check: a mistake costs no fork server
    n_workers = min(jobs or os.cpu_count() or 1, len(selected))
    started, clock = _now(), time.monotonic()
    tmp_dir = _make_run_dir(out)
    # the fork server was started by an earlier run, perhaps elsewhere: each job carries where and with what it runs
    here = {"workdir": os.getcwd(), "environ": dict(os.environ)}
    # every kernel reads default_data (the data the manifest names), whatever folder it starts in
    job_list = [here | {"name": name, "input": str(path), "out_dir": str(out.resolve()), "tmp_dir": tmp_dir,
                 "parameters": overrides[name], "cwd": str(notebooks_dir), "html": html, "show_code": show_code,
                 "timeout": timeout, "data_dir": str(data_path or default_data),
                 "progress_bar": bool(progress) and n_workers == 1} for name, path in selected.items()]
    try:
        entries = pool.schedule(longest_first(job_list, out), n_workers, timeout,
                                pool.Progress(len(job_list), n_workers > 1, progress), ctx)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)

    reports = []
    for entry in entries:
        name = entry["name"]
        values = {p.name: p.default for p in declared[name]} | overrides[name]
        checksum_dir = _data_dir_of(values, default_data, notebooks_dir)
        reports.append({"name": name, "title": nbs.title(selected[name]), "status": entry["status"],
                        "error": entry.get("error"), "error_cell": entry.get("error_cell"),
                        "parameters": values, "overrides": overrides[name],
                        "duration_s": entry.get("duration_s"), "files": entry.get("files", {}),
                        "results": entry.get("results", {}), "data_dir": str(checksum_dir),
                        "data_sha256": _checksum_or_none(checksum_dir), "run_at": started})
    status = "ok" if all(r["status"] == "ok" for r in reports) else "failed"
    reports = sorted(reports + _earlier_reports(out, set(selected)), key=lambda r: str(r.get("name")))
    manifest = {
        "kit": "vnru", "kit_version": __version__, "started": started, "finished": _now(),
        "duration_s": round(time.monotonic() - clock, 2), "status": status,
        "data_dir": str(default_data), "data_sha256": _checksum_or_none(default_data),
        "notebooks_dir": str(notebooks_dir), "jobs": n_workers, "html": html, "timeout_s": timeout,
        "software": software_versions(), "reports": reports,
    }
    atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    atomic_write(out / "index.html", render_index(manifest))
    return manifest


def _make_run_dir(out: Path) -> str:
    """Create ``out`` (and parents) and the run's private temp dir in it; a path that cannot be made is a UsageError."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return tempfile.mkdtemp(prefix=".vnru-run-", dir=out.resolve())
    except OSError as exc:
        blocker = next((p for p in [out, *out.parents] if p.exists() and not p.is_dir()), None)
        why = f"{blocker} is a file, not a directory" if blocker else f"cannot write there ({exc.strerror or exc})"
        raise UsageError(f"--out {out}: {why}") from None


def longest_first(job_list, out) -> list:
    """The jobs, longest first, so that the last one to start is short and the run ends sooner.

    Length is the seconds a notebook took in the previous run into ``out``, else its number of code cells.
    """
    last = _last_durations(out)
    return sorted(job_list, key=lambda j: (-last.get(j["name"], 0.0), -nbs.code_cells(j["input"])))


def _last_durations(out) -> dict:
    """Seconds each notebook took in the previous run into ``out`` (none known: {})."""
    try:
        old = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {r["name"]: float(r["duration_s"]) for r in old.get("reports", []) if r.get("duration_s")}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}


def _earlier_reports(out, names) -> list:
    """Entries of the previous manifest in ``out`` for notebooks not run now, while their files are there."""
    try:
        old = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return [r | {"run_at": r.get("run_at") or old.get("started")} for r in old.get("reports", [])
                if r.get("name") not in names and r.get("files")
                and all((out / f).is_file() for f in r["files"].values())]
    except (OSError, ValueError, AttributeError, TypeError):
        return []


def _data_dir_of(values, default_data, notebooks_dir):
    """The data directory a notebook read: its data_dir parameter (relative to the notebooks), else the default."""
    chosen = values.get("data_dir") if isinstance(values.get("data_dir"), str) and values.get("data_dir") else None
    if chosen is None:
        return default_data
    path = Path(chosen).expanduser()
    return (path if path.is_absolute() else notebooks_dir / path).resolve()


def _checksum_or_none(directory):
    """The data checksum, or None when the directory cannot be read (the notebook reports that itself)."""
    try:
        return data_checksum(directory) if directory and Path(directory).is_dir() else None
    except OSError:
        return None
