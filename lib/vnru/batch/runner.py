"""Batch runs: plan the notebooks and their parameters, run them (vnru.batch.executors.local), write manifest.json and index.html.

``run_notebooks`` is the Python API that ``vnru run`` mirrors. Each notebook runs in its own
process (``jobs`` at a time); a notebook past its ``timeout`` is stopped and reported as failed.
One run at a time holds an output directory (vnru.batch.outdir); every file is published atomically (vnru.atomic).
"""

import datetime as _dt
import json
import math
import os
import time
import uuid
from pathlib import Path

from vnru import atomic
from vnru.batch import notebooks as nbs
from vnru.batch import outdir
from vnru.batch import sweep as sweeps
from vnru.batch.executors import local as pool
from vnru.batch.jobs import failed
from vnru.data.version import data_checksum
from vnru.errors import UsageError
from vnru.report.provenance import software_versions

DEFAULT_MAX_OUTPUT_MB = 50  # a notebook's outputs past this stop it: a printing loop cannot eat the memory


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def run_notebooks(names=None, parameters=None, *, out_dir="reports", notebooks_dir=None, jobs=None,
                  html=True, show_code=False, timeout=None, data_dir=None, progress=False,
                  max_output_mb=DEFAULT_MAX_OUTPUT_MB, sweep=None, warm_kernels=True, executor="local",
                  scheduler=None, force=False, cache_dir=None) -> dict:
    """Execute the named notebooks (all by default) into ``out_dir``; return the manifest.

    ``parameters`` is a mapping, or a list of ``(origin, mapping)`` applied in order (see
    :func:`vnru.batch.notebooks.plan`: plain keys, ``NAME.KEY`` keys and per-notebook sections).
    Unknown notebooks or parameters raise UsageError before anything runs. A notebook whose
    outputs pass ``max_output_mb`` megabytes is stopped and failed (None: no cap). SIGTERM and
    SIGHUP stop the run as Ctrl-C does (KeyboardInterrupt); another run holding ``out_dir`` is a UsageError.
    ``sweep`` maps parameters (as in ``parameters``) to lists of values: one run per combination (vnru.batch.sweep);
    a ``sweep`` mapping inside ``parameters`` (top level or in a notebook's section) does the same.
    ``warm_kernels``: kernels are started and pre-imported ahead, one fresh kernel per notebook (vnru.batch.executors.warm).
    ``executor="dask"`` runs the notebooks on the Dask scheduler at ``scheduler`` (None: a local cluster);
    the reports are still written here (vnru.batch.executors.dask).
    A report whose notebook, parameters, kit, packages and the data files it read are unchanged since the previous
    run into ``out`` (or into ``cache_dir``) is reused, not run (vnru.batch.cache); ``force`` runs everything.
    ``progress``: False (quiet), True (one line per notebook) or "bars" (papermill's cell bars, one notebook at a time).
    """
    from vnru.batch import runchecks as checks
    from vnru.paths import BUNDLED_DATA_DIR, default_notebooks_dir, resolve_data_dir

    out = checks.path_arg("--out", out_dir)
    cache_dir = None if cache_dir is None else checks.path_arg("--cache", cache_dir)
    notebooks_dir = checks.path_arg("--notebooks-dir", default_notebooks_dir() if notebooks_dir is None else notebooks_dir)
    notebooks_dir = notebooks_dir.resolve()
    jobs, timeout = checks.jobs_arg(jobs), checks.timeout_arg(timeout)
    _executor_arg(executor, scheduler)
    available = nbs.discover(notebooks_dir)
    selected = nbs.select(available, checks.names_arg(names))
    if not selected:
        raise UsageError(f"no notebooks in {notebooks_dir}")
    if max_output_mb is not None and not (isinstance(max_output_mb, (int, float)) and max_output_mb > 0
                                          and math.isfinite(max_output_mb)):
        raise UsageError(f"--max-output must be a positive number of megabytes; got {max_output_mb}")
    declared, broken = checks.read_notebooks(selected)  # a broken notebook fails alone; the others run
    runnable = {name: path for name, path in selected.items() if name not in broken}
    sources = list(parameters) if isinstance(parameters, (list, tuple)) else [("parameters", parameters or {})]
    sources, sweep_sources = sweeps.split(sources)
    sweep_sources += [("sweep", sweep)] if sweep is not None else []
    data_path = resolve_data_dir(data_dir) if data_dir else None
    default_data = data_path or resolve_data_dir(None)  # resolved once, from here: kernels get it absolute
    if data_path:
        sources.insert(0, ("--data-dir", {n: {"data_dir": str(data_path)} for n in runnable
                                           if any(p.name == "data_dir" for p in declared[n])}))
    overrides = nbs.plan(runnable, declared, sources, available) if runnable else {}
    runs = sweeps.expand(runnable, declared, overrides, sweep_sources, available, selected)
    overrides = {run["stem"]: run["overrides"] for run in runs}  # from here, per run (a file stem)
    checks.refuse_unencodable(overrides)
    for values in overrides.values():  # a relative data_dir is meant from where vnru runs, not from notebooks/
        if isinstance(values.get("data_dir"), str) and values["data_dir"] and not Path(values["data_dir"]).is_absolute():
            values["data_dir"] = str(Path(values["data_dir"]).expanduser().resolve())
    read_dirs = {run["stem"]: _data_dir_of({p.name: p.default for p in declared[run["notebook"]]} | run["overrides"],
                                           default_data, notebooks_dir) for run in runs}
    read_dirs |= {name: default_data for name in broken}
    checks.refuse_writing_into_data(out, notebooks_dir, [default_data, BUNDLED_DATA_DIR, *read_dirs.values()])
    checks.refuse_other_schemas([default_data, *read_dirs.values()])
    checks.previous_manifest(out, warn=True)  # a malformed one is named now, not after the notebooks ran

    # From here SIGTERM/SIGHUP stop the run like Ctrl-C, and the run holds `out` alone (another run is refused).
    with pool.stoppable(), outdir.claimed(out) as tmp_dir:
        ctx = pool.context  # started in _run, once a notebook is to run: a mistake or a fully reused run costs none
        plan = {"selected": selected, "runnable": runnable, "broken": broken, "declared": declared,
                "overrides": overrides, "read_dirs": read_dirs, "runs": runs}
        return _run(plan, out, tmp_dir, ctx, notebooks_dir, data_path, default_data,
                    jobs=jobs, html=html, show_code=show_code, timeout=timeout, progress=progress,
                    warm_kernels=bool(warm_kernels) and executor == "local", scheduler=scheduler,
                    executor=executor, force=force, cache_dir=cache_dir,
                    max_output_bytes=int(max_output_mb * 1e6) if max_output_mb else 0)


