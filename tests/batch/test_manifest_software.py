"""The manifest and index.html record the Python, pandas, matplotlib and papermill versions a run used."""

import json
import platform
from importlib import metadata

import nbformat

from vnru.batch.index import render_index
from vnru.batch.runner import run_notebooks, software_versions


def test_software_versions_are_those_installed():
    versions = software_versions()
    assert versions["python"] == platform.python_version()
    for name in ("pandas", "matplotlib", "papermill"):
        assert versions[name] == metadata.version(name)


def test_the_versions_are_looked_up_once_per_process(monkeypatch):
    """Every chart's and table's metadata JSON states them: importlib.metadata is asked once, not per download."""
    from vnru.report import provenance

    provenance._versions.cache_clear()
    asked = []
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: (asked.append(name), real(name))[1])
    first, second = software_versions(), software_versions()
    assert first == second and first is not second  # a caller may change its copy
    assert sorted(asked) == ["matplotlib", "pandas", "papermill"]
    provenance._versions.cache_clear()


def test_a_run_records_the_software_in_the_manifest_and_on_the_index(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Tiny"), nbformat.v4.new_code_cell("n: int = 1  # a number")]
    nb.cells[1].metadata["tags"] = ["parameters"]
    (tmp_path / "nbs").mkdir()
    nbformat.write(nb, str(tmp_path / "nbs" / "tiny.ipynb"))
    run_notebooks(out_dir=tmp_path / "out", notebooks_dir=tmp_path / "nbs", html=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["software"] == software_versions()
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert f"Python {platform.python_version()} · pandas {metadata.version('pandas')}" in index
    assert f"papermill {metadata.version('papermill')}" in index


def test_an_index_of_an_older_manifest_says_the_software_is_unrecorded():
    assert "<dt>Software</dt><dd>unrecorded</dd>" in render_index({"reports": []})
