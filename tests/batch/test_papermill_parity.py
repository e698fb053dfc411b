"""Parity with papermill (issue 23): papermill's own test notebooks, run through `papermill` and through
`vnru run --notebooks-dir`, give the same executed notebooks: cells, injected parameters, outputs, error
banners, papermill metadata. Keeps failing if either side drifts.

Run here: every notebook papermill ships that needs no cloud, no other kernel and no papermill source tree.
Left out, each an intended difference tested elsewhere: notimplemented_translator (an R kernel) and
test_autosave (a kernel named "python") are refused by vnru (test_reliability_parity); complex_parameters
(a parameters cell that is not Python) is listed as broken; keyboard_interrupt needs a timeout, where vnru adds
the banner papermill lacks; binder shells out to papermill's source tree. Differences by design that the
comparison leaves aside: timings, the notebook's output_path (vnru names the published file), cell ids.
"""

import json
import re
import shutil
from pathlib import Path

import pytest

from fixtures.inputs import manifest_of, vnru

papermill = pytest.importorskip("papermill")

SHIPPED = Path(papermill.__file__).parent / "tests" / "notebooks"
pytestmark = pytest.mark.skipif(not SHIPPED.is_dir(), reason="this papermill ships without its test notebooks")
LEFT_OUT = {"notimplemented_translator", "test_autosave", "complex_parameters", "keyboard_interrupt", "binder"}
PARAMETERS = {"simple_execute": {"msg": "2019-01-01"}, "result_no_exec": {"foo": 5}, "report_mode_test": {"a": 3}}
VNRU_ARGS = ["-y", "{msg: 2019-01-01}", "-p", "result_no_exec.foo", "5", "-p", "report_mode_test.a", "3"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TIMINGS = {"start_time", "end_time", "duration", "output_path"}


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _output(output):
    kept = {k: _text(output[k]) for k in ("output_type", "name", "text", "ename", "evalue") if k in output}
    if "data" in output:
        kept["data"] = {k: _text(v) for k, v in output["data"].items() if k.startswith("text/")}
    if "traceback" in output:  # the last line names the error; the frames name temporary files
        kept["last"] = _ANSI.sub("", output["traceback"][-1]) if output["traceback"] else ""
    return kept


def normalized(path) -> dict:
    """What must be the same: each cell's type, source, tags, count, outputs and papermill status, the banners,
    and the notebook's papermill metadata (parameters, exception) and kernel."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [{"type": c["cell_type"], "source": _text(c["source"]), "tags": c.get("metadata", {}).get("tags", []),
              "count": c.get("execution_count"), "outputs": [_output(o) for o in c.get("outputs", [])],
              "papermill": {k: v for k, v in c.get("metadata", {}).get("papermill", {}).items() if k not in _TIMINGS}}
             for c in nb["cells"]]
    meta = {k: v for k, v in nb["metadata"].get("papermill", {}).items() if k not in _TIMINGS}
    return {"cells": cells, "papermill": meta, "kernelspec": nb["metadata"].get("kernelspec"),
            "nbformat": nb["nbformat"]}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """{name: (papermill's executed notebook, vnru's)} for every notebook compared."""
    from papermill.exceptions import PapermillExecutionError

    root = tmp_path_factory.mktemp("parity")
    nbs = root / "nbs"
    nbs.mkdir()
    names = sorted(p.stem for p in SHIPPED.glob("*.ipynb") if p.stem not in LEFT_OUT)
    for name in names:
        shutil.copyfile(SHIPPED / f"{name}.ipynb", nbs / f"{name}.ipynb")
    (nbs / "check.txt").write_text("read_check looks for me\n", encoding="utf-8")
    (root / "papermill").mkdir()
    for name in names:
        try:
            papermill.execute_notebook(str(nbs / f"{name}.ipynb"), str(root / "papermill" / f"{name}.ipynb"),
                                       parameters=PARAMETERS.get(name, {}), kernel_name="python3", cwd=str(nbs),
                                       progress_bar=False)
        except PapermillExecutionError:
            pass
    result = vnru("run", "--notebooks-dir", nbs, "--out", root / "vnru", "-q", "-j", "2", "--no-html", *VNRU_ARGS)
    assert result.returncode == 1, result.stderr  # some of papermill's notebooks fail on purpose
    assert {r["name"] for r in manifest_of(root / "vnru")["reports"]} == set(names)
    return {name: (root / "papermill" / f"{name}.ipynb", root / "vnru" / f"{name}.ipynb") for name in names}


def test_the_notebooks_compared_are_the_ones_papermill_ships_less_the_left_out(both):
    shipped = {p.stem for p in SHIPPED.glob("*.ipynb")}
    assert LEFT_OUT <= shipped and set(both) == shipped - LEFT_OUT and len(both) >= 15


@pytest.mark.parametrize("name", sorted(p.stem for p in SHIPPED.glob("*.ipynb") if p.stem not in LEFT_OUT)
                         if SHIPPED.is_dir() else [])
def test_vnru_and_papermill_execute_the_notebook_alike(both, name):
    ours, theirs = normalized(both[name][1]), normalized(both[name][0])
    assert ours["cells"] == theirs["cells"]
    assert ours == theirs


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).parents[2] / "notebooks").glob("*.ipynb")))
def test_papermill_reads_every_parameter_of_the_kits_notebooks(name, caplog):
    """`papermill --help-notebook` and `papermill -p` know every parameter the kit declares: papermill's parser
    gives up on a line with a second "=" (a comment such as '("" = bundled data)' hid data_dir, start and end)."""
    import nbformat
    from papermill.translators import PythonTranslator

    from vnru.batch.notebooks import parameters

    path = Path(__file__).parents[2] / "notebooks" / f"{name}.ipynb"
    cell = next(c for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
    with caplog.at_level("WARNING", logger="papermill"):
        seen = [p.name for p in PythonTranslator.inspect(cell)]
    assert not [r.message for r in caplog.records if "Unable to parse" in r.message]
    assert seen == [p.name for p in parameters(path)]
