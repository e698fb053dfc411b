"""`vnru validate` as a function: every table of a data directory against the schema, then the row rules."""

from dataclasses import dataclass, field
from pathlib import Path

from vnru.data import datapackage, rowrules
from vnru.paths import resolve_data_dir

__all__ = ["Validation", "validate_directory"]


@dataclass
class Validation:
    """What a validation found: the directory, problems (file, row, column, message) and rows per table."""

    directory: Path
    problems: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems

    def table_lines(self) -> list[str]:
        """One line a table: its file, row count and ok / FAILED / not checked."""
        bad_files = {p.file for p in self.problems}
        lines = []
        for name in datapackage.table_names():
            path = datapackage.resource(name)["path"]
            status = "FAILED" if path in bad_files else "ok" if name in self.rows else "not checked"
            count = f"{self.rows[name]:>5} rows" if name in self.rows else "    - rows"
            lines.append(f"{path:<22} {count}  {status}")
        return lines


def validate_directory(data_dir=None) -> Validation:
    """Check ``data_dir`` (default: $VNRU_DATA_DIR, a kit's data, else the bundled data)."""
    directory = resolve_data_dir(data_dir)
    problems, rows = datapackage.validate(directory)
    failed = {p.file for p in problems}
    problems += rowrules.validate(directory, [n for n in rows if datapackage.resource(n)["path"] not in failed])
    return Validation(Path(directory), problems, rows)
