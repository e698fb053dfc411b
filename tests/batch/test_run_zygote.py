"""Kernels forked from a zygote (vnru.batch.executors.zygote): a notebook sees what it sees in a cold kernel."""

import os
import sys
import time
from types import SimpleNamespace

from fixtures.cli import make_notebook
from fixtures.processes import alive
from vnru.batch.executors import zygote
from vnru.batch.runner import run_notebooks

PROBE = [("import os, random, sys\nimport numpy as np\nimport matplotlib\nimport vnru\n"
          "vnru.record('parent', os.getppid())\nvnru.record('leads_session', os.getsid(0) == os.getpid())\n"
          "vnru.record('numpy_draw', float(np.random.rand()))\nvnru.record('random_draw', random.random())\n"
          "vnru.record('backend', matplotlib.get_backend())\nvnru.record('sys_path', sys.path)\n"
          "vnru.record('argv0', os.path.basename(sys.argv[0]))\nvnru.record('cwd', os.getcwd())\n"
          "vnru.record('n', n)\nvnru.record('stdin', sys.stdin.read() if not sys.stdin.isatty() else 'tty')"),
         "import matplotlib.pyplot as plt\nplt.plot([1, 2], [n, 1])\nplt.show()"]


def _run(tmp_path, name, **kwargs):
    return run_notebooks(["probe"], out_dir=tmp_path / name, notebooks_dir=tmp_path / "nbs", jobs=2, html=False,
                         sweep={"n": [1, 2, 3]}, **kwargs)


def test_forked_kernels_look_like_cold_ones_and_go_with_their_zygote(tmp_path):
    make_notebook(tmp_path / "nbs", "probe", "n: int = 1", PROBE)
    forked, cold = _run(tmp_path, "forked"), _run(tmp_path, "cold", warm_kernels=False)
    got = {name: [r["results"] for r in m["reports"]] for name, m in (("forked", forked), ("cold", cold))}
    assert all(r["status"] == "ok" for m in (forked, cold) for r in m["reports"]), forked["reports"]
    parents = {r["parent"] for r in got["forked"]}
    assert len(parents) == 1 and os.getpid() not in parents  # one zygote, not the runner, forked them all
    assert not alive(parents.pop())  # and it ended with the run
    assert len({r["numpy_draw"] for r in got["forked"]}) == 3 and len({r["random_draw"] for r in got["forked"]}) == 3
    same = ("leads_session", "backend", "sys_path", "argv0", "cwd", "n", "stdin")
    assert [{k: r[k] for k in same} for r in got["forked"]] == [{k: r[k] for k in same} for r in got["cold"]]
    assert got["forked"][0]["leads_session"] and got["forked"][0]["stdin"] == ""
    for m in (forked, cold):  # the inline backend drew each figure into the notebook
        for report in m["reports"]:
            text = (tmp_path / ("forked" if m is forked else "cold") / f"{report['stem']}.ipynb").read_text()
            assert '"image/png"' in text, report["stem"]


def test_only_this_interpreters_ipykernel_is_forked():
    spec = SimpleNamespace(argv=["python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], env={})
    assert zygote.forkable(spec)
    assert zygote.forkable(SimpleNamespace(argv=[sys.executable, *spec.argv[1:]], env={}))
    assert not zygote.forkable(SimpleNamespace(argv=["/opt/other/python", *spec.argv[1:]], env={}))
    assert not zygote.forkable(SimpleNamespace(argv=spec.argv, env={"PYTHONHASHSEED": "0"}))
    assert not zygote.forkable(SimpleNamespace(argv=["R", "--slave", "-e", "IRkernel::main()"], env={}))


def test_a_zygote_that_cannot_start_leaves_the_kernels_to_start_as_usual(tmp_path, monkeypatch, capfd):
    make_notebook(tmp_path / "nbs", "probe", "n: int = 1", PROBE)
    monkeypatch.setattr(zygote, "BOOT", "raise SystemExit(3)")  # e.g. the kernel's environment lacks the kit
    manifest = _run(tmp_path, "out")
    assert [(r["status"], r["results"]["n"]) for r in manifest["reports"]] == [("ok", 1), ("ok", 2), ("ok", 3)]
    assert "Traceback" not in capfd.readouterr().err


def test_forked_and_cold_kernels_give_the_same_reports(tmp_path):
    import json

    import nbformat

    from fixtures.cli import vnru_cli

    args = ["trade_growth", "--sweep", "reporter=VN,RU", "-p", "start", "2012", "-q", "--no-html", "-j", "2"]
    forked = vnru_cli("run", *args, "--out", str(tmp_path / "forked"))
    cold = vnru_cli("run", *args, "--cold-kernels", "--out", str(tmp_path / "cold"))
    assert forked.returncode == 0 and cold.returncode == 0, forked.stderr + cold.stderr
    manifests = [json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("forked", "cold")]
    assert [r["results"] for r in manifests[0]["reports"]] == [r["results"] for r in manifests[1]["reports"]]

    def outputs(directory, stem):
        nb = nbformat.read(str(tmp_path / directory / f"{stem}.ipynb"), as_version=4)
        return [(c.execution_count, [{k: v for k, v in o.items() if k != "metadata"} for o in c.outputs])
                for c in nb.cells if c.cell_type == "code"]

    for report in manifests[0]["reports"]:
        got = outputs("forked", report["stem"])
        assert any("image/png" in o.get("data", {}) for _, outs in got for o in outs)
        assert got == outputs("cold", report["stem"])  # same counts, text, tables and PNG bytes


def test_a_forked_kernel_answers_a_client_and_dies_when_released(tmp_path):
    from vnru.batch.executors.warm import ForkedKernelManager, WarmKernels

    kernels = WarmKernels(1, str(tmp_path), dict(os.environ), forked=True)
    try:
        kernels.fill(1)
        handed = kernels.take("job")
        km, client, _ = kernels.handed["job"]
        assert isinstance(km, ForkedKernelManager) and handed["pid"] == km.pid > 0
        client.wait_for_ready(timeout=60)  # asks the manager whether the kernel lives (once an AssertionError)
        reply = client.execute_interactive("import os; print(os.getcwd())", timeout=60)
        assert reply["content"]["status"] == "ok"
        kernels.release("job")  # SIGKILL: it dies, and the zygote reaps it (SIGCHLD ignored there), within moments
        for _ in range(100):
            if not km.is_alive() and not alive(handed["pid"]):
                break
            time.sleep(0.1)
        assert not km.is_alive()
        assert not alive(handed["pid"])  # no zombie is left
    finally:
        kernels.close()
