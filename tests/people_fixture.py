"""A SYNTHETIC data directory for the people-to-people tests: the bundled tables plus an indicators.csv in
the period/date layout whose figures are made up (round, hand-checkable) and cite made-up sources.

None of these numbers is a real statistic; every note and source says so.
"""

import shutil

from conftest import read_rows, write_rows
from vnru.paths import BUNDLED_DATA_DIR

HEADER = ["indicator", "value_low", "value_high", "qualifier", "unit", "year", "months", "as_of",
          "as_of_precision", "source_id", "note"]
SOURCES = [("synth-a", "Synthetic test source A"), ("synth-b", "Synthetic test source B"),
           ("synth-c", "Synthetic test source C")]


def _period(indicator, low, year, months, source, note="", high="", qualifier="exactly", unit="arrivals"):
    return [indicator, low, high, qualifier, unit, year, months, "", "", source, f"SYNTHETIC. {note}".strip()]


def _dated(indicator, low, as_of, precision, source, note="", high="", qualifier="exactly", unit="people"):
    return [indicator, low, high, qualifier, unit, "", "", as_of, precision, source, f"SYNTHETIC. {note}".strip()]


A = "russian_arrivals"
ROWS = [
    _period(A, 100000, 2012, 12, "synth-a"),
    _period(A, 200000, 2013, 12, "synth-a"),
    _period(A, 250000, 2013, 12, "synth-b", "Early estimate.", qualifier="about"),
    _period(A, 312000, 2014, 12, "synth-a"),
    _period(A, 249600, 2015, 12, "synth-a", "Fewer visitors after the rouble fell."),
    _period(A, 150000, 2016, 6, "synth-b", "First half only."),  # 2016: no full-year figure
    _period(A, 500000, 2017, 12, "synth-a"),
    _period(A, 600000, 2018, 12, "synth-a"),
    _period(A, 650000, 2019, 12, "synth-a"),
    _period(A, 130000, 2020, 12, "synth-a", "Borders closed in the Covid-19 pandemic."),
    _period(A, 5000, 2021, 12, "synth-b", "Pandemic year."),
    _period(A, 40000, 2022, 12, "synth-a", "Direct flights were halted.", qualifier="less than"),
    _period(A, 120000, 2023, 12, "synth-a"),
    _period(A, 232300, 2024, 12, "synth-a"),
    _period(A, 280000, 2024, 12, "synth-b", "A higher count.", qualifier="more than"),
    _period(A, 435000, 2025, 9, "synth-b", "Direct flights resumed and arrivals recover."),
    _period("russian_arrivals_yoy_pct", 56, 2014, 12, "synth-a", unit="%"),
    _period("russian_arrivals_yoy_pct", -7, 2015, 12, "synth-b", unit="%"),
    _dated("vn_students_in_russia", 5000, "2017-06-29", "day", "synth-a", qualifier="about"),
    _dated("vn_students_in_russia", 5000, "2024-06-18", "day", "synth-b", qualifier="more than"),
    _dated("vn_students_in_russia", 3000, "2024-06-20", "day", "synth-c", "Students and postgraduates.",
           qualifier="more than"),
    _period("russian_scholarships", 800, 2019, 12, "synth-a", unit="scholarships"),
    _period("russian_scholarships", 1000, 2024, 12, "synth-b", unit="scholarships"),
    _dated("vn_community_in_russia", 80000, "2017-06-01", "month", "synth-a", high=100000, qualifier="about"),
    _dated("vn_community_in_russia", 60000, "2024-06-01", "month", "synth-c", qualifier="about"),
    _dated("vn_community_in_russia", 60000, "2024-06-18", "day", "synth-b", high=80000),
    _dated("trained_in_ussr_russia", 30000, "2019-05-01", "month", "synth-a",
           "Engineers and technicians trained at Soviet institutes."),
    _dated("trained_in_ussr_russia", 40000, "2017-06-29", "day", "synth-a",
           "Officials and experts trained with Soviet help.", qualifier="nearly"),
    _dated("trained_in_ussr_russia", 50000, "2024-06-18", "day", "synth-b", "University graduates only."),
    _dated("trained_in_ussr_russia", 150000, "2024-06-20", "day", "synth-c",
           "Everyone trained, including skilled workers.", qualifier="more than"),
    _dated("direct_flights_per_week", 10, "2024-06-01", "month", "synth-a", unit="flights per week"),
]


def synthetic_data(target):
    """Copy data/ into ``target`` and replace indicators.csv by the synthetic rows; returns ``target``."""
    shutil.copytree(BUNDLED_DATA_DIR, target)
    sources = read_rows(target / "sources.csv")
    header = sources[0]
    for sid, title in SOURCES:
        row = dict.fromkeys(header, "")
        row.update(source_id=sid, title=title, publisher=title, published="2025-01-01", kind="reference",
                   language="en", note="SYNTHETIC: made up for the tests; not a real document.")
        sources.append([row[h] for h in header])
    write_rows(target / "sources.csv", sources)
    write_rows(target / "indicators.csv", [HEADER] + [[str(c) for c in r] for r in ROWS])
    return target
