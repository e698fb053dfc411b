"""The package's layers (README "Layout"): batch machinery under vnru.batch, old top-level names still resolve."""

import subprocess
import sys

import vnru
import vnru.batch

MOVED = ["execute", "notebooks", "pool", "report", "runner"]


def test_moved_batch_modules_keep_their_old_top_level_names():
    for name in MOVED:
        assert getattr(vnru, name) is getattr(vnru.batch, name)
    assert set(MOVED) <= set(dir(vnru)) and "batch" in dir(vnru)


def test_unknown_names_still_raise_attribute_error():
    for module, name in ((vnru, "kernel_x"), (vnru.batch, "trade")):
        try:
            getattr(module, name)
        except AttributeError as exc:
            assert name in str(exc)
        else:
            raise AssertionError(f"{module.__name__}.{name} should not exist")


def test_data_analysis_and_plot_layers_never_import_the_batch_layer():
    code = ("import importlib, pkgutil, sys, vnru\n"
            "names = []\n"
            "for m in pkgutil.iter_modules(vnru.__path__, 'vnru.'):\n"
            "    if m.name in ('vnru.cli', 'vnru.batch'):\n"
            "        continue\n"
            "    names.append(m.name)\n"
            "    if m.ispkg:\n"
            "        path = importlib.import_module(m.name).__path__\n"
            "        names += [s.name for s in pkgutil.iter_modules(path, m.name + '.')]\n"
            "[importlib.import_module(n) for n in names]\n"
            "print(len(names), sorted(m for m in sys.modules if m.startswith('vnru.batch')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, batch = result.stdout.split(" ", 1)
    assert int(count) > 20 and batch.strip() == "[]"
