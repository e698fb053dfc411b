"""`--executor dask`: the same jobs on a Dask cluster (a LocalCluster here); the runner writes the reports."""

import json
import sys

import pytest

from fixtures.cli import make_notebook, vnru_cli
from vnru.batch.runner import run_notebooks
from vnru.errors import UsageError

distributed = pytest.importorskip("distributed")

PROBE = ["import os\nimport vnru\nvnru.record('sq', n * n)\nvnru.record('data_dir', os.environ.get('VNRU_DATA_DIR'))"]


@pytest.fixture(scope="module")
def scheduler():
    """One small local cluster for the module (a worker process, one thread), reached by its address."""
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_sweep_on_a_dask_cluster_gives_the_local_results(tmp_path, scheduler):
    make_notebook(tmp_path / "nbs", "sq", "n: int = 3\ndata_dir: str = ''", PROBE)
    kwargs = {"notebooks_dir": tmp_path / "nbs", "sweep": {"n": [2, 3]}}
    remote = run_notebooks(["sq"], out_dir=tmp_path / "dask", executor="dask", scheduler=scheduler, **kwargs)
    local = run_notebooks(["sq"], out_dir=tmp_path / "local", jobs=1, **kwargs)
    assert remote["executor"] == "dask" and remote["scheduler"] == scheduler and local["executor"] == "local"
    assert [r["results"] for r in remote["reports"]] == [r["results"] for r in local["reports"]]
    assert [r["results"]["sq"] for r in remote["reports"]] == [4, 9]
    for report in remote["reports"]:
        assert report["files"] == {"ipynb": f"{report['stem']}.ipynb", "html": f"{report['stem']}.html"}
        assert all((tmp_path / "dask" / f).stat().st_size > 0 for f in report["files"].values())
        published = json.loads((tmp_path / "dask" / report["files"]["ipynb"]).read_text(encoding="utf-8"))
        assert published["metadata"]["papermill"]["output_path"] == str((tmp_path / "dask" / report["files"]["ipynb"]).resolve())
    assert json.loads((tmp_path / "dask" / "manifest.json").read_text()) == remote
    assert (tmp_path / "dask" / "sq.sweep.csv").is_file() and not list((tmp_path / "dask").glob(".*tmp"))


