"""`vnru validate` as a function: every table of a data directory against the schema, then the row rules."""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vnru.data import datapackage, imported, rowrules
from vnru.data.tableschema import Problem
from vnru.paths import resolve_data_dir

__all__ = ["Validation", "validate_directory"]


@dataclass
class Validation:
    """What a validation found: the directory, problems (file, row, column, message) and rows per table."""

    directory: Path
    problems: list = field(default_factory=list)
    rows: dict = field(default_factory=dict)
    imported_rows: int | None = None  # rows of the imported dataset (DIR/comtrade/), None when there is none

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
        if self.imported_rows is not None:
            status = "FAILED" if imported.STORE in bad_files else "ok"
            lines.append(f"{imported.STORE + '/':<22} {self.imported_rows:>5} rows  {status} (imported dataset)")
        return lines


def validate_directory(data_dir=None) -> Validation:
    """Check ``data_dir`` (default: $VNRU_DATA_DIR, a kit's data, else the bundled data)."""
    directory = resolve_data_dir(data_dir)
    names, imported_rows = None, None
    if imported.present(directory):  # an import-only directory: the tables it holds, and the imported dataset
        names = [n for n in datapackage.table_names()
                 if n == "sources" or (Path(directory) / datapackage.resource(n)["path"]).is_file()]
        imported_rows, dataset_problems = _check_imported(Path(directory))
    problems, rows = datapackage.validate(directory, names)
    failed = {p.file for p in problems}
    problems += rowrules.validate(directory, [n for n in rows if datapackage.resource(n)["path"] not in failed])
    if imported_rows is not None:
        problems += dataset_problems
    return Validation(Path(directory), problems, rows, imported_rows)


def _check_imported(directory: Path) -> tuple[int, list]:
    """The imported dataset's row count and problems: parts the manifest lists but that are missing or
    unreadable, source ids that sources.csv does not list."""
    import duckdb

    missing = [p for p in imported.parts(directory) if not p.is_file()]
    if missing:
        return 0, [Problem(imported.STORE, None, None, f"part {missing[0].name} listed in the manifest is missing")]
    try:
        counts = imported.query("SELECT source_id, count(*) AS n FROM trade GROUP BY source_id", directory)
    except duckdb.Error as exc:
        return 0, [Problem(imported.STORE, None, None, f"unreadable Parquet part: {str(exc)[:200]}")]
    sources = directory / "sources.csv"
    known = set(pd.read_csv(sources, dtype=str)["source_id"]) if sources.is_file() else set()
    unknown = sorted(set(counts["source_id"]) - known)
    problems = [Problem(imported.STORE, None, "source_id", f"{sid} is not in sources.csv") for sid in unknown]
    return int(counts["n"].sum()), problems
