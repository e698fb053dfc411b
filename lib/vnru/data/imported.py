"""The imported trade dataset of a data directory (``vnru import comtrade``), read in place with DuckDB.

Layout: ``DIR/comtrade/parts/*.parquet``, one file per imported download (re-importing a download replaces its
part only), and ``DIR/comtrade/manifest.json``, the list of current parts. The manifest is the commit point:
an import writes its parts first, then renames a new manifest into place, so a reader that reads the manifest
once sees one whole dataset, never a half-written one. Files in ``parts/`` that the manifest does not list are
ignored (an import killed before it published). Each part's rows carry the download's ``source_id``
(see sources.csv). Columns: see ``vnru.importers.comtrade.SCHEMA``.

Why DuckDB: it is embedded (a library, no server), reads Parquet natively and pushes filters and
aggregates into the scan, so 10^8 rows are summed without being loaded into pandas. The same Parquet
dataset can be read by Dask DataFrame on a cluster when one machine's disk or cores are not enough.
"""

import json
from pathlib import Path

import pandas as pd

from vnru.errors import DataError, VnruError
from vnru.paths import resolve_data_dir

STORE = "comtrade"
MANIFEST = "manifest.json"
PARTS = "parts"
PAIR = {"VNM": "VN", "RUS": "RU"}

__all__ = ["MANIFEST", "MIN_WORLD_REPORTERS", "PARTS", "STORE", "MissingDownload", "by_product", "connect",
           "intensity_totals", "manifest", "pair_products", "pair_years", "parts", "present", "query",
           "world_by_product"]


class MissingDownload(VnruError):
    """An index needs rows the directory does not hold; the message names the Comtrade download to import."""

    def __init__(self, needed: str, download: str):
        self.needed, self.download = needed, download
        super().__init__(f"{needed} is not in the imported data: download from UN Comtrade {download}, "
                         "then `vnru import comtrade FILE --data-dir DIR`")


