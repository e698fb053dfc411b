"""Each concept once (issue 21): the hedging rule, the headline order, code labels and formatters have one home.

The scans read lib/vnru's source (AST, docstrings ignored): a second copy of the hedging test or of a dict
keyed by a code list fails here, naming the file and line. The scanners are tested on planted copies too.
"""

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

import vnru
from fixtures.scan import docstring_nodes
from vnru.data import conventions as C
from vnru.report import formats as F
from vnru.report import labels as L

LIB = Path(vnru.__file__).parent
CODE_LISTS = {"reporters": C.REPORTERS, "flows": C.FLOWS, "directions": C.DIRECTIONS, "levels": C.LEVELS,
              "sides": C.SIDES}
LABEL_HOMES = {"report/labels.py", "report/palette.py", "data/conventions.py"}  # the only modules that key a dict by a code list
HEDGE_HOME = "data/conventions.py"  # what "hedged" means
ORDER_HOME = "analysis/evidence.py"  # the headline order
FORMAT_HOME = "report/formats.py"  # every formatter: money ("USD 4.6 bn"), percent, counts, dates
FORMATTERS = {"money", "billions"}  # the formatters a money text may be built from


def hedge_copies(source: str) -> list:
    """Lines that restate the hedging rule: the literal "exactly", or the set of exact qualifiers."""
    tree = ast.parse(source)
    skip = docstring_nodes(tree)
    lines = []
    for node in ast.walk(tree):
        literal = isinstance(node, ast.Constant) and node.value == "exactly" and id(node) not in skip
        name = getattr(node, "id", None) if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if literal or name == "EXACT_QUALIFIERS":
            lines.append(node.lineno)
    return sorted(lines)


def order_copies(source: str) -> list:
    """Lines that sort by a hedge flag: the headline order written again instead of evidence.headline_order."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "sort_values":
            texts = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if any("hedge" in t for t in texts):
                lines.append(node.lineno)
    return lines


def label_dicts(source: str) -> list:
    """(line, code list) of each dict literal with two or more keys from one code list."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            found += [(node.lineno, name) for name, codes in CODE_LISTS.items() if len(keys & set(codes)) >= 2]
    return found


