"""Packaging: environment.yml and pyproject.toml list the same dependencies; import stays light."""

import os
import re
import subprocess
import sys
import tomllib

import pytest
import yaml

from fixtures.environment import _lock_pins, _name_spec
from fixtures.files import ROOT


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(map(_name_spec, project["dependencies"] + project["optional-dependencies"]["dev"]))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    conda = dict(_name_spec(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("python", None)
    conda.pop("pip", None)
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section
    from_pip = dict(_name_spec(d) for d in pip_section if d != "-e .")  # packages conda-forge does not carry
    assert not set(conda) & set(from_pip)
    assert {**conda, **from_pip} == wanted


def test_import_vnru_does_not_import_matplotlib_or_frictionless():
    code = "import sys, vnru; vnru.DataError; print(sorted(m for m in ('matplotlib', 'frictionless', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_loading_data_does_not_import_matplotlib():
    code = "import sys, vnru; vnru.load_trade(); print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_gitignore_covers_generated_files():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in (".venv/", "reports/", ".ipynb_checkpoints/"):
        assert entry in ignored


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "lib", "tests", "bench"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr




def test_lock_file_pins_every_pyproject_dependency_within_its_range():
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _lock_pins()
    for name, spec in map(_name_spec, project["dependencies"] + project["optional-dependencies"]["dev"]):
        assert name in pins, f"requirements-dev.lock misses {name}: run `make lock`"
        assert pins[name] in SpecifierSet(spec), \
            f"requirements-dev.lock pins {name}=={pins[name]}, outside {spec}: run `make lock`"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_lock_file_is_for_this_python_and_names_no_local_index(lock):
    text = (ROOT / lock).read_text(encoding="utf-8")
    assert f"pip-compile with Python {sys.version_info.major}.{sys.version_info.minor}" in text
    assert "make lock" in text
    assert not re.search(r"^\s*--(index-url|extra-index-url|find-links|trusted-host)", text, re.MULTILINE)
    assert "file://" not in text


def test_the_venv_runs_the_locked_versions_of_the_report_libraries():
    from importlib import metadata

    if os.environ.get("CONDA_PREFIX") == sys.prefix:
        pytest.skip("a conda environment resolves environment.yml's ranges itself")

    pins = _lock_pins()
    for name in ("pandas", "matplotlib", "papermill", "nbconvert", "ipykernel"):
        assert metadata.version(name) == pins[name], f"{name} differs from requirements.lock: run `make setup`"
