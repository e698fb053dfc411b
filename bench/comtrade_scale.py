"""SYNTHETIC Comtrade data at scale, and the benches of the imported dataset (issue 27).

Nothing here is real trade data: the generator draws made-up values in Comtrade's shapes. The shape follows an
analyst's full download: Vietnam and Russia reporting exports and imports with ~200 partners (World among them)
and ~5,000 HS6 codes, 25 years (2000-2024), Russia's side missing after 2021 (its customs stopped publishing
partner detail in April 2022), plus every other reporter's exports to World (the world reference of RCA).
"""

import json
import math
import shutil
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from vnru.importers.store import ROW_GROUP, sorted_by_partner  # the parts as the importer writes them

YEARS = list(range(2000, 2025))
CODES = [f"{10_101 + 19 * k:06d}" for k in range(5_000)]  # 5,000 made-up six-digit codes
WORLD_REPORTERS = 20  # other reporters exporting to World: the world reference (2.5 million rows)
PARTNERS = 200


def _iso_pool():
    from vnru.importers.areas import ISO_NUMERIC

    pool = sorted(set(ISO_NUMERIC.values()) - {"VNM", "RUS"})
    return pool


def _dict(values, indices):
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(values, pa.string()))


def year_part(year: int, rows: int, rng, codes=CODES, world_imports=False) -> pa.Table:
    """One year's SYNTHETIC rows in the store's schema: ``rows`` pair rows (VNM, RUS x X, M x partners x codes)
    plus the other reporters' exports to World (and, with ``world_imports``, their imports from World)."""
    pool = _iso_pool()
    partners = ["WLD", "RUS", "VNM"] + pool[:PARTNERS - 3]
    reporters = ["VNM"] if year > 2021 else ["VNM", "RUS"]  # no Russian side after 2021
    space = len(reporters) * 2 * PARTNERS * len(codes)  # every reporter, flow, partner and code once at most
    key = np.sort(rng.permutation(space)[:min(rows, space)])  # distinct keys: no duplicate to drop later
    code, rest = key % len(codes), key // len(codes)
    partner, rest = rest % PARTNERS, rest // PARTNERS
    flow, reporter = rest % 2, rest // 2
    # every product to World and to the other side of the pair, both flows: the basis of the indices
    world_codes = np.tile(np.arange(len(codes)), len(reporters) * 4)
    world_rep = np.tile(np.repeat(np.arange(len(reporters)), len(codes) * 2), 2)
    world_flow = np.tile(np.repeat([0, 1], len(codes)), len(reporters) * 2)
    half = world_rep.size // 2
    world_partner = np.concatenate([np.zeros(half, dtype=int), np.where(world_rep[half:] == 0, 1, 2)])
    others = pool[PARTNERS:PARTNERS + WORLD_REPORTERS]
    all_reporters = reporters + others
    other_flows = 2 if world_imports else 1
    other_rep = np.tile(np.repeat(np.arange(len(others)), len(codes)), other_flows) + len(reporters)
    other_codes = np.tile(np.arange(len(codes)), len(others) * other_flows)
    other_flow = np.repeat(np.arange(other_flows), len(others) * len(codes))
    r = np.concatenate([reporter, world_rep, other_rep])
    f = np.concatenate([flow, world_flow, other_flow])
    p = np.concatenate([partner, world_partner, np.zeros(other_rep.size, dtype=int)])
    c = np.concatenate([code, world_codes, other_codes])
    n = r.size
    value = np.round(rng.lognormal(11, 2.5, n))
    weight = np.where(rng.random(n) < 0.8, np.round(value / rng.uniform(0.5, 20, n)), np.nan)
    table = pa.table({
        "reporter": _dict(all_reporters, r), "partner": _dict(partners, p), "flow": _dict(["X", "M"], f),
        "year": pa.array(np.full(n, year, dtype=np.int16)), "from_month": pa.array(np.ones(n, dtype=np.int8)),
        "months": pa.array(np.full(n, 12, dtype=np.int8)), "hs_code": _dict(codes, c),
        "product": _dict([f"Product {k}" for k in codes], c), "classification": _dict(["H5"], np.zeros(n, int)),
        "value_usd": pa.array(value), "net_wgt_kg": pa.array(weight),
        "source_id": _dict([f"synthetic-{year}"], np.zeros(n, int))})
    # one row per key, as the importer guarantees
    key = ((r.astype(np.int64) * PARTNERS + p) * 2 + f) * len(codes) + c
    _, first = np.unique(key, return_index=True)
    return table.take(np.sort(first))


def write_dataset(directory: Path, rows: int, seed: int = 0, years=YEARS, codes=CODES,
                  world_imports=False) -> tuple[int, float]:
    """A SYNTHETIC imported directory (parts, manifest, sources.csv) of about ``rows`` rows; (rows, seconds).
    Fewer ``years`` and ``codes`` make a small directory for the notebook test; ``world_imports`` adds the
    other reporters' imports from World (the world imports of the trade intensity index)."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    store = directory / "comtrade" / "parts"
    store.mkdir(parents=True, exist_ok=True)
    listed, total = [], 0
    for year in years:
        world_rows = WORLD_REPORTERS * len(codes) + 8 * len(codes)
        part = year_part(year, max(rows // len(years) - world_rows, 1000), rng, codes, world_imports)
        name = f"synthetic-{year}.parquet"
        pq.write_table(sorted_by_partner(part), store / name, compression="zstd", row_group_size=ROW_GROUP)
        listed.append({"source_id": f"synthetic-{year}", "file": name, "rows": part.num_rows, "downloaded": "",
                       "slices": [], "classification": "H5"})
        total += part.num_rows
    (directory / "comtrade" / "manifest.json").write_text(json.dumps({"format": 1, "parts": listed}))
    lines = ["source_id,title,publisher,published,url,kind,language,note"]
    lines += [f"synthetic-{y},SYNTHETIC data for the benchmark,vnru bench,,,reference,en,made-up values" for y in years]
    (directory / "sources.csv").write_text("\n".join(lines) + "\n")
    return total, time.perf_counter() - start


def rca_kit(directory):
    """RCA of both sides for all products and years, the kit's way: two DuckDB sums, then bilateral.rca."""
    from vnru.analysis import bilateral
    from vnru.data import imported

    con = imported.connect(directory)
    try:
        exports = imported.by_product(directory, reporters=("VNM", "RUS"), con=con)
        world = imported.world_by_product(directory, con=con)
    finally:
        con.close()
    return bilateral.rca(exports, world)


