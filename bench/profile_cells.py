"""Where a notebook's own time goes: each code cell run in an IPython shell under cProfile (issue 26).

    python bench/profile_cells.py trade_growth [--top 8]

Runs the cells of notebooks/NAME.ipynb in order, as a kernel would (the inline backend, the parameters cell's
defaults, downloads written into a temp folder as `vnru run` does), and prints per cell its wall time and the
functions with the most cumulative time inside it. A measuring aid for bench/results.md, not a test.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
# What the time of a cell goes to: (label, file name ends with, function name), cumulative seconds each
BUCKETS = (("load + validate tables", "data/loaders.py", "load_table"),
           ("tight_layout", "matplotlib/figure.py", "tight_layout"),
           ("PNG download: drawn at 150 dpi", "report/figurefiles.py", "rgba"),
           ("PNG download: encoded", "matplotlib/image.py", "imsave"),
           ("inline image from the PNG's pixels", "report/figurefiles.py", "inline_png"),
           ("SVG downloads", "backends/backend_svg.py", "print_svg"),
           ("inline display of figures", "matplotlib_inline/backend_inline.py", "flush_figures"),
           ("vnru.show tables", "report/tables.py", "show"),
           ("downloads' metadata JSON", "report/downloads.py", "_metadata"),
           ("consensus outliers (headline rule)", "analysis/evidence.py", "outliers"))
SKIPPED = ("IPython/", "<frozen", "{built-in method builtins.exec}", "{method 'send'")


def profile(name, top=8, out=sys.stdout):
    """Print, per code cell of notebooks/NAME.ipynb, its seconds and its ``top`` functions by cumulative time."""
    from IPython.core.interactiveshell import InteractiveShell

    from vnru.report.downloads import DOWNLOADS_ENV

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):  # the inline backend needs no event loop
            pass

    nb = nbformat.read(str(ROOT / "notebooks" / f"{name}.ipynb"), as_version=4)
    shell = Shell.instance()
    shell.run_line_magic("matplotlib", "inline")
    os.chdir(ROOT / "notebooks")
    total, buckets = 0.0, dict.fromkeys((b[0] for b in BUCKETS), 0.0)
    with tempfile.TemporaryDirectory() as downloads:
        os.environ[DOWNLOADS_ENV] = str(Path(downloads) / name)
        for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
            profiler = cProfile.Profile()
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):  # the cell's printed tables: not this report's
                profiler.enable()
                result = shell.run_cell(cell.source, silent=False, store_history=True)
                profiler.disable()
            seconds = time.perf_counter() - start
            total += seconds
            first = cell.source.strip().splitlines()[0][:70] if cell.source.strip() else ""
            print(f"cell {number:>2}  {seconds:6.2f} s  {first}", file=out)
            if not result.success:
                print("           (the cell raised)", file=out)
            stats = pstats.Stats(profiler)
            for label, file_end, function in BUCKETS:
                buckets[label] += max([v[3] for (f, _, fn), v in stats.stats.items()
                                       if f.endswith(file_end) and fn == function] or [0.0])
            if seconds >= 0.2:
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top + 12)
                lines = [line.strip() for line in text.getvalue().splitlines()
                         if line.strip() and line.lstrip()[0].isdigit() and not any(x in line for x in SKIPPED)]
                for line in lines[:top]:
                    print("           " + line.replace(str(ROOT) + "/", "").replace(sys.prefix + "/", "")[:150],
                          file=out)
    print(f"total     {total:6.2f} s in the cells of {name}", file=out)
    for label, seconds in buckets.items():
        print(f"  {label:<30} {seconds:6.2f} s ({seconds / total:4.0%})", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="a notebook in notebooks/ (without .ipynb)")
    parser.add_argument("--top", type=int, default=8, help="functions shown per slow cell")
    args = parser.parse_args(argv)
    profile(args.name, args.top)


if __name__ == "__main__":
    main()
