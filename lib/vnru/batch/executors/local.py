"""The worker processes of a batch run: a fork server, at most N workers at a time, timeouts and Ctrl-C.

Workers are forked from a server that has imported papermill and nbconvert once (PRELOAD). A worker
past its timeout gets SIGTERM (it kills its kernel and saves what ran), then SIGKILL for its process
group after GRACE_S; on Ctrl-C, SIGTERM or SIGHUP to the runner every worker gets SIGUSR1 (abort:
publish nothing) and a KeyboardInterrupt goes on to the runner. The fork server ends when the runner
does (it reads EOF on its pipe from the runner) and each worker gets SIGUSR1 when its parent ends.
"""

import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import wait

from vnru.batch.jobs import failed

GRACE_S = 10  # after a timeout: seconds a worker gets to save its notebook before it is killed
# Imported once by the fork server, so each worker starts with them loaded (about 1.5 s each otherwise).
PRELOAD = ["vnru.batch.executors.kernel", "vnru.batch.executors.worker", "vnru.batch.page", "vnru.batch.nbhtml",
           "vnru.report.results", "papermill", "nbformat", "nbconvert"]
# Signals that stop a run as Ctrl-C does: the terminal's interrupt, a polite kill, a closed terminal.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Progress:
    """One display over notebooks: a tqdm bar when parallel, a line per notebook when sequential."""

    def __init__(self, total, parallel, enabled):
        self.enabled, self.parallel, self.total, self.done = enabled, parallel, total, 0
        self.bar = None
        if enabled and parallel and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="notebook", desc="notebooks", file=sys.stderr)

    def start(self, name):
        if self.enabled and not self.parallel:  # parallel: the bar, or one line per finished notebook
            print(f"[{self.done + 1}/{self.total}] {name}", file=sys.stderr, flush=True)

    def finish(self, entry):
        self.done += 1
        if not self.enabled:
            return
        line = f"  {entry['status']:<6} {entry['name']} ({entry.get('duration_s', 0):.1f} s)"
        line += f": {entry['error']}" if entry.get("error") else ""
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
            self.bar.update(1)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


@contextlib.contextmanager
def _handled(handler, signums=(signal.SIGINT,)):
    """``signums`` handled by ``handler`` for the block (only the main thread can set handlers)."""
    main = threading.current_thread() is threading.main_thread()
    previous = {signum: signal.signal(signum, handler) for signum in signums} if main else {}
    try:
        yield
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)


def _sigint_ignored():
    """Ctrl-C ignored for the block: a process started in it begins with SIGINT ignored (Ctrl-C is the runner's)."""
    return _handled(signal.SIG_IGN)


@contextlib.contextmanager
def _stops_deferred():
    """A stop signal during the block is raised at its end, so that a worker is never left half-started and unknown."""
    hits = []
    with _handled(lambda signum, frame: hits.append(signum), STOP_SIGNALS):
        yield
    if hits:
        raise KeyboardInterrupt


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def stoppable():
    """For the block, SIGTERM and SIGHUP stop the run as Ctrl-C does (a KeyboardInterrupt: nothing half-published)."""
    return _handled(_interrupt, (signal.SIGTERM, signal.SIGHUP))


def context():
    """Workers come from a fork server that imports PRELOAD once; spawn where there is no fork server."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    from multiprocessing import forkserver

    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # only takes effect when the server starts, the first time
    with _stops_deferred(), _sigint_ignored():  # no stop can catch the server half-way through an import
        forkserver.ensure_running()
    return ctx


def _start(ctx, job):
    """Start a worker for ``job``; it begins with SIGINT ignored (a forked one inherits that from the server)."""
    from vnru.batch.executors.worker import worker

    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=worker, args=(job, sender), name=f"vnru-{job['name']}", daemon=True)
    if ctx.get_start_method() == "spawn":
        with _sigint_ignored():
            process.start()
    else:  # may wait for the fork server's imports: Ctrl-C must still count (see _schedule)
        process.start()
    sender.close()
    return {"job": job, "process": process, "conn": receiver, "started": time.monotonic(), "entry": None,
            "stopped_at": None}


def _collect(run, timeout):
    """The entry of a finished worker (or one that says why the worker ended without one)."""
    from vnru.batch.executors.worker import publish

    run["process"].join()
    entry = run["entry"]
    if entry is None:
        job, code = run["job"], run["process"].exitcode
        why = f"timed out after {timeout:g} s" if run["stopped_at"] else f"the worker process ended (exit code {code})"
        entry = publish(job, failed(job["name"], why))
    entry["duration_s"] = round(time.monotonic() - run["started"], 2)  # wall clock, as the timeout counts
    return entry


def _kill(process):
    """SIGKILL a worker with its process group (whatever it started there)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:  # not (yet) leading its own group
        process.kill()


def schedule(jobs, n_workers, timeout, progress, ctx, kernels=None, done=None):
    """Run every job in at most ``n_workers`` processes; the entries in job order.

    ``done`` (a dict) gets job name -> entry as each job finishes: after a Ctrl-C, what was published.

    ``kernels`` (a vnru.batch.executors.warm.WarmKernels): a warm kernel goes with each job while one waits, the next ones
    start while notebooks run, and each is killed once its notebook is done.
    """
    pending, running, entries = deque(jobs), [], ({} if done is None else done)
    try:
        while pending or running:
            while pending and len(running) < n_workers:
                job = pending.popleft()
                if kernels is not None:
                    kernels.fill(len(pending) + 1)
                    job = job | {"warm_kernel": kernels.take(job["name"])}
                progress.start(job["name"])
                with _stops_deferred():  # a Ctrl-C now stops this worker too, once it is in `running`
                    running.append(_start(ctx, job))
            wait([r["conn"] for r in running] + [r["process"].sentinel for r in running], timeout=0.25)
            now = time.monotonic()
            if kernels is not None:
                kernels.reap()
            for run in list(running):
                if run["entry"] is None and run["conn"].poll():
                    try:
                        run["entry"] = run["conn"].recv()
                    except EOFError:
                        run["entry"] = None
                if run["entry"] is not None or not run["process"].is_alive():
                    running.remove(run)
                    entries[run["job"]["name"]] = entry = _collect(run, timeout)
                    if kernels is not None:
                        kernels.release(run["job"]["name"])
                        kernels.fill(len(pending))  # the next notebooks' kernels start while these run
                    progress.finish(entry)
                elif timeout and run["stopped_at"] is None and now - run["started"] > timeout:
                    run["stopped_at"] = now
                    run["process"].terminate()
                elif run["stopped_at"] is not None and now - run["stopped_at"] > GRACE_S:
                    _kill(run["process"])
    except BaseException:  # Ctrl-C or an error of our own: stop every worker, publish nothing more
        for run in running:
            if run["process"].is_alive():
                os.kill(run["process"].pid, signal.SIGUSR1)
        for run in running:
            run["process"].join(GRACE_S)
            if run["process"].is_alive():
                _kill(run["process"])
                run["process"].join()
        raise
    finally:
        progress.close()
        if kernels is not None:
            kernels.close()
    return [entries[job["name"]] for job in jobs]

__all__ = [
    "GRACE_S",
    "PRELOAD",
    "STOP_SIGNALS",
    "Progress",
    "context",
    "schedule",
    "stoppable",
]
