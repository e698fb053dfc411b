"""What an importer is: the small protocol ``vnru.importers.store`` merges and publishes through.

A second importer is one module with one object that has these members, and one line in
``vnru.importers.REGISTRY``; the store (merge, de-duplicate, replace, publish atomically) is shared.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa

__all__ = ["Importer", "Parsed"]


@dataclass
class Parsed:
    """The rows of one file (a pyarrow Table in the target table's columns) and what was left out, counted."""

    path: Path
    layout: str
    encoding: str
    table: pa.Table
    classification: str = ""
    rows_read: int = 0
    skipped: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)  # what was repaired and kept, counted (codes restored ...)


class Importer(Protocol):
    name: str  # the word after `vnru import`
    schema: pa.Schema  # the columns of the rows it stores (the imported dataset's Parquet schema)
    key: tuple  # columns that identify one figure: a newer download replaces older imported rows with the same key
    source_prefix: str  # the source_id of each imported file starts with it

    def parse(self, path) -> Parsed:
        """Read one file; a DataError names the file, row and column of what cannot be read."""

    def downloaded(self, path) -> str | None:
        """When the file was downloaded (sortable text) where the file says so, else None."""

    def source_row(self, parsed: Parsed, source_id: str, rows: int) -> dict:
        """The sources.csv row describing one imported file (its provenance)."""
