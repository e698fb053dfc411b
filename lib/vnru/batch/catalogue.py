"""`vnru list` as a function: the notebooks a run can execute, with their parameters or why they cannot run."""

from dataclasses import dataclass, field
from pathlib import Path

from vnru.batch import notebooks
from vnru.errors import NotebookError
from vnru.paths import default_notebooks_dir

__all__ = ["Catalogue", "Entry", "list_notebooks"]


@dataclass
class Entry:
    """One notebook: its name and title, and its parameters, or the error that keeps it from running."""

    name: str
    title: str = ""
    parameters: list = field(default_factory=list)
    error: str = ""


@dataclass
class Catalogue:
    directory: Path
    entries: list

    def lines(self) -> list[str]:
        """What `vnru list` prints: per notebook its title, then one aligned line per parameter."""
        out = []
        for entry in self.entries:
            if entry.error:
                out.append(f"{entry.name}: BROKEN: {entry.error}")
                continue
            out.append(f"{entry.name}: {entry.title}")
            params = entry.parameters
            width = max((len(p.name) for p in params), default=0)
            kinds = max((len(p.type or "?") for p in params), default=0)
            defaults = max((len(p.default_source) for p in params), default=0)
            for p in params:
                line = f"  {p.name:<{width}}  {p.type or '?':<{kinds}}  {p.default_source:<{defaults}}"
                out.append(f"{line}  {p.help}".rstrip() if p.help else line.rstrip())
            if not params:
                out.append("  (no parameters)")
        return out


def list_notebooks(notebooks_dir=None) -> Catalogue:
    """The notebooks in ``notebooks_dir`` (default: a kit's notebooks/, else the bundled ones)."""
    directory = Path(notebooks_dir or default_notebooks_dir())
    entries = []
    for name, path in notebooks.discover(directory).items():
        try:
            entries.append(Entry(name, notebooks.title(path), notebooks.check(path)))
        except NotebookError as exc:  # listed as broken; the others are still listed
            entries.append(Entry(name, error=str(exc)))
    return Catalogue(directory, entries)
