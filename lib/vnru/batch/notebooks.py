"""The notebooks a batch run can execute: discovery, kernel, declared parameters, and the plan of their values.

Parameters are read from the cell tagged ``parameters`` (``name: type = default  # help`` lines).
The cell is parsed with :mod:`ast` because papermill's own inspector skips a line whose help
comment contains ``=`` (e.g. ``data_dir: str = ""  # "" = bundled data``).
"""

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

from vnru.batch.values import MAX_DEPTH, convert, load_yaml, shown  # the values' home; kept here by name
from vnru.errors import NotebookError, UsageError
from vnru.report.params import renamed

# A run writes index.html and manifest.json beside NAME.html and NAME.ipynb: these names would collide.
RESERVED = {"index": "its page would be overwritten by the run's index.html"}
# The kernels a notebook may name: "python3", which `vnru run` uses and `make kernel` registers inside the venv,
# and "vnru", the name `make kernel` used to register (a notebook saved in Lab on it still runs).
KERNELS = ("python3", "vnru")


@dataclass(frozen=True)
class Parameter:
    """One declared notebook parameter: its name, type name ("" if undeclared), default and help."""

    name: str
    type: str
    default: object
    default_source: str
    help: str = ""


def discover(notebooks_dir) -> dict:
    """The notebooks in ``notebooks_dir``, name (file stem) -> path, sorted by name."""
    directory = Path(notebooks_dir)
    if not directory.is_dir():
        raise UsageError(f"notebooks directory not found: {directory}")
    found = sorted(p for p in directory.glob("*.ipynb") if not p.name.startswith("."))
    return {p.stem: p for p in found}


def select(available: dict, names) -> dict:
    """The requested notebooks (all when ``names`` is empty); an unknown name is a UsageError."""
    if not names:
        return dict(available)
    unknown = [n for n in names if n.removesuffix(".ipynb") not in available]
    if unknown:
        raise UsageError(f"unknown notebook {', '.join(map(repr, unknown))}; "
                         f"available: {', '.join(available) or '(none)'}")
    return {n.removesuffix(".ipynb"): available[n.removesuffix(".ipynb")] for n in dict.fromkeys(names)}


def _read(path) -> dict:
    """The notebook's JSON; a file that is not a notebook is a NotebookError naming it and why."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise NotebookError(f"{path.name} cannot be read: {exc.strerror or exc}") from None
    if not text.strip():
        raise NotebookError(f"{path.name} is empty: it is not a notebook")
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise NotebookError(f"{path.name} is not valid JSON: {getattr(exc, 'msg', exc)}{where}") from None
    except RecursionError:
        raise NotebookError(f"{path.name} is nested too deeply to be a notebook") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(_is_cell(c) for c in cells):
        raise NotebookError(f"{path.name} is not a Jupyter notebook (it needs a list of cells)")
    return notebook


def _is_cell(cell) -> bool:
    """A cell as this module reads it: a mapping with text as its source and a list of tags."""
    if not isinstance(cell, dict) or not isinstance(cell.get("metadata", {}), dict):
        return False
    source = cell.get("source", "")
    text = isinstance(source, str) or isinstance(source, list) and all(isinstance(s, str) for s in source)
    return text and isinstance(cell.get("metadata", {}).get("tags", []), list)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def code_cells(path) -> int:
    """How many code cells the notebook has (a rough measure of its work, before it has ever run)."""
    return sum(cell.get("cell_type") == "code" for cell in _read(path).get("cells", []))


def title(path) -> str:
    """The notebook's first markdown heading, else its file name."""
    return heading(_read(path)) or Path(path).stem