def _run(plan, out, tmp_dir, ctx, notebooks_dir, data_path, default_data, *, jobs,
         html, show_code, timeout, progress, max_output_bytes, warm_kernels=False, executor="local",
         scheduler=None, force=False, cache_dir=None) -> dict:
    """Run the planned notebooks with ``out`` held; write the manifest and index; the manifest."""
    from vnru import __version__
    from vnru.batch import cache
    from vnru.batch import runchecks as checks
    from vnru.batch.index import render_index
    from vnru.paths import DATA_DIR_ENV

    selected, runnable, broken = plan["selected"], plan["runnable"], plan["broken"]
    declared, overrides, read_dirs = plan["declared"], plan["overrides"], plan["read_dirs"]
    runs = plan.get("runs") or [{"notebook": n, "stem": n, "overrides": overrides[n], "sweep": None} for n in runnable]
    todo, reused, cached = cache.select(runs, plan | {"runs": runs}, out, tmp_dir, html=html, show_code=show_code,
                                        force=force, cache_dir=cache_dir, progress=progress, track=executor == "local")
    ctx = ctx() if callable(ctx) and todo else ctx  # the fork server (vnru.batch.executors.local.context)
    n_workers = min(jobs or os.cpu_count() or 1, max(len(todo), 1))
    started, clock, run_id = _now(), time.monotonic(), uuid.uuid4().hex
    # the fork server was started by an earlier run, perhaps elsewhere: each job carries where and with what it runs
    # (a relative $VNRU_DATA_DIR would be read from notebooks/ by the kernels: it goes absolute);
    # every kernel reads default_data (the data the manifest names), whatever folder it starts in
    environ = dict(os.environ) | ({DATA_DIR_ENV: str(default_data)} if os.environ.get(DATA_DIR_ENV) else {})
    here = {"workdir": os.getcwd(), "environ": environ}
    checksums = {}

    def checksum(directory):  # each data directory is read once a run
        if directory not in checksums:
            checksums[directory] = _checksum_or_none(directory)
        return checksums[directory]

    def provenance(stem):  # a Dask worker checks that it reads the data the manifest names (vnru.batch.executors.dask)
        return {"read_dir": str(read_dirs[stem]), "data_sha256": checksum(read_dirs[stem])} if executor == "dask" else {}

    job_list = [here | {"environ": environ | run["environ"], "name": run["stem"], "notebook": run["notebook"], "input": str(runnable[run["notebook"]]),
                 "out_dir": str(out.resolve()), "tmp_dir": tmp_dir,
                 "parameters": run["overrides"], "cwd": str(notebooks_dir), "html": html, "show_code": show_code,
                 "timeout": timeout, "data_dir": str(data_path or default_data),
                 "max_output_bytes": max_output_bytes,
                 "progress_bar": progress == "bars" and n_workers == 1} | provenance(run["stem"]) for run in todo]
    kernels = None
    if warm_kernels and job_list:
        from vnru.batch.executors.warm import WarmKernels
        from vnru.batch.executors.worker import KERNEL_NAME

        kernels = WarmKernels(n_workers, str(notebooks_dir), environ | {DATA_DIR_ENV: str(data_path or default_data)},
                              KERNEL_NAME, forked=len(job_list) > 1)  # one notebook: a zygote would only add a process
    progress_display = pool.Progress(len(job_list), True, progress)  # one line per notebook, however many
    done = {}  # job name -> entry, as each finishes: what a stopped run published
    try:
        if not job_list:  # every report reused
            entries = []
        elif executor == "dask":
            from vnru.batch.executors import dask as dask_executor

            entries = dask_executor.schedule(longest_first(job_list, out), scheduler, progress_display, jobs, done)
        else:
            entries = pool.schedule(longest_first(job_list, out), n_workers, timeout, progress_display, ctx, kernels,
                                    done)
    except KeyboardInterrupt:  # the index and manifest describe exactly the reports now in `out`, marked stopped
        if not any(entry.get("files") for entry in done.values()):
            raise  # nothing of this run was published: the previous index still tells what `out` holds
        entries, stopped = list(done.values()), {"stopped": True, "planned": len(job_list)}
    else:
        stopped = {}
    entries += reused + [failed(name, why) for name, why in broken.items()]

    reports = []
    by_stem = {run["stem"]: run for run in runs}
    for entry in entries:
        stem = entry["name"]
        run = by_stem.get(stem) or {"notebook": stem, "overrides": {}, "sweep": None}
        name = run["notebook"]
        values = {p.name: p.default for p in declared.get(name, [])} | run["overrides"]
        title = name if name in broken else nbs.title(selected[name])
        swept = {"sweep": {"id": f"{name}-{run_id[:12]}", "keys": run["sweep"]["keys"]}} if run["sweep"] else {}
        reports.append(swept | {"name": name, "stem": stem, "title": title, "status": entry["status"],
                        "error": entry.get("error"), "error_cell": entry.get("error_cell"),
                        "parameters": values, "overrides": run["overrides"],
                        "duration_s": entry.get("duration_s"), "files": entry.get("files", {}),
                        "downloads": entry.get("downloads", {}),
                        "results": {k: v for k, v in (entry.get("results") or {}).items() if k != "findings"},
                        "findings": entry.get("findings") or (entry.get("results") or {}).get("findings") or [],
                        "data_dir": str(read_dirs[stem]),
                        "data_sha256": checksum(read_dirs[stem]), "run_at": started, "run_id": run_id})
    cache.record(reports, cached, out, run_at=started, cache_dir=cache_dir)
    status = "stopped" if stopped else "ok" if all(r["status"] == "ok" for r in reports) else "failed"
    order = {run["stem"]: i for i, run in enumerate(runs)}  # a sweep's runs in the order of its values
    ran = {r["name"] for r in reports} if stopped else set(selected)  # stopped: the others' earlier reports stay
    reports = sorted(reports + _earlier_reports(out, ran),
                     key=lambda r: (str(r.get("name")), order.get(r.get("stem"), -1), str(r.get("stem"))))
    manifest = checks.strict_json({
        "kit": "vnru", "kit_version": __version__, "run_id": run_id, "started": started, "finished": _now(),
        "duration_s": round(time.monotonic() - clock, 2), "status": status, **stopped,
        "data_dir": str(default_data), "data_sha256": checksum(default_data),
        "notebooks_dir": str(notebooks_dir), "jobs": n_workers, "html": html, "timeout_s": timeout,
        "max_output_mb": max_output_bytes / 1e6 if max_output_bytes else None, "warm_kernels": bool(warm_kernels),
        "executor": executor, **({"scheduler": scheduler} if scheduler else {}),
        "software": software_versions(), "reports": reports,
    })
    tables = {out / sweeps.csv_name(group): sweeps.to_csv(group) for group in sweeps.groups(reports).values()}
    atomic.write_together(tables | {out / "manifest.json": json.dumps(manifest, indent=2, ensure_ascii=False,
                                                                       allow_nan=False) + "\n",
                                    out / "index.html": render_index(manifest)})
    if stopped:
        raise KeyboardInterrupt
    return manifest


