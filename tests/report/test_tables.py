"""vnru.show formats tables for reading; record is quiet; key_results shows the recorded results."""

import subprocess
import sys

import pandas as pd
import pytest

import vnru
from vnru.report import results, tables


@pytest.fixture(autouse=True)
def _fresh_state(monkeypatch):
    monkeypatch.setattr(tables, "_cited", [])
    monkeypatch.setattr(results, "_recorded", {})


def test_years_counts_money_pct_missing():
    df = pd.DataFrame({"year": [2023.0, 2024.0], "projects": [1200.0, None], "value_usd_m": [4567.8, 12000.0],
                       "yoy_pct": [26.721763, None], "flow": ["total", None]})
    before = df.copy()
    table = vnru.show(df)
    html = table._repr_html_()
    assert list(table.frame.columns) == ["year", "projects", "value (USD m)", "yoy (%)", "flow"]
    assert table.frame["year"].tolist() == ["2023", "2024"]
    assert table.frame["projects"].tolist() == ["1,200", "\u2013"]
    assert table.frame["value (USD m)"].tolist() == ["4,567.8", "12,000.0"]
    assert table.frame["yoy (%)"].tolist() == ["26.7", "\u2013"]
    for bad in ("2024.0", "NaN", "nan", "<NA>", "None", "NaT"):
        assert bad not in html
    pd.testing.assert_frame_equal(df, before)  # the input is left as it was
    assert table.data is df


def test_nullable_ints_and_explicit_lists():
    df = pd.DataFrame({"year": pd.array([2015, None], dtype="Int64"), "amount": [3.0, 4.5], "x": [1.0, 2.0]})
    table = vnru.show(df, money=["amount"], counts=["x"], unit="USD bn")
    assert table.frame["year"].tolist() == ["2015", "\u2013"]
    assert table.frame["amount (USD bn)"].tolist() == ["3.0", "4.5"]
    assert table.frame["x"].tolist() == ["1", "2"]


def test_dates_at_their_precision_and_no_index():
    df = pd.DataFrame({"as_of": pd.to_datetime(["2015-04-01", "2008-01-01", "2024-06-18", None]),
                       "as_of_precision": ["month", "year", "day", "day"]}, index=[10, 11, 12, 13])
    table = vnru.show(df)
    assert list(table.frame.columns) == ["as of"]  # the precision column is used, not shown
    assert table.frame["as of"].tolist() == ["Apr 2015", "2008", "18 Jun 2024", "\u2013"]
    assert "10" not in table._repr_html_().split("<tbody>")[1].split("Apr")[0]
    timeline = pd.DataFrame({"date": pd.to_datetime(["2001-03-01"]), "precision": ["month"]})
    assert vnru.show(timeline).frame["date"].tolist() == ["Mar 2001"]
    named = pd.DataFrame({"when": pd.to_datetime(["2001-03-01"]), "p": ["year"]})
    assert vnru.show(named, dates={"when": "p"}).frame["when"].tolist() == ["2001"]


def test_sources_link_and_list():
    sid = vnru.load_sources()["source_id"].iloc[0]
    html = vnru.show(pd.DataFrame({"source_id": [sid]}))._repr_html_()
    assert f'href="#src-{sid}"' in html
    listing = vnru.show_sources()._repr_html_()
    assert f'id="src-{sid}"' in listing
    assert vnru.load_sources()["title"].iloc[0].split()[0] in listing
    with pytest.raises(vnru.DataError):
        vnru.show_sources(["no-such-source"])


def test_long_text_wraps_and_max_rows():
    df = pd.DataFrame({"note": ["a long sentence " * 10] * 5, "n": range(5)})
    table = vnru.show(df, max_rows=2)
    assert len(table.frame) == 2
    assert 'class="wrap"' in table._repr_html_()
    assert "First 2 of 5 rows" in table._repr_html_()


def test_record_is_quiet_and_key_results_formats():
    vnru.record("trade_latest_year", 2024)
    vnru.record("growth_pct", 26.721763)
    vnru.record("total_usd_m", 4567.25)
    vnru.record("reporters", ["VN", None])
    table = vnru.key_results()
    values = dict(zip(table.frame["Key result"], table.frame["Value"]))
    assert values == {"trade latest year": "2024", "growth pct": "26.7%", "total usd m": "4,567.25",
                      "reporters": "VN; \u2013"}


def test_record_display_has_no_visible_text(monkeypatch):
    shown = []
    import IPython
    import IPython.display

    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a, k)))
    vnru.record("x", 1)
    (bundle,), options = shown[0]
    assert bundle["text/plain"] == ""
    assert bundle[results.MIME_TYPE] == {"key": "x", "value": 1}
    assert options["metadata"] == {"tags": [results.RESULT_TAG]}


