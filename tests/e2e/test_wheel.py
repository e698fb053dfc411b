"""The sdist and the wheel carry the data package and the notebooks; the installed wheel works from anywhere.

The sdist is built from the checkout and the wheel from the sdist (so the sdist is complete), both offline
with the backend in .venv. The wheel goes into a fresh venv without its dependencies, which come from this
.venv through a .pth line; the checkout's editable vnru must not shadow it.
"""

import json
import os
import site
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from fixtures.files import ROOT
from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR

DATA_FILES = sorted(p.name for p in BUNDLED_DATA_DIR.iterdir() if p.suffix == ".csv" or p.name == "datapackage.json")
NOTEBOOK_FILES = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def _run(args, cwd, env=None, check=True):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check:
        assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """{"sdist": path, "wheel": path}: the sdist built from the checkout, the wheel built from the sdist."""
    out = tmp_path_factory.mktemp("dist")
    code = "import sys; from hatchling.build import build_sdist; print(build_sdist(sys.argv[1]))"
    sdist = out / _run([sys.executable, "-c", code, out], cwd=ROOT).stdout.strip()
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "--wheel-dir", out, sdist], cwd=out)
    return {"sdist": sdist, "wheel": next(out.glob("vnru-*.whl"))}


@pytest.fixture(scope="module")
def venv(dist, tmp_path_factory):
    """The environment of a fresh venv with the wheel installed; its dependencies come from this .venv."""
    home = tmp_path_factory.mktemp("venv")
    _run([sys.executable, "-m", "venv", "--without-pip", home / "venv"], cwd=home)
    python = home / "venv" / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index",
          dist["wheel"]], cwd=home)
    target = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=home)
                  .stdout.strip())
    # after the install: pip must not see (and replace) the editable vnru of .venv
    (target / "_dev_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("VNRU_DATA_DIR", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")  # nbconvert's templates: data files, not .pth
    elsewhere = home / "elsewhere"
    elsewhere.mkdir()
    return {"python": python, "vnru": python.parent / "vnru", "env": env, "cwd": elsewhere, "site": target}


def test_sdist_carries_the_data_package_and_the_notebooks(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {Path(*Path(n).parts[1:]).as_posix() for n in archive.getnames()}
    assert {f"data/{name}" for name in DATA_FILES} <= names
    assert {f"notebooks/{name}" for name in NOTEBOOK_FILES} <= names
    assert {"pyproject.toml", "requirements.lock", "lib/vnru/__init__.py", "lib/vnru/paths.py"} <= names


def test_wheel_carries_the_data_package_and_the_notebooks_as_package_data(dist):
    names = set(zipfile.ZipFile(dist["wheel"]).namelist())
    assert {n.removeprefix("vnru/_data/") for n in names if n.startswith("vnru/_data/")} == set(DATA_FILES)
    assert {n.removeprefix("vnru/_notebooks/") for n in names if n.startswith("vnru/_notebooks/")} == set(NOTEBOOK_FILES)
    assert "vnru/paths.py" in names and not any(n.startswith(("lib/", "data/", "tests/")) for n in names)
    assert not any("__pycache__" in n or ".ipynb_checkpoints" in n for n in names)


def test_installed_wheel_loads_every_table_from_its_own_package_data(venv):
    code = ("import json, vnru; from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR; "
            "print(json.dumps({'file': vnru.__file__, 'data': str(BUNDLED_DATA_DIR), 'notebooks': str(NOTEBOOKS_DIR), "
            "'rows': {name: len(vnru.load_table(name)) for name in vnru.TABLES}}))")
    found = json.loads(_run([venv["python"], "-c", code], cwd=venv["cwd"], env=venv["env"]).stdout)
    assert Path(found["file"]).is_relative_to(venv["site"]), "the checkout's editable vnru shadows the wheel"
    assert Path(found["data"]) == venv["site"] / "vnru" / "_data"
    assert Path(found["notebooks"]) == venv["site"] / "vnru" / "_notebooks"
    import vnru

    assert found["rows"] == {name: len(vnru.load_table(name)) for name in vnru.TABLES}


def test_installed_wheel_lists_and_runs_a_notebook_from_elsewhere(venv):
    listed = _run([venv["vnru"], "list"], cwd=venv["cwd"], env=venv["env"]).stdout
    assert {line.split(":")[0] for line in listed.splitlines() if not line.startswith(" ")} == \
        {Path(n).stem for n in NOTEBOOK_FILES}
    _run([venv["vnru"], "run", "diplomatic_timeline", "--out", "reports", "-q"], cwd=venv["cwd"], env=venv["env"])
    manifest = json.loads((venv["cwd"] / "reports" / "manifest.json").read_text(encoding="utf-8"))
    report = manifest["reports"][0]
    assert report["status"] == "ok" and (venv["cwd"] / "reports" / "diplomatic_timeline.html").is_file()
    assert Path(manifest["data_dir"]) == venv["site"] / "vnru" / "_data"
    timeline_rows = len((BUNDLED_DATA_DIR / "timeline.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert report["results"]["event_count"] == timeline_rows


def test_init_from_the_installed_wheel_makes_a_kit_that_runs_on_its_own_data(venv):
    printed = _run([venv["vnru"], "init", "kit"], cwd=venv["cwd"], env=venv["env"]).stdout
    assert "vnru run --notebooks-dir notebooks --data-dir data" in printed
    kit = venv["cwd"] / "kit"
    timeline = kit / "data" / "timeline.csv"
    timeline.write_text("".join(timeline.read_text(encoding="utf-8").splitlines(keepends=True)[:11]), encoding="utf-8")
    _run([venv["vnru"], "run", "diplomatic_timeline", "--no-html", "-q"], cwd=kit, env=venv["env"])
    manifest = json.loads((kit / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["notebooks_dir"]) == kit / "notebooks" and Path(manifest["data_dir"]) == kit / "data"
    assert manifest["reports"][0]["results"]["event_count"] == 10
