"""Warm kernels (vnru.batch.executors.warm): started and pre-imported ahead, one fresh kernel per notebook, same reports as cold."""

import json

import nbformat

from fixtures.cli import make_notebook, vnru_cli
from fixtures.processes import alive
from vnru.batch.runner import run_notebooks
from vnru.paths import NOTEBOOKS_DIR

PROBE = ["import sys\npreloaded = 'matplotlib.pyplot' in sys.modules",
         ("import os\nimport vnru\nfrom ipykernel.kernelapp import IPKernelApp\n"
         "vnru.record('preloaded', preloaded)\nvnru.record('pid', os.getpid())\n"
         "vnru.record('transport', IPKernelApp.instance().transport)\nvnru.record('cwd', os.getcwd())\n"
         "vnru.record('data_dir', os.environ.get('VNRU_DATA_DIR'))\nvnru.record('n', n)")]


def test_each_notebook_gets_its_own_preimported_ipc_kernel_killed_after(tmp_path):
    make_notebook(tmp_path / "nbs", "probe", "n: int = 1", PROBE)
    manifest = run_notebooks(["probe"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", jobs=1, html=False,
                             sweep={"n": [1, 2, 3]})
    results = [r["results"] for r in manifest["reports"]]
    assert [r["n"] for r in results] == [1, 2, 3] and manifest["warm_kernels"] is True
    assert len({r["pid"] for r in results}) == 3  # never a kernel used twice
    assert all(r["preloaded"] and r["transport"] == "ipc" for r in results)
    assert all(r["cwd"] == str((tmp_path / "nbs").resolve()) for r in results)
    assert all(r["data_dir"] == manifest["data_dir"] for r in results)
    assert not any(alive(r["pid"]) for r in results)  # each kernel killed once its notebook was done


def test_cold_kernels_use_ipc_too_and_are_not_preimported(tmp_path):
    make_notebook(tmp_path / "nbs", "probe", "n: int = 1", PROBE)
    manifest = run_notebooks(["probe"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", jobs=1, html=False,
                             warm_kernels=False)
    (report,) = manifest["reports"]
    assert report["results"]["preloaded"] is False and report["results"]["transport"] == "ipc"
    assert manifest["warm_kernels"] is False


def _outputs(path):
    nb = nbformat.read(str(path), as_version=4)
    return [(c.execution_count, [{k: v for k, v in o.items() if k != "metadata"} for o in c.outputs])
            for c in nb.cells if c.cell_type == "code"]


def test_warm_and_cold_runs_give_the_same_results_and_figures(tmp_path):
    args = ["trade_growth", "-p", "reporter", "RU", "-p", "start", "2012", "-q", "--no-html", "-j", "1"]
    warm = vnru_cli("run", *args, "--out", str(tmp_path / "warm"))
    cold = vnru_cli("run", *args, "--cold-kernels", "--out", str(tmp_path / "cold"))
    assert warm.returncode == 0 and cold.returncode == 0, warm.stderr + cold.stderr
    warm_m, cold_m = (json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("warm", "cold"))
    assert warm_m["warm_kernels"] and not cold_m["warm_kernels"]
    assert warm_m["reports"][0]["results"] == cold_m["reports"][0]["results"] and warm_m["reports"][0]["results"]
    warm_out, cold_out = (_outputs(tmp_path / d / "trade_growth.ipynb") for d in ("warm", "cold"))
    figures = [o["data"]["image/png"] for _, outs in warm_out for o in outs if "image/png" in o.get("data", {})]
    assert figures and warm_out == cold_out  # same execution counts, text, tables and PNG bytes
    assert NOTEBOOKS_DIR.is_dir()


def test_a_warm_kernel_that_dies_fails_its_notebook_only(tmp_path):
    directory = tmp_path / "nbs"
    make_notebook(directory, "dead", "n: int = 1", ["import os\nif n == 2:\n    os._exit(1)", "import vnru\nvnru.record('n', n)"])
    manifest = run_notebooks(["dead"], out_dir=tmp_path / "out", notebooks_dir=directory, jobs=2, html=False,
                             sweep={"n": [1, 2, 3]}, timeout=60)
    got = [(r["stem"], r["status"], r["results"].get("n")) for r in manifest["reports"]]
    assert got == [("dead--n-1", "ok", 1), ("dead--n-2", "failed", None), ("dead--n-3", "ok", 3)]
    assert "kernel died" in manifest["reports"][1]["error"]
    assert manifest["reports"][1]["duration_s"] < 30


def test_a_warm_kernels_namespace_at_the_first_cell_is_a_cold_kernels(tmp_path):
    """Pre-imports go into sys.modules only: a notebook that never imported pandas fails warm as it does cold."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("names = sorted(dir())"),
                nbformat.v4.new_code_cell("import sys, vnru\nvnru.record('names', [n for n in names if n != 'sys'])\n"
                                          "vnru.record('preloaded', 'pandas' in sys.modules)")]
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, str(tmp_path / "nbs" / "names.ipynb"))
    leaky = nbformat.v4.new_notebook(metadata=nb.metadata, cells=[nbformat.v4.new_code_cell("print(pandas.__name__)")])
    nbformat.write(leaky, str(tmp_path / "nbs" / "leaky.ipynb"))
    runs = {warm: run_notebooks(out_dir=tmp_path / str(warm), notebooks_dir=tmp_path / "nbs", jobs=1, html=False,
                                warm_kernels=warm) for warm in (True, False)}
    reports = {warm: {r["name"]: r for r in m["reports"]} for warm, m in runs.items()}
    assert reports[True]["names"]["results"]["preloaded"] is True
    assert reports[False]["names"]["results"]["preloaded"] is False
    assert reports[True]["names"]["results"]["names"] == reports[False]["names"]["results"]["names"]
    for warm in (True, False):
        assert reports[warm]["leaky"]["status"] == "failed"
        assert "NameError" in reports[warm]["leaky"]["error"], reports[warm]["leaky"]
