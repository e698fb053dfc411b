"""Parameter checks give one-line errors; recorded results survive a round trip."""

import datetime as dt

import nbformat
import numpy as np
import pandas as pd
import pytest

from vnru.errors import ParameterError
from vnru.report import params
from vnru.report.results import MIME_TYPE, _plain, read_results


def test_choice_lists_valid_values():
    assert params.choice("reporter", "VN", ["VN", "RU"]) == "VN"
    with pytest.raises(ParameterError, match=r"reporter must be one of 'VN', 'RU'; got 'XX'"):
        params.choice("reporter", "XX", ["VN", "RU"])


def test_choices_accepts_comma_text_and_rejects_unknown():
    assert params.choices("categories", "visit, call", ["visit", "call", "treaty"]) == ["visit", "call"]
    with pytest.raises(ParameterError, match="unknown value.*'party'.*valid choices"):
        params.choices("categories", ["visit", "party"], ["visit", "call"])


def test_integer_and_order():
    assert params.integer("top_n", "2016", 1950, 2100) == 2016
    with pytest.raises(ParameterError, match="whole number"):
        params.integer("top_n", "abc")
    with pytest.raises(ParameterError, match="between 1950 and 2100"):
        params.integer("top_n", 1800, 1950, 2100)
    with pytest.raises(ParameterError, match=r"start \(2020\) is after end \(2010\)"):
        params.ordered("start", 2020, "end", 2010)


def test_date_formats():
    assert params.date("as_of", "2025-01-01") == dt.date(2025, 1, 1)
    assert params.date("as_of", "2025-03") == dt.date(2025, 3, 1)
    with pytest.raises(ParameterError, match="must be a date"):
        params.date("as_of", "next tuesday")


def test_today_and_optional_dates():
    assert params.date("end", " Today ") == dt.date.today()
    assert params.optional_date("end", "") is None and params.optional_date("end", None) is None
    assert params.optional_date("end", "2024-06") == dt.date(2024, 6, 1)
    with pytest.raises(ParameterError, match=r"end must be a date such as 2024-06-19 \(or 2024-06, 2024 or today\)"):
        params.optional_date("end", "soon")


def test_describe_window_never_says_none():
    day = dt.date(2030, 1, 1)
    assert params.describe_window(day, dt.date(2031, 1, 1)) == "between 2030-01-01 and 2031-01-01"
    assert params.describe_window(day, None) == "from 2030-01-01 on"
    assert params.describe_window(None, day) == "up to 2030-01-01"
    assert params.describe_window(None, None) == "at any date"


def test_boolean():
    assert params.boolean("x", "yes") is True and params.boolean("x", False) is False
    with pytest.raises(ParameterError):
        params.boolean("x", "maybe")


def test_parameter_error_renders_as_one_line_in_jupyter():
    err = ParameterError("reporter must be one of 'VN', 'RU'; got 'XX'")
    assert err._render_traceback_() == ["ParameterError: reporter must be one of 'VN', 'RU'; got 'XX'"]


def test_plain_converts_numpy_pandas_and_dates():
    got = _plain({"n": np.int64(3), "f": np.float64(1.5), "ts": pd.Timestamp("2024-06-19"),
                  "na": pd.NA, "nan": float("nan"), "d": dt.date(2025, 1, 30)})
    assert got == {"n": 3, "f": 1.5, "ts": "2024-06-19", "na": None, "nan": None, "d": "2025-01-30"}


def test_read_results_from_outputs():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("vnru.record('x', 1)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "x = 1",
                                                                    MIME_TYPE: {"key": "x", "value": 1}})]
    nb.cells = [cell, nbformat.v4.new_markdown_cell("text")]
    assert read_results(nb) == {"x": 1}


def test_years_one_parser_for_start_and_end():
    """issue 24: start/end are years YYYY as text; "" is the open end (the data's first or last year)."""
    assert params.years("1992", "", 1990, 2025) == (1992, 2025)
    assert params.years("", "2010", 1990, 2025) == (1990, 2010)
    assert params.years(2000, "2020") == (2000, 2020)  # a whole number is a year too (Python callers)
    with pytest.raises(ParameterError, match=r"^start must be a year such as 2016 \(YYYY\)"):
        params.years("92", "", 1990, 2025)
    with pytest.raises(ParameterError, match=r"^end must be a year"):
        params.years("1992", "2020-05", 1990, 2025)
    with pytest.raises(ParameterError, match=r"^end must be between 1950 and 2100; got 2200"):
        params.years("1992", "2200", 1990, 2025)
    with pytest.raises(ParameterError, match=r"^start \(2020\) is after end \(2010\)"):
        params.years("2020", "2010", 1990, 2025)
    with pytest.raises(ParameterError, match="no year to default to"):
        params.years("", "", None, None)


def test_milestones_parameter():
    known = ["1994-treaty", "2016-eaeu-fta-in-force"]
    assert params.milestones("key", known) == "key" and params.milestones(" none ", known) == "none"
    assert params.milestones("2016-eaeu-fta-in-force, 1994-treaty", known) == ["2016-eaeu-fta-in-force", "1994-treaty"]
    with pytest.raises(ParameterError, match=r"^milestones has unknown event id\(s\) 'all'"):
        params.milestones("all", known)
    with pytest.raises(ParameterError, match=r"^milestones must be"):
        params.milestones(True, known)


def test_renamed_parameters():
    assert params.renamed("start_year", ["start", "end"]) == "start"
    assert params.renamed("annotate_events", ["milestones"]) == "milestones"
    assert params.renamed("year", ["end", "flow"]) == "end"
    assert params.renamed("year", ["year", "end"]) is None  # a notebook that still declares it keeps it
    assert params.renamed("start_year", ["direction"]) is None
