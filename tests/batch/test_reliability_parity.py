"""Papermill parity (issue 23): where `vnru run` and papermill must agree — YAML dates kept as text, `None`
injected as None, a timed-out notebook's banners, the kernelspec, metadata.papermill, the page title."""

import json

import nbformat

from fixtures.cli import make_notebook
from fixtures.inputs import bundled_files_unchanged, manifest_of, the_line, vnru  # noqa: F401
from vnru.batch import notebooks as nbs
from vnru.paths import NOTEBOOKS_DIR

TYPES = "vnru.record('types', {k: [type(globals()[k]).__name__, repr(globals()[k])] for k in KEYS})"


def _injected(path):
    """The source of the cell papermill injected into an executed notebook."""
    nb = nbformat.read(str(path), as_version=4)
    return next(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))


def test_yaml_dates_stay_text_for_untyped_list_and_kit_date_parameters(tmp_path):
    """papermill's NoDatesSafeLoader: an unquoted date is text (was: "date is not JSON serializable", a traceback)."""
    make_notebook(tmp_path / "nbs", "dates", 'msg = None\ntags: list = []\nstart: str = "1950"',
                  ["import vnru\nKEYS = ('msg', 'tags', 'start')\n" + TYPES])
    (tmp_path / "p.yaml").write_text("start: 1990-01-01\n")
    result = vnru("run", "dates", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "out", "-q", "--no-html",
                  "-y", "{msg: 2019-01-01, tags: [2019-01-02, {day: 2019-01-03}]}", "-f", tmp_path / "p.yaml")
    assert result.returncode == 0, result.stderr
    (report,) = manifest_of(tmp_path / "out")["reports"]
    assert report["results"]["types"] == {"msg": ["str", "'2019-01-01'"],
                                          "tags": ["list", "['2019-01-02', {'day': '2019-01-03'}]"],
                                          "start": ["str", "'1990-01-01'"]}
    assert "msg = \"2019-01-01\"" in _injected(tmp_path / "out" / "dates.ipynb")


def test_the_kits_date_parameters_take_an_unquoted_yaml_date():
    declared = {name: nbs.parameters(NOTEBOOKS_DIR / f"{name}.ipynb") for name in ("diplomatic_timeline",)}
    values = nbs.plan(declared, declared, [("-y", nbs.load_yaml("{start: 1990-01-01, end: 2000-12}"))])
    assert values["diplomatic_timeline"] == {"start": "1990-01-01", "end": "2000-12"}
    assert nbs.load_yaml("- 2019-01-01\n- 1") == ["2019-01-01", 1]


def test_none_is_injected_as_none_when_the_default_is_none(tmp_path):
    make_notebook(tmp_path / "nbs", "nones", 'msg = None\nlabel: str = None\nword: str = "x"',
                  ["import vnru\nKEYS = ('msg', 'label', 'word')\n" + TYPES])
    result = vnru("run", "nones", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "out", "-q", "--no-html",
                  "-p", "msg", "None", "-p", "label", "None", "-p", "word", "None")
    assert result.returncode == 0, result.stderr
    (report,) = manifest_of(tmp_path / "out")["reports"]
    assert report["results"]["types"] == {"msg": ["NoneType", "None"], "label": ["NoneType", "None"],
                                          "word": ["str", "'None'"]}  # a text parameter keeps the word
    assert "msg = None\n" in _injected(tmp_path / "out" / "nones.ipynb")


def test_a_date_object_from_the_python_api_is_a_usage_error_not_a_traceback():
    import datetime

    import pytest

    from vnru.errors import UsageError

    with pytest.raises(UsageError, match="parameter msg expects text, a number"):
        nbs.convert(nbs.Parameter("msg", "", None, "None"), datetime.date(2019, 1, 1))
    assert json.dumps(nbs.convert(nbs.Parameter("msg", "", None, "None"), "2019-01-01")) == '"2019-01-01"'


