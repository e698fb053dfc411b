"""Execute one notebook with papermill in a worker process and publish its report files atomically.

The worker writes into a private temporary directory and moves finished files into the report
directory with ``os.replace``, so a good report is never replaced by a half-written one. A notebook
that fails is kept as papermill leaves it (error banner, partial outputs).
"""

import logging
import os
import re
import signal
import time
from pathlib import Path

KERNEL_NAME = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


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


def to_html(notebook_path, html_path, show_code=False) -> None:
    """Convert an executed notebook to a standalone HTML page (code hidden unless ``show_code``)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(str(notebook_path), as_version=4))
    Path(html_path).write_text(body, encoding="utf-8")


def publish(job: dict, entry: dict) -> dict:
    """Read results from the executed notebook in the temp dir, write its HTML, move both into place."""
    from vnru.results import read_results

    tmp_nb = Path(job["tmp_dir"]) / f"{job['name']}.ipynb"
    if not tmp_nb.exists():
        return entry
    out_dir = Path(job["out_dir"])
    try:
        entry["results"] = read_results(tmp_nb)
    except Exception as exc:  # noqa: BLE001 -- an unreadable notebook is still kept, as papermill left it
        entry.update(status="failed", error=entry.get("error") or one_line(f"cannot read results: {exc}"))
    files = {"ipynb": f"{job['name']}.ipynb"}
    if job.get("html", True):
        tmp_html = tmp_nb.with_suffix(".html")
        try:
            to_html(tmp_nb, tmp_html, job.get("show_code", False))
            os.replace(tmp_html, out_dir / f"{job['name']}.html")
            files["html"] = f"{job['name']}.html"
        except Exception as exc:  # noqa: BLE001 -- the executed notebook is still published
            entry.update(status="failed", error=entry.get("error") or one_line(f"HTML conversion failed: {exc}"))
    else:
        (out_dir / f"{job['name']}.html").unlink(missing_ok=True)  # no stale page beside a new notebook
    os.replace(tmp_nb, out_dir / files["ipynb"])
    entry["files"] = files
    return entry


def _on_signal(signum, frame):
    raise Aborted() if signum == signal.SIGUSR1 else Stopped()


def execute(job: dict) -> dict:
    """Run ``job`` (name, input, out_dir, tmp_dir, parameters, cwd, ...) with papermill; the entry."""
    import papermill

    logging.getLogger("papermill").setLevel(logging.ERROR)  # unknown-parameter noise: we checked names
    if job.get("data_dir"):
        os.environ["VNRU_DATA_DIR"] = str(job["data_dir"])  # the kernel inherits it
    entry = {"name": job["name"], "status": "ok", "error": None, "error_cell": None, "results": {}, "files": {}}
    started = time.monotonic()
    try:
        papermill.execute_notebook(
            str(job["input"]), str(Path(job["tmp_dir"]) / f"{job['name']}.ipynb"),
            parameters=job.get("parameters") or {}, kernel_name=KERNEL_NAME, cwd=str(job["cwd"]),
            progress_bar=job.get("progress_bar", False), start_timeout=120,
            extra_arguments=["--IPKernelApp.log_level=CRITICAL"],  # no start-up chatter per kernel
        )
    except Aborted:
        raise
    except (Exception, Stopped) as exc:  # noqa: BLE001 -- any failure of the notebook becomes its one-line error
        entry["status"] = "failed"
        entry["error"], entry["error_cell"] = describe_error(exc, job.get("timeout"))
    # Finish without being stopped half-way: the runner's last resort after a grace period is SIGKILL.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGUSR1})
    entry = publish(job, entry)
    entry["duration_s"] = round(time.monotonic() - started, 2)
    return entry


def worker(job: dict, conn) -> None:
    """Process target: SIGTERM stops the notebook (the runner's timeout); the entry goes back on ``conn``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's to handle
    if "environ" in job:  # the runner's environment and directory now, not the fork server's at its start
        os.environ.clear()
        os.environ.update(job["environ"])
        os.chdir(job["workdir"])
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGUSR1, _on_signal)
    try:
        entry = execute(job)
    except Aborted:
        conn.close()
        return
    except Stopped:
        entry = {"name": job["name"], "status": "failed", "error": describe_error(Stopped(), job.get("timeout"))[0]}
    except Exception as exc:  # noqa: BLE001 -- reported, never a traceback
        entry = {"name": job["name"], "status": "failed", "error": one_line(f"{type(exc).__name__}: {exc}")}
    conn.send(entry)
    conn.close()
