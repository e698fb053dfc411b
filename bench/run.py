"""`make bench`: the kit's speed as ratios measured side by side in one run.

Absolute times drift on shared machines; ratios of two things timed in the same run, interleaved
and reduced to medians, do not drift as much. Results go to stdout and bench/results.md.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLOOR_SOURCE = """import pandas as pd
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
fig, ax = plt.subplots()
pd.Series([1, 3, 2]).plot(ax=ax)
fig.savefig("floor.png")
"""


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(*fns, repeat):
    """Median seconds of each of ``fns``, run in turn so that drift hits them alike."""
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, sample in zip(fns, times, strict=True):
            sample.append(timed(fn))
    return [statistics.median(sample) for sample in times]


def notebook_names():
    return sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


def vnru_run(jobs, out, *extra):
    """One full `vnru run` (all notebooks, HTML, index) into ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([str(BIN / "vnru"), "run", "--out", str(out), "--jobs", str(jobs), *extra],
                   check=True, capture_output=True, cwd=ROOT)


def _papermill_one(args):
    import papermill

    src, out = args
    papermill.execute_notebook(src, out, kernel_name="python3", progress_bar=False, cwd=str(Path(src).parent))


def papermill_run(sources, jobs, work):
    """The notebooks through papermill alone (no HTML, no index), as a fresh command like `vnru run`."""
    subprocess.run([sys.executable, __file__, "--papermill", str(jobs), str(work), *map(str, sources)], check=True,
                   capture_output=True, cwd=ROOT)


def papermill_batch(jobs, work, sources):
    """What papermill_run runs: ``jobs`` at a time in a process pool, outputs into ``work``."""
    import papermill  # noqa: F401 -- imported once, before the pool's workers start (as vnru's fork server does)

    tasks = [(str(src), str(Path(work) / f"{Path(src).stem}.out.ipynb")) for src in sources]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_papermill_one, tasks))


def floor_notebooks(count, work) -> list:
    """``count`` minimal notebooks (import pandas and matplotlib, draw and save one figure) in ``work``."""
    work = Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    paths = [work / f"floor{i}.ipynb" for i in range(count)]
    for path in paths:
        nbformat.write(nb, path)
    return paths


def command_median(cmd, repeat):
    return statistics.median(timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
                             for _ in range(repeat))


def bench_batch(repeat, tmp):
    """vnru run against the floor, and against papermill alone on the same notebooks (the runner's own cost)."""
    names = notebook_names()
    jobs = min(os.cpu_count() or 1, len(names))
    floor = floor_notebooks(len(names), tmp / "floor")
    real = [ROOT / "notebooks" / f"{name}.ipynb" for name in names]
    vnru_run(jobs, tmp / "warm")  # warm caches (bytecode, fonts) before timing
    (tmp / "bare").mkdir()
    run_s, floor_s, bare_s = interleaved(lambda: vnru_run(jobs, tmp / "batch"),
                                         lambda: papermill_run(floor, jobs, tmp / "floor"),
                                         lambda: papermill_run(real, jobs, tmp / "bare"), repeat=repeat)
    return [{"label": f"Batch vs floor ({len(names)} notebooks, --jobs {jobs})", "a": run_s, "b": floor_s,
             "ratio": run_s / floor_s, "target": 1.3, "units": "s"},
            {"label": "Batch vs papermill alone on the same notebooks (the runner's own cost: workers, HTML, index)",
             "a": run_s, "b": bare_s, "ratio": run_s / bare_s, "target": None, "units": "s"}]


def bench_parallel(repeat, tmp):
    par, seq = interleaved(lambda: vnru_run(2, tmp / "par"), lambda: vnru_run(1, tmp / "seq"), repeat=repeat)
    return {"label": "Parallel vs sequential (--jobs 2 / --jobs 1)", "a": par, "b": seq,
            "ratio": par / seq, "target": 0.7, "units": "s"}


