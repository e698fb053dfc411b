"""Report pages people forward (issue 24), the parts that need no browser: downloads as data, the credit line,
the palette, results in words, the page's preparation and the front page's order."""

import io
import json

import matplotlib
import nbformat
import pandas as pd
import pytest

import vnru
from vnru.batch import cards, page
from vnru.batch.index import DEFAULT_ORDER, declared_order, render_index
from vnru.errors import ParameterError
from vnru.report import downloads, palette
from vnru.report.tidy import as_data, field_types, pandas_dtypes

matplotlib.use("agg")


def _reported():
    return pd.DataFrame({
        "year": [2009, 2024], "period": ["2009", "Jan–May 2024"], "figure": ["49,000", "more than 29,000"],
        "range": ["about 50,000–60,000", "3,000"], "when": ["30 Jan 1950", "May 1987"], "labelled": ["yes", "no"],
        "hs_code": ["03", "0304"], "value_usd_m": [4600.0, 12.5],
        "source_id": ["seed-nhandan-2017-06-29", "seed-vovworld-2024-milestones"]})


def test_a_table_written_for_reading_becomes_data():
    data = as_data(_reported())
    assert list(data.columns) == ["year", "from_month", "months", "figure", "figure_qualifier", "range", "range_high",
                                  "range_qualifier", "when", "labelled", "hs_code", "value_usd_m", "source_id"]
    assert data["from_month"].tolist() == [1, 1] and data["months"].tolist() == [12, 5]  # Jan–May = 5 months
    assert data["figure"].tolist() == [49000, 29000] and data["figure_qualifier"].tolist()[1] == "more than"
    assert data["range"].tolist() == [50000, 3000] and data["range_high"].tolist()[0] == 60000
    assert data["when"].tolist() == ["1950-01-30", "1987-05"]  # ISO at the precision the text had
    assert data["labelled"].tolist() == [True, False] and data["hs_code"].tolist() == ["03", "0304"]


