"""people_exchange.ipynb through papermill: on the SYNTHETIC indicators of fixtures/people.py (results checked by
hand) with default and non-default parameters, and once on the bundled data."""

import pytest

from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook
from fixtures.people import synthetic_data
from vnru.report import findings as F


@pytest.fixture(scope="module")
def synth(tmp_path_factory):
    return synthetic_data(tmp_path_factory.mktemp("people_nb") / "data")


def _outputs(nb):
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _shown_text(nb):
    """Everything the reader sees as text: streams, tables (HTML and plain), errors."""
    parts = []
    for o in _outputs(nb):
        parts.append(o.get("text", ""))
        parts += [str(v) for k, v in o.get("data", {}).items() if k in ("text/plain", "text/html")]
    return "\n".join(parts)


def _check_findings(nb, results):
    """Each sentence carries the recorded figures it speaks of (those recorded; the others are left out)."""
    assert_no_warnings(nb)
    found = findings_on_top(nb, results)
    text = " ".join(found)
    if results.get("arrivals_latest_year"):
        assert found[0].startswith(f"The latest full-year count is {F.count(results['arrivals_latest_value'])} "
                                   f"visitor arrivals from Russia in {results['arrivals_latest_year']}")
    if results.get("arrivals_peak_year") and results["arrivals_peak_year"] != results.get("arrivals_latest_year"):
        assert (f"The peak year for arrivals is {results['arrivals_peak_year']}, with "
                f"{F.count(results['arrivals_peak_value'])}.") in found
    if results.get("students_latest_range"):  # issue 22: disagreeing latest counts are given as a range
        spread = results["students_latest_range"]
        assert (f"range from {F.count(spread['low'])} to {F.count(spread['high'])} ({spread['when']}, "
                f"{spread['n_sources']} sources)") in text
    elif "students_latest" in results:
        assert F.count(results["students_latest"]) in text and f"({results['students_latest_when']})" in text
    else:
        assert "students" not in text
    if "community_low" in results:
        assert (f"range from {F.count(results['community_low'])} to {F.count(results['community_high'])} "
                f"({results['community_estimates']} estimates)") in text
    return found


def test_defaults_on_synthetic_data(tmp_path, synth):
    nb, results = run_notebook("people_exchange", tmp_path, {"data_dir": str(synth)})
    assert results["arrivals_full_years"] == 12 and results["arrivals_partial_figures"] == 2
    assert (results["arrivals_latest_year"], results["arrivals_latest_value"]) == (2024, 232300.0)
    assert results["arrivals_latest_source"] == "synth-a"
    assert (results["arrivals_peak_year"], results["arrivals_peak_value"]) == (2019, 650000.0)
    assert results["arrivals_conflicting_years"] == 2
    assert results["arrivals_events"] == ["Rouble fall", "Covid-19", "Direct flights stopped", "Recovery"]
    assert (results["students_latest"], results["students_latest_when"]) == (3000.0, "20 Jun 2024")
    assert results["scholarships_latest"] == 1000.0 and results["scholarships_latest_when"] == "2024"
    assert (results["community_low"], results["community_high"], results["community_estimates"]) == (60000, 100000, 3)
    assert (results["trained_claims"], results["trained_min"], results["trained_max"]) == (4, 30000, 150000)
    assert results["indicators_shown"] == 7 and results["figures_shown"] == 31
    images = [o for o in _outputs(nb) if "image/png" in o.get("data", {})]
    assert len(images) == 5  # arrivals, growth, students+scholarships, community, trained
    text = _shown_text(nb)
    assert not [o for o in _outputs(nb) if o.get("name") == "stderr"], "warnings in the output"
    for bad in ("NaN", "<NA>", "2024.0", "2,024", "nan</td>"):
        assert bad not in text, bad
    assert results["students_latest_range"]["when"] == "June 2024"
    assert _check_findings(nb, results)[:2] == [
        "The latest full-year count is 232,300 visitor arrivals from Russia in 2024, +93.6 % on 2023.",
        "The peak year for arrivals is 2019, with 650,000."]


def test_window_and_one_indicator(tmp_path, synth):
    params = {"data_dir": str(synth), "start": "2015", "end": "2019", "indicators": "russian_arrivals"}
    nb, results = run_notebook("people_exchange", tmp_path, params)
    assert results["arrivals_full_years"] == 4  # 2015, 2017, 2018, 2019: 2016 is a half year
    assert (results["arrivals_latest_year"], results["arrivals_latest_value"]) == (2019, 650000.0)
    assert results["arrivals_partial_figures"] == 1 and results["arrivals_conflicting_years"] == 0
    assert results["arrivals_events"] == ["Rouble fall"]
    assert results["indicators_shown"] == 1 and results["figures_shown"] == 5
    assert not any(k.startswith(("students", "scholarships", "community", "trained")) for k in results)
    assert len([o for o in _outputs(nb) if "image/png" in o.get("data", {})]) == 2  # arrivals and growth
    assert _check_findings(nb, results)[0].endswith("2019, +8.3 % on 2018, the highest full-year figure in the data.")


def test_window_on_dated_figures(tmp_path, synth):
    params = {"data_dir": str(synth), "end": "2019", "indicators": "vn_students_in_russia,vn_community_in_russia"}
    nb, results = run_notebook("people_exchange", tmp_path, params)
    assert (results["students_latest"], results["students_latest_when"]) == (5000.0, "29 Jun 2017")
    assert (results["community_low"], results["community_high"]) == (80000.0, 100000.0)
    assert "arrivals_full_years" not in results
    assert "arrivals" not in " ".join(_check_findings(nb, results))


@pytest.mark.parametrize("params, message", [
    ({"indicators": "russian_arrivals,tourists"}, "indicators has unknown value(s) 'tourists'"),
    ({"start": "2020", "end": "2010"}, "start (2020) is after end (2010)"),
    ({"start": "2030", "end": "2031"}, "no figure for"),
])
def test_bad_parameters_stop_with_one_line(tmp_path, synth, params, message):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError) as err:
        run_notebook("people_exchange", tmp_path, {"data_dir": str(synth), **params})
    assert message in str(err.value)


def test_bundled_data_runs(default_notebook):
    nb, results = default_notebook("people_exchange")
    assert results["figures_shown"] >= 1 and results["indicators_shown"] >= 1
    assert not [o for o in _outputs(nb) if o.get("output_type") == "error" or o.get("name") == "stderr"]
    _check_findings(nb, results)
