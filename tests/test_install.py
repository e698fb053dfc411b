"""A light first install: `make reports` and `pip install vnru` get only what running reports needs.

requirements.lock pins the runtime set, requirements-dev.lock the developer tools and every extra; the two
agree on every package they share (`make lock` writes both; these tests fail when they drift).
"""

import re
import tomllib

import pytest

from fixtures.environment import NOT_FOR_REPORTS, _lock_pins, _name_spec
from fixtures.files import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_runtime_lock_pins_every_dependency_and_no_developer_tool_or_extra():
    from packaging.specifiers import SpecifierSet

    pins = _lock_pins("requirements.lock")
    for name, spec in map(_name_spec, PROJECT["dependencies"]):
        assert name in pins and pins[name] in SpecifierSet(spec), f"requirements.lock: {name} {spec}: run `make lock`"
    assert "hatchling" in pins  # the build backend of the editable install (pip install --no-build-isolation)
    assert not [name for name in NOT_FOR_REPORTS if name in pins]
    assert not [name for name, _ in map(_name_spec, PROJECT["dependencies"]) if name in NOT_FOR_REPORTS]


def test_the_two_locks_agree_on_every_package_they_share():
    runtime, dev = _lock_pins("requirements.lock"), _lock_pins("requirements-dev.lock")
    assert set(runtime) <= set(dev), f"requirements-dev.lock misses {set(runtime) - set(dev)}: run `make lock`"
    assert {n: v for n, v in runtime.items() if dev[n] != v} == {}, "the locks drifted: run `make lock`"


def test_every_extra_is_part_of_dev_so_its_tests_run():
    extras = PROJECT["optional-dependencies"]
    dev = dict(map(_name_spec, extras["dev"]))
    assert {"lab", "comtrade", "dask"} <= set(extras)
    for extra, requirements in extras.items():
        for name, spec in map(_name_spec, requirements):
            assert dev.get(name) == spec, f"[{extra}] {name} is not in [dev] with the same range"


def _recipe(target):
    """The recipe lines of ``target`` (a Makefile rule), tabs stripped."""
    match = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)*)", MAKEFILE, re.MULTILINE)
    assert match, target
    return [line[1:] for line in match.group(1).splitlines()]


def test_make_reports_installs_the_runtime_lock_only_and_says_so():
    assert re.search(r"^reports: \$\(STAMP\) ", MAKEFILE, re.MULTILINE)
    runtime = "\n".join(_recipe("$(STAMP)"))
    assert "-r $(LOCK)" in runtime and "DEV_LOCK" not in runtime and "[dev]" not in runtime
    assert "$(call announce," in runtime.splitlines()[1]  # "installing N packages ..." before pip starts
    assert re.search(r"^test: \$\(DEV_STAMP\)", MAKEFILE, re.MULTILINE)
    assert re.search(r"^setup: \$\(DEV_STAMP\)", MAKEFILE, re.MULTILINE)


def test_pip_failures_are_not_hidden():
    quiet = re.search(r"^QUIET_PIP := (.*)$", MAKEFILE, re.MULTILINE).group(1)
    assert not quiet.rstrip().endswith("|| true"), "the pipeline's status would be true whatever pip did"
    assert re.search(r"^\.SHELLFLAGS := -o pipefail -c$", MAKEFILE, re.MULTILINE)
    assert re.search(r"^SHELL\s*:= /bin/bash$", MAKEFILE, re.MULTILINE)


def test_a_missing_extra_is_one_line_naming_it(monkeypatch, tmp_path, capsys):
    import importlib.util

    from vnru.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    download = tmp_path / "download.csv"
    download.write_text("a,b\n1,2\n")
    with pytest.raises(SystemExit) as stop:
        main(["import", "comtrade", str(download), "--data-dir", str(tmp_path / "mine")])
    err = capsys.readouterr().err
    assert stop.value.code == 2
    assert err == "Usage error: vnru import comtrade needs pyarrow: pip install 'vnru[comtrade]'\n"
    assert not (tmp_path / "mine").exists()