def test_import_stays_light():
    code = "import sys, vnru; vnru.show; print('matplotlib' in sys.modules, 'IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_an_index_of_labels_is_kept_as_the_first_column():
    by_reporter = pd.DataFrame({"latest_year": [2024.0, 2024.0]}, index=pd.Index(["VN", "RU"], name="reporter"))
    assert vnru.show(by_reporter).frame.to_dict("list") == {"reporter": ["VN", "RU"], "latest year": ["2024", "2024"]}
    filtered = pd.DataFrame({"a": [1, 2, 3]}).iloc[[0, 2]]
    assert list(vnru.show(filtered).frame.columns) == ["a"]


def test_booleans_read_as_yes_and_no():
    df = pd.DataFrame({"disagrees": pd.array([True, False, None], dtype="boolean"), "flag": [True, False, True]})
    assert vnru.show(df).frame.to_dict("list") == {"disagrees": ["yes", "no", "\u2013"], "flag": ["yes", "no", "yes"]}


def test_money_found_anywhere_in_a_name():
    table = vnru.show(pd.DataFrame({"value_usd_m_latest": [4600.0], "usd_m": [1.5]}))
    assert table.frame.to_dict("list") == {"value latest (USD m)": ["4,600"], "value (USD m)": ["1.5"]}


def test_an_empty_source_cell_is_not_a_cited_source():
    tables._cited.clear()
    vnru.show(pd.DataFrame({"year": [2024, 2025], "source_id": ["seed-mofa-2024-06-18", None]}))
    assert tables._cited == ["seed-mofa-2024-06-18"]
    assert "seed-mofa-2024-06-18" in vnru.show_sources()._repr_html_()  # no DataError for the "–" cell


@pytest.mark.parametrize("precision, text", [("day", "2024-06-18"), ("month", "2024-06"), ("year", "2024"),
                                             (None, "2024-06-18")])
def test_iso_date_at_precision(precision, text):
    assert vnru.data.conventions.iso_date(pd.Timestamp("2024-06-18"), precision) == text
    assert vnru.data.conventions.iso_date(None, precision) is None and vnru.data.conventions.iso_date(pd.NaT, precision) is None


def test_renamed_year_columns_are_shown_as_years():
    """A column of years renamed (``from``, ``to``) is named in ``years=`` or ``df.attrs["years"]``: 2014,
    never 2,014; other whole numbers keep their separators."""
    frame = pd.DataFrame({"from": [2014, 2020], "arrivals": [2014, 650000]})
    assert vnru.show(frame).frame["from"].tolist() == ["2,014", "2,020"]  # a count, unless told otherwise
    assert vnru.show(frame, years=["from"]).frame.to_dict("list") == {"from": ["2014", "2020"],
                                                                      "arrivals": ["2,014", "650,000"]}
    frame.attrs["years"] = ["from"]
    assert vnru.show(frame).frame["from"].tolist() == ["2014", "2020"]


def test_decades_are_shown_as_years_without_separators():
    """The timeline's visits-by-decade table showed 1,950 and 1,960 (issue 24)."""
    import pandas as pd

    import vnru

    html = vnru.show(pd.DataFrame({"decade": [1950, 1960], "vn_to_ru": [3, 1200]}))._repr_html_()
    assert ">1950<" in html and ">1960<" in html and "1,950" not in html and "1,200" in html


def test_a_sentence_is_shown_as_a_paragraph_not_console_text():
    """Notebooks show their one-line summaries through vnru.show, never print (issue 24: raw print lines)."""
    shown = vnru.show("135 events from 1 Jan 1950 to 5 Dec 2026 in 13 categories <all>")
    assert shown._repr_html_() == '<p class="vnru-line">135 events from 1 Jan 1950 to 5 Dec 2026 in 13 categories ' \
        '&lt;all&gt;</p>'
    assert repr(shown) == "135 events from 1 Jan 1950 to 5 Dec 2026 in 13 categories <all>"


def test_codes_are_shown_in_words_and_downloads_keep_them():
    """Tables show codes of a code list in words (issue 24: ``ru_in_vn`` in a table); other text stays as is."""
    df = pd.DataFrame({"direction": ["ru_in_vn", "vn_in_ru", None], "flow": ["vn_exports", "total", "vn_imports"],
                       "note": ["ru_in_vn", "x", "y"]})
    shown = vnru.show(df)
    assert shown.frame["direction"].tolist() == ["Russia's investment in Vietnam", "Vietnam's investment in Russia",
                                                 "\u2013"]
    assert shown.frame["flow"].tolist() == ["Vietnam's exports to Russia", "two-way trade",
                                            "Vietnam's imports from Russia"]
    assert shown.frame["note"].tolist() == ["ru_in_vn", "x", "y"] and shown.data is df
    wide = vnru.show(pd.DataFrame({"year": [2020], "ru_in_vn_capital_usd_m": [990.0], "vn_in_ru_as_of": ["x"]}))
    assert list(wide.frame.columns) == ["year", "Russia in Vietnam: capital (USD m)", "Vietnam in Russia: as of"]
    other = vnru.show(pd.DataFrame({"flow": ["exports", "imports"]}))  # not the code list: left as it is
    assert other.frame["flow"].tolist() == ["exports", "imports"]