def manifest(data_dir=None) -> dict:
    """The imported dataset's manifest ({"parts": [...]}); an empty one when nothing was imported."""
    path = Path(resolve_data_dir(data_dir)) / STORE / MANIFEST
    if not path.exists():
        return {"format": 1, "parts": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the imported dataset's manifest: {exc}", file=str(path)) from None


def parts(data_dir=None) -> list[Path]:
    """The Parquet files of the imported dataset, as the manifest lists them."""
    directory = Path(resolve_data_dir(data_dir)) / STORE
    return [directory / PARTS / p["file"] for p in manifest(data_dir)["parts"]]


def present(data_dir=None) -> bool:
    """Whether the directory holds an imported dataset."""
    return bool(manifest(data_dir)["parts"])


def connect(data_dir=None, threads: int | None = None):
    """A DuckDB connection with the view ``trade`` over the imported dataset (all parts, read in place)."""
    try:
        import duckdb
    except ImportError:  # a runtime-only install: the dataset is there, the engine that reads it is an extra
        from vnru.errors import UsageError

        raise UsageError(f"reading the imported Comtrade dataset in {data_dir or 'the data directory'} needs duckdb: "
                         "pip install 'vnru[comtrade]'") from None

    try:  # no progress bar: in a notebook it needs ipywidgets, and in a script it writes to the terminal
        con = duckdb.connect(config={"enable_progress_bar": False})
    except duckdb.Error:
        con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    files = [str(p) for p in parts(data_dir)]
    if files:
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
        con.execute(f"CREATE VIEW trade AS SELECT * FROM read_parquet([{listed}])")
    else:
        con.execute("CREATE VIEW trade AS SELECT NULL::VARCHAR AS reporter, NULL::VARCHAR AS partner, "
                    "NULL::VARCHAR AS flow, NULL::SMALLINT AS year, NULL::TINYINT AS from_month, "
                    "NULL::TINYINT AS months, NULL::VARCHAR AS hs_code, NULL::VARCHAR AS product, "
                    "NULL::VARCHAR AS classification, NULL::DOUBLE AS value_usd, NULL::DOUBLE AS net_wgt_kg, "
                    "NULL::VARCHAR AS source_id WHERE false")
    return con


def query(sql: str, data_dir=None, params=None) -> pd.DataFrame:
    """``sql`` (over the view ``trade``) run by DuckDB on the imported dataset, as a pandas DataFrame."""
    con = connect(data_dir)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


PAIR_SQL = """
SELECT year, from_month, months,
       CASE WHEN (reporter = 'VNM') = (flow = 'X') THEN 'vn_exports' ELSE 'vn_imports' END AS flow,
       CASE reporter WHEN 'VNM' THEN 'VN' ELSE 'RU' END AS reporter,
       hs_code, product, value_usd / 1e6 AS value_usd_m, net_wgt_kg AS quantity,
       CASE WHEN net_wgt_kg IS NOT NULL THEN 'kg' END AS quantity_unit, classification, source_id
FROM trade
WHERE (reporter = 'VNM' AND partner = 'RUS') OR (reporter = 'RUS' AND partner = 'VNM')
ORDER BY source_id, reporter, flow, year, from_month, hs_code
"""


PAIR_YEARS_SQL = """
SELECT DISTINCT CASE WHEN (reporter = 'VNM') = (flow = 'X') THEN 'vn_exports' ELSE 'vn_imports' END AS flow,
       CAST(year AS INTEGER) AS year, CASE reporter WHEN 'VNM' THEN 'VN' ELSE 'RU' END AS reporter
FROM trade
WHERE (reporter = 'VNM' AND partner = 'RUS') OR (reporter = 'RUS' AND partner = 'VNM')
ORDER BY flow, year, reporter
"""


def pair_years(data_dir=None, *, con=None) -> pd.DataFrame:
    """The years in which each side's statistics hold product rows of the pair, per flow (Vietnam's side, as in
    ``pair_products``): flow, year, reporter. DuckDB reads the few distinct keys, not the rows."""
    if con is not None:
        return con.execute(PAIR_YEARS_SQL).df()
    return query(PAIR_YEARS_SQL, data_dir)


def pair_products(data_dir=None) -> pd.DataFrame:
    """The Vietnam-Russia rows of the imported dataset in the columns of ``products`` (Vietnam's side):
    Vietnam reporting exports -> vn_exports, VN; Russia reporting imports -> vn_exports, RU; and so on.
    A product without a description is named "HS 0901"; where one description stands for several codes in a
    download, every product of that download gets its code added ("Other (HS 0901)"), so names stay unique."""
    rows = query(PAIR_SQL, data_dir)
    named = rows["product"].where(rows["product"].notna() & (rows["product"] != ""), "HS " + rows["hs_code"])
    codes = rows.assign(product=named).groupby(["source_id", "product"])["hs_code"].transform("nunique")
    clash = rows["source_id"].isin(rows.loc[codes.to_numpy() > 1, "source_id"])
    rows["product"] = named.where(~clash, named + " (HS " + rows["hs_code"] + ")")
    return rows


MIN_WORLD_REPORTERS = 20  # a "world" summed from fewer reporters than this is not the world
DOWNLOAD = {  # what to ask comtradeplus for, per missing slice
    "partner": "reporter {reporter}, partner World, flow {flow}, HS, annual, frequency A",
    "pair": "reporter {reporter}, partner {partner}, flow {flow}, HS, annual",
    "world": "reporters All, partner World, flow {flow}, HS (6 digits), annual",
}


def _level(con, where: str, params: list, digits: int) -> int:
    """The code length to sum up to ``digits``: ``digits`` itself where such codes exist, else the next finer
    level present (one level only, so a download mixing levels is never counted twice)."""
    lengths = [r[0] for r in con.execute(f"SELECT DISTINCT length(hs_code) FROM trade WHERE {where}",
                                         params).fetchall()]
    finer = sorted(n for n in lengths if n >= digits)
    return finer[0] if finer else digits


def by_product(data_dir=None, *, reporters=("VNM", "RUS"), partner="WLD", flow="X", digits=6, con=None):
    """Annual values (USD) and net weights by reporter, year and HS code of ``digits`` digits, from the rows of
    ``reporters`` with ``partner`` in ``flow`` (DuckDB sums in place; finer codes of one level are summed up to
    ``digits``). MissingDownload names the download when a reporter has no such rows."""
    own = con is None
    con = connect(data_dir) if own else con
    try:
        listed = ", ".join(f"'{r}'" for r in reporters)
        where = (f"flow = ? AND partner = ? AND reporter IN ({listed}) AND from_month = 1 AND months = 12")
        level = _level(con, where, [flow, partner], digits)
        frame = con.execute(f"""
            SELECT reporter, year, left(hs_code, {int(digits)}) AS hs_code, sum(value_usd) AS value_usd,
                   sum(net_wgt_kg) AS net_wgt_kg
            FROM trade WHERE {where} AND length(hs_code) = ?
            GROUP BY ALL ORDER BY ALL""", [flow, partner, level]).df()
    finally:
        if own:
            con.close()
    for reporter in reporters:
        if not (frame["reporter"] == reporter).any():
            what = "partner" if partner == "WLD" else "pair"
            raise MissingDownload(
                f"{reporter}'s {'exports to' if flow == 'X' else 'imports from'} {partner} by product "
                f"(HS{digits}, annual)", DOWNLOAD[what].format(reporter=reporter, partner=partner,
                                                               flow="Export" if flow == "X" else "Import"))
    return frame


def world_by_product(data_dir=None, *, digits=6, flow="X", con=None) -> pd.DataFrame:
    """The world's annual exports (``flow`` "X"; imports: "M") by year and HS code: every reporter's trade with
    World summed, for the years where at least MIN_WORLD_REPORTERS reporters are imported; MissingDownload when
    there is no such year."""
    if flow not in ("X", "M"):
        raise ValueError(f"flow must be 'X' or 'M'; got {flow!r}")
    own = con is None
    con = connect(data_dir) if own else con
    try:
        where = f"flow = '{flow}' AND partner = 'WLD' AND from_month = 1 AND months = 12"
        level = _level(con, where, [], digits)
        frame = con.execute(f"""
            WITH rows AS (SELECT year, left(hs_code, {int(digits)}) AS hs_code, reporter, value_usd FROM trade
                          WHERE {where} AND length(hs_code) = ?),
                 years AS (SELECT year FROM rows GROUP BY year HAVING count(DISTINCT reporter) >= ?)
            SELECT year, hs_code, sum(value_usd) AS value_usd FROM rows WHERE year IN (SELECT year FROM years)
            GROUP BY year, hs_code ORDER BY year, hs_code""", [level, MIN_WORLD_REPORTERS]).df()
    finally:
        if own:
            con.close()
    if frame.empty:
        what = "exports" if flow == "X" else "imports"
        raise MissingDownload(f"the world's {what} by product (at least {MIN_WORLD_REPORTERS} reporters)",
                              DOWNLOAD["world"].format(flow="Export" if flow == "X" else "Import"))
    return frame


def intensity_totals(exporter: str, importer: str, data_dir=None, *, con=None) -> pd.DataFrame:
    """The four all-product annual totals (USD) the trade intensity index of ``exporter``'s exports to
    ``importer`` needs, for the years that have all four: x_ij (exporter's exports to the importer), x_i (its
    exports to World), m_j (the importer's imports from World), m_w (the world's imports: every reporter's
    imports from World, see ``world_by_product``). Each as its reporter states it (no mirror figure); HS codes
    summed from one level only. MissingDownload names the download of the first total that is not imported."""
    own = con is None
    con = connect(data_dir) if own else con
    try:
        def total(frame):
            return frame.groupby("year")["value_usd"].sum()

        parts = {"x_ij": total(by_product(reporters=(exporter,), partner=importer, flow="X", digits=2, con=con)),
                 "x_i": total(by_product(reporters=(exporter,), flow="X", digits=2, con=con)),
                 "m_j": total(by_product(reporters=(importer,), flow="M", digits=2, con=con)),
                 "m_w": total(world_by_product(digits=2, flow="M", con=con))}
    finally:
        if own:
            con.close()
    out = pd.concat(parts, axis=1, join="inner").rename_axis("year").reset_index()
    if out.empty:
        spans = ", ".join(f"{k} {min(v.index)}-{max(v.index)}" for k, v in parts.items())
        raise MissingDownload(f"a year that all four totals of {exporter}'s trade intensity with {importer} cover "
                              f"({spans})", "the same years for all four")
    return out.assign(exporter=exporter, importer=importer)[["exporter", "importer", "year", *parts]]
