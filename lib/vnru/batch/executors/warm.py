"""Warm kernels: kernels started and pre-imported by the runner while other notebooks run, one per notebook.

The runner keeps up to N kernels ahead (:class:`WarmKernels`); each is started in the run's notebooks
directory with the run's environment and sent ``PREIMPORT`` as a silent request, so it imports pandas,
matplotlib and vnru while it waits. A worker gets one kernel's connection info and runs its notebook on it
through papermill's engine (``km`` passed to nbclient: :class:`HandedKernelManager`); once the notebook is
done the runner kills that kernel. A kernel is never used for a second notebook.

Every kernel, warm or cold, talks over IPC sockets in a private directory (``transport = "ipc"``) rather
than TCP ports: jupyter_client picks a TCP port by binding port 0 and letting it go, and a kernel started in
parallel could take the same port before the first one bound it ("Address already in use"). On Windows
(no IPC transport) kernels keep TCP.

In a run of several notebooks the kernels are forked from a zygote that did those imports once
(vnru.batch.executors.zygote, :class:`ForkedKernelManager`): each kernel then costs its start-up, not its imports.
"""

import contextlib
import os
import shutil
import signal
import tempfile

from jupyter_client import AsyncKernelManager, KernelManager

from vnru.batch.executors import zygote

# What every notebook of the kit imports first (silent, not in the history: execution counts are unchanged).
PREIMPORTED = ("pandas", "matplotlib", "matplotlib.pyplot", "vnru")
# Into sys.modules only: the imports run in a throwaway namespace, so the notebook's namespace at its first
# cell is a cold kernel's (a notebook that forgot `import pandas` fails here as under papermill or JupyterLab).
PREIMPORT = f"exec({'import ' + ', '.join(PREIMPORTED)!r}, {{}})"
IPC = os.name == "posix"


def _socket_dir() -> str:
    """A private, short directory for one kernel's sockets (a UNIX socket path is limited to ~100 bytes)."""
    return tempfile.mkdtemp(prefix="vnru-k-")