def money_copies(source: str) -> list:
    """Lines of f-strings that write an amount of money by hand ("USD {v / 1000:.2f} bn") instead of through
    vnru.report.formats.money: "USD " right before a value, or "bn"/"m" right after one not formatted by
    ``formats.billions`` / ``formats.money``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        parts = node.values
        for i, part in enumerate(parts):
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                continue
            before = parts[i - 1] if i else None
            after = parts[i + 1] if i + 1 < len(parts) else None
            usd_before = part.value.endswith(("USD ", "USD")) and isinstance(after, ast.FormattedValue)
            called = getattr(getattr(getattr(before, "value", None), "func", None), "id", None) or \
                getattr(getattr(getattr(before, "value", None), "func", None), "attr", None)
            unit_after = isinstance(before, ast.FormattedValue) and called not in FORMATTERS and \
                bool(re.match(r"\s?(bn|billion|m)\b", part.value))
            if usd_before or unit_after:
                lines.append(node.lineno)
                break
    return lines


def _modules():
    for path in sorted(LIB.rglob("*.py")):
        yield path.relative_to(LIB).as_posix(), path.read_text(encoding="utf-8")


def test_the_hedging_rule_is_written_once():
    copies = {name: hedge_copies(text) for name, text in _modules() if name != HEDGE_HOME}
    assert {name: lines for name, lines in copies.items() if lines} == {}, \
        "restate 'hedged' through vnru.data.conventions.is_hedged / qualified instead"


def test_the_headline_order_is_written_once():
    copies = {name: order_copies(text) for name, text in _modules() if name != ORDER_HOME}
    assert {name: lines for name, lines in copies.items() if lines} == {}, \
        "order figures through vnru.analysis.evidence.headline_order instead"


def test_code_labels_live_in_one_module():
    copies = {name: label_dicts(text) for name, text in _modules() if name not in LABEL_HOMES}
    assert {name: found for name, found in copies.items() if found} == {}, \
        "put labels (and colours) of a code list in vnru.report.labels"


def test_money_is_formatted_in_one_place():
    copies = {name: money_copies(text) for name, text in _modules() if name != FORMAT_HOME}
    assert {name: lines for name, lines in copies.items() if lines} == {}, \
        "format money through vnru.report.formats.money (or billions) instead"


@pytest.mark.parametrize("source, scanner, expected", [
    ('t = f"USD {f\'{v / 1000:,.2f}\'.rstrip(\'0\')} bn"', money_copies, [1]),
    ('t = f"{v / 1000:,.1f} bn"', money_copies, [1]),
    ('t = f"{v:,.0f} m"', money_copies, [1]),
    ('t = f"{hedge}{billions(v)}bn"\nu = f"{formats.money(v)} in {year}"', money_copies, []),
    ('t = f"{n} members"', money_copies, []),
    ('hedge = "" if q in ("", "exactly") else q', hedge_copies, [1]),
    ('def f(q):\n    """Not "exactly" a copy: a docstring."""\n    return q == "exactly"', hedge_copies, [3]),
    ("from vnru.data.conventions import EXACT_QUALIFIERS\nx = q in EXACT_QUALIFIERS", hedge_copies, [2]),
    ('"""exactly"""\nx = is_hedged(q)', hedge_copies, []),
    ('rows.sort_values(["as_of", "_hedged", "source_id"])', order_copies, [1]),
    ('rows.sort_values(["as_of", "source_id"])', order_copies, []),
    ('NAMES = {"VN": "Vietnam", "RU": "Russia"}', label_dicts, [(1, "reporters")]),
    ('C = {"VN": "red", "total": "#333", "vn_exports": "red"}', label_dicts, [(1, "flows")]),
    ('x = {"ru_in_vn": 1,\n     "vn_in_ru": 2}', label_dicts, [(1, "directions")]),
    ('frame.rename(columns={"total": "previous_total"})', label_dicts, []),
])
def test_the_scanners_find_planted_copies(source, scanner, expected):
    assert scanner(source) == expected


# formats: one rule for a missing value, dates and periods at their precision

@pytest.mark.parametrize("missing", [None, float("nan"), pd.NaT, pd.NA])
def test_every_formatter_shows_a_missing_value_as_an_en_dash(missing):
    assert F.MISSING == C.MISSING == "\u2013"
    for formatter in (F.format_date, F.money, F.pct, F.count, F.ordinal, F.format_number, F.month_year):
        assert formatter(missing) == "\u2013", formatter.__name__
    assert F.period(missing) == F.period_text(missing) == "\u2013"


@pytest.mark.parametrize("value, precision, text", [
    ("2024-06-18", "day", "18 Jun 2024"), ("2024-06-05", None, "5 Jun 2024"), ("2024-06-05", float("nan"), "5 Jun 2024"),
    ("2015-04-01", "month", "Apr 2015"), ("2008-01-01", "year", "2008"), (pd.Timestamp("1950-01-30"), "day", "30 Jan 1950")])
def test_a_date_at_its_precision(value, precision, text):
    assert F.format_date(value, precision) == text


def test_the_old_date_formatters_are_the_one_formatter():
    """Regression: timeline.format_date gave '' and tables.format_date '–' for a missing date."""
    from vnru.analysis import timeline
    from vnru.report import tables

    assert timeline.format_date is tables.format_date is F.format_date is C.date_text
    assert timeline.format_date(None) == tables.format_date(None) == "\u2013"


@pytest.mark.parametrize("args, text", [
    ((2024, 1, 12), "2024"), ((2024, 1, 5), "Jan\u2013May 2024"), ((2024, 3, 3), "Mar 2024"),
    ((2024, 4, 6), "Apr\u2013Jun 2024"), ((2024.0, 1, 1), "Jan 2024")])
def test_period_text(args, text):
    assert F.period_text(*args) == text


def test_period_in_full_month_names_and_the_analyses_labels():
    from vnru.analysis import people, product_view

    assert F.period(2024) == F.period(2024, 12, 3) == "2024"
    assert F.period(2025, 11) == "January\u2013November 2025" and F.period(2025, 1, 6) == "June 2025"
    assert F.period(2025, 3, 4) == "April\u2013June 2025" and F.period(2025, float("nan")) == "2025"
    assert people.period_label(2024, 6) == "Jan\u2013Jun 2024" and people.period_label(2019, 12) == "2019"
    assert product_view.period_label(2024, 4, 6) == "Apr\u2013Jun 2024"


@pytest.mark.parametrize("usd_m, text", [
    (4569.0, "USD 4.57 bn"), (1000, "USD 1 bn"), (870.4, "USD 870 m"), (100, "USD 100 m"), (2.54, "USD 2.5 m"),
    (-1530.0, "USD -1.53 bn"), (12345.0, "USD 12.35 bn")])
def test_money_units(usd_m, text):
    assert F.money(usd_m) == text


def test_percent_count_ordinal_number():
    assert F.pct(26.71) == "+26.7 %" and F.pct(-3.04) == "-3.0 %" and F.pct(81.25, signed=False) == "81.2 %"
    assert F.count(232300.0) == "232,300" and F.count(7) == "7"
    assert [F.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th", "112th"]
    assert F.format_number(1234.5) == "1,234.5" and F.format_number(1234.5, 0) == "1,234" \
        and F.format_number(2024, 0, separators=False) == "2024" and F.format_number(0.125) == "0.12"
    assert F.decimals(pd.Series([1.5, 2.25])) == 2 and F.decimals(pd.Series([1.0, 2.0])) == 0


def test_month_year_never_invents_a_january():
    assert F.month_year(pd.Timestamp("2024-04-01")) == F.month_year(pd.Timestamp("2024-04-18"), "day") == "Apr 2024"
    assert F.month_year(pd.Timestamp("2008-01-01"), "year") == "2008"
    assert F.month_year("2024") == "2024"  # not a date: shown as its text


# labels: every code of every list has its words, the helpers

@pytest.mark.parametrize("codes, tables", [
    (C.REPORTERS, (L.REPORTER_COUNTRIES, L.REPORTER_STATISTICS, L.REPORTER_COLORS)),
    (C.FLOWS, (L.FLOW_NAMES, L.FLOW_TITLES, L.FLOW_COLORS)),
    (C.DIRECTIONS, (L.DIRECTION_LABELS, L.FIELD_LABELS, L.DIRECTION_WORDS, L.DIRECTION_COLORS, L.DIRECTION_SHORT)),
    (C.LEVELS, (L.LEVEL_LABELS, L.LEVEL_NAMES, L.LEVEL_COLORS)),
    (C.SIDES, (L.SIDE_LABELS, L.SIDE_COLORS)),
])
def test_every_code_has_its_labels(codes, tables):
    for table in tables:
        assert set(table) == set(codes)


def test_the_labels_the_reports_use_are_these():
    from vnru.analysis import product_view
    from vnru.report import findings
    from vnru.report.plots import common, investment, products, timeline, trade

    assert findings.FLOW_NAMES is L.FLOW_NAMES and findings.REPORTER_NAMES is L.REPORTER_COUNTRIES
    assert findings.LEVEL_NAMES is L.LEVEL_NAMES and findings.DIRECTION_WORDS is L.DIRECTION_WORDS
    assert trade.REPORTER_LABEL is L.REPORTER_STATISTICS and products.FLOW_TITLES is L.FLOW_TITLES
    assert investment.DIRECTION_COLORS is L.DIRECTION_COLORS and timeline.LEVEL_COLORS is L.LEVEL_COLORS
    assert common.COLORS["VN"] == L.REPORTER_COLORS["VN"] and common.COLORS["vn_imports"] == L.FLOW_COLORS["vn_imports"]
    assert L.DIRECTION_WORDS["ru_in_vn"] == ("Russia", "among the countries and territories investing in Vietnam",
                                             "Russia's registered capital in Vietnam")
    # the analysis layer names no label: trade_products takes its flow names from vnru.report.labels
    assert not hasattr(product_view, "FLOW_NAMES") and not hasattr(product_view, "REPORTER_NAMES")


def test_label_hedge_symbol_and_qualified():
    assert L.label(L.REPORTER_COUNTRIES, "VN") == "Vietnam" and L.label(L.REPORTER_COUNTRIES, "CN") == "CN"
    assert L.label(L.REPORTER_COUNTRIES, None) == "\u2013"
    assert [L.hedge_symbol(q) for q in ("about", "nearly", "more than", "exactly", "", None, float("nan"), "up to")] \
        == ["\u2248", "<", ">", "", "", "", "", ""]
    assert C.qualified("60,000", "about") == "about 60,000"
    assert [C.qualified("1,000", q) for q in ("exactly", "", None, float("nan"))] == ["1,000"] * 4


# the headline rule, once: the analyses that pick one figure per date follow it

def test_investment_latest_follows_the_headline_rule():
    """Regression: investment sorted a date's figures by hedge and source_id only; the headline rule then
    prefers the more precise figure (1,100 over a round 2,000 reported the same day)."""
    from vnru.analysis import investment

    frame = pd.DataFrame({"direction": ["ru_in_vn"] * 2, "as_of": pd.to_datetime(["2017-06-29"] * 2),
                          "capital_usd_m": [2000.0, 1100.0], "qualifier": [None, None], "projects": [None, None],
                          "source_id": ["a-round", "b-precise"]})
    assert investment.latest(frame)["capital_usd_m"] == 1100.0
    assert investment.latest(frame.assign(qualifier=[None, "about"]))["capital_usd_m"] == 2000.0  # exact first


def test_people_latest_dated_figure_follows_the_headline_rule():
    from vnru.analysis import people

    ind = pd.DataFrame({"indicator": ["students"] * 3, "year": [None] * 3, "months": [None] * 3,
                        "as_of": pd.to_datetime(["2024-06-20", "2024-06-20", "2023-01-01"]),
                        "as_of_precision": ["day"] * 3, "value_low": [3000.0, 2950.0, 9000.0],
                        "value_high": [None] * 3, "qualifier": ["about", None, None], "unit": ["people"] * 3,
                        "source_id": ["a", "b", "c"], "note": [None] * 3})
    latest = people.latest(ind, "students")
    assert (latest["value_low"], latest["figure"], latest["when"]) == (2950.0, "2,950", "20 Jun 2024")


def test_a_failed_entry_is_built_in_one_place():
    """Six places wrote {"status": "failed", ...} by hand with different keys; vnru.batch.jobs builds it once."""
    lib = Path(__file__).resolve().parents[1] / "lib" / "vnru"
    copies = [str(p.relative_to(lib)) for p in lib.rglob("*.py")
              if '"status": "failed"' in p.read_text(encoding="utf-8") and p.name != "jobs.py"]
    assert copies == []
    from vnru.batch import jobs

    assert jobs.failed("n", "boom") == {"name": "n", "status": "failed", "error": "boom", "error_cell": None,
                                        "results": {}, "files": {}}
    assert jobs.not_published({"name": "n", "status": "ok"}, "disk full")["error"].startswith("disk full; not published")