def bench_import(repeat):
    py = sys.executable
    command_median([py, "-c", "import vnru"], 2)  # warm bytecode cache
    a, b = [], []
    for _ in range(repeat):
        a.append(command_median([py, "-c", "import vnru"], 1))
        b.append(command_median([py, "-c", "import pandas"], 1))
    a, b = statistics.median(a), statistics.median(b)
    return {"label": "Import (`import vnru` / `import pandas`)", "a": a, "b": b, "ratio": a / b,
            "target": 1.2, "units": "s"}


def bench_load(repeat):
    import pandas as pd

    import vnru
    from vnru.data import datapackage
    from vnru.paths import BUNDLED_DATA_DIR

    names = datapackage.table_names()

    def load_all():
        for name in names:
            vnru.load_table(name)

    def read_all():
        for name in names:
            pd.read_csv(BUNDLED_DATA_DIR / f"{name}.csv")

    load_all()  # the first call imports pandas and the loaders; the second is reported separately
    first = timed(load_all)
    a, b = interleaved(load_all, read_all, repeat=repeat)
    return {"label": f"Load + validate all {len(names)} tables / plain pandas.read_csv", "a": a, "b": b,
            "ratio": a / b, "target": None, "units": "s", "extra": f"second call {first * 1000:.0f} ms"}


