"""Kernels forked from one process that has done their imports once (a zygote), so a batch pays them once.

A kernel spends about a second importing ipykernel, pandas, matplotlib and the kit before its first cell;
a batch of N notebooks paid that N times on a machine whose cores the notebooks themselves need. The
zygote (``python -m vnru.batch.executors.zygote``, started by :class:`vnru.batch.executors.warm.WarmKernels`)
imports them once and, per request (one connection file per line on its stdin), forks a child that becomes
the kernel exactly as ``python -m ipykernel_launcher -f FILE`` would: a session leader in the notebook's
directory with the run's environment, stdin from /dev/null, fresh random seeds. It replies with the child's pid.

The modules are in ``sys.modules`` only, so a notebook's namespace at its first cell is a cold kernel's. The
matplotlib backend is not loaded here: the inline backend hooks into the kernel's shell when it loads, and
the shell exists only in the child. The zygote ends at EOF on its stdin, or with the runner (PR_SET_PDEATHSIG).
"""

import atexit
import contextlib
import importlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import traceback
from collections import deque

from vnru.batch import lifeline

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when MPLBACKEND is unset
# What every kernel of the kit imports; the kit's layers are lazy packages, their modules are listed too.
IMPORTS = ("ipykernel.kernelapp", "pandas", "matplotlib", "matplotlib.pyplot")
KIT_LAYERS = ("vnru.data", "vnru.analysis", "vnru.report")


def preimport() -> None:
    """Import IMPORTS and every module of KIT_LAYERS, with the environment a kernel imports them in."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # matplotlib reads it at import, as in a kernel
    for name in IMPORTS:
        importlib.import_module(name)
    for layer in KIT_LAYERS:
        for module in sorted(importlib.import_module(layer)._SUBMODULES):
            importlib.import_module(f"{layer}.{module}")


def _become_kernel(request: dict, reply_fd: int) -> None:
    """In the forked child: set up as ipykernel_launcher's process would be, run the kernel, never return."""
    code = 1
    try:
        os.setsid()  # its own session and process group, as jupyter_client starts a kernel
        for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        lifeline.die_with_parent(signal.SIGKILL)  # and the zygote dies with the runner
        os.close(reply_fd)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # not the zygote's request pipe
        os.close(devnull)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 -- what was buffered is not the kernel's
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"] | {"JPY_PARENT_PID": str(os.getppid())})  # ipykernel's own parent check
        if "numpy" in sys.modules:  # its global generator was seeded in the zygote: each kernel its own seed
            sys.modules["numpy"].random.seed()
        argv = ["-f", request["connection_file"], *request.get("arguments", [])]
        sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *argv]
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 -- told on the kernel's stderr, like a kernel that fails to start
        traceback.print_exc()
    finally:  # the child must never return into the zygote's loop
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _fork(request: dict, reply_fd: int) -> int:
    """The pid of a new kernel for ``request`` (0: none could be forked); the child itself never returns."""
    if threading.active_count() != 1:  # forking a process with threads could copy a lock some thread holds
        return 0
    try:
        pid = os.fork()
    except OSError:
        return 0
    if pid == 0:
        _become_kernel(request, reply_fd)
    return pid


def serve(reply_fd: int) -> None:
    """Fork one kernel per request line on stdin; write each child's pid (0: cannot fork) to ``reply_fd``."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped as they end: no zombies
    for line in sys.stdin:
        os.write(reply_fd, f"{_fork(json.loads(line), reply_fd)}\n".encode())


def main(argv=None) -> None:
    """The zygote's process: ``python -c BOOT REPLY_FD``."""
    reply_fd = int((argv or sys.argv[1:])[0])
    lifeline.die_with_parent(signal.SIGKILL)
    if sys.path and sys.path[0] in ("", os.getcwd()):  # as ipykernel_launcher: not the directory it started in
        del sys.path[0]
    try:
        preimport()
    except Exception:  # noqa: BLE001 -- every request is then refused: the runner starts kernels itself
        traceback.print_exc()
        for _ in sys.stdin:
            os.write(reply_fd, b"0\n")
        return
    serve(reply_fd)


# Started with -c so that a kit the kernel's environment cannot import ends the zygote quietly (exit 3).
BOOT = ("try:\n    from vnru.batch.executors.zygote import main\nexcept ImportError:\n    raise SystemExit(3)\n"
        "main()")
# A kernel spec's interpreter that means this one (jupyter_client runs these names as sys.executable)
THIS_PYTHON = {"python", "python3", f"python3.{sys.version_info[1]}", sys.executable}


def forkable(spec) -> bool:
    """Whether the kernel spec starts ipykernel in this interpreter, which the zygote can stand in for."""
    argv = list(getattr(spec, "argv", None) or [])
    return bool(argv) and argv[0] in THIS_PYTHON and argv[1:3] == ["-m", "ipykernel_launcher"] and not getattr(
        spec, "env", None)


class Zygote:
    """The runner's side: start the zygote, ask it for kernels, read their pids in the order asked, stop it."""

    def __init__(self, cwd: str, env: dict):
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen([sys.executable, "-c", BOOT, str(write_fd)], stdin=subprocess.PIPE,
                                            cwd=cwd, env=env, pass_fds=(write_fd,), start_new_session=True,
                                            text=True, encoding="utf-8")
        finally:
            os.close(write_fd)
        self.replies = os.fdopen(read_fd, "r", encoding="utf-8")
        self.waiting = deque()  # objects asked for, whose pid has not been read yet (replies come in order)

    def request(self, asker, connection_file: str, cwd: str, env: dict, arguments) -> bool:
        """Ask for a kernel on ``connection_file``; ``asker.pid`` is set when :meth:`pid` reads the reply."""
        line = json.dumps({"connection_file": connection_file, "cwd": cwd, "env": env, "arguments": list(arguments)})
        try:
            self.process.stdin.write(line + "\n")
            self.process.stdin.flush()
        except (OSError, ValueError):  # the zygote ended
            return False
        self.waiting.append(asker)
        return True

    def pid(self, asker) -> int:
        """The kernel pid for ``asker`` (0: the zygote could not fork one); waits for the zygote's imports once."""
        while asker in self.waiting:
            first = self.waiting.popleft()
            line = self.replies.readline()
            first.pid = int(line) if line.strip().isdigit() else 0
        return asker.pid

    def close(self) -> None:
        """Stop taking requests; the zygote answers those it has, then ends (its kernels die with it)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()
        for asker in list(self.waiting):
            self.pid(asker)
        self.replies.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


__all__ = ["BOOT", "IMPORTS", "INLINE_BACKEND", "KIT_LAYERS", "THIS_PYTHON", "Zygote", "forkable", "main", "preimport", "serve"]
