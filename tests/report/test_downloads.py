"""Downloads: charts as PNG+SVG and tables as CSV beside each report; quiet results in the HTML; the card."""

import json

import pandas as pd
import pytest

import vnru
from fixtures.cli import CHART_AND_TABLE, make_notebook, vnru_cli
from vnru import atomic
from vnru.batch import cards as cardparts
from vnru.batch.index import card
from vnru.report import downloads


@pytest.fixture(scope="module")
def run_out(tmp_path_factory):
    base = tmp_path_factory.mktemp("downloads")
    make_notebook(base / "nbs", "chart", "x = 1", CHART_AND_TABLE)
    out = base / "out"
    result = vnru_cli("run", "chart", "--notebooks-dir", str(base / "nbs"), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    return out


def test_charts_and_tables_are_published_beside_the_report(run_out):
    figures = sorted(p.name for p in (run_out / "chart" / "figures").iterdir())
    assert figures == ["trade-vietnams-view.csv", "trade-vietnams-view.json", "trade-vietnams-view.png",
                       "trade-vietnams-view.svg"]  # the chart, the data it draws, its metadata
    assert (run_out / "chart" / "figures" / "trade-vietnams-view.png").read_bytes()[:4] == b"\x89PNG"
    svg = (run_out / "chart" / "figures" / "trade-vietnams-view.svg").read_text()
    assert "Trade – Vietnam’s view" in svg and "Source" in svg  # title and source line kept, as text
    lines = (run_out / "chart" / "tables" / "trade-series.csv").read_text().splitlines()
    assert lines[0] == '"year","value_usd_m","source_id"' and not any(x.startswith("#") for x in lines)
    meta = json.loads((run_out / "chart" / "tables" / "trade-series.json").read_text())
    assert meta["sources"] and meta["credit"].startswith("Source") and meta["csv"] == "trade-series.csv"
    report = json.loads((run_out / "manifest.json").read_text())["reports"][0]
    assert report["downloads"] == {"figures": [f"chart/figures/trade-vietnams-view.{x}" for x in
                                               ("csv", "json", "png", "svg")],
                                   "tables": ["chart/tables/trade-series.csv", "chart/tables/trade-series.json"]}
    assert not list(run_out.glob(".vnru-run-*/chart"))  # moved, not copied


def test_index_card_links_downloads_and_shows_findings(run_out):
    index = (run_out / "index.html").read_text()
    assert 'href="chart/figures/trade-vietnams-view.svg"' in index
    assert 'href="chart/tables/trade-series.csv"' in index
    assert '<p class="vnru-findings">First sentence. Second one.</p>' in index
    assert "Third." not in index


def test_recorded_results_leave_no_trace_in_the_html(run_out):
    page = (run_out / "chart.html").read_text()
    assert "vnd.vnru" not in page  # the record() outputs are data for the runner: dropped
    # the results show once, as the page's labelled Key results; the findings only as the page's description
    assert "answer" not in page and page.count("Answer") == 1 and '<th scope="row">Answer</th><td>42</td>' in page
    assert page.count("First sentence") == 1 and '<meta name="description" content="First sentence.' in page
    assert 'src="http' not in page  # no script from a CDN (MathJax, require.js): the page works offline
    assert json.loads((run_out / "manifest.json").read_text())["reports"][0]["results"]["answer"] == 42


def test_nothing_is_written_without_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(downloads.DOWNLOADS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    vnru.show(pd.DataFrame({"a": [1]}), name="t")
    assert downloads.save_table(pd.DataFrame({"a": [1]}), "t") is None
    assert list(tmp_path.iterdir()) == []


def test_publish_dir_replaces_only_a_downloads_folder(tmp_path):
    target = tmp_path / "nb"
    (target / "figures").mkdir(parents=True)
    (target / "figures" / "old.png").write_text("old")
    staged = tmp_path / "staged"
    (staged / "tables").mkdir(parents=True)
    atomic.publish_dir(staged, target)
    assert [p.name for p in target.iterdir()] == ["tables"]
    atomic.publish_dir(None, target)
    assert not target.exists()
    (target / "notes").mkdir(parents=True)
    with pytest.raises(atomic.PublishError):
        atomic.publish_dir(None, target)
    assert (target / "notes").is_dir()


def test_card_parts_ignore_bad_shapes():
    assert cardparts.findings({"key_findings": 3}) == ""
    assert cardparts.downloads({"downloads": ["x"]}) == ""
    html = card({"name": "n", "status": "ok", "results": {"key_findings": ["<b>A</b>."]},
                 "downloads": {"figures": ["n/figures/a b.png"]}})
    assert "&lt;b&gt;A&lt;/b&gt;." in html and 'href="n/figures/a%20b.png"' in html


def test_a_long_result_is_cut_on_the_card_and_kept_in_the_manifest():
    shown = cardparts.card_results({"key_findings": ["x."], "big": {f"k{i}": "v" * 20 for i in range(20)}, "n": 3})
    assert list(shown) == ["big", "n"] and shown["n"] == 3
    assert len(shown["big"]) == cardparts.LONGEST_VALUE and shown["big"].endswith("\u2026")


def test_a_card_rounds_long_floats_the_manifest_keeps_them():
    shown = cardparts.card_results({"cagr_pct": 10.211134, "count": 3, "exact": 4.5, "key_findings": ["x"]})
    assert shown == {"cagr_pct": 10.21, "count": 3, "exact": 4.5}


INLINE_CELLS = [
    ("import vnru\nimport matplotlib.pyplot as plt\nfrom vnru.report.plots import new_axes, add_source_line, style_axes\n"
     "rows = vnru.load_trade().query(\"flow == 'total'\").head(3)"),
    ("fig, ax = new_axes(10, 5.5)\nax.plot(rows.year, rows.value_usd_m)\n"
     "style_axes(ax, 'Drawn once', 'year', 'USD m')\nadd_source_line(ax, rows.source_id)"),
    ("fig, ax = new_axes(10, 5.5)\nax.plot(rows.year, rows.value_usd_m)\n"
     "style_axes(ax, 'Shown in the cell', 'year', 'USD m')\nadd_source_line(ax, rows.source_id)\nplt.show()"),
    "print(plt.get_fignums())",
]


def test_a_chart_is_rasterised_once_and_shown_from_its_download(tmp_path):
    """Under the inline backend the report shows the download PNG scaled to the inline size (one raster, not
    two); a chart the cell already showed with plt.show() is exported, never shown twice."""
    import base64
    import io

    import nbformat
    from PIL import Image

    make_notebook(tmp_path / "nbs", "inline", "x = 1", INLINE_CELLS)
    out = tmp_path / "out"
    result = vnru_cli("run", "inline", "--notebooks-dir", str(tmp_path / "nbs"), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    cells = [c for c in nbformat.read(str(out / "inline.ipynb"), as_version=4).cells if c.cell_type == "code"]
    images = [[o for o in c.get("outputs", []) if "image/png" in o.get("data", {})] for c in cells]
    assert [len(i) for i in images] == [0, 0, 1, 1, 0]  # parameters, imports, drawn once, shown, fignums
    assert cells[4].outputs[0].text.strip() == "[]"  # every figure closed after its cell
    shown = images[2][0].data
    assert shown["text/plain"] == "<Figure size 1000x550 with 1 Axes>"
    inline = Image.open(io.BytesIO(base64.b64decode(shown["image/png"])))
    download = Image.open(out / "inline" / "figures" / "drawn-once.png")
    assert download.size == (1500, 825) and inline.size == (1000, 550)
    expected = download.convert("RGB").resize(inline.size, Image.Resampling.LANCZOS)
    assert inline.convert("RGB").tobytes() == expected.tobytes()  # the same raster, scaled
    assert sorted(p.name for p in (out / "inline" / "figures").iterdir()) == [
        f"{chart}.{kind}" for chart in ("drawn-once", "shown-in-the-cell") for kind in ("csv", "json", "png", "svg")]


@pytest.mark.parametrize("size", [(6, 4), (3.1399999999999997, 3.6999999999999997), (4.2, 4.2)],
                         ids=["plain", "size-x-dpi-just-under-whole-pixels", "square"])
def test_a_chart_is_drawn_once_per_format_and_its_png_is_what_savefig_writes(tmp_path, monkeypatch, size):
    """After tight_layout (every chart's source line) matplotlib keeps a placeholder layout engine, and savefig
    drew the whole figure once more before each format to lay it out; the export skips that draw. The PNG is the
    same file savefig(png, dpi=150) writes, whatever the size (3.14 x 150 is 470.99999999999994 in floats, and
    Agg's canvas is 471 pixels wide)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    fig, ax = plt.subplots(figsize=size)
    ax.plot([2020, 2021, 2022], [1, 3, 2], label="a")
    ax.set_title("Drawn once")
    ax.legend()
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    reference = tmp_path / "reference.png"
    fig.savefig(reference, dpi=150, facecolor="white")
    draws = []
    real = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(1), real(self, renderer))[1])
    png, svg = downloads.save_figure(fig, folder=tmp_path / "out")
    plt.close(fig)
    assert len(draws) == 2  # PNG and SVG; it was 4
    assert png.read_bytes() == reference.read_bytes() and svg.is_file()
