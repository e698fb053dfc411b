"""Loaders: each table of the data package as a typed, validated pandas DataFrame."""

import os
from pathlib import Path

import pandas as pd

from vnru.data import datapackage, imported, rowrules
from vnru.paths import READS_ENV, resolve_data_dir

TABLES = tuple(datapackage.table_names())
read_files = {}  # path -> None: the data files loaded in this process, in order


def _note_reads(name: str, directory) -> None:
    """Note the files loading ``name`` reads (its own and those of the tables its foreign keys check): in
    ``read_files``, and one path a line in the file $VNRU_READS_FILE names (set by `vnru run`)."""
    paths = [str(Path(directory, datapackage.resource(n)["path"]).resolve())
             for n in (name, *datapackage.dependencies(name))]
    read_files.update(dict.fromkeys(paths))
    if os.environ.get(READS_ENV):
        with open(os.environ[READS_ENV], "a", encoding="utf-8") as handle:
            handle.write("".join(f"{p}\n" for p in paths))


def load_table(name: str, data_dir=None) -> pd.DataFrame:
    """Validate table ``name`` against datapackage.json, then read it with typed columns.

    Dates become datetimes, integers nullable ``Int64``, numbers floats, text strings.
    ``df.attrs`` carries the table name, its file and its title, for citations and charts.
    """
    directory = resolve_data_dir(data_dir)
    resource = datapackage.resource(name)
    _note_reads(name, directory)
    datapackage.check(name, directory)
    rowrules.check(name, directory)
    path = Path(directory) / resource["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                        encoding="utf-8-sig")
    frame = _typed(frame, resource)
    frame.attrs.update(table=name, path=str(path), title=resource.get("title", name),
                       units={f["name"]: f["unit"] for f in resource["schema"]["fields"] if "unit" in f})
    return frame


def _typed(frame: pd.DataFrame, resource: dict) -> pd.DataFrame:
    """``frame`` with exactly the resource's columns (missing ones empty), typed as the schema says."""
    for field in resource["schema"]["fields"]:
        if field["name"] not in frame.columns:
            frame[field["name"]] = None
    for field in resource["schema"]["fields"]:
        col, kind = field["name"], field["type"]
        if kind == "integer":
            frame[col] = pd.to_numeric(frame[col]).astype("Int64")
        elif kind == "number":
            frame[col] = pd.to_numeric(frame[col]).astype("float64")
        elif kind == "date":
            frame[col] = pd.to_datetime(frame[col], format="%Y-%m-%d")
        else:
            frame[col] = frame[col].astype("string")
    return frame[[f["name"] for f in resource["schema"]["fields"]]]


def load_sources(data_dir=None) -> pd.DataFrame:
    """Every document the data cites (sources.csv)."""
    return load_table("sources", data_dir)


def load_trade(data_dir=None) -> pd.DataFrame:
    """Reported trade figures: one row per year, months covered, flow, reporter and source."""
    return load_table("trade", data_dir)


def load_investment(data_dir=None) -> pd.DataFrame:
    """Reported investment stocks in both directions, with projects, capital and rank-of-N."""
    return load_table("investment", data_dir)


def load_timeline(data_dir=None) -> pd.DataFrame:
    """Dated diplomatic events, sorted by date."""
    return load_table("timeline", data_dir).sort_values(["date", "event_id"], ignore_index=True)


def load_indicators(data_dir=None) -> pd.DataFrame:
    """People-to-people and cooperation figures: for a period (year + months) or as of a date (as_of)."""
    return load_table("indicators", data_dir)


def load_products(data_dir=None) -> pd.DataFrame:
    """Product-level trade figures (value, quantity, share, growth or rank) by flow, reporter and period.

    In a directory with an imported Comtrade dataset (``vnru import comtrade``), the Vietnam-Russia rows of
    that dataset (a DuckDB query; the other partners stay on disk) follow the curated rows of products.csv
    (if any). The two are different kinds of figures and must never be added together:
    ``attrs["imported_source_ids"]`` lists the imported downloads, and
    ``vnru.analysis.product_view.one_kind`` picks one kind.
    """
    directory = Path(resolve_data_dir(data_dir))
    if not imported.present(directory):
        frame = load_table("products", directory)
        frame.attrs["imported_source_ids"] = []
        return frame
    resource = datapackage.resource("products")
    curated = (load_table("products", directory) if (directory / resource["path"]).exists()
               else _typed(pd.DataFrame(), resource))
    rows = _typed(imported.pair_products(directory), resource)
    frame = pd.concat([curated, rows], ignore_index=True) if len(curated) else rows.reset_index(drop=True)
    frame.attrs.update(table="products", path=str(directory), title=resource.get("title", "products"),
                       units={f["name"]: f["unit"] for f in resource["schema"]["fields"] if "unit" in f},
                       imported_source_ids=sorted(rows["source_id"].dropna().unique()))
    return frame


def load_partners(data_dir=None) -> pd.DataFrame:
    """Vietnam's and Russia's trade with partners, groups and the world (``WLD``), with stated ranks: whose trade
    (``country``), whose statistics (``reporter``) and the period (``year``, ``from_month``, ``months``) on every row."""
    return load_table("partners", data_dir)


def load_targets(data_dir=None) -> pd.DataFrame:
    """Stated trade goals."""
    return load_table("targets", data_dir)


def load_vn_fdi_investors(data_dir=None) -> pd.DataFrame:
    """Leading foreign investors in Vietnam at one or more dates (context for Russia's rank)."""
    return load_table("vn_fdi_investors", data_dir)

__all__ = [
    "TABLES", "load_indicators", "load_investment", "load_partners", "load_products", "load_sources", "load_table",
    "load_targets", "load_timeline", "load_trade", "load_vn_fdi_investors", "read_files",
]
