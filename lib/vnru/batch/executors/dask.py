"""``--executor dask``: the jobs of a batch run on a Dask distributed cluster (optional extra ``vnru[dask]``).

Workers execute: each task gets the notebook's text and its parameters, runs it with papermill (vnru.batch.executors.worker,
cold kernel, output cap, per-notebook timeout) in a private temporary directory on the worker, and returns
the executed notebook and HTML as bytes with the entry (status, error, results). The runner writes the reports
(atomically, with the manifest), as for local runs. A worker needs only the kit installed and the data
directory reachable at the same path: it checks that first and fails the notebook with one line if it cannot.
Run workers with one thread each (``--nthreads 1``): papermill changes the process's working directory.
"""

import os
import socket
import tempfile
import threading
import time
from pathlib import Path

from vnru import atomic
from vnru.batch.jobs import failed, not_published
from vnru.errors import UsageError

EXTRA = "pip install 'vnru[dask]'"
CONNECT_TIMEOUT_S = 10  # to reach a scheduler given with --scheduler


def require() -> None:
    """A UsageError naming the extra when dask.distributed is not installed."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError(f"--executor dask needs dask and distributed: {EXTRA}") from None


def connect(scheduler=None, n_workers=None):
    """(client, cluster): a client of the scheduler at ``scheduler``, else of a new LocalCluster (cluster then
    set, to be closed): ``n_workers`` worker processes (default: one per core), one thread each."""
    import logging

    from distributed import Client, LocalCluster

    # start-up and shut-down chatter, and the tracebacks it logs when a scheduler dies: each job's entry says it
    # (distributed's config gives some of its loggers a level of their own, e.g. distributed.client)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "tornado", "asyncio"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if scheduler:
        try:
            _greets(scheduler)
            return Client(scheduler, timeout=f"{CONNECT_TIMEOUT_S}s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {' '.join(str(exc).split())}") from None
    # no dashboard, and its HTTP server (health checks) on a free local port: no "Port 8787 is already in use"
    cluster = LocalCluster(n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None,
                           scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    return Client(cluster), cluster


def _greets(address) -> None:
    """A TimeoutError unless a ``tcp://`` ``address`` answers as a Dask scheduler does (it speaks first, on
    connect) within CONNECT_TIMEOUT_S: the Client would wait forever on the dashboard's port or any HTTP server."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address, strict=False)
    if scheme != "tcp":
        return
    host, port = parse_host_port(location)
    with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S) as probe:
        probe.settimeout(CONNECT_TIMEOUT_S)
        try:
            greeting = probe.recv(1)
        except TimeoutError:
            greeting = None
    if not greeting:
        raise TimeoutError(f"port {port} answers, but not as a Dask scheduler (no greeting within "
                           f"{CONNECT_TIMEOUT_S} s); a scheduler listens on 8786 by default, its dashboard on 8787")


def cannot_see(job) -> str | None:
    """Why this worker cannot run ``job`` (the data directory it reads is not reachable here), else None."""
    dirs = [job.get("data_dir")]
    own = (job.get("parameters") or {}).get("data_dir")
    dirs += [own] if isinstance(own, str) and own and Path(own).is_absolute() else []
    for directory in filter(None, dirs):
        if not (Path(directory).is_dir() and os.access(directory, os.R_OK | os.X_OK)):
            return (f"worker {socket.gethostname()} cannot see the data directory {directory}; "
                    "make it reachable at the same path on every worker")
    return None


def stale_data(job) -> str | None:
    """Why this worker must not run ``job``: the data it would read differs from the runner's copy, whose
    sha256 the manifest records (an old NFS cache, a node with old data); else None."""
    from vnru.data.version import data_checksum as checksum

    expected, directory = job.get("data_sha256"), job.get("read_dir")
    if not expected or not directory or not Path(directory).is_dir():
        return None
    found = checksum(directory)
    if found == expected:
        return None
    return (f"worker {socket.gethostname()} reads different data at {directory} (sha256 {found[:12]}, the run's "
            f"{expected[:12]}): a stale copy; sync the data on every worker")


