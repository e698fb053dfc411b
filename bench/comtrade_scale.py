"""SYNTHETIC Comtrade data at scale, and the benches of the imported dataset (issue 27).

Nothing here is real trade data: the generator draws made-up values in Comtrade's shapes. The shape follows an
analyst's full download: Vietnam and Russia reporting exports and imports with ~200 partners (World among them)
and ~5,000 HS6 codes, 25 years (2000-2024), Russia's side missing after 2021 (its customs stopped publishing
partner detail in April 2022), plus every other reporter's exports to World (the world reference of RCA).
"""

import json
import math
import os
import shutil
import sys
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


def synthetic_csv(path, rows, chunk=5_000_000):
    """A SYNTHETIC comtradeplus CSV of ``rows`` rows in the 47-column layout, written ``chunk`` rows at a time
    (10^8 rows, ~12 GB, in bounded memory): monthly HS6 rows of Vietnam and Russia with each other and World,
    then, past 25 years of months, the same months with third countries as partners (no key twice)."""
    import sys

    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from fixtures.comtrade import PLUS_COLUMNS

    codes = pa.array([f"{10_101 + 19 * k:06d}" for k in range(5_000)])
    third = np.array([156, 392, 410, 36, 76, 276, 251, 699, 842, 826, 380, 724, 458, 764, 360, 608])
    writer = None
    try:
        for at in range(0, rows, chunk):
            i = np.arange(at, min(at + chunk, rows))
            n, rng = i.size, np.random.default_rng(at)
            month = i // 20_000 % 300  # 5,000 codes x 2 reporters x 2 flows a month, 25 years (2000-2024)
            cycle = i // 6_000_000  # past 25 years of months: the same months with a third country as partner
            reporter = np.where(i % 2 == 0, 704, 643)
            partner = np.where(i % 10 == 9, 0, np.where(reporter == 704, 643, 704))
            partner = np.where(cycle > 0, third[(cycle - 1) % len(third)], partner)
            code = codes.take(pa.array((i // 4) % 5_000))
            columns = {c: pa.nulls(n, pa.string()) for c in PLUS_COLUMNS}
            columns.update(
                typeCode=pa.repeat("C", n), freqCode=pa.repeat("M", n),
                period=pa.array(200001 + month // 12 * 100 + month % 12).cast(pa.string()),
                reporterCode=pa.array(reporter), partnerCode=pa.array(partner),
                flowCode=pa.array(np.where((i // 2) % 2 == 0, "X", "M")), cmdCode=code,
                cmdDesc=pc.binary_join_element_wise("Product ", code, ""),
                partner2Code=pa.array(np.zeros(n, dtype="int64")), customsCode=pa.repeat("C00", n),
                motCode=pa.array(np.zeros(n, dtype="int64")), netWgt=pa.array(rng.integers(0, 10**7, n)),
                primaryValue=pa.array(rng.integers(1, 10**9, n)), isAggregate=pa.repeat("True", n))
            table = pa.table(columns)
            if writer is None:
                writer = pacsv.CSVWriter(path, table.schema, write_options=pacsv.WriteOptions(quoting_style="needed"))
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


STAGES = ("read the CSV (pyarrow, 12 columns; in pieces above 1 GiB)", "parse (codes, periods, filters)",
          "de-duplicate", "sort by partner", "write Parquet (zstd)", "publish (manifest, sources.csv)")


class StageTimes:
    """Seconds spent in each stage of one import (``STAGES``), by wrapping the importer's own functions."""

    def __init__(self):
        self.seconds = dict.fromkeys(STAGES, 0.0)

    def __enter__(self):
        from vnru.importers import comtrade, store

        self._patched = []
        for module, name, stage in ((comtrade, "parse", STAGES[0]), (comtrade, "_kept", STAGES[1]),
                                    (store, "_first_per_key", STAGES[2]), (store, "sorted_by_partner", STAGES[3]),
                                    (store, "_write", STAGES[4]), (store, "_publish", STAGES[5])):
            original = getattr(module, name)
            setattr(module, name, self._timed(original, stage))
            self._patched.append((module, name, original))
        return self

    def _timed(self, fn, stage):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - start
        return run

    def __exit__(self, *exc):
        for module, name, original in self._patched:
            setattr(module, name, original)

    def own(self) -> dict:
        """Each stage without the stages inside it (the file's parse holds the read and the parse of its pieces,
        writing holds the sort)."""
        out = dict(self.seconds)
        out[STAGES[0]] -= out[STAGES[1]]
        out[STAGES[4]] -= out[STAGES[3]]
        return out


PAIR_CHAPTERS_SQL = """
SELECT reporter, flow, year, left(hs_code, 2) AS chapter, sum(value_usd) AS value_usd FROM trade
WHERE (reporter = 'VNM' AND partner = 'RUS') OR (reporter = 'RUS' AND partner = 'VNM') GROUP BY ALL
"""


def _memory_guard(limit_gb: float) -> None:
    """Stop this process (one line, exit 3) when its resident memory passes ``limit_gb``: on a shared machine
    without swap the bench must not be the process the kernel's out-of-memory killer has to find."""
    import threading

    def watch():
        while True:
            with open("/proc/self/status", encoding="ascii") as status:
                rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 2**20
            if rss > limit_gb:
                print(f"bench stopped: {rss:.1f} GB resident, above {limit_gb} GB (VNRU_BENCH_MAX_RSS_GB)",
                      file=sys.stderr, flush=True)
                os._exit(3)
            time.sleep(0.25)

    if Path("/proc/self/status").exists():
        threading.Thread(target=watch, daemon=True).start()


def bench_import(repeat, tmp: Path, interleaved, synthetic_csv, sizes=(10**6, 10**7)) -> list:
    """vnru import comtrade against pyarrow.csv.read_csv of the same SYNTHETIC CSV (target <= 1.5x at 10^7), the
    import's stages, and a query on the imported set (the pair's chapter sums, DuckDB in place) at each size.
    10^8 rows (a 12 GB file) are imported and read once each, the import first."""
    import resource

    import pyarrow.csv as pacsv

    from vnru.data import imported
    from vnru.importers.store import import_files

    results, times, query_times, stages = [], [], [], {}
    _memory_guard(float(os.environ.get("VNRU_BENCH_MAX_RSS_GB", "17")))
    for rows in sizes:
        runs = 1 if rows >= 10**8 else repeat
        start = time.perf_counter()
        path = synthetic_csv(tmp / f"comtrade-{rows}.csv", rows)
        generated = time.perf_counter() - start
        done = []

        def load(p=path, n=rows, done=done):
            out = tmp / f"imported-{n}-{len(done)}"
            with StageTimes() as timer:
                import_files([p], out)
            done.append(out)
            stages[n] = timer.own()

        whole = rows < 10**8  # 10^8 rows read whole by pyarrow would hold ~12 GB: pyarrow reads them in batches
        read = rows <= 10 ** int(os.environ.get("VNRU_BENCH_READ_MAX", "8"))  # the floor can be left out (time)
        reader = (lambda p=path: pacsv.read_csv(p)) if whole else (lambda p=path: _stream_read(p))
        a, b = interleaved(load, reader, repeat=runs) if read else (interleaved(load, repeat=runs)[0], float("nan"))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{time.strftime('%H:%M:%S')} {rows:,} rows: generated in {generated:.0f} s, import {a:.2f} s, "
              f"pyarrow read {b:.2f} s, peak RSS {peak:.0f} MB, load {os.getloadavg()}; stages "
              + ", ".join(f"{k} {v:.2f} s" for k, v in stages[rows].items()), file=sys.stderr, flush=True)
        times.append(a)
        for extra in done[:-1]:
            shutil.rmtree(extra, ignore_errors=True)
        kept = done[-1]
        imported.query(PAIR_CHAPTERS_SQL, kept)  # warm-up
        query = sorted(_timed(lambda d=kept: imported.query(PAIR_CHAPTERS_SQL, d)) for _ in range(max(runs, 3)))
        query_times.append(query[len(query) // 2])
        print(f"{time.strftime('%H:%M:%S')} {rows:,} rows: query {query_times[-1]:.3f} s", file=sys.stderr, flush=True)
        shutil.rmtree(kept, ignore_errors=True)
        size = path.stat().st_size / 1e6
        path.unlink()
        if not read:  # the import's time is in the scale row below; no ratio without its floor
            continue
        results.append({"label": f"Comtrade import of {rows:,} rows ({size:.0f} MB, SYNTHETIC, written in "
                                 f"{generated:.0f} s) into Parquet / pyarrow "
                                 + ("csv.read_csv of the file" if whole else "csv.open_csv reading every batch of "
                                    "the file (read whole it would not fit in memory)"),
                        "a": a, "b": b, "ratio": a / b, "target": 1.5 if rows == 10**7 else None,
                        "target_text": "-", "units": "s",
                        "extra": f"{'one run each' if runs == 1 else f'median of {runs}'}; process peak RSS so far "
                                 f"{peak:.0f} MB"})
    if len(sizes) > 1:
        exponent = math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])
        steps = ", ".join(f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}" for n1, n2, t1, t2
                          in zip(sizes, sizes[1:], times, times[1:], strict=False))
        results.append({"label": f"Scale: Comtrade import time (exponent per step {steps})", "sizes": list(sizes),
                        "times": times, "exponent": exponent, "target": "linear (exponent ~1)",
                        "verdict": "meets target" if exponent <= 1.1 else "MISSES target"})
        q_exponent = math.log(query_times[-1] / query_times[0]) / math.log(sizes[-1] / sizes[0])
        results.append({"label": "Scale: query on the imported set (the pair's chapter sums by reporter, flow and "
                                 "year; DuckDB in place)", "sizes": list(sizes), "times": query_times,
                        "exponent": q_exponent, "target": "linear or better (exponent <= 1)",
                        "verdict": "meets target" if q_exponent <= 1.05 else "MISSES target"})
    for rows, seconds in stages.items():
        print(f"import stages at {rows:,} rows (last run): " + ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()),
              file=sys.stderr, flush=True)
    return results


def _stream_read(path) -> int:
    import pyarrow.csv as pacsv

    return sum(batch.num_rows for batch in pacsv.open_csv(path))


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


__all__ = ["STAGES", "StageTimes", "bench_import", "bench_rca", "rca_floor", "rca_kit", "synthetic_csv",
           "write_dataset", "year_part"]
