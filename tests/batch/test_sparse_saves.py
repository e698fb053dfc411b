"""papermill through vnru's engine (vnru.batch.executors.kernel): the output notebook is written when the
notebook starts and ends, not at every cell's start and end, and it is the notebook papermill writes."""

import json

import nbformat
import papermill
import papermill.engines

from vnru.batch.executors import kernel


def _notebook(path, cells=30):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({i})") for i in range(cells)])
    nb.cells.append(nbformat.v4.new_markdown_cell("# the end"))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


def _cells(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], c.get("execution_count"), c.get("outputs")) for c in nb["cells"]]


def test_the_output_notebook_is_written_at_its_start_and_end_only(tmp_path, monkeypatch):
    source = _notebook(tmp_path / "n.ipynb")
    writes = []
    real = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: writes.append(path) or real(nb, path))
    papermill.execute_notebook(str(source), str(tmp_path / "vnru.ipynb"), engine_name=kernel.ENGINE_NAME,
                               kernel_name="python3", progress_bar=False)
    assert len(writes) == 2  # papermill's own engine: 2 + 2 per cell (62 here)
    writes.clear()
    papermill.execute_notebook(str(source), str(tmp_path / "papermill.ipynb"), kernel_name="python3",
                               progress_bar=False)
    assert len(writes) == 2 + 2 * 31
    assert _cells(tmp_path / "vnru.ipynb") == _cells(tmp_path / "papermill.ipynb")


def test_a_long_notebook_is_still_saved_as_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(kernel, "SAVE_EVERY_S", 0)  # every save is due: papermill's own rhythm
    source = _notebook(tmp_path / "n.ipynb", cells=3)
    writes = []
    real = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: writes.append(path) or real(nb, path))
    papermill.execute_notebook(str(source), str(tmp_path / "out.ipynb"), engine_name=kernel.ENGINE_NAME,
                               kernel_name="python3", progress_bar=False)
    assert len(writes) == 2 + 2 * 4
