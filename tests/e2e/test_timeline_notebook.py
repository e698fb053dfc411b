"""diplomatic_timeline.ipynb through papermill: recorded results against values computed from the CSV."""

import csv
import datetime as dt

import pytest
from papermill.exceptions import PapermillExecutionError

from fixtures.notebooks import assert_no_warnings, findings_on_top, run_notebook
from vnru.paths import BUNDLED_DATA_DIR
from vnru.report import findings as F

TOP = {"head_of_state", "party_leader", "head_of_government"}


def _rows():
    with open(BUNDLED_DATA_DIR / "timeline.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _expected(start, end, cats=None):
    rows = sorted((r for r in _rows() if start <= r["date"] <= end and (cats is None or r["category"] in cats)),
                  key=lambda r: (r["date"], r["event_id"]))
    top = [r for r in _rows() if start <= r["date"] <= end and r["category"] == "visit" and r["visit_level"] in TOP]
    return rows, top


def _check_findings(nb, res):
    """The first two sentences carry the recorded event count, top-visit count and partnership level."""
    assert_no_warnings(nb)
    found = findings_on_top(nb, res)
    assert found[0].startswith(f"The timeline holds {F.count(res['event_count'])} events from ")
    assert found[0].endswith(f", {F.count(res['top_visit_count'])} of them visits at the top level.")
    assert F.LEVEL_NAMES[res["partnership_level"]] in found[1]
    return found


def test_defaults(default_notebook):
    nb, res = default_notebook("diplomatic_timeline")
    rows, top = _expected("1950-01-01", dt.date.today().isoformat())
    assert res["event_count"] == len(rows) >= 60
    assert res["first_event"] == rows[0]["event_id"] == "1950-relations"
    assert res["first_event_when"] == "30 Jan 1950"
    assert res["last_event"] == rows[-1]["event_id"]
    assert res["partnership_level"] == "comprehensive_strategic"
    assert res["top_visit_count"] == len(top)
    found = _check_findings(nb, res)
    assert found[1].endswith("(in force since 27 Jul 2012).")
    assert found[1].startswith("At the last event in the data (")  # never the run date (issue 22)
    assert not any("anniversary" in s for s in found)  # as_of = today: the run date is no finding
    assert dt.date.today().strftime("%-d %b %Y") not in " ".join(found)


def test_narrow_window_and_anniversary(tmp_path):
    params = {"start": "2024-01-01", "end": "2025-12-31", "as_of": "2025-01-01", "window_days": 60}
    nb, res = run_notebook("diplomatic_timeline", tmp_path, params)
    rows, top = _expected("2024-01-01", "2025-12-31")
    assert res["event_count"] == len(rows)
    assert (res["first_event"], res["last_event"]) == (rows[0]["event_id"], rows[-1]["event_id"])
    assert res["next_anniversary"] == "75th: 1950-relations"
    assert res["next_anniversary_date"] == "2025-01-30"
    assert res["top_visit_count"] == len(top)
    found = _check_findings(nb, res)
    assert found[0].startswith(f"The timeline holds {len(rows)} events from {rows[0]['title'].rstrip('.')} (")
    assert f" to {rows[-1]['title'].rstrip('.')} (" in found[0]  # issue 22: first and last events, not the window
    assert found[0].endswith(f", {len(top)} of them visits at the top level.")
    assert found[2].startswith("The next round anniversary falls on 30 Jan 2025: 75 years since ")


def test_before_any_partnership_with_categories(tmp_path):
    params = {"start": "1950", "end": "2000-12-31", "categories": "visit,treaty"}
    nb, res = run_notebook("diplomatic_timeline", tmp_path, params)
    rows, _ = _expected("1950-01-01", "2000-12-31", {"visit", "treaty"})
    assert res["event_count"] == len(rows)
    assert res["partnership_level"] == "none"
    assert res["first_event"] == rows[0]["event_id"]
    assert _check_findings(nb, res)[1] == "On 31 Dec 2000 the relationship has no partnership framework."


@pytest.mark.parametrize("params,message", [
    ({"categories": "visit,parade"}, "valid choices: 'relations'"),
    ({"start": "2020-01-01", "end": "2010-01-01"}, "is after end"),
    ({"as_of": "next week"}, "as_of must be a date"),
])
def test_bad_parameters_stop_with_one_line(tmp_path, params, message):
    with pytest.raises(PapermillExecutionError) as err:
        run_notebook("diplomatic_timeline", tmp_path, params)
    assert message in str(err.value)