def test_a_notebook_stopped_at_its_timeout_says_so_at_the_top_and_where_it_stopped(tmp_path):
    """papermill's keyboard_interrupt notebook under --timeout: the page must not read as a complete report."""
    make_notebook(tmp_path / "nbs", "sleepy", "n: int = 1", ["print('before')", "import time\ntime.sleep(60)",
                                                              "print('never')"])
    result = vnru("run", "sleepy", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "out", "-q",
                  "--timeout", "6")
    assert result.returncode == 1 and "timed out after 6 s" in the_line(result.stderr, "FAILED")
    nb = nbformat.read(str(tmp_path / "out" / "sleepy.ipynb"), as_version=4)
    banners = [i for i, c in enumerate(nb.cells) if "papermill-error-cell-tag" in c.metadata.get("tags", [])]
    assert banners[0] == 0 and "stopped at" in nb.cells[0].source and "timed out after 6 s" in nb.cells[0].source
    stopped = nb.cells[banners[1] + 1]
    assert 'id="papermill-error-cell"' in nb.cells[banners[1]].source and "time.sleep(60)" in stopped.source
    assert any("timed out after 6 s" in o.get("text", "") for o in stopped.outputs)
    page = (tmp_path / "out" / "sleepy.html").read_text(encoding="utf-8")
    assert page.index("The notebook was stopped") < page.index("<pre>before") < page.index('id="papermill-error-cell"')


def test_a_notebook_for_another_kernel_is_refused_in_one_line_not_run_on_python(tmp_path):
    """papermill's notimplemented_translator (an R notebook) ran on python3 and could read as ok."""
    make_notebook(tmp_path / "nbs", "rnote", "n = 1", ["print(n)"])  # valid Python, so it would "succeed"
    make_notebook(tmp_path / "nbs", "square", "n: int = 3", ["import vnru\nvnru.record('square', n * n)"])
    path = tmp_path / "nbs" / "rnote.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    nb.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    nbformat.write(nb, str(path))
    listed = vnru("list", "--notebooks-dir", tmp_path / "nbs")
    assert listed.returncode == 1
    assert "asks for the kernel 'ir' (R)" in the_line(listed.stdout, "rnote: BROKEN")
    result = vnru("run", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "out", "-q", "--no-html")
    assert result.returncode == 1
    line = the_line(result.stderr, "FAILED rnote")
    assert "asks for the kernel 'ir' (R); vnru runs notebooks on the kit's Python kernel only (python3)" in line
    reports = {r["name"]: r for r in manifest_of(tmp_path / "out")["reports"]}
    assert reports["square"]["status"] == "ok" and not (tmp_path / "out" / "rnote.ipynb").exists()
    for name in ("vnru", "python3"):  # the kit's kernel, and the name `make kernel` used to register, still run
        nb.metadata["kernelspec"] = {"name": name, "display_name": name, "language": "python"}
        nbformat.write(nb, str(path))
        assert nbs.check(path) == nbs.parameters(path)


def test_the_published_notebook_names_its_path_and_the_page_its_title(tmp_path):
    make_notebook(tmp_path / "nbs", "square", "n: int = 3", ["import vnru\nvnru.record('square', n * n)"],
                  title="Squares & <roots>")
    make_notebook(tmp_path / "nbs", "plain", "n: int = 3", ["n"])
    nb = nbformat.read(str(tmp_path / "nbs" / "plain.ipynb"), as_version=4)
    nb.cells = nb.cells[1:]  # no heading: the page is titled with the file name
    nbformat.write(nb, str(tmp_path / "nbs" / "plain.ipynb"))
    result = vnru("run", "--notebooks-dir", tmp_path / "nbs", "--out", tmp_path / "out", "-q")
    assert result.returncode == 0, result.stderr
    for name in ("square", "plain"):
        published = json.loads((tmp_path / "out" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert published["metadata"]["papermill"]["output_path"] == str((tmp_path / "out" / f"{name}.ipynb").resolve())
    assert "<title>Squares &amp; &lt;roots&gt;</title>" in (tmp_path / "out" / "square.html").read_text(encoding="utf-8")
    assert "<title>plain</title>" in (tmp_path / "out" / "plain.html").read_text(encoding="utf-8")
