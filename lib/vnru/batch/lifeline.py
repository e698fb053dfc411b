"""Tie a worker process to its parent: it dies with the runner, even when the runner is killed outright.

Linux: ``prctl(PR_SET_PDEATHSIG)`` (through ctypes) sends the worker a signal the moment its parent
ends. Everywhere: :func:`orphaned` sees that the parent pid changed, checked before anything is published.
A worker's parent is the fork server, which ends when the runner does: it reads EOF on a pipe whose
write end only the runner may hold (:func:`release_fork_server`).
"""

import contextlib
import ctypes
import ctypes.util
import os
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_parent = []  # the parent pid this process must not outlive


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def die_with_parent(signum) -> bool:
    """Ask for ``signum`` when the parent ends; whether the kernel took the request (False: poll :func:`orphaned`)."""
    _parent[:] = [os.getppid()]
    prctl = _prctl()
    armed = bool(prctl) and prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    if orphaned():  # the parent ended before the request: no signal will come
        os.kill(os.getpid(), signum)
    return armed


def orphaned() -> bool:
    """Whether the parent recorded by :func:`die_with_parent` has ended (this process was re-parented)."""
    return bool(_parent) and os.getppid() != _parent[0]


def release_fork_server() -> None:
    """Drop this worker's copy of the fork server's "alive" pipe, so that the server ends with the runner.

    multiprocessing hands that write end to every process the server forks, so that they could fork
    more; a worker never does, and while it held the pipe the server (and so the worker) outlived a
    killed runner.
    """
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None

__all__ = [
    "PR_SET_PDEATHSIG", "die_with_parent", "orphaned", "release_fork_server",
]
