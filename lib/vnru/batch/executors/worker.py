"""Execute one notebook with papermill in a worker process and publish its report files atomically.

The worker writes into the run's private temporary directory; only once the notebook and its HTML are
complete on disk are they renamed into the report directory (vnru.atomic), so a good report is never
replaced by a half-written or empty one. A notebook that fails is kept as papermill leaves it (error
banner, partial outputs). Told to stop (SIGTERM at its timeout; SIGUSR1 on an interrupt or when the
runner is gone) a worker kills its kernel at once, so the stop is prompt however busy the notebook is.
"""

import logging
import os
import re
import signal
import sys
import time
from pathlib import Path

from vnru import atomic
from vnru.batch import lifeline
from vnru.batch.jobs import failed, not_published

KERNEL_NAME = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_stop = []  # why this worker was told to stop: "timeout" (SIGTERM) and/or "abort" (SIGUSR1)


class Stopped(BaseException):
    """Raised inside a worker when the runner stops it at its timeout (SIGTERM): the partial notebook is kept.

    A BaseException, like KeyboardInterrupt, so that no library's ``except Exception`` swallows it.
    """


class Aborted(Stopped):
    """Raised inside a worker when the run is interrupted (SIGUSR1): nothing is published."""


def one_line(text) -> str:
    """``text`` without colour codes, squeezed onto one line and kept short."""
    flat = " ".join(_ANSI.sub("", str(text)).split())
    return flat if len(flat) <= 300 else flat[:297] + "..."


def describe_error(exc, timeout=None) -> tuple:
    """(one-line message, failing cell number or None) for an exception raised while executing."""
    from papermill.exceptions import PapermillExecutionError

    from vnru.batch.executors.kernel import OutputTooLarge

    if isinstance(exc, OutputTooLarge):
        return str(exc), exc.cell
    if isinstance(exc, PapermillExecutionError):
        return one_line(f"{exc.ename}: {exc.evalue}" if exc.evalue else exc.ename), exc.exec_count
    if isinstance(exc, Stopped):
        return (f"timed out after {timeout:g} s" if timeout else "stopped"), None
    name = type(exc).__name__
    if name == "DeadKernelError":
        return "the kernel died (DeadKernelError)", None
    if name == "CellTimeoutError":
        return (f"timed out after {timeout:g} s" if timeout else one_line(str(exc))), None
    return one_line(f"{name}: {exc}"), None


# JupyterLab's page without the two scripts it loads from a CDN (require.js, MathJax): a report opens offline
# with no failed request; notebooks write formulas as plain text.
def _not_published(entry: dict, why: str) -> dict:
    """``entry`` failed with ``why``: nothing of it was published and the previous report stays."""
    return not_published(entry, one_line(why))


def publish(job: dict, entry: dict, wanted=lambda: True) -> dict:
    """Move the executed notebook and its HTML from the temp dir into place once both are complete on disk.

    A notebook papermill could not finish writing (disk full, a value it could not encode) is never
    published. Nothing is renamed when ``wanted()`` turns false (the runner is gone).
    """
    import nbformat

    from vnru.batch import page  # here, not at the top: the runner imports this module and needs no pandas
    from vnru.batch.executors.banners import mark_failure
    from vnru.batch.nbhtml import to_html
    from vnru.report.downloads import listing
    from vnru.report.results import read_results

    tmp_dir, name, out_dir = Path(job["tmp_dir"]), job["name"], Path(job["out_dir"])
    tmp_nb = tmp_dir / f"{name}.ipynb"
    if not tmp_nb.exists():
        return entry
    try:
        notebook = nbformat.read(str(tmp_nb), as_version=4)
    except Exception as exc:  # noqa: BLE001 -- truncated or empty: papermill's write did not finish
        return _not_published(entry, f"the executed notebook is incomplete ({type(exc).__name__})")
    # papermill named the run's temporary file: the notebook names the path it is published at
    published = Path(job.get("published_dir") or out_dir)  # a Dask worker writes elsewhere; the runner publishes
    notebook.metadata.setdefault("papermill", {})["output_path"] = str(published / f"{name}.ipynb")
    if entry.get("status") == "failed":  # stopped: it says so at the top and where, as papermill marks an error
        mark_failure(notebook, entry.get("error") or "failed")
    try:
        staged = {f"{name}.ipynb": atomic.stage(nbformat.writes(notebook), out_dir / f"{name}.ipynb", tmp_dir)}
    except atomic.PublishError as exc:
        return _not_published(entry, f"cannot save the executed notebook: {exc.reason}")
    except Exception as exc:  # noqa: BLE001 -- a value nbformat cannot write
        return _not_published(entry, f"cannot save the executed notebook: {one_line(exc)}")
    try:
        entry["results"] = read_results(notebook)
    except Exception as exc:  # noqa: BLE001 -- an unreadable notebook is still kept, as papermill left it
        entry.update(status="failed", error=entry.get("error") or one_line(f"cannot read results: {exc}"))
    downloads = tmp_dir / name
    entry["downloads"] = listing(downloads) if downloads.is_dir() else {}
    if job.get("html", True):
        try:
            body = page.render(notebook, job, entry, lambda nb, show: to_html(nb, show, name))  # vnru.batch.page
        except Exception as exc:  # noqa: BLE001 -- the executed notebook is still published
            entry.update(status="failed", error=entry.get("error") or one_line(f"HTML conversion failed: {exc}"))
        else:
            try:
                staged[f"{name}.html"] = atomic.stage(body, out_dir / f"{name}.html", tmp_dir)
            except atomic.PublishError as exc:
                return _not_published(entry, f"cannot write {exc.path.name}: {exc.reason}")
    if not wanted():
        return _not_published(entry, "the run was stopped")
    if not job.get("html", True):
        (out_dir / f"{name}.html").unlink(missing_ok=True)  # no stale page beside a new notebook
    try:
        for final, tmp in staged.items():
            atomic.publish(tmp, out_dir / final)
        atomic.publish_dir(downloads if downloads.is_dir() else None, out_dir / name)
    except atomic.PublishError as exc:
        return _not_published(entry, f"cannot write {exc.path.name}: {exc.reason}")
    entry["files"] = {kind: f"{name}.{kind}" for kind in ("ipynb", "html") if f"{name}.{kind}" in staged}
    return entry