def _executor_arg(executor, scheduler) -> None:
    """``executor`` is "local" or "dask" (installed); ``scheduler`` goes with dask only."""
    if executor not in ("local", "dask"):
        raise UsageError(f"--executor must be local or dask; got {nbs.shown(executor)}")
    if scheduler is not None and (executor != "dask" or not isinstance(scheduler, str) or not scheduler.strip()):
        raise UsageError("--scheduler ADDRESS goes with --executor dask (an address such as tcp://host:8786)")
    if executor == "dask":
        from vnru.batch.executors.dask import require

        require()


def longest_first(job_list, out) -> list:
    """The jobs, longest first, so that the last one to start is short and the run ends sooner.

    Length is the seconds a notebook took in the previous run into ``out``, else its number of code cells.
    """
    last = _last_durations(out)
    return sorted(job_list, key=lambda j: (-last.get(j["name"], 0.0), -nbs.code_cells(j["input"])))


def _last_durations(out) -> dict:
    """Seconds each notebook took in the previous run into ``out`` (none known: {})."""
    from vnru.batch.runchecks import previous_manifest

    return {r.get("stem") or r["name"]: float(r["duration_s"]) for r in previous_manifest(out).get("reports", [])
            if r.get("duration_s")}


def _earlier_reports(out, names) -> list:
    """Entries of the previous manifest in ``out`` for notebooks not run now, while their files are there."""
    from vnru.batch.runchecks import previous_manifest

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

__all__ = [
    "DEFAULT_MAX_OUTPUT_MB", "data_checksum", "longest_first", "run_notebooks", "software_versions",
]
