"""The output directory of a run: one run at a time (a lock), a private temp dir per run, stale ones removed.

The lock is ``flock`` on the directory itself, so it leaves no file behind and the kernel drops it when
the run ends in any way (even SIGKILL). A second run into the same directory is refused at once rather
than left waiting: a run has no upper bound on its length, and a silent wait looks like a hang.
"""

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from vnru.errors import UsageError, VnruError

RUN_DIR_PREFIX = ".vnru-run-"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _owner(run_dir: Path):
    """The pid in a run dir's name (``.vnru-run-PID-RANDOM``), or None for an older or foreign name."""
    head = run_dir.name[len(RUN_DIR_PREFIX):].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def remove_stale_run_dirs(out: Path) -> list:
    """Remove the temp dirs of earlier runs into ``out`` whose owner process is gone; the removed paths."""
    removed = []
    for run_dir in out.glob(f"{RUN_DIR_PREFIX}*"):
        pid = _owner(run_dir)
        if run_dir.is_dir() and (pid is None or not _pid_alive(pid)):
            shutil.rmtree(run_dir, ignore_errors=True)
            removed.append(run_dir)
    return removed


def _lock(out: Path):
    """An open descriptor of ``out`` holding an exclusive flock; UsageError when another run holds it."""
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise _cannot_write(out, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise UsageError(f"--out {out}: another vnru run is writing into this directory; "
                             "wait for it to finish or choose another --out") from None
        return None  # a file system without flock: the per-run temp dir still keeps the runs apart
    return fd


def _cannot_write(out: Path, exc: OSError):
    """A full disk is a failure of the run (exit 1); a directory the user may not write to is a usage error."""
    message = f"--out {out}: cannot write there ({exc.strerror or exc})"
    return VnruError(message) if exc.errno in (errno.ENOSPC, errno.EDQUOT) else UsageError(message)


def _make(out: Path):
    """Create ``out`` (and parents); a path that cannot be made is a UsageError naming the blocker."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in [out, *out.parents] if p.exists() and not p.is_dir()), None)
        if blocker:
            raise UsageError(f"--out {out}: {blocker} is a file, not a directory") from None
        raise _cannot_write(out, exc) from None


@contextlib.contextmanager
def claimed(out):
    """Hold ``out`` for one run: create it, lock it, clean stale temp dirs; yield this run's private temp dir."""
    out = Path(out)
    _make(out)
    fd = _lock(out)
    try:
        remove_stale_run_dirs(out)
        try:
            run_dir = tempfile.mkdtemp(prefix=f"{RUN_DIR_PREFIX}{os.getpid()}-", dir=out.resolve())
        except OSError as exc:
            raise _cannot_write(out, exc) from None
        try:
            yield run_dir
        finally:
            shutil.rmtree(run_dir, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)

__all__ = [
    "RUN_DIR_PREFIX", "claimed", "remove_stale_run_dirs",
]