def test_a_csv_download_opens_with_plain_read_csv_and_its_json_keeps_the_codes(tmp_path):
    path = downloads.save_table(_reported(), "People & codes", folder=tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith('"year",') and "Source" not in text.splitlines()[0]
    assert '"03"' in text  # codes are written quoted, as text
    plain = pd.read_csv(path)
    assert plain["year"].dtype == "int64" and plain["figure"].dtype == "int64" and plain["labelled"].dtype == bool
    assert plain["value_usd_m"].tolist() == [4600.0, 12.5]
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert {f["name"]: f["type"] for f in meta["fields"]}["hs_code"] == "string"
    assert {f["name"]: f.get("unit") for f in meta["fields"]}["value_usd_m"] == "USD million"
    typed = pd.read_csv(path, **meta["pandas_read_csv"])
    assert typed["hs_code"].tolist() == ["03", "0304"] and pd.api.types.is_integer_dtype(typed["year"])
    assert [s["source_id"] for s in meta["sources"]] == ["seed-nhandan-2017-06-29", "seed-vovworld-2024-milestones"]
    assert meta["period"] == {"from": 2009, "to": 2024} and meta["licence"]["name"] == "CC-BY-4.0"
    assert meta["kit_version"] == vnru.__version__ and len(meta["data_sha256"]) == 64 and meta["newest_source"]


def test_field_types_name_codes_as_text_even_when_numeric():
    fields = field_types(pd.DataFrame({"iso3": ["VNM"], "event_id": ["1950-relations"], "n": [3]}))
    assert pandas_dtypes(fields) == {"iso3": "str", "event_id": "str", "n": "Int64"}


def test_a_chart_download_gives_its_data_and_metadata(tmp_path):
    from vnru.report.plots import add_source_line, new_axes, style_axes

    fig, ax = new_axes()
    ax.plot([2020, 2021, 2022], [10.0, 20.0, 15.5], label="Vietnam's statistics")
    ax.bar([2020, 2021], [1, 2], label="bars")
    style_axes(ax, "A test chart", "year", "USD m")
    add_source_line(ax, ["seed-nhandan-2017-06-29"])
    written = downloads.save_figure(fig, folder=tmp_path, source_ids=["seed-nhandan-2017-06-29"])
    frame = pd.read_csv(written[0].with_suffix(".csv"))
    assert frame.to_dict("list") == {"series": ["Vietnam's statistics"] * 3 + ["bars"] * 2,
                                     "x": [2020, 2021, 2022, 2020, 2021], "y": [10.0, 20.0, 15.5, 1.0, 2.0]}
    meta = json.loads(written[0].with_suffix(".json").read_text())
    assert meta["title"] == "A test chart" and meta["axes"] == {"x": "year", "y": "USD m"}
    assert meta["credit"] == "Source: Nhan Dan" and meta["sources"][0]["source_id"] == "seed-nhandan-2017-06-29"
    matplotlib.pyplot.close(fig)


def test_a_chart_on_a_date_axis_gives_iso_dates():
    from vnru.report.chartdata import chart_frame

    fig, ax = matplotlib.pyplot.subplots()
    ax.plot(pd.to_datetime(["2020-01-01", "2021-06-30"]), [1, 2], label="rank")
    ax.scatter(pd.to_datetime(["2022-03-01"]), [3.5], label="latest")
    ax.axvline(pd.Timestamp("2021-01-01"), linestyle="--")  # an unlabelled marker is not data
    assert chart_frame(fig).to_dict("list") == {"series": ["rank", "rank", "latest"],
                                                "x": ["2020-01-01", "2021-06-30", "2022-03-01"], "y": [1, 2, 3.5]}
    matplotlib.pyplot.close(fig)


def test_the_credit_line_names_the_main_publishers_without_noise():
    trade = vnru.load_trade()
    line = vnru.cite(trade["source_id"], style="credit")
    assert line.startswith("Sources: ") and "n.d." not in line and "sources.csv" not in line
    assert line.endswith("other publishers") and len(line) < 120
    publishers = vnru.load_sources().set_index("source_id")["publisher"]
    counts = trade["source_id"].map(publishers).dropna().str.replace(r"\s*\(.*\)$", "", regex=True).value_counts()
    assert line.split(": ", 1)[1].startswith(counts.index[0])  # the publisher behind most rows comes first
    assert vnru.cite(["seed-nhandan-2017-06-29"], style="credit") == "Source: Nhan Dan"
    with pytest.raises(ParameterError):
        vnru.cite(["seed-nhandan-2017-06-29"], style="apa")


def test_each_colour_of_the_palette_has_one_meaning():
    fixed = [palette.VN, palette.RU, palette.VN_TO_RU, palette.RU_TO_VN, palette.HEADLINE, palette.ALTERNATIVE,
             palette.POSITIVE, palette.NEGATIVE, palette.EXPORTS, palette.IMPORTS, palette.HIGHLIGHT]
    assert len(set(fixed)) == len(fixed) and not set(fixed) & set(palette.CATEGORICAL)
    assert palette.SIGN[False] != palette.VN  # red is Vietnam's statistics, never "negative"
    from vnru.report.plots.common import COLORS

    assert COLORS is palette.COLORS and COLORS["VN"] == palette.VN


@pytest.mark.parametrize(("key", "value", "label", "text"), [
    ("vn_latest_value_usd_m", 4600.0, "Latest value, Vietnam's statistics", "USD 4.6 bn"),
    ("ru_in_vn_latest_capital_usd_m", 984.98, "Latest registered capital, Russia in Vietnam", "USD 985 m"),
    ("vn_latest_months", 12, "Months covered by the latest figure, Vietnam's statistics", "12"),
    ("share_latest_pct", 0.512, "Russia's share of Vietnam's trade", "0.51 %"),
    ("cagr_from", 1992, "Average annual growth (CAGR) from", "1992"),
    ("latest_yoy_pct", 26.72176308539944, "Latest year-on-year growth", "+26.7 %"),
    ("partnership_level", "comprehensive_strategic", "Partnership level", "Comprehensive strategic partnership"),
    ("years", [2006, 2025], "Years covered", "2006–2025"),
    ("league_date", "2023-09-20", "Investor league: as of", "20 Sep 2023"),
])
def test_results_read_as_words_with_units(key, value, label, text):
    words, unit = cards.label(key)
    assert words == label and cards.value_text(key, value, unit) == text


def test_every_worded_result_is_one_the_kit_records():
    """A label in labels.RESULT_WORDS names a key some notebook records (no label left behind by a rename)."""
    from fixtures.files import ROOT

    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "lib" / "vnru" / "analysis").glob("*.py"))
    from vnru.report import labels

    def recorded(key):  # as written, or built from a name (f"{name}_latest_when")
        return key in code or f"_{key.split('_', 1)[-1]}" in code

    unused = [key for key in labels.RESULT_WORDS if not recorded(key)]
    assert unused == []