def heading(notebook) -> str | None:
    """The first markdown heading of a notebook (its JSON, or a loaded nbformat node), else None."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return None


def _comments(source: str) -> dict:
    """Line number -> text of the comment on that line."""
    found = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                found[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def _type_of(default) -> str:
    for kind in (bool, int, float, str, list, dict):
        if isinstance(default, kind):
            return kind.__name__
    return ""


def parse_parameters(source: str) -> list:
    """The parameters declared in a parameters-cell source, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise NotebookError(f"parameters cell is not valid Python: {exc.msg} (line {exc.lineno})") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        raise NotebookError(f"parameters cell cannot be parsed: {type(exc).__name__}") from None
    comments, found = _comments(source), {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            target, annotation = node.target.id, ast.unparse(node.annotation)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, annotation = node.targets[0].id, ""
        else:
            continue
        text = ast.get_source_segment(source, node.value) or ast.unparse(node.value)
        try:
            default = ast.literal_eval(node.value)
        except (ValueError, SyntaxError, TypeError):
            default = text
        found[target] = Parameter(target, annotation or _type_of(default), default, text,
                                  comments.get(node.end_lineno, ""))
    return list(found.values())


def parameters(path) -> list:
    """The parameters that notebook ``path`` declares in its cell tagged ``parameters``."""
    for cell in _read(path).get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                return parse_parameters(_source(cell))
            except NotebookError as exc:
                raise NotebookError(f"{Path(path).name}: {exc}") from None
    return []


def check(path) -> list:
    """The parameters of notebook ``path`` once it is known to be runnable; else a one-line NotebookError
    (not a readable notebook, a parameters cell that is not valid Python, or a name a run reserves)."""
    name = Path(path).stem
    if name in RESERVED:
        raise NotebookError(f"a notebook may not be named {name}.ipynb: {RESERVED[name]}; rename it")
    _check_kernel(path)
    return parameters(path)


def _check_kernel(path) -> None:
    """A NotebookError when the notebook's kernelspec names a kernel other than the kit's: a run never switches
    an R (or any other) notebook onto Python, where it would fail misleadingly or, worse, read as ok."""
    spec = _read(path).get("metadata", {}).get("kernelspec") or {}
    spec = spec if isinstance(spec, dict) else {}
    kernel, language = spec.get("name"), spec.get("language")
    if (kernel is None or kernel in KERNELS) and str(language or "python").lower() == "python":
        return
    shown_kernel = f"{kernel!r}" + (f" ({language})" if language else "")
    raise NotebookError(f"{Path(path).name} asks for the kernel {shown_kernel}; vnru runs notebooks on the kit's "
                        f"Python kernel only ({KERNELS[0]}): set its kernel to {KERNELS[0]}, or run it with papermill")


def plan(selected: dict, declared: dict, sources, all_names=()) -> dict:
    """The parameter values for each selected notebook, from ``sources`` applied in order.

    ``declared`` maps notebook name -> [Parameter]. Each source is ``(origin, mapping)``; in a mapping
    a key ``NAME`` whose value is a mapping is that notebook's section, ``NAME.KEY`` targets one
    notebook, and a plain ``KEY`` applies to every selected notebook that declares it (a UsageError
    when none does). Sections for notebooks not selected are ignored.
    """
    known = set(all_names) | set(selected)
    values = {name: {} for name in selected}

    def apply(name, key, value, origin):
        params = {p.name: p for p in declared[name]}
        if renamed(key, params):
            raise UsageError(f"notebook {name}: parameter {key!r} was renamed to {renamed(key, params)!r} ({origin})")
        if key not in params:
            raise UsageError(f"notebook {name} has no parameter {key!r} ({origin}); "
                             f"its parameters: {', '.join(params) or '(none)'}")
        values[name][key] = convert(params[key], value, origin)

    for origin, mapping in sources:
        if not mapping:
            continue
        if not isinstance(mapping, dict):
            raise UsageError(f"parameters must be a mapping of names to values ({origin})")
        for key, value in mapping.items():
            key = str(key)
            if key in known and isinstance(value, dict):
                for sub, subvalue in value.items():
                    if key in selected:
                        apply(key, str(sub), subvalue, f"{origin}, section {key}")
            elif "." in key and key.split(".", 1)[0] in known:
                name, sub = key.split(".", 1)
                if name in selected:
                    apply(name, sub, value, origin)
            else:
                takers = [n for n in selected if any(p.name == key for p in declared[n])]
                stale = [n for n in selected if renamed(key, [p.name for p in declared[n]])]
                if not takers and (stale or len(selected) == 1):  # raises: the new name, or the parameters
                    apply((stale or list(selected))[0], key, value, origin)
                if not takers:
                    offered = sorted({p.name for n in selected for p in declared[n]})
                    raise UsageError(f"no selected notebook has a parameter {key!r} ({origin}); "
                                     f"parameters: {', '.join(offered) or '(none)'}")
                for name in takers:
                    apply(name, key, value, origin)
    return values

__all__ = [
    "KERNELS",
    "MAX_DEPTH",
    "RESERVED",
    "Parameter",
    "check",
    "code_cells",
    "convert",
    "discover",
    "heading",
    "load_yaml",
    "parameters",
    "parse_parameters",
    "plan",
    "select",
    "shown",
    "title",
]
