"""The bundled notebooks stay thin and alike: one import style, the same first cells, no statistics computed
in a cell, key results recorded through one library call, committed clean."""

import ast
import json
import re

import pytest

from vnru.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(p.stem for p in NOTEBOOKS_DIR.glob("*.ipynb"))
REPORT_IMPORT = "from vnru.report import findings, params, plots, results"
SLOT = "key_findings = findings.Slot()"
# Aggregations and reshaping that belong in vnru.analysis, not in a notebook cell.
STATISTICS = ("sum", "mean", "median", "min", "max", "std", "var", "count", "nunique", "value_counts", "groupby",
              "agg", "aggregate", "merge", "pivot", "pivot_table", "cumsum", "cumprod", "pct_change", "diff",
              "idxmax", "idxmin", "quantile", "resample", "rolling", "apply", "transform")
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def _cells(name) -> list:
    return json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]


def _code(name) -> list:
    """The source of every code cell, in order."""
    return ["".join(c["source"]) for c in _cells(name) if c["cell_type"] == "code"]


def _is_column(node) -> bool:
    """A frame column or row (``frame["x"]``, ``frame.iloc[0]``, ``frame.loc[...]``), not a plain name or number."""
    return isinstance(node, ast.Subscript) or (isinstance(node, ast.Attribute) and node.attr in ("iloc", "loc"))


