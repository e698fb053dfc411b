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
    """sha256 over the data package's own files in ``data_dir``: the tables datapackage.json names, and
    datapackage.json when the directory has one, sorted by name (name, NUL, bytes, NUL). Each file is read
    once, in chunks; other files in the directory (an unrelated large CSV) are never opened."""
    from vnru import datapackage

    digest = hashlib.sha256()
    directory = Path(data_dir)
    own = {datapackage.resource(name)["path"] for name in datapackage.table_names()} | {"datapackage.json"}
    for name in sorted(own):
        path = directory / name
        if not path.is_file():
            continue
        digest.update(name.encode() + b"\0")
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")
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
    from vnru import runchecks as checks
    from vnru.paths import BUNDLED_DATA_DIR, DATA_DIR_ENV, NOTEBOOKS_DIR, resolve_data_dir
    from vnru.report import render_index

    out = checks.path_arg("--out", out_dir)
    notebooks_dir = checks.path_arg("--notebooks-dir", NOTEBOOKS_DIR if notebooks_dir is None else notebooks_dir)
    notebooks_dir = notebooks_dir.resolve()
    jobs, timeout = checks.jobs_arg(jobs), checks.timeout_arg(timeout)
    available = nbs.discover(notebooks_dir)
    selected = nbs.select(available, checks.names_arg(names))
    if not selected:
        raise UsageError(f"no notebooks in {notebooks_dir}")
    declared, broken = checks.read_notebooks(selected)  # a broken notebook fails alone; the others run
    runnable = {name: path for name, path in selected.items() if name not in broken}
    sources = list(parameters) if isinstance(parameters, (list, tuple)) else [("parameters", parameters or {})]
    data_path = resolve_data_dir(data_dir) if data_dir else None
    default_data = data_path or resolve_data_dir(None)  # resolved once, from here: kernels get it absolute
    if data_path:
        sources.insert(0, ("--data-dir", {n: {"data_dir": str(data_path)} for n in runnable
                                           if any(p.name == "data_dir" for p in declared[n])}))
    overrides = nbs.plan(runnable, declared, sources, available) if runnable else {}
    for values in overrides.values():  # a relative data_dir is meant from where vnru runs, not from notebooks/
        if isinstance(values.get("data_dir"), str) and values["data_dir"] and not Path(values["data_dir"]).is_absolute():
            values["data_dir"] = str(Path(values["data_dir"]).expanduser().resolve())
    read_dirs = {name: _data_dir_of({p.name: p.default for p in declared.get(name, [])} | overrides.get(name, {}),
                                    default_data, notebooks_dir) for name in selected}
    checks.refuse_writing_into_data(out, notebooks_dir, [default_data, BUNDLED_DATA_DIR, *read_dirs.values()])
    checks.previous_manifest(out, warn=True)  # a malformed one is named now, not after the notebooks ran

    ctx = pool.context()  # after every usage check: a mistake costs no fork server
    n_workers = min(jobs or os.cpu_count() or 1, max(len(runnable), 1))
    started, clock = _now(), time.monotonic()
    tmp_dir = _make_run_dir(out)
    # the fork server was started by an earlier run, perhaps elsewhere: each job carries where and with what it runs
    # (a relative $VNRU_DATA_DIR would be read from notebooks/ by the kernels: it goes absolute)
    environ = dict(os.environ) | ({DATA_DIR_ENV: str(default_data)} if os.environ.get(DATA_DIR_ENV) else {})
    here = {"workdir": os.getcwd(), "environ": environ}
    job_list = [here | {"name": name, "input": str(path), "out_dir": str(out.resolve()), "tmp_dir": tmp_dir,
                 "parameters": overrides[name], "cwd": str(notebooks_dir), "html": html, "show_code": show_code,
                 "timeout": timeout, "data_dir": str(data_path) if data_path else None,
                 "progress_bar": bool(progress) and n_workers == 1} for name, path in runnable.items()]
    try:
        entries = pool.schedule(longest_first(job_list, out), n_workers, timeout,
                                pool.Progress(len(job_list), n_workers > 1, progress), ctx)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    entries += [{"name": name, "status": "failed", "error": why, "files": {}} for name, why in broken.items()]

    reports, checksums = [], {}

    def checksum(directory):  # each data directory is read once a run
        if directory not in checksums:
            checksums[directory] = _checksum_or_none(directory)
        return checksums[directory]

    for entry in entries:
        name = entry["name"]
        values = {p.name: p.default for p in declared.get(name, [])} | overrides.get(name, {})
        title = name if name in broken else nbs.title(selected[name])
        reports.append({"name": name, "title": title, "status": entry["status"],
                        "error": entry.get("error"), "error_cell": entry.get("error_cell"),
                        "parameters": values, "overrides": overrides.get(name, {}),
                        "duration_s": entry.get("duration_s"), "files": entry.get("files", {}),
                        "results": entry.get("results", {}), "data_dir": str(read_dirs[name]),
                        "data_sha256": checksum(read_dirs[name]), "run_at": started})
    status = "ok" if all(r["status"] == "ok" for r in reports) else "failed"
    reports = sorted(reports + _earlier_reports(out, set(selected)), key=lambda r: str(r.get("name")))
    manifest = checks.strict_json({
        "kit": "vnru", "kit_version": __version__, "started": started, "finished": _now(),
        "duration_s": round(time.monotonic() - clock, 2), "status": status,
        "data_dir": str(default_data), "data_sha256": checksum(default_data),
        "notebooks_dir": str(notebooks_dir), "jobs": n_workers, "html": html, "timeout_s": timeout,
        "reports": reports,
    })
    atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False, allow_nan=False) + "\n")
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
    from vnru.runchecks import previous_manifest

    return {r["name"]: float(r["duration_s"]) for r in previous_manifest(out).get("reports", [])
            if r.get("duration_s")}


def _earlier_reports(out, names) -> list:
    """Entries of the previous manifest in ``out`` for notebooks not run now, while their files are there."""
    from vnru.runchecks import previous_manifest

    old = previous_manifest(out)
    return [r | {"run_at": r.get("run_at") or old.get("started")} for r in old.get("reports", [])
            if r["name"] not in names and r.get("files") and all((out / f).is_file() for f in r["files"].values())]


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