def test_a_worker_that_cannot_see_the_data_fails_that_notebook_in_one_line(tmp_path, scheduler):
    make_notebook(tmp_path / "nbs", "sq", "n: int = 3\ndata_dir: str = ''", PROBE)
    missing = tmp_path / "not-mounted"
    manifest = run_notebooks(["sq"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", executor="dask",
                             scheduler=scheduler, sweep={"data_dir": ["", str(missing)]})
    good, bad = manifest["reports"]
    assert good["status"] == "ok" and good["results"]["sq"] == 9
    assert bad["status"] == "failed" and bad["files"] == {}
    assert bad["error"].startswith("worker ") and f"cannot see the data directory {missing}" in bad["error"]


def test_a_failing_notebook_on_dask_fails_alone(tmp_path, scheduler):
    make_notebook(tmp_path / "nbs", "sq", "n: int = 3", ["assert n != 2, 'two is bad'", "import vnru\nvnru.record('n', n)"])
    manifest = run_notebooks(["sq"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", executor="dask",
                             scheduler=scheduler, sweep={"n": [1, 2]})
    assert [(r["status"], r["results"].get("n")) for r in manifest["reports"]] == [("ok", 1), ("failed", None)]
    assert manifest["reports"][1]["error"] == "AssertionError: two is bad"
    assert manifest["reports"][1]["files"]["ipynb"] == "sq--n-2.ipynb"  # kept as papermill left it


def test_missing_dask_is_a_usage_error_naming_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(UsageError, match=r"needs dask and distributed: pip install 'vnru\[dask\]'"):
        run_notebooks(["trade_growth"], out_dir=tmp_path / "out", executor="dask")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler ADDRESS goes with --executor dask"),
    (["--executor", "spark"], "Invalid value for '--executor'"),
])
def test_executor_usage_errors(tmp_path, args, message):
    result = vnru_cli("run", "trade_growth", *args, "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_notebook_past_its_timeout_on_a_worker_is_stopped(tmp_path, scheduler):
    make_notebook(tmp_path / "nbs", "slow", "n: int = 1", ["import vnru\nvnru.record('before', n)",
                                                           "import time\ntime.sleep(120)"])
    manifest = run_notebooks(["slow"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", executor="dask",
                             scheduler=scheduler, timeout=8, html=False)
    (report,) = manifest["reports"]
    assert report["error"] == "timed out after 8 s" and report["results"] == {"before": 1}
    assert report["duration_s"] < 60


def test_downloads_travel_back_from_a_worker(tmp_path, scheduler):
    from fixtures.cli import CHART_AND_TABLE

    make_notebook(tmp_path / "nbs", "chart", "x = 1", CHART_AND_TABLE)
    manifest = run_notebooks(["chart"], notebooks_dir=tmp_path / "nbs", out_dir=tmp_path / "out", executor="dask",
                             scheduler=scheduler)
    report = manifest["reports"][0]
    assert report["status"] == "ok" and report["downloads"]["tables"] == ["chart/tables/trade-series.csv", "chart/tables/trade-series.json"]
    for paths in report["downloads"].values():  # every file the index links is there
        assert all((tmp_path / "out" / rel).stat().st_size > 0 for rel in paths)


def test_an_unreachable_scheduler_is_one_line_exit_2(tmp_path):
    result = vnru_cli("run", "trade_growth", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9",
                      "--out", str(tmp_path / "out"), "-q")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("Usage error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_worker_reading_other_data_than_the_manifest_names_fails_that_notebook(tmp_path, scheduler, monkeypatch):
    """The manifest's data_sha256 is the runner's copy: a worker with a stale copy at the same path must not run
    under it (issue 23). Here the runner's copy is made to differ by its checksum."""
    from vnru.batch import runner

    make_notebook(tmp_path / "nbs", "sq", "n: int = 3\ndata_dir: str = ''", PROBE)
    good = run_notebooks(["sq"], out_dir=tmp_path / "good", notebooks_dir=tmp_path / "nbs", executor="dask",
                         scheduler=scheduler, html=False)
    assert good["reports"][0]["status"] == "ok"
    monkeypatch.setattr(runner, "_checksum_or_none", lambda directory: "0" * 64)
    manifest = run_notebooks(["sq"], out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", executor="dask",
                             scheduler=scheduler, html=False)
    (report,) = manifest["reports"]
    assert report["status"] == "failed" and report["files"] == {} and report["data_sha256"] == "0" * 64
    assert f"reads different data at {manifest['data_dir']} (sha256 {good['data_sha256'][:12]}, " in report["error"]
    assert report["error"].endswith("the run's 000000000000): a stale copy; sync the data on every worker")


def test_a_scheduler_address_that_is_not_a_dask_scheduler_fails_within_the_timeout(tmp_path, monkeypatch):
    """The dashboard's port or any HTTP server accepts the connection and never answers: the Client hung forever."""
    import socket
    import time

    from vnru.batch.executors import dask as dask_executor

    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT_S", 2)
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(UsageError, match=f"cannot reach the Dask scheduler at {address}: port .* answers, but not "
                                             "as a Dask scheduler"):
            run_notebooks(["trade_growth"], out_dir=tmp_path / "out", executor="dask", scheduler=address)
    assert time.monotonic() - started < 20 and not (tmp_path / "out" / "manifest.json").exists()


def test_the_local_cluster_starts_no_dashboard_and_never_warns_about_port_8787():
    import socket
    import warnings

    from vnru.batch.executors.dask import connect

    holder = socket.socket()
    try:
        holder.bind(("", 8787))  # held here, or already by someone else: either way, taken
        holder.listen()
    except OSError:
        pass
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            client, cluster = connect(None, 1)
            try:
                assert cluster.scheduler.http_server.port != 8787
            finally:
                client.close()
                cluster.close()
    finally:
        holder.close()
    assert not [w for w in caught if "already in use" in str(w.message)], [str(w.message) for w in caught]


CLUSTER = """import sys, time
from distributed import LocalCluster
if __name__ == "__main__":
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                           scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    print(cluster.scheduler_address, flush=True)
    time.sleep(600)
"""


def test_a_scheduler_that_dies_mid_run_gives_one_line_per_notebook_and_no_traceback(tmp_path):
    import os
    import signal
    import subprocess
    import time

    (tmp_path / "cluster.py").write_text(CLUSTER, encoding="utf-8")
    marker = tmp_path / "running"
    make_notebook(tmp_path / "nbs", "slow", 'marker: str = ""', ["open(marker, 'w').close()", "import time\ntime.sleep(60)"])
    cluster = subprocess.Popen([sys.executable, str(tmp_path / "cluster.py")], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        address = cluster.stdout.readline().strip()
        assert address.startswith("tcp://"), address
        run = subprocess.Popen([sys.executable, "-m", "vnru.cli", "run", "slow", "--notebooks-dir", str(tmp_path / "nbs"),
                                "--out", str(tmp_path / "out"), "-q", "--executor", "dask", "--scheduler", address,
                                "-p", "marker", str(marker)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while not marker.exists() and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        assert marker.exists()
    finally:
        os.killpg(cluster.pid, signal.SIGKILL)  # the scheduler and its worker die mid-run
        cluster.wait()
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 1 and "Traceback" not in stderr
    assert stderr.strip().splitlines() == [next(line for line in stderr.splitlines() if line.startswith("FAILED slow: "))]
