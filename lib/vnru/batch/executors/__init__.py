"""Where notebooks run: ``local`` (a pool of worker processes), ``worker`` (one notebook through papermill,
published atomically), ``kernel`` and ``warm`` (kernels started ahead, on IPC sockets), ``zygote`` (kernels
forked from one process that did their imports once) and ``dask`` (a Dask cluster, extra vnru[dask])."""

from vnru._modules import lazy

_SUBMODULES = {"banners", "dask", "kernel", "local", "warm", "worker", "zygote"}
__all__ = ["dask", "kernel", "local", "warm", "worker", "zygote"]
__getattr__, __dir__ = lazy(__name__, _SUBMODULES)