def statistics_in(source: str) -> list:
    """What a cell computes that a library function should: a call of an aggregation method, or arithmetic
    with a frame column or row as an operand. Layout arithmetic (``1.6 + 0.7 * len(rows)``, ``year - 1``)
    passes."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in STATISTICS:
            found.append(f".{node.func.attr}(")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ARITHMETIC) and (
                _is_column(node.left) or _is_column(node.right)):
            found.append(ast.unparse(node))
        if isinstance(node, ast.AugAssign) and isinstance(node.op, ARITHMETIC):
            found.append(ast.unparse(node))
    return found


def record_calls(source: str) -> int:
    """Calls of ``record`` or ``record_all`` (``vnru.record``, ``results.record_all``, …) in a cell."""
    return sum(isinstance(n, ast.Call) and (getattr(n.func, "attr", None) or getattr(n.func, "id", None))
               in ("record", "record_all") for n in ast.walk(ast.parse(source)))


def short_aliases(source: str) -> list:
    """``import x as y`` / ``from x import y as z`` with a one- or two-letter alias (``P``, ``T``, ``tl``)."""
    return [f"{a.name} as {a.asname}" for n in ast.walk(ast.parse(source)) if isinstance(n, (ast.Import, ast.ImportFrom))
            for a in n.names if a.asname and len(a.asname) <= 2]


def vnru_imports(source: str) -> list:
    """Every import from vnru in a cell that does not name a module whole (``from vnru.analysis import trade``)."""
    bad = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("vnru"):
            if node.module not in ("vnru.analysis", "vnru.report") or any(a.asname for a in node.names):
                bad.append(ast.unparse(node))
        elif isinstance(node, ast.Import) and any(a.name.startswith("vnru") and a.name != "vnru" for a in node.names):
            bad.append(ast.unparse(node))
    return bad


def test_the_five_notebooks_are_checked():
    assert {"trade_growth", "trade_products", "investment_rankings", "diplomatic_timeline",
            "people_exchange"} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_same_first_cells(name):
    """Title, parameters, a setup cell that imports vnru the one way and checks the parameters with
    vnru.report.params, the key-findings slot; the key results table last."""
    cells = _cells(name)
    assert [c["cell_type"] for c in cells[:4]] == ["markdown", "code", "code", "code"]
    assert "".join(cells[0]["source"]).startswith("# ")
    assert cells[1].get("metadata", {}).get("tags") == ["parameters"]
    setup = "".join(cells[2]["source"]).splitlines()
    assert setup[0] == "import vnru"
    assert re.fullmatch(r"from vnru\.analysis import [a-z_]+(, [a-z_]+)*", setup[1]), setup[1]
    assert setup[2] == REPORT_IMPORT
    assert "params." in "\n".join(setup[3:])
    assert "".join(cells[3]["source"]).startswith(SLOT)
    assert "".join(cells[-1]["source"]) == "vnru.key_results()"
    assert "".join(cells[-2]["source"]).startswith("## Key results")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_import_style(name):
    code = _code(name)
    assert not [a for source in code for a in short_aliases(source)]
    assert not [i for source in code for i in vnru_imports(source)]
    imports = [s for s in code if re.search(r"^from vnru\.(analysis|report) import", s, flags=re.MULTILINE)]
    assert len(imports) == 1, "vnru modules are imported once, in the setup cell"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_key_results_are_recorded_in_one_call(name):
    code = _code(name)
    assert sum(record_calls(source) for source in code) == 1
    assert sum("results.record_all(" in source for source in code) == 1


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_statistics_computed_in_a_cell(name):
    found = {n: statistics_in(source) for n, source in enumerate(_code(name))}
    assert not {n: f for n, f in found.items() if f}, "compute these in vnru.analysis"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    """No outputs, no execution counts, one cell tagged parameters, the python3 kernel (moved here from
    test_notebooks.py)."""
    nb = json.loads((NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


# --- the checks themselves catch what they are for ----------------------------------------------------------------

@pytest.mark.parametrize("source", [
    'pct = mine["gap"].sum() / mine["value_vn"].sum() * 100',
    "implied = implied.merge(series, on='year')",
    'detail.groupby(["flow", "reporter"]).head(5)',
    'low = float(community["low"].min())',
    'ratio = both["vn"] / both["ru"]',
    "share = 100 * frame.iloc[0]",
])
def test_statistics_in_a_cell_are_found(source):
    assert statistics_in(source)


@pytest.mark.parametrize("source", [
    "fig, ax = plots.new_axes(height=1.6 + 0.7 * len(community))",
    'print(f"no {year - 1} figures")',
    'vnru.show(gap[["year", "gap_pct"]].head(3 * top_n))',
])
def test_layout_arithmetic_passes(source):
    assert not statistics_in(source)


def test_the_other_checks_catch_old_styles():
    assert short_aliases("from vnru.analysis import trade as T") == ["trade as T"]
    assert vnru_imports("from vnru.report.plots import trade as tplots")
    assert vnru_imports("from vnru.analysis.trade import both_series")
    assert not vnru_imports("import vnru\nfrom vnru.analysis import trade\n" + REPORT_IMPORT)
    assert record_calls('vnru.record("a", 1)\nvnru.record("b", 2)') == 2
    assert record_calls("results.record_all(trade.report_results(x))") == 1


def shadowed_imports(sources) -> list:
    """Names a notebook imports (a module or function) and later assigns to: ``growth = trade.yoy_growth(...)``
    after ``from vnru.analysis import growth`` made the module unreachable for the rest of the run."""
    imported, found = set(), []
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found += [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name) and n.id in imported]
    return sorted(set(found))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_cell_reuses_an_imported_name(name):
    assert shadowed_imports(_code(name)) == []


def test_the_shadow_check_finds_a_module_reused_as_a_variable():
    assert shadowed_imports(["from vnru.analysis import growth, trade", "growth = trade.yoy_growth(x)"]) == ["growth"]
    assert shadowed_imports(["import vnru", "for year in vnru.x: pass"]) == []


def print_calls(source: str) -> int:
    """Calls of ``print``: console text in a published report (a sentence goes through ``vnru.show``)."""
    return sum(isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print" for n in ast.walk(ast.parse(source)))


# Left for the branch that rewrites these cells in issue 24 (trade_products'
# Comtrade-only sections): each line is named here, so a new print anywhere else fails.
PRINTS_LEFT = {"trade_products": 2}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_no_raw_print_line_in_a_report(name):
    assert sum(print_calls(code) for code in _code(name)) <= PRINTS_LEFT.get(name, 0)
    assert print_calls('print("x")\nvnru.show("y")') == 1