FLOOR_SQL = """
WITH x AS (SELECT reporter, year, hs_code, sum(value_usd) v FROM trade
           WHERE flow = 'X' AND partner = 'WLD' AND from_month = 1 AND months = 12 AND length(hs_code) = 6
           GROUP BY ALL),
     w AS (SELECT year, hs_code, sum(v) / sum(sum(v)) OVER (PARTITION BY year) AS ws FROM x
           GROUP BY year, hs_code),
     pair AS (SELECT reporter, year, hs_code, v / sum(v) OVER (PARTITION BY reporter, year) AS s FROM x
              WHERE reporter IN ('VNM', 'RUS'))
SELECT reporter, year, hs_code, s / ws AS rca FROM pair JOIN w USING (year, hs_code)
"""


def rca_floor(directory):
    """The same RCA as one hand-written DuckDB statement (the floor)."""
    from vnru.data import imported

    con = imported.connect(directory)
    try:
        return con.execute(FLOOR_SQL).df()
    finally:
        con.close()


def query_peak_mb(directory) -> float:
    """Peak memory (RSS, MB) of a fresh process that computes the RCA on ``directory``: the query's own."""
    import subprocess
    import sys

    code = ("import resource, sys; sys.path.insert(0, sys.argv[2]); import comtrade_scale as C; "
            "C.rca_kit(sys.argv[1]); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code, str(directory), str(Path(__file__).parent)], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def bench_rca(repeat, tmp: Path, interleaved, sizes=(10**6, 10**7)) -> list:
    """RCA on generated Parquet datasets of each size: the kit vs the SQL floor, and the growth exponent."""
    results, times, counts = [], [], []
    for rows in sizes:
        directory = tmp / f"rca-{rows}"
        written, seconds = write_dataset(directory, rows)
        counts.append(written)
        rca_kit(directory)  # warm-up
        a, b = interleaved(lambda d=directory: rca_kit(d), lambda d=directory: rca_floor(d), repeat=repeat)
        times.append(a)
        peak = query_peak_mb(directory)
        shutil.rmtree(directory, ignore_errors=True)
        ok = "" if rows < 10**8 else "meets target" if a <= 10 and peak <= 4096 else "MISSES target"
        results.append({"label": f"RCA of both sides, all products and years, on {written:,} imported rows "
                                 f"(SYNTHETIC, generated to Parquet in {seconds:.0f} s) / one hand-written DuckDB "
                                 "SQL statement (the floor)", "a": a, "b": b, "ratio": a / b, "target": None,
                        "target_text": "10^8 rows: <= 10 s, <= 4 GB", "verdict": ok, "units": "s",
                        "extra": f"median of {repeat}; peak RSS of the query's process {peak:.0f} MB"})
    if len(sizes) > 1:
        exponent = math.log(times[-1] / times[0]) / math.log(counts[-1] / counts[0])
        results.append({"label": "Scale: RCA query time", "sizes": counts, "times": times,
                        "exponent": exponent, "target": "linear or better (exponent <= 1)",
                        "verdict": "meets target" if exponent <= 1.05 else "MISSES target"})
    return results


def bench_import(repeat, tmp: Path, interleaved, synthetic_comtrade, sizes=(10**6, 10**7)) -> list:
    """vnru import comtrade against pyarrow.csv.read_csv of the same SYNTHETIC CSV (target <= 1.5x at 10^7)."""
    import pyarrow.csv as pacsv

    from vnru.importers.store import import_files

    results, times = [], []
    for rows in sizes:
        path = synthetic_comtrade(tmp / f"comtrade-{rows}.csv", rows)
        runs = iter(range(10**6))
        a, b = interleaved(lambda p=path, n=rows, r=runs: import_files([p], tmp / f"imported-{n}-{next(r)}"),
                           lambda p=path: pacsv.read_csv(p), repeat=repeat)
        times.append(a)
        size = path.stat().st_size / 1e6
        results.append({"label": f"Comtrade import of {rows:,} rows ({size:.0f} MB) into Parquet / "
                                 "pyarrow.csv.read_csv of the file", "a": a, "b": b, "ratio": a / b,
                        "target": 1.5, "units": "s", "extra": f"median of {repeat}"})
        path.unlink()
    if len(sizes) > 1:
        exponent = math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])
        results.append({"label": "Scale: Comtrade import time", "sizes": list(sizes), "times": times,
                        "exponent": exponent, "target": "linear (exponent ~1)",
                        "verdict": "meets target" if exponent <= 1.1 else "MISSES target"})
    return results


__all__ = ["bench_import", "bench_rca", "rca_floor", "rca_kit", "write_dataset", "year_part"]