def run_on_worker(job: dict, notebook_text: str) -> dict:
    """On a Dask worker: execute ``job`` in a private directory; ``{"entry", "files": {kind: bytes}}``."""
    from vnru.batch.executors import kernel
    from vnru.batch.executors import worker as execute

    started = time.monotonic()
    why = cannot_see(job) or stale_data(job)
    if why:
        return {"entry": failed(job["name"], why, duration_s=0.0), "files": {}}
    with tempfile.TemporaryDirectory(prefix="vnru-dask-") as work:
        source = Path(work) / "input.ipynb"
        source.write_text(notebook_text, encoding="utf-8")
        (Path(work) / "out").mkdir()
        local = job | {"input": str(source), "tmp_dir": work, "out_dir": str(Path(work) / "out"),
                       "published_dir": job["out_dir"],
                       "cwd": job["cwd"] if Path(job["cwd"]).is_dir() else work}
        execute._stop.clear()  # a worker process runs many tasks, one at a time
        kernel._running.clear()
        timer = None
        if job.get("timeout"):
            def stop():
                execute._stop.append("timeout")
                kernel.kill_kernel()
            timer = threading.Timer(job["timeout"], stop)
            timer.start()
        try:
            entry = execute.execute(local)
        finally:
            if timer is not None:
                timer.cancel()
        files = {kind: (Path(work) / "out" / name).read_bytes() for kind, name in entry.get("files", {}).items()}
        downloads = {rel: (Path(work) / "out" / rel).read_bytes()  # charts and tables travel with the report
                     for paths in (entry.get("downloads") or {}).values() for rel in paths}
    entry["duration_s"] = round(time.monotonic() - started, 2)
    return {"entry": entry, "files": files, "downloads": downloads}


def publish(job: dict, returned: dict) -> dict:
    """Write the files a worker returned into the report directory, each complete before it is renamed."""
    entry, name, out_dir = returned["entry"], job["name"], Path(job["out_dir"])
    staged = {}
    try:
        for kind, content in returned["files"].items():
            staged[kind] = atomic.stage(content, out_dir / f"{name}.{kind}", job["tmp_dir"])
        if staged and not job.get("html", True):
            (out_dir / f"{name}.html").unlink(missing_ok=True)  # no stale page beside a new notebook
        folder = None
        if returned.get("downloads"):  # staged whole in the run's temp dir, then put in place as one folder
            folder = Path(job["tmp_dir"]) / f"{name}.downloads" / name
            for rel, content in returned["downloads"].items():
                (folder.parent / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder.parent / rel).write_bytes(content)
        for kind, tmp in staged.items():
            atomic.publish(tmp, out_dir / f"{name}.{kind}")
        if staged:
            atomic.publish_dir(folder, out_dir / name)
    except atomic.PublishError as exc:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        return not_published(entry, f"cannot write {exc.path.name}: {exc.reason}")
    return entry | {"files": {kind: f"{name}.{kind}" for kind in staged}}


def schedule(jobs, scheduler, progress, n_workers=None, done=None) -> list:
    """Run every job on the cluster; the entries in job order. Ctrl-C cancels what has not finished.

    ``done`` (a dict) gets job name -> entry as each job finishes: after a Ctrl-C, what was published."""
    from distributed import as_completed

    client, cluster = connect(scheduler, n_workers)
    futures = {}
    try:
        for job in jobs:
            remote = {k: v for k, v in job.items() if k not in ("environ", "workdir", "progress_bar")}
            text = Path(job["input"]).read_text(encoding="utf-8-sig")
            progress.start(job["name"])
            futures[client.submit(run_on_worker, remote, text, key=f"vnru-{job['name']}-{os.urandom(4).hex()}",
                                  pure=False)] = job
        entries = {} if done is None else done
        for future in as_completed(futures):
            job = futures[future]
            try:
                entry = publish(job, future.result())
            except Exception as exc:  # noqa: BLE001 -- a worker that could not run the task: one line
                entry = failed(job["name"], _worker_error(exc))
            entries[job["name"]] = entry
            progress.finish(entry)
        return [entries[job["name"]] for job in jobs]
    except BaseException:
        client.cancel(list(futures))
        raise
    finally:
        progress.close()
        client.close()
        if cluster is not None:
            cluster.close()


def _worker_error(exc) -> str:
    from vnru.batch.executors.worker import one_line

    if isinstance(exc, ModuleNotFoundError) and "vnru" in str(exc):
        return f"a Dask worker cannot import vnru: install the kit on every worker ({EXTRA})"
    return one_line(f"the Dask worker failed: {type(exc).__name__}: {exc}")

__all__ = [
    "EXTRA", "cannot_see", "connect", "publish", "require", "run_on_worker", "schedule",
]
