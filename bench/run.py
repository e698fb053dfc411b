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


def interleaved(a, b, repeat):
    """Median seconds of ``a`` and ``b``, run alternately so drift hits both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        ta.append(timed(a))
        tb.append(timed(b))
    return statistics.median(ta), statistics.median(tb)


def notebook_names():
    return sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))


def vnru_run(jobs, out, *extra):
    """One full `vnru run` (all notebooks, HTML, index) into ``out``."""
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([str(BIN / "vnru"), "run", "--out", str(out), "--jobs", str(jobs), *extra],
                   check=True, capture_output=True, cwd=ROOT)


def _floor_one(args):
    import papermill

    src, out = args
    papermill.execute_notebook(src, out, kernel_name="python3", progress_bar=False, cwd=str(Path(out).parent))


def floor_run(count, jobs, work):
    """``count`` minimal notebooks through papermill, as a fresh command like `vnru run` (same start-up costs)."""
    subprocess.run([sys.executable, __file__, "--floor", str(count), str(jobs), str(work)], check=True,
                   capture_output=True, cwd=ROOT)


def floor_batch(count, jobs, work):
    """The floor itself: ``count`` minimal notebooks (pandas + matplotlib, one saved figure), ``jobs`` at a time."""
    import papermill  # noqa: F401 -- imported once, before the pool's workers start (as vnru's fork server does)

    work = Path(work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    tasks = []
    for i in range(count):
        src = work / f"floor{i}.ipynb"
        nbformat.write(nb, src)
        tasks.append((str(src), str(work / f"floor{i}.out.ipynb")))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_floor_one, tasks))


def command_median(cmd, repeat):
    return statistics.median(timed(lambda: subprocess.run(cmd, check=True, capture_output=True))
                             for _ in range(repeat))


def bench_batch(repeat, tmp):
    names = notebook_names()
    jobs = min(os.cpu_count() or 1, len(names))
    vnru_run(jobs, tmp / "warm")  # warm caches (bytecode, fonts) before timing
    run_s, floor_s = interleaved(lambda: vnru_run(jobs, tmp / "batch"),
                                 lambda: floor_run(len(names), jobs, tmp / "floor"), repeat)
    return {"label": f"Batch vs floor ({len(names)} notebooks, --jobs {jobs})", "a": run_s, "b": floor_s,
            "ratio": run_s / floor_s, "target": 1.3, "units": "s"}


def bench_parallel(repeat, tmp):
    par, seq = interleaved(lambda: vnru_run(2, tmp / "par"), lambda: vnru_run(1, tmp / "seq"), repeat)
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
    from vnru import datapackage
    from vnru.paths import BUNDLED_DATA_DIR

    names = datapackage.table_names()

    def load_all():
        for name in names:
            vnru.load_table(name)

    def read_all():
        for name in names:
            pd.read_csv(BUNDLED_DATA_DIR / f"{name}.csv")

    load_all()  # first call pays frictionless's one-off start-up; reported separately
    first = timed(load_all)
    a, b = interleaved(load_all, read_all, repeat)
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
    from vnru import trade

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
    return {"label": "Scale: vnru.trade yoy_growth + implied_previous + cagr, by product and flow", "sizes": sizes,
            "times": times, "exponent": exponent, "target": "linear (exponent ~1), 10^6 rows <= 1 s"}


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
            ok = "meets target" if r["times"][-1] <= 1.0 and r["exponent"] < 1.2 else "MISSES target"
            lines.append(f"| {r['label']} | {per} | exponent {r['exponent']:.2f} | {r['target']} | {ok} |")
        else:
            extra = f" ({r['extra']})" if r.get("extra") else ""
            target = f"<= {r['target']}" if r.get("target") else "-"
            lines.append(f"| {r['label']} | {r['a'] * 1000:.0f} ms vs {r['b'] * 1000:.0f} ms{extra} | "
                         f"{r['ratio']:.2f} | {target} | {verdict(r)} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per side (median is reported)")
    parser.add_argument("--only", nargs="*", choices=["batch", "parallel", "import", "load", "scale"])
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    parser.add_argument("--floor", nargs=3, metavar=("COUNT", "JOBS", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:  # the floor's own process (see floor_run)
        floor_batch(int(args.floor[0]), int(args.floor[1]), args.floor[2])
        return
    wanted = args.only or ["batch", "parallel", "import", "load", "scale"]
    results = []
    with tempfile.TemporaryDirectory(prefix="vnru-bench-") as tmp:
        tmp = Path(tmp)
        for name in wanted:
            print(f"running {name} ...", file=sys.stderr, flush=True)
            fn = {"batch": lambda: bench_batch(args.repeat, tmp), "parallel": lambda: bench_parallel(args.repeat, tmp),
                  "import": lambda: bench_import(max(args.repeat, 11)), "load": lambda: bench_load(args.repeat),
                  "scale": lambda: bench_scale(args.repeat)}[name]
            results.append(fn())
    header = (f"# vnru benchmarks\n\nMeasured {time.strftime('%Y-%m-%d')} on {machine()}; "
              f"median of {args.repeat} interleaved runs per side.")
    text = render(results, header)
    print(text)
    if not args.no_write:
        (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