class IpcKernelManager(AsyncKernelManager):
    """The kernel manager nbclient creates for a cold kernel: IPC sockets in a private directory."""

    def __init__(self, **kwargs):
        if IPC:
            self._sockets = _socket_dir()
            kwargs = {"transport": "ipc", "ip": os.path.join(self._sockets, "k")} | kwargs
        super().__init__(**kwargs)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if IPC and not restart:
            shutil.rmtree(self._sockets, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


class HandedKernelManager(AsyncKernelManager):
    """A worker's view of a warm kernel the runner started: connect to it, tell whether it lives, kill it.

    nbclient is given this as ``km``: it does not own it, so it neither starts nor shuts the kernel down.
    """

    def __init__(self, handed: dict, **kwargs):
        super().__init__(owns_kernel=False, **kwargs)
        self.load_connection_info(handed["connection"])
        self.handed_pid = int(handed["pid"])
        self.handed_environ = handed.get("environ") or {}  # this job's variables, set in the kernel before cell 1

    @property
    def has_kernel(self) -> bool:
        return True

    async def _async_is_alive(self) -> bool:
        """Whether the kernel process still runs (a zombie, not yet reaped by the runner, is dead)."""
        return _running(self.handed_pid)

    is_alive = _async_is_alive

    def kill_now(self) -> bool:
        """SIGKILL the kernel's process group (it leads its own session); whether it was alive."""
        try:
            os.killpg(self.handed_pid, signal.SIGKILL)
        except OSError:
            return False
        return True


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie (Linux tells by /proc; elsewhere the runner reaps)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with contextlib.suppress(OSError, IndexError), open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    return True


class ForkedKernelManager(KernelManager):
    """A kernel the zygote forked on a connection file the runner wrote: alive and killed by its pid."""

    pid = None  # set by the zygote's reply (0: it could not fork one)

    @property
    def has_kernel(self) -> bool:
        return bool(self.pid)

    def is_alive(self) -> bool:
        return bool(self.pid) and _running(self.pid)

    async def _async_is_alive(self) -> bool:  # what a client of it asks (wait_for_ready)
        return self.is_alive()

    def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """SIGKILL its process group (it leads its own session), then remove its connection file and sockets."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
        self.cleanup_resources()


class WarmKernels:
    """Up to ``size`` kernels started ahead in ``cwd`` with ``env``; :meth:`take` hands one to a job.

    ``forked``: kernels come from a zygote (vnru.batch.executors.zygote) that did their imports once, where the
    kernel spec is this interpreter's ipykernel; worth it for a run of more than one notebook.
    """

    def __init__(self, size: int, cwd: str, env: dict, kernel_name: str = "python3",
                 extra_arguments=("--IPKernelApp.log_level=CRITICAL",), forked: bool = False):
        self.size, self.cwd, self.env, self.kernel_name = size, cwd, env, kernel_name
        self.extra_arguments = list(extra_arguments)
        self.ready, self.handed = [], {}  # ready: [(km, client, socket dir)]; handed: job name -> the same
        self.zygote = None
        if forked and IPC:
            with contextlib.suppress(Exception):  # no zygote: kernels start as they always did
                if zygote.forkable(KernelManager(kernel_name=kernel_name).kernel_spec):
                    self.zygote = zygote.Zygote(cwd, env)

    def fill(self, wanted: int) -> None:
        """Start kernels until ``min(size, wanted)`` wait ready; a kernel that fails to start is skipped."""
        while len(self.ready) < min(self.size, wanted):
            try:
                self.ready.append(self._start())
            except Exception:  # noqa: BLE001 -- the job then starts its own kernel, as a cold run does
                return

    def _start(self):
        sockets = _socket_dir() if IPC else None
        forked = self.zygote is not None
        km = (ForkedKernelManager if forked else KernelManager)(
            kernel_name=self.kernel_name, **({"transport": "ipc", "ip": os.path.join(sockets, "k")} if IPC else {}))
        try:
            if forked:
                km.write_connection_file()
                if not self.zygote.request(km, km.connection_file, self.cwd, dict(self.env), self.extra_arguments):
                    self._stop(km, None, sockets)  # the zygote ended: this kernel and the next start as usual
                    self._retire_zygote()
                    return self._start()
            else:
                km.start_kernel(cwd=self.cwd, env=dict(self.env), extra_arguments=self.extra_arguments)
            client = km.client()
            client.start_channels()
            client.execute(PREIMPORT, silent=True, store_history=False)  # queued: the kernel runs it once up
        except BaseException:
            self._stop(km, None, sockets)
            raise
        return km, client, sockets

    def take(self, job_name: str):
        """A warm kernel for ``job_name`` as ``{"connection", "pid"}`` (None when none is waiting)."""
        while self.ready:
            kernel = self.ready.pop(0)
            if isinstance(kernel[0], ForkedKernelManager) and not self._forked_pid(kernel[0]):
                self._stop(*kernel)  # the zygote could not fork it: the next kernels start as usual
                self._retire_zygote()
                continue
            if kernel[0].is_alive():
                self.handed[job_name] = kernel
                pid = kernel[0].pid if isinstance(kernel[0], ForkedKernelManager) else kernel[0].provisioner.pid
                return {"connection": kernel[0].get_connection_info(session=False), "pid": pid}
            self._stop(*kernel)
        return None

    def _forked_pid(self, km) -> int:
        """The pid of a kernel asked of the zygote (0: not forked), read from it if not yet read."""
        return self.zygote.pid(km) if self.zygote is not None else (km.pid or 0)

    def _retire_zygote(self) -> None:
        if self.zygote is not None:
            self.zygote.close()
            self.zygote = None

    def reap(self) -> None:
        """Reap handed kernels that ended (a notebook that killed its kernel must read as dead at once)."""
        for km, _, _ in self.handed.values():
            with contextlib.suppress(Exception):
                km.is_alive()

    def release(self, job_name: str) -> None:
        """The job is done: kill its kernel (never used again)."""
        if job_name in self.handed:
            self._stop(*self.handed.pop(job_name))

    def close(self) -> None:
        """Kill every kernel still held, and end the zygote."""
        if self.zygote is not None:
            for km, _, _ in self.ready:
                if isinstance(km, ForkedKernelManager):
                    self.zygote.pid(km)
        for kernel in self.ready + list(self.handed.values()):
            self._stop(*kernel)
        self.ready, self.handed = [], {}
        self._retire_zygote()

    @staticmethod
    def _stop(km, client, sockets) -> None:
        with contextlib.suppress(Exception):
            if client is not None:
                client.stop_channels()
        with contextlib.suppress(Exception):
            if km.has_kernel:
                km.shutdown_kernel(now=True)
            else:
                km.cleanup_resources()
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)

__all__ = [
    "IPC",
    "PREIMPORT",
    "PREIMPORTED",
    "ForkedKernelManager",
    "HandedKernelManager",
    "IpcKernelManager",
    "WarmKernels",
]
