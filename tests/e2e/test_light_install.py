"""The light first install, for real: the runtime set (requirements.lock, then the checkout, as `make reports`
installs them) goes into a fresh venv, which runs one report; no developer tool comes along, and the venv
stays under 500 MB.

This test downloads from PyPI what pip's cache does not hold (on CI, `make test`'s own install has filled it
with the same pins). It takes about a minute with a warm cache, most of it pip.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fixtures.environment import NOT_FOR_REPORTS
from fixtures.files import ROOT

LIMIT_MB = 500
PIP = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check")


def _run(args, cwd, env):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _size_mb(folder: Path) -> float:
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() or p.is_symlink()) / 1e6


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    """A fresh venv with the runtime set installed the way the Makefile's $(STAMP) rule does; its facts."""
    home = tmp_path_factory.mktemp("light")
    venv = home / "venv"
    env = {k: v for k, v in os.environ.items()
           if k not in ("VNRU_DATA_DIR", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH", "PIP_REQUIRE_VIRTUALENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    started = time.perf_counter()
    _run([sys.executable, "-m", "venv", venv], cwd=home, env=env)
    python = venv / "bin" / "python"
    _run([python, *PIP, "-r", ROOT / "requirements.lock"], cwd=ROOT, env=env)
    _run([python, *PIP, "--no-build-isolation", "--no-deps", "-e", ROOT], cwd=ROOT, env=env)
    installed = time.perf_counter() - started
    listed = json.loads(_run([python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                             cwd=home, env=env).stdout)
    return {"venv": venv, "env": env, "home": home, "seconds": installed, "size_mb": _size_mb(venv),
            "packages": {p["name"].lower().replace("_", "-") for p in listed}}


def test_the_runtime_set_has_no_developer_tool_and_fits_in_500_mb(runtime):
    print(f"runtime install: {len(runtime['packages'])} packages, {runtime['size_mb']:.0f} MB, "
          f"{runtime['seconds']:.0f} s")
    assert not [name for name in NOT_FOR_REPORTS if name in runtime["packages"]]
    assert {"vnru", "papermill", "pandas", "matplotlib", "ipykernel"} <= runtime["packages"]
    assert runtime["size_mb"] <= LIMIT_MB, f"the runtime venv takes {runtime['size_mb']:.0f} MB (> {LIMIT_MB})"


def test_the_runtime_set_runs_a_report(runtime):
    out = runtime["home"] / "reports"
    _run([runtime["venv"] / "bin" / "vnru", "run", "trade_growth", "--out", out, "-q"],
         cwd=runtime["home"], env=runtime["env"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [report] = manifest["reports"]
    assert report["status"] == "ok", report
    assert (out / "trade_growth.html").is_file() and (out / "trade_growth.ipynb").is_file()
    assert list((out / "trade_growth" / "figures").glob("*.svg")), "the chart downloads were written"
