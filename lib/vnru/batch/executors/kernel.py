"""The kernel side of a worker: papermill's notebook client with an output cap, and a prompt kill of the kernel.

A notebook that prints without end would grow the worker by its whole output; past ``max_output_bytes``
the client drops further output, kills the kernel and the run reports "output exceeds N MB". Killing the
kernel (its whole process group) is also how a worker stops at once on a timeout or an interrupt: the
cell then ends within a second as a dead kernel, however busy the kernel was.
"""

import os
import signal
import sys

# Before papermill brings in nbformat and jsonschema: jsonschema imports rfc3987-syntax where it is installed
# (JupyterLab's tools bring it), which compiles 39 grammars at import, about 1 s in the fork server and in each
# worker. Workers only check notebooks against nbformat's schema, which has no IRI formats: they go without it.
sys.modules.setdefault("rfc3987_syntax", None)

from nbclient.util import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args
from traitlets import Integer

ENGINE_NAME = "vnru"  # papermill engine: nbclient with the output cap
SAVE_EVERY_S = 5  # between a notebook's start and end, its output file is rewritten at most this often
_running = []  # the notebook client of this worker process (a worker runs one notebook)


class OutputTooLarge(Exception):
    """A notebook's outputs passed the cap: its kernel was stopped."""

    def __init__(self, limit_bytes, cell=None):
        self.cell = cell
        super().__init__(f"output exceeds {limit_bytes / 1e6:g} MB; the notebook was stopped "
                         "(raise the limit with --max-output)")


def _size(content) -> int:
    """Characters an output message adds to the notebook (text, data bundles, tracebacks)."""
    if isinstance(content.get("text"), str):
        return len(content["text"])
    data = content.get("data") or {}
    size = sum(len(v) if isinstance(v, str) else len(repr(v)) for v in data.values())
    return size + sum(len(line) for line in content.get("traceback") or [])


class CappedClient(PapermillNotebookClient):
    """Papermill's client that stops the kernel once the notebook's outputs pass ``max_output_bytes``."""

    max_output_bytes = Integer(0, help="Cap on a notebook's total output; 0 = none").tag(config=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.output_size, self.over_cap_cell = 0, None
        _running[:] = [self]

    async def async_start_new_kernel_client(self):
        """The kernel client; a warm kernel first gets this job's environment (it started before the job was known)."""
        client = await super().async_start_new_kernel_client()
        environ = getattr(self.km, "handed_environ", None)
        if environ:  # silent, binds no name, runs before the first cell (a kernel handles requests in order)
            client.execute(f"__import__('os').environ.update({dict(environ)!r})", silent=True, store_history=False)
        return client

    start_new_kernel_client = run_sync(async_start_new_kernel_client)  # papermill calls the sync one

    def output(self, outs, msg, display_id, cell_index):
        if self.over_cap_cell is not None:
            return None  # the kernel is being stopped: what it still sends is dropped
        self.output_size += _size(msg.get("content") or {})
        if self.max_output_bytes and self.output_size > self.max_output_bytes:
            self.over_cap_cell = cell_index
            outs.append(_note(str(OutputTooLarge(self.max_output_bytes))))
            kill_kernel()
            return None
        return super().output(outs, msg, display_id, cell_index)


def _note(text):
    import nbformat

    return nbformat.v4.new_output("stream", name="stderr", text=f"vnru: {text}\n")


class SparseSaves(NotebookExecutionManager):
    """Papermill's execution state, rewriting the output notebook between cells at most every SAVE_EVERY_S.

    Papermill rewrites the whole notebook at every cell's start and end: 64 writes of a notebook that grows
    to 0.5 MB in trade_growth, about 0.3 s of a 2.3 s run. It is still written when the notebook starts and
    when it ends, failed or not, so the notebook papermill leaves is the same. A worker killed outright (the
    runner's last resort, GRACE_S after a timeout) leaves one at most SAVE_EVERY_S seconds old.
    """

    always = True  # the notebook's start and end are always saved

    def save(self, **kwargs):
        if kwargs.get("nb"):
            self.nb = kwargs["nb"]
        if self.always or (self.now() - self.last_save_time).total_seconds() >= SAVE_EVERY_S:
            super().save()

    def notebook_start(self, **kwargs):
        super().notebook_start(**kwargs)
        self.always = False

    def notebook_complete(self, **kwargs):
        self.always = True
        super().notebook_complete(**kwargs)


class CappedEngine(NBClientEngine):
    """Papermill's nbclient engine, running notebooks with :class:`CappedClient`, saving with :class:`SparseSaves`."""

    @classmethod
    def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                         autosave_cell_every=30, **kwargs):
        # As papermill's Engine.execute_notebook (2.7), with SparseSaves for NotebookExecutionManager
        nb_man = SparseSaves(nb, output_path=output_path, progress_bar=progress_bar, log_output=log_output,
                             autosave_cell_every=autosave_cell_every)
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, **kwargs):
        from vnru.batch.executors.warm import HandedKernelManager, IpcKernelManager

        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        handed = kwargs.pop("warm_kernel", None)  # a kernel the runner started ahead (vnru.batch.executors.warm), else a cold one
        kwargs["km"] = HandedKernelManager(handed, kernel_name=kernel_name) if handed else None
        kwargs.setdefault("kernel_manager_class", IpcKernelManager)
        client = CappedClient(nb_man, **merge_kwargs(
            kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name, log=logger,
            log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file))
        try:
            return client.execute()
        except Exception:
            if client.over_cap_cell is not None:  # the dead kernel is the cap's doing
                code = [c for c in nb_man.nb.cells[: client.over_cap_cell + 1] if c.cell_type == "code"]
                raise OutputTooLarge(client.max_output_bytes, len(code) or None) from None
            raise


def kill_kernel() -> bool:
    """SIGKILL the running kernel's process group at once; whether there was a live kernel to kill."""
    for client in _running:
        if hasattr(getattr(client, "km", None), "kill_now"):  # a warm kernel: the runner's child, in its own group
            return client.km.kill_now()
        provisioner = getattr(getattr(client, "km", None), "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is None or process.poll() is not None:
            continue
        group = getattr(provisioner, "pgid", None) or process.pid
        try:
            if group == os.getpgrp():  # never the worker's own group
                raise ProcessLookupError
            os.killpg(group, signal.SIGKILL)  # the kernel and whatever it started
        except OSError:
            process.kill()
        return True
    return False


papermill_engines.register(ENGINE_NAME, CappedEngine)

__all__ = [
    "ENGINE_NAME",
    "SAVE_EVERY_S",
    "CappedClient",
    "CappedEngine",
    "OutputTooLarge",
    "SparseSaves",
    "kill_kernel",
]