def test_results_that_are_not_for_reading_are_left_to_the_manifest():
    rows = dict(cards.labelled_results({"leading": {"a": 1}, "empty": "", "n": 3, "key_findings": ["x"]}))
    assert rows == {"N": "3"}
    assert cards.value_text("first_event", "1950-relations", None, cards.reference_names()).startswith("Democratic")


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A title\n\nWhat it shows.\n\nChange the parameters below and run "
                                              "all cells."),
                nbformat.v4.new_code_cell("start: int = 2000", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("findings"),
                nbformat.v4.new_markdown_cell("## Key results\n\nRecorded for batch runs."),
                nbformat.v4.new_code_cell("vnru.key_results()")]
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", data={"text/html": '<ul class="vnru-findings">'})]
    return nb


def test_a_page_gets_key_results_after_the_findings_and_no_lab_instruction(tmp_path):
    context = {"name": "x", "title": "A title", "parameters": {"start": 2001}, "results": {"n_events": 3},
               "names": {}, "downloads": None,
               "facts": {"run_at": "2026-01-02T03:04:05+00:00", "kit_version": "0.1.0", "data_sha256": "ab" * 32,
                         "newest_source": "2026-02-09", "software": {"python": "3.11"}, "licence": {"title": "CC"}}}
    prepared = page.prepare(_notebook(), context)
    kinds = [(c.cell_type, c.metadata.get("tags", [None])[0]) for c in prepared.cells]
    assert kinds == [("markdown", None), ("code", "vnru-nav"), ("code", "parameters"), ("code", None),
                     ("code", "vnru-key-results"), ("code", "vnru-about")]
    assert "run all cells" not in prepared.cells[0].source and "What it shows." in prepared.cells[0].source
    about = prepared.cells[-1].outputs[0]["data"]["text/html"]
    assert "abab" in about and "2026-02-09" in about and "<code>2001</code>" in about
    html = page.finish('<html><head></head><body><h2 id="a-b">A b<a href="#a-b">\u00b6</a></h2>'
                       '<img alt="No description has been provided for this image" src="x.png">'
                       '<h2 id="c">C &amp; d<a class="anchor-link" href="#c">&#182;</a></h2>'  # as nbconvert writes it
                       '<img alt="No description has been provided for this image" src="y.png">'
                       + prepared.cells[1].outputs[0]["data"]["text/html"] + "</body></html>", context)
    assert '<li><a href="#a-b">A b</a></li>' in html and 'alt="Chart: A b"' in html
    assert '<li><a href="#c">C &amp; d</a></li>' in html and 'alt="Chart: C &amp; d"' in html  # no pilcrow
    assert '<meta name="description" content="What it shows.">' not in html  # no findings: the first paragraph
    assert "<style>" in html and "<script>" in html and "http" not in html.split("<body>")[0].replace(
        "http-equiv", "")


