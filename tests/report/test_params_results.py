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
    assert params.integer("start_year", "2016", 1950, 2100) == 2016
    with pytest.raises(ParameterError, match="whole number"):
        params.integer("start_year", "abc")
    with pytest.raises(ParameterError, match="between 1950 and 2100"):
        params.integer("start_year", 1800, 1950, 2100)
    with pytest.raises(ParameterError, match=r"start_year \(2020\) is after end_year \(2010\)"):
        params.ordered("start_year", 2020, "end_year", 2010)


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
