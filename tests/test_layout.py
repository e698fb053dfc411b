"""The package's layers (README "Layout"): the import contract, no cycle, a small top level, old paths."""

import ast
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import vnru

ROOT = Path(__file__).resolve().parents[1]
LIB = ROOT / "lib" / "vnru"
MOVED = {"execute": "vnru.batch.executors.worker", "notebooks": "vnru.batch.notebooks",
         "pool": "vnru.batch.executors.local", "runner": "vnru.batch.runner"}


def test_the_import_contract_holds():
    """import-linter's contracts in pyproject.toml: layers point down only, importers use only data, click only
    in vnru.cli. Function-level imports count."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_import_cycle_function_level_imports_included():
    import grimp

    graph = grimp.build_graph("vnru", include_external_packages=False)
    cycles = []
    for importer in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported != importer and graph.find_shortest_chain(importer=imported, imported=importer):
                cycles.append(f"{importer} <-> {imported}")
    # a package's __init__ resolving its submodules lazily is not an import edge grimp sees; anything else is
    assert cycles == []


def test_at_most_eight_top_level_modules_beside_the_layer_folders():
    modules = sorted(p.name for p in LIB.glob("*.py"))
    assert len(modules) <= 8, modules
    layers = sorted(p.name for p in LIB.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert layers == ["analysis", "batch", "data", "importers", "report"]


def test_moved_modules_keep_their_old_top_level_names_with_one_warning():
    for name, new in MOVED.items():
        sys.modules.pop(f"vnru.{name}", None)
        vars(vnru).pop(name, None)
    code = ("import warnings, importlib, vnru\n"
            "warnings.simplefilter('always')\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    import vnru.trade, vnru.plots, vnru.runner\n"
            "    from vnru.findings import Slot\n"
            "    again = vnru.trade\n"
            "import vnru.analysis.trade, vnru.report.plots, vnru.batch.runner\n"
            "assert vnru.trade is vnru.analysis.trade and vnru.plots is vnru.report.plots\n"
            "assert vnru.analysis.trade.__spec__.name == 'vnru.analysis.trade'\n"
            "print(sorted(str(w.message).split()[0] for w in caught if w.category is FutureWarning))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['vnru.findings', 'vnru.plots', 'vnru.runner', 'vnru.trade']"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        for name, new in MOVED.items():
            assert getattr(vnru, name) is sys.modules[new] or getattr(vnru, name).__name__ == new


def test_unknown_names_still_raise_attribute_error():
    import vnru.batch

    for module, name in ((vnru, "kernel_x"), (vnru.batch, "trade"), (vnru, "np")):
        with pytest.raises(AttributeError, match=name):
            getattr(module, name)


def test_public_names_are_the_documented_api_and_help_starts_here():
    assert set(vnru.__all__) == {
        "load_trade", "load_investment", "load_timeline", "load_indicators", "load_targets", "load_products",
        "load_partners", "load_vn_fdi_investors", "load_sources", "load_table", "TABLES", "cite", "show", "show_sources",
        "key_results", "record", "read_results", "run_notebooks", "import_files", "VnruError", "DataError",
        "ParameterError", "UsageError", "__version__"}
    for name in vnru.__all__:
        assert getattr(vnru, name) is not None
    assert vnru.__doc__.split("\n\n")[1].startswith("Start here")


def test_submodules_do_not_leak_np_pd_plt_as_public_names():
    """Every library module declares __all__, and it never lists an imported library."""
    missing, leaking = [], []
    for path in sorted(LIB.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = None
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in node.targets):
                names = [e.value for e in getattr(node.value, "elts", []) if isinstance(e, ast.Constant)]
        rel = path.relative_to(LIB)
        if names is None and rel.name not in ("__init__.py",) and rel.name != "cli.py":
            missing.append(str(rel))
        if names and {"np", "pd", "plt", "mpl"} & set(names):
            leaking.append(str(rel))
    assert leaking == []
    assert missing == []


def test_data_analysis_and_report_layers_never_import_the_batch_layer():
    code = ("import importlib, pkgutil, sys, vnru\n"
            "names = []\n"
            "for layer in ('vnru.data', 'vnru.analysis', 'vnru.report', 'vnru.importers'):\n"
            "    package = importlib.import_module(layer)\n"
            "    names += [m.name for m in pkgutil.walk_packages(package.__path__, layer + '.')]\n"
            "[importlib.import_module(n) for n in names]\n"
            "print(len(names), sorted(m for m in sys.modules if m.startswith(('vnru.batch', 'vnru.cli', 'click'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, batch = result.stdout.split(" ", 1)
    assert int(count) > 20 and batch.strip() == "[]"


def test_every_layer_resolves_each_of_its_submodules_by_attribute():
    """``vnru.report.bilateral`` works without an import statement: a layer's lazy list names every module in it."""
    import importlib

    for init in sorted(LIB.rglob("__init__.py")):
        package = ".".join(("vnru", *init.parent.relative_to(LIB).parts))
        module = importlib.import_module(package)
        if not hasattr(module, "_SUBMODULES"):
            continue
        here = {p.stem for p in init.parent.glob("*.py") if p.stem != "__init__"} | {
            p.name for p in init.parent.iterdir() if (p / "__init__.py").exists()}
        assert here <= set(module._SUBMODULES), (package, sorted(here - set(module._SUBMODULES)))