def _on_signal(signum, frame):
    """SIGTERM (timeout) or SIGUSR1 (abort): kill the kernel, which ends the running cell within a second.

    Without a live kernel the stop is raised here. Raising while nbclient's output task runs would be
    lost in that task, which is why a kill, not an exception, is the way a busy notebook is stopped.
    """
    from vnru.batch.executors.kernel import kill_kernel

    _stop.append("abort" if signum == signal.SIGUSR1 else "timeout")
    if not kill_kernel():
        raise Aborted() if signum == signal.SIGUSR1 else Stopped()


def execute(job: dict) -> dict:
    """Run ``job`` (name, input, out_dir, tmp_dir, parameters, cwd, ...) with papermill; the entry."""
    import papermill

    from vnru.batch.executors.kernel import ENGINE_NAME
    from vnru.paths import READS_ENV
    from vnru.report.downloads import DOWNLOADS_ENV

    # Unknown-parameter noise (we checked names) and "kernel died" when we kill it: the entry says what failed.
    logging.getLogger("papermill").setLevel(logging.CRITICAL)
    if job.get("data_dir"):
        os.environ["VNRU_DATA_DIR"] = str(job["data_dir"])  # the kernel inherits it
    os.environ[DOWNLOADS_ENV] = str(Path(job["tmp_dir"]) / job["name"])  # charts and tables go here (vnru.report.downloads)
    entry = {"name": job["name"], "status": "ok", "error": None, "error_cell": None, "results": {}, "files": {}}
    warm = job.get("warm_kernel")
    if warm:  # started before this job was known: it gets the job's data and downloads directories at hand-off
        warm = warm | {"environ": {k: os.environ[k] for k in ("VNRU_DATA_DIR", DOWNLOADS_ENV, READS_ENV)
                                   if k in os.environ}}
    started = time.monotonic()
    try:
        papermill.execute_notebook(
            str(job["input"]), str(Path(job["tmp_dir"]) / f"{job['name']}.ipynb"),
            parameters=job.get("parameters") or {}, kernel_name=KERNEL_NAME, cwd=str(job["cwd"]),
            progress_bar=job.get("progress_bar", False), start_timeout=120, engine_name=ENGINE_NAME,
            max_output_bytes=int(job.get("max_output_bytes") or 0), warm_kernel=warm,
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # no start-up chatter per kernel
        )
    except Aborted:
        raise
    except (Exception, Stopped) as exc:  # noqa: BLE001 -- any failure of the notebook becomes its one-line error
        if "abort" in _stop:
            raise Aborted() from None
        entry["status"] = "failed"
        entry["error"], entry["error_cell"] = describe_error(exc, job.get("timeout"))
        if "timeout" in _stop:  # the kernel was killed for it: the cell ended as a dead kernel
            entry["error"], entry["error_cell"] = describe_error(Stopped(), job.get("timeout"))
    # Finish without being stopped half-way: the runner's last resort after a grace period is SIGKILL.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGUSR1})
    if "abort" in _stop:
        raise Aborted()
    entry = publish(job, entry, wanted=lambda: not lifeline.orphaned())
    entry["duration_s"] = round(time.monotonic() - started, 2)
    return entry


def worker(job: dict, conn) -> None:
    """Process target: SIGTERM stops the notebook (the runner's timeout); the entry goes back on ``conn``.

    The worker leads its own process group (the runner can stop it with all it started) and gets
    SIGUSR1, an abort, the moment its parent ends: it never outlives the run.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle
    os.setpgid(0, 0)
    if "environ" in job:  # the runner's environment and directory now, not the fork server's at its start
        os.environ.clear()
        os.environ.update(job["environ"])
        os.chdir(job["workdir"])
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGUSR1, _on_signal)
    lifeline.release_fork_server()
    lifeline.die_with_parent(signal.SIGUSR1)
    try:
        entry = execute(job)
    except Aborted:
        conn.close()
        # Leave at once: the interpreter's clean-up would run the killed kernel's manager finalizers, which
        # print "Exception ignored ... Traceback" under the runner's one-line "Aborted.".
        sys.stderr.flush()
        os._exit(130)
    except Stopped:
        entry = failed(job["name"], describe_error(Stopped(), job.get("timeout"))[0])
    except Exception as exc:  # noqa: BLE001 -- reported, never a traceback
        entry = failed(job["name"], one_line(f"{type(exc).__name__}: {exc}"))
    try:
        conn.send(entry)
    except OSError:  # the runner is gone: nobody to tell
        pass
    conn.close()

__all__ = [
    "KERNEL_NAME",
    "Aborted",
    "Stopped",
    "describe_error",
    "execute",
    "one_line",
    "publish",
    "worker",
]
