"""Reports are safe to open: hostile strings from data, parameters and errors appear as text."""

import csv
import json

from fixtures.cli import make_notebook, vnru_cli
from vnru.batch.index import render_index, show

HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def _set_first_title(path, title):
    """Rewrite the first row's title in a CSV through the csv module (quoting stays valid)."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index("title")] = title
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_index_escapes_every_field():
    manifest = {"started": HOSTILE, "finished": "t", "duration_s": 1.0, "data_dir": HOSTILE, "data_sha256": HOSTILE,
                "kit_version": HOSTILE, "reports": [{
                    "name": HOSTILE, "title": HOSTILE, "status": HOSTILE, "error": HOSTILE, "duration_s": 2.0,
                    "parameters": {HOSTILE: HOSTILE}, "overrides": {HOSTILE: HOSTILE}, "results": {HOSTILE: [HOSTILE]},
                    "files": {"html": HOSTILE, "ipynb": "a b.ipynb"}, "data_sha256": HOSTILE}]}
    page = render_index(manifest)
    assert "<script" not in page and "alert(\"" not in page
    assert ESCAPED in page
    assert 'href="a%20b.ipynb"' in page


def test_show_formats_values_readably():
    assert [show(""), show("VN"), show(3), show(3630.0), show(4.25), show(True), show(None), show([1, "a"])] == [
        '""', "VN", "3", "3,630", "4.25", "true", "null", '[1, "a"]']


def test_hostile_data_and_parameters_appear_as_text(data_copy, tmp_path):
    _set_first_title(data_copy / "timeline.csv", HOSTILE)
    directory, out = tmp_path / "nbs", tmp_path / "r"
    make_notebook(directory, "hostile", 'label: str = "plain"  # a label\ndata_dir: str = ""  # data ("" = bundled)', [
        ("import vnru\nfrom IPython.display import display\ntimeline = vnru.load_timeline(data_dir or None)\n"
         "vnru.record('first_title', timeline.title.iloc[0])\nvnru.record('label', label)\n"
         "display(timeline[['event_id', 'title']].head(2))\nprint(timeline.title.iloc[0], label)"),
        "raise RuntimeError(label)"], title="Hostile <b>title</b>")  # markdown is the author's: raw in the page
    result = vnru_cli("run", "--notebooks-dir", str(directory), "--out", str(out), "-q", "--data-dir", str(data_copy),
                      "-p", "label", HOSTILE)
    assert result.returncode == 1, result.stderr  # the last cell raises with the hostile text
    report = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
    assert report["results"] == {"first_title": HOSTILE, "label": HOSTILE}
    assert report["parameters"]["data_dir"] == str(data_copy.resolve())
    assert report["error"] == f"RuntimeError: {HOSTILE}"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "<b>" not in index and "Hostile &lt;b&gt;title&lt;/b&gt;" in index
    assert index.count(ESCAPED) >= 4  # the error, two results, a parameter
    page = (out / "hostile.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page
    escaped = sum(page.count(f"&lt;script&gt;alert({quote}x{quote})&lt;/script&gt;") for quote in ('"', "&quot;", "&#34;"))
    assert escaped >= 4  # table, print (2), error; results stay quiet


def test_a_long_list_of_results_folds_after_the_first_six_and_reads_as_words():
    from vnru.batch.index import SHOWN_RESULTS, card

    many = {f"key_{i:02d}": i for i in range(30)}
    html = card({"name": "nb", "status": "ok", "results": many, "parameters": {}})
    shown, folded = html.split("<details>", 1)
    assert "<th>Key 05</th>" in shown and "Key 06" not in shown and SHOWN_RESULTS == 6
    assert "24 more (all 30)" in folded and "<th>Key 29</th>" in folded
    assert "key_" not in shown  # labels in words, not the recorded keys
    few = card({"name": "nb", "status": "ok", "results": dict(list(many.items())[:8]), "parameters": {}})
    assert "more (all" not in few and "<th>Key 07</th>" in few  # two more rows are not worth a fold