def synthetic_trade(rows):
    """A product-level table: years x products x flows, ``rows`` rows in all."""
    import numpy as np
    import pandas as pd

    years = np.arange(1995, 2025)
    flows = ["vn_exports", "vn_imports"]
    products = max(1, rows // (len(years) * len(flows)))
    index = pd.MultiIndex.from_product([range(products), flows, years], names=["product", "flow", "year"])
    frame = index.to_frame(index=False).iloc[:rows]
    rng = np.random.default_rng(0)
    frame["value_usd_m"] = rng.gamma(2.0, 50.0, len(frame))
    frame["yoy_pct"] = np.nan
    return frame


def growth_analytics(frame):
    """What the trade notebook computes per series, here per product and flow."""
    from vnru.analysis import trade

    by = ["product", "flow"]
    trade.yoy_growth(frame, by=by)
    trade.implied_previous(frame, by=by)
    trade.cagr(frame, 1995, 2024, by=by)


def bench_scale(repeat):
    import math

    sizes, times = [10**4, 10**5, 10**6], []
    for n in sizes:
        frame = synthetic_trade(n)
        growth_analytics(frame)  # warm-up
        times.append(statistics.median(timed(lambda frame=frame: growth_analytics(frame)) for _ in range(repeat)))
    exponent = math.log(times[-1] / times[0]) / math.log(sizes[-1] / sizes[0])
    return {"label": "Scale: vnru.analysis.trade yoy_growth + implied_previous + cagr, by product and flow", "sizes": sizes,
            "times": times, "exponent": exponent, "target": "linear (exponent ~1), 10^6 rows <= 1 s"}


def bench_comtrade(repeat, tmp):
    """vnru import comtrade (into the Parquet dataset) against pyarrow.csv.read_csv of the same SYNTHETIC file
    (target: at most 1.5x at 10^7 rows), sizes as powers of ten in VNRU_BENCH_IMPORT_SIZES (default 6,7; 8 writes
    a 12 GB CSV and is run once); see bench/comtrade_scale.py."""
    from comtrade_scale import bench_import, synthetic_csv

    return bench_import(repeat, tmp, interleaved, synthetic_csv, sizes=_sizes("VNRU_BENCH_IMPORT_SIZES", "6,7"))


def bench_rca(repeat, tmp):
    """RCA on a generated (SYNTHETIC) Parquet dataset vs one hand-written DuckDB statement; sizes as powers of ten
    in VNRU_BENCH_RCA_SIZES (default 7,8: 10^8 rows need ~3 GB of disk and minutes to generate)."""
    from comtrade_scale import bench_rca

    return bench_rca(repeat, tmp, interleaved, sizes=_sizes("VNRU_BENCH_RCA_SIZES", "7,8"))


def _sizes(variable, default):
    return tuple(10 ** int(p) for p in os.environ.get(variable, default).split(","))


def synthetic_products(rows):
    """A SYNTHETIC long products table: 5,000 HS6 codes x 2 reporters x 2 flows x single months, ``rows`` rows."""
    import numpy as np
    import pandas as pd

    i = np.arange(rows)
    month = i // 20_000
    codes = pd.Index([f"{10_101 + 19 * k:06d}" for k in range(5_000)])
    return pd.DataFrame({
        "reporter": pd.Categorical.from_codes(i % 2, ["VN", "RU"]),
        "flow": pd.Categorical.from_codes((i // 2) % 2, ["vn_exports", "vn_imports"]),
        "year": 1985 + month // 12, "from_month": 1 + month % 12, "months": 1 + month % 12,
        "hs_code": pd.Categorical.from_codes((i // 4) % 5_000, codes),
        "value_usd_m": np.random.default_rng(0).gamma(2.0, 0.5, rows)})


def bench_products(repeat, rows=10_000_000):
    """vnru.analysis.products composition + growth + HHI on ``rows`` rows, beside a plain groupby-sum of the same frame."""
    from vnru.analysis import products

    frame = synthetic_products(rows)

    def analytics():
        products.composition(frame)
        products.growth(frame)
        products.hhi(frame)

    a, b = interleaved(analytics, lambda: frame.groupby(products.PERIOD, observed=True)["value_usd_m"].sum(),
                       repeat=repeat)
    return {"label": f"vnru.analysis.products composition + growth + HHI on {rows:,} rows / one pandas groupby-sum "
                     "(target: <= 3 s)", "a": a, "b": b, "ratio": a / b, "target": None, "units": "s",
            "extra": f"{'meets' if a <= 3 else 'MISSES'} 3 s; median of {repeat}"}




# --- Sweeps, warm kernels and the Dask executor (issue 16) -------------------------------------------------

SWEEP_YEARS = (1995, 2000, 2005, 2010, 2015, 2020)
SWEEP_REPORTERS = ("VN", "RU")


def sweep_run(out, *extra):
    """The 12-run sweep of trade_growth (six start years x two reporters), --jobs 2, as one `vnru run`."""
    vnru_run(2, out, "trade_growth", "--sweep", f"reporter={','.join(SWEEP_REPORTERS)}",
             "--sweep", f"start={','.join(map(str, SWEEP_YEARS))}", *extra)


def papermill_cli_loop(work):
    """The same 12 parameter sets through the papermill command line, two at a time (the ordinary way)."""
    source = ROOT / "notebooks" / "trade_growth.ipynb"
    commands = [[str(BIN / "papermill"), "--no-progress-bar", str(source), str(Path(work) / f"tg-{r}-{y}.ipynb"),
                 "-p", "reporter", r, "-p", "start", str(y), "--cwd", str(source.parent)]
                for r in SWEEP_REPORTERS for y in SWEEP_YEARS]
    Path(work).mkdir(parents=True, exist_ok=True)
    for i in range(0, len(commands), 2):
        running = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in commands[i:i + 2]]
        if any(p.wait() for p in running):
            raise RuntimeError("papermill failed in the bench loop")


def bench_sweep(repeat, tmp):
    """Sweep (warm kernels, forked from the zygote) vs the papermill CLI loop; cold vs warm kernels; the Dask
    executor vs --jobs (where the vnru[dask] extra is installed)."""
    import importlib.util

    runs = len(SWEEP_YEARS) * len(SWEEP_REPORTERS)
    with_dask = importlib.util.find_spec("distributed") is not None  # the vnru[dask] extra; not in a runtime install
    sweep_run(tmp / "sweep-warmup")  # bytecode and font caches, before timing
    sides = [lambda: sweep_run(tmp / "sweep"), lambda: sweep_run(tmp / "sweep-cold", "--cold-kernels"),
             lambda: papermill_cli_loop(tmp / "loop")]
    warm, cold, loop, *dask = interleaved(*sides, *([lambda: sweep_run(tmp / "sweep-dask", "--executor", "dask")]
                                                   if with_dask else []), repeat=repeat)
    rows = [{"label": f"Sweep of {runs} trade_growth runs (--jobs 2) vs a papermill CLI loop, two at a time",
             "a": warm, "b": loop, "ratio": warm / loop, "target": 0.6, "units": "s"},
            {"label": f"Warm (forked from the zygote) vs cold kernels, same sweep (per notebook: {(cold - warm) / runs * 1000:+.0f} ms saved)",
             "a": warm, "b": cold, "ratio": warm / cold, "target": None, "units": "s"}]
    return rows + [{"label": "Dask executor (local cluster, 2 workers) vs --jobs 2, same sweep", "a": dask[0], "b": warm,
                    "ratio": dask[0] / warm, "target": None, "units": "s"} for _ in dask]


# --- The data-aware cache (issue 26) ------------------------------------------------------------------------

CHANGED_TABLE = "indicators.csv"


def vnru_rerun(jobs, out, *extra):
    """`vnru run` into ``out`` as it is (the previous run's reports there: the cache may reuse them)."""
    subprocess.run([str(BIN / "vnru"), "run", "--out", str(out), "--jobs", str(jobs), "-q", *extra],
                   check=True, capture_output=True, cwd=ROOT)


def _toggle_row(path):
    """Change ``path`` (a note of its first row) to a different but valid table each call."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].rsplit(" [bench ", 1)[0] + f" [bench {time.monotonic_ns()}]"
    path.write_text("\n".join(lines), encoding="utf-8")


def bench_cache(repeat, tmp):
    """A re-run with nothing changed vs the floor; after one table changed, the re-run vs the time the notebooks
    that read it took in a forced full run (their share of it: the sum of their durations in its manifest)."""
    import json

    names = notebook_names()
    jobs = min(os.cpu_count() or 1, len(names))
    floor = floor_notebooks(len(names), tmp / "cache-floor")
    outs = {kind: (tmp / f"cache-{kind}", tmp / f"cache-{kind}-data") for kind in ("same", "changed", "full")}
    for out, data in outs.values():  # each its own data: a changed table must not reach the no-change case
        shutil.copytree(ROOT / "data", data)
        vnru_run(jobs, out, "--data-dir", str(data))  # the previous run the cache reuses (and warm caches)

    def rerun(kind, *extra):
        out, data = outs[kind]
        vnru_rerun(jobs, out, "--data-dir", str(data), *extra)

    def one_table_changed():
        _toggle_row(outs["changed"][1] / CHANGED_TABLE)
        rerun("changed")

    rerun_s, floor_s, changed_s, full_s = interleaved(
        lambda: rerun("same"), lambda: papermill_run(floor, jobs, tmp / "cache-floor"),
        one_table_changed, lambda: rerun("full", "--force"), repeat=repeat)

    def reports(kind):
        return json.loads((outs[kind][0] / "manifest.json").read_text(encoding="utf-8"))["reports"]

    assert all(r["cache"]["status"] == "reused" for r in reports("same")), "the no-change re-run ran a notebook"
    again = {r["name"] for r in reports("changed") if r["cache"]["status"] == "ran"}
    durations = {r["name"]: r["duration_s"] or 0 for r in reports("full")}
    share = sum(durations[n] for n in again)
    return [{"label": f"No-change re-run of the full default batch ({len(names)} notebooks, all reused) vs floor",
             "a": rerun_s, "b": floor_s, "ratio": rerun_s / floor_s, "target": 0.05, "units": "s"},
            {"label": f"One table changed ({CHANGED_TABLE}: {', '.join(sorted(again))} re-ran) vs their time in a "
                      f"forced full run ({full_s * 1000:.0f} ms in all, {share / sum(durations.values()):.0%} of the "
                      "notebooks' time)",
             "a": changed_s, "b": share, "ratio": changed_s / share, "target": 1.1, "units": "s"}]


SWEEP_BENCHES = {"sweep": bench_sweep, "cache": bench_cache}


BENCHES = ("batch", "parallel", "import", "load", "scale", "comtrade", "rca", "products", *SWEEP_BENCHES)


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import pandas

    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, pandas {pandas.__version__}, "
            f"{platform.system()} {platform.release()}")


def verdict(result):
    target = result.get("target")
    if not isinstance(target, (int, float)):
        return ""
    return "meets target" if result["ratio"] <= target else "MISSES target"


def render(results, header):
    lines = [header, "", "| figure | measured | ratio | target | |", "|---|---|---|---|---|"]
    for r in results:
        if "sizes" in r:
            per = ", ".join(f"{n:,} rows: {t * 1000:.0f} ms"
                            for n, t in zip(r["sizes"], r["times"], strict=True))
            ok = r.get("verdict") or ("meets target" if r["times"][-1] <= 1.0 and r["exponent"] < 1.2
                                      else "MISSES target")
            lines.append(f"| {r['label']} | {per} | exponent {r['exponent']:.2f} | {r['target']} | {ok} |")
        else:
            extra = f" ({r['extra']})" if r.get("extra") else ""
            target = f"<= {r['target']}" if r.get("target") else r.get("target_text", "-")
            lines.append(f"| {r['label']} | {r['a'] * 1000:.0f} ms vs {r['b'] * 1000:.0f} ms{extra} | "
                         f"{r['ratio']:.2f} | {target} | {r.get('verdict', verdict(r))} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per side (median is reported)")
    parser.add_argument("--only", nargs="*", choices=list(BENCHES))
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    parser.add_argument("--papermill", nargs="+", metavar="JOBS DIR NOTEBOOK", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.papermill:  # the process of papermill_run
        papermill_batch(int(args.papermill[0]), args.papermill[1], args.papermill[2:])
        return
    wanted = args.only or list(BENCHES)
    results = []
    with tempfile.TemporaryDirectory(prefix="vnru-bench-") as tmp:
        tmp = Path(tmp)
        for name in wanted:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            fn = {"batch": lambda: bench_batch(args.repeat, tmp), "parallel": lambda: bench_parallel(args.repeat, tmp),
                  "import": lambda: bench_import(max(args.repeat, 11)), "load": lambda: bench_load(args.repeat),
                  "scale": lambda: bench_scale(args.repeat),
                  "comtrade": lambda: bench_comtrade(args.repeat, tmp), "rca": lambda: bench_rca(args.repeat, tmp),
                  "products": lambda: bench_products(args.repeat)}.get(name) \
            or (lambda name=name: SWEEP_BENCHES[name](args.repeat, tmp))
            found = fn()
            results += found if isinstance(found, list) else [found]
    header = (f"# vnru benchmarks\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine()}; "
              f"median of {args.repeat} interleaved runs per side.")
    text = render(results, header)
    print(text)
    if not args.no_write:
        publish(text)


def publish(table: str) -> None:
    """Write the figures to bench/results.md (keeping its notes, from the first '## ' heading on) and the README."""
    results = ROOT / "bench" / "results.md"
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    notes = old[old.index("\n## ") + 1:] if "\n## " in old else ""
    results.write_text(table + ("\n" + notes if notes else ""), encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = "<!-- bench:start -->\n", "<!-- bench:end -->"
    if start in text and end in text:
        body = table.split("\n", 2)[2].strip()  # without the "# vnru benchmarks" title
        text = text[:text.index(start) + len(start)] + body + "\n" + text[text.index(end):]
        readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