def test_a_page_drops_an_objects_repr_left_by_a_plot_call():
    """A plot call ending a cell leaves '<Axes: title=...>' as console text on the page (issue 24): dropped; a
    result a reader reads (a table, a number) stays."""
    nb = _notebook()
    nb.cells[2].outputs += [
        nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes: title={'left': 'Trade'}, xlabel='Year'>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<matplotlib.figure.Figure at 0x7f>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<b>", "text/html": "<b>x</b>"})]
    context = {"name": "x", "title": "A title", "parameters": {}, "results": {}, "names": {}, "downloads": None,
               "facts": {"run_at": "2026-01-02T03:04:05+00:00", "kit_version": "0.1.0", "data_sha256": "ab" * 32,
                         "newest_source": "2026-02-09", "software": {}, "licence": {}}}
    outputs = page.prepare(nb, context).cells[3].outputs
    assert [o["data"].get("text/plain") for o in outputs[1:]] == ["42", "<b>"]


def test_the_front_page_puts_trade_first_and_honours_a_declared_order(tmp_path):
    reports = [{"name": n, "status": "ok"} for n in sorted(DEFAULT_ORDER)]
    html = render_index({"reports": reports, "notebooks_dir": str(tmp_path)})
    places = [html.index(f'id="{n}"') for n in DEFAULT_ORDER]
    assert places == sorted(places) and DEFAULT_ORDER[0] == "trade_growth"
    nb = nbformat.v4.new_notebook(metadata={"vnru": {"order": -1}})
    nbformat.write(nb, str(tmp_path / "people_exchange.ipynb"))
    assert min(declared_order({"reports": reports, "notebooks_dir": str(tmp_path)}).items(),
               key=lambda kv: kv[1])[0] == "people_exchange"
    assert "/work" not in html.split("<details>")[0] and "sha256" not in html.split("<details>")[0]


def test_a_front_page_card_shows_a_thumbnail_and_no_raw_values():
    report = {"name": "t", "status": "ok", "title": "T", "files": {"html": "t.html"},
              "downloads": {"figures": ["t/figures/b.png", "t/figures/b.svg", "t/figures/a.png"]},
              "results": {"latest_value_usd_m": 4600.0, "mode": "", "leading": {"x": "y"}}}
    html = render_index({"reports": [report]})
    assert '<a class="thumb" href="t.html"><img src="t/figures/b.png" alt="Chart from T"' in html
    assert "USD 4.6 bn" in html and "4600" not in html and '""' not in html and "{" not in html.split("<main>")[1]


def test_json_and_csv_of_a_run_stay_beside_each_other(tmp_path):
    downloads.save_table(pd.DataFrame({"year": [2020]}), "t", folder=tmp_path)
    assert downloads.listing(tmp_path) == {"tables": [f"{tmp_path.name}/tables/t.csv",
                                                      f"{tmp_path.name}/tables/t.json"]}
    assert io.StringIO((tmp_path / "tables" / "t.csv").read_text()).readline() == '"year"\n'


def test_a_plot_that_attaches_its_rows_gives_them_as_its_chart_data():
    """Charts whose marks carry meaning in shape (flows as markers, ranges, event lanes) attach the rows they draw:
    the download has their columns, typed, with source ids (five such downloads were empty CSVs before)."""
    from vnru.report.chartdata import attach, chart_frame

    fig, (left, right) = matplotlib.pyplot.subplots(1, 2)
    left.set_title("China")
    left.scatter([2020], [3.2], marker="^")
    attach(left, pd.DataFrame({"partner": ["CHN"], "flow": ["exports"], "year": [2020], "value_usd_m": [3200.0],
                               "source_id": ["a"], "extra": [1]}), ["partner", "flow", "year", "value_usd_m", "source_id"])
    right.plot([1, 2], [5, 6], label="shown")
    frame = chart_frame(fig)
    assert list(frame.columns) == ["panel", "partner", "flow", "year", "value_usd_m", "source_id", "series", "x", "y"]
    assert frame.iloc[0][["panel", "partner", "year"]].tolist() == ["China", "CHN", 2020]
    assert frame["series"].dropna().tolist() == ["shown", "shown"]
    matplotlib.pyplot.close(fig)


def test_every_bundled_indicator_is_named_in_words_in_tables():
    """People tables showed ids (``russian_arrivals``): every indicator of the bundled data has its words."""
    from vnru.report import labels

    ids = set(vnru.load_indicators()["indicator"])
    assert ids <= set(labels.INDICATOR_LABELS), sorted(ids - set(labels.INDICATOR_LABELS))
    shown = vnru.show(pd.DataFrame({"indicator": ["russian_arrivals", "vn_students_in_russia"]})).frame
    assert shown["indicator"].tolist() == ["Russian visitor arrivals in Vietnam", "Vietnamese students in Russia"]


def test_a_cell_of_another_mode_is_left_off_the_page():
    nb = _notebook()
    only = {"tags": ["only-mode-composition"]}
    nb.cells[3:3] = [nbformat.v4.new_markdown_cell("## Composition (Comtrade mode)", metadata=only),
                     nbformat.v4.new_code_cell("if mode == 'composition': ...", metadata=only)]
    context = {"name": "x", "title": "A title", "parameters": {}, "names": {}, "downloads": None,
               "facts": {"run_at": "2026-01-02T03:04:05+00:00", "kit_version": "0.1.0"}}
    for mode, shown in (("reported", False), ("empty", False), ("composition", True), (None, False)):
        prepared = page.prepare(nb, context | {"results": {"mode": mode}})
        assert any("Comtrade mode" in c.source for c in prepared.cells) is shown, mode
        assert any("findings" == c.source for c in prepared.cells)  # untagged cells stay
