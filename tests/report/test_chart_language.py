"""One chart language (issue 24): every plot module takes its colours from vnru.report.palette by meaning.

The scan reads each plot module's source (AST, docstrings ignored) for a hex colour, a colour name
("black", "tab:red", "C0", "0.5") or a named matplotlib colormap; the scanner is tested on planted copies.
Then the same meaning is drawn in the same colour by two different charts.
"""

import ast
import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.colors import is_color_like, to_hex

import vnru
from fixtures.scan import docstring_nodes
from vnru.report import palette

matplotlib.use("Agg")

PLOTS = Path(vnru.__file__).parent / "report" / "plots"
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
CMAPS = {"get_cmap", "colormaps", "cmap", "cm"}  # plt.get_cmap("tab20"), matplotlib.colormaps[...], cmap=, plt.cm.x
SOURCE = "seed-mofa-2024-06-18"  # a row of the bundled sources.csv
NOT_COLOURS = {"none", ""}  # facecolors="none" draws no face: not a colour


def colour_literals(source: str) -> list:
    """(line, text) of every colour written as a literal: a hex code, a colour name, a named colormap."""
    tree = ast.parse(source)
    skip = docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
            if HEX.search(text) or (text.strip().lower() not in NOT_COLOURS and len(text) > 1 and is_color_like(text)):
                found.append((node.lineno, text))
        else:
            name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else \
                node.arg if isinstance(node, ast.keyword) else None
            if name in CMAPS:
                found.append((node.lineno, name))
    return sorted(found)


@pytest.mark.parametrize("module", sorted(p.name for p in PLOTS.glob("*.py")))
def test_no_plot_module_writes_a_colour_of_its_own(module):
    found = colour_literals((PLOTS / module).read_text(encoding="utf-8"))
    assert not found, f"plots/{module} writes colours outside vnru.report.palette: {found}"


@pytest.mark.parametrize("source", [
    'ax.bar(x, y, color="#1f4e9c")', 'ax.plot(x, y, color="black")', 'ax.plot(x, y, color="tab:red")',
    'ax.plot(x, y, c="C3")', 'ax.plot(x, y, color="0.5")', 'cmap = plt.get_cmap("tab20")',
    'ax.scatter(x, y, cmap="viridis")', 'c = plt.cm.tab20(3)', 'ax.text(0, 0, "x", color="#555")',
])
def test_the_scanner_finds_planted_colours(source):
    assert colour_literals(source)


def test_the_scanner_leaves_plain_text_alone():
    assert colour_literals('"""A red line: #1 in the docstring."""\nax.plot(x, y, marker="o", linestyle="--", '
                           'facecolors="none", label="Russia\'s statistics")\nax.text(0, 0, "Vietnam")') == []


def test_every_colour_of_the_palette_is_documented_with_one_meaning():
    names = [n for n in palette.MEANINGS]
    colours = [getattr(palette, n) for n in names]
    data = [c for n, c in zip(names, colours, strict=True) if n not in {"TEXT", "MUTED_TEXT", "GRID", "RULE", "LEADER"}]
    assert len(set(map(str.lower, data))) == len(data)  # one colour, one meaning
    assert not set(data) & set(palette.CATEGORICAL)
    assert palette.categorical(10)[8] == palette.CATEGORICAL[0]


# the same meaning, the same colour, in two charts

def _colours(ax) -> set:
    """Every colour drawn on ``ax`` (lines, bars, markers), as lower-case hex."""
    out = set()
    for line in ax.get_lines():
        out.add(to_hex(line.get_color()))
    for patch in ax.patches:
        out |= {to_hex(patch.get_facecolor()), to_hex(patch.get_edgecolor())}
    for coll in ax.collections:
        out |= {to_hex(c) for c in list(coll.get_facecolors()) + list(coll.get_edgecolors())}
    return out


def test_vietnams_and_russias_statistics_are_one_colour_in_every_chart():
    from vnru.analysis import trade as T
    from vnru.report.plots import new_axes, products
    from vnru.report.plots import trade as trade_plots

    series = T.both_series(vnru.load_trade())
    _, ax1 = new_axes()
    trade_plots.plot_series(ax1, series, 2000, 2024)
    gap = pd.DataFrame({"flow": "vn_exports", "hs_code": ["03", "09"], "name": ["Fish", "Coffee"],
                        "value_vn": [500.0, 300.0], "value_ru": [450.0, 320.0]})
    _, ax2 = new_axes()
    products.plot_mirror(ax2, gap, 2023, "vn_exports", [])
    for reporter in ("VN", "RU"):
        assert palette.REPORTER[reporter] in _colours(ax1) & _colours(ax2)


def test_a_rise_and_a_fall_are_one_colour_in_every_chart():
    from vnru.report.plots import new_axes, people, products

    growth = pd.DataFrame({"year": [2019, 2020], "yoy_computed_pct": [12.0, -80.0], "conflict": [False, False],
                           "source_id": SOURCE})
    _, ax1 = new_axes()
    people.plot_growth(ax1, growth)
    parts = pd.DataFrame({"hs_code": ["03", "09"], "name": ["Fish", "Coffee"], "contribution_pp": [4.0, -2.5],
                          "total_growth_pct": [1.5, 1.5]})
    _, ax2 = new_axes()
    products.plot_contributions(ax2, parts, 2023, [])
    both = _colours(ax1) & _colours(ax2)
    assert {palette.POSITIVE, palette.NEGATIVE} <= both
    assert palette.VN not in _colours(ax1) | _colours(ax2)  # red means Vietnam's statistics, never "a fall"


def test_a_direction_is_one_colour_in_the_timeline_and_the_investment_charts():
    from vnru.analysis import investment
    from vnru.analysis import timeline as tl
    from vnru.report.plots import investment as inv_plots
    from vnru.report.plots import new_axes, plot_visits_by_decade
    from vnru.report.plots import timeline as timeline_plots

    _, ax1 = new_axes()
    plot_visits_by_decade(tl.visits_by_decade(vnru.load_timeline()), ax=ax1)
    _, ax2 = new_axes()
    inv_plots.draw_rank(ax2, investment.ranking_history(vnru.load_investment(), "both"))
    assert {palette.DIRECTION["vn_to_ru"], palette.DIRECTION["ru_to_vn"]} <= _colours(ax1) & _colours(ax2)
    from vnru.report.plots import plot_timeline

    events = vnru.load_timeline()
    ax3 = plot_timeline(events, "1950-01-01", "2026-12-31")  # visits wear their direction's colour here too
    assert {palette.DIRECTION["vn_to_ru"], palette.DIRECTION["ru_to_vn"]} <= _colours(ax3)
    putin = events.index[events["event_id"] == "2024-06-putin-state-visit"][0]
    assert timeline_plots.marker_colors(events)[putin] == palette.DIRECTION["ru_to_vn"]
    assert timeline_plots.marker_colors(events)[0] == timeline_plots.CATEGORY_COLORS["relations"]


def test_products_never_wear_a_colour_with_a_meaning():
    from vnru.report.plots import new_axes, products

    rows = pd.DataFrame({"flow": "vn_exports", "reporter": "VN", "year": [2020, 2021] * 10,
                         "group": [f"g{i // 2}" for i in range(20)], "group_name": [f"P{i // 2}" for i in range(20)],
                         "value_usd_m": [float(i + 1) for i in range(20)], "partial": False, "conflict": False,
                         "source_id": SOURCE})
    _, ax = new_axes()
    products.plot_reported(ax, rows, "vn_exports", top=10)
    meaningful = {palette.VN, palette.RU, palette.POSITIVE, palette.NEGATIVE, palette.HIGHLIGHT, palette.EXPORTS,
                  palette.IMPORTS, palette.VN_TO_RU, palette.RU_TO_VN}
    assert not {to_hex(line.get_color()) for line in ax.get_lines()} & meaningful


# labels a reader can read whole (issue 24)

def test_trained_in_ussr_bars_say_what_each_claim_counts_without_cutting_it():
    from vnru.analysis import people as P
    from vnru.report.plots import new_axes
    from vnru.report.plots import people as people_plots

    claims = P.claims(vnru.load_indicators())
    _, ax = new_axes(height=1.8 + 0.8 * len(claims))
    people_plots.plot_claims(ax, claims, sources=vnru.load_sources())
    labels = [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()]
    assert len(labels) == len(claims) and not any("…" in t or "..." in t for t in labels)
    assert all(t.count("(") == t.count(")") and not t.startswith("Counts") for t in labels)
    assert people_plots.counted("Counts Vietnamese who gained qualifications over 60 years (Vietnamese government "
                                "data, per a blog).") == "Vietnamese who gained qualifications over 60 years"
    assert people_plots.counted("Counts everyone trained: 52,000 cadres plus 98,000 workers.") == "Everyone trained"


def test_the_mirror_gap_bars_are_labelled_in_their_own_unit():
    """The bars are % of Vietnam's figure: their labels are that %, not the gap in USD m (issue 24)."""
    from vnru.analysis import trade as T
    from vnru.report.plots import new_axes
    from vnru.report.plots import trade as trade_plots

    gap = T.mirror_gap(T.full_years(T.both_series(vnru.load_trade())))
    _, ax = new_axes()
    trade_plots.plot_mirror_gap(ax, gap, sources=vnru.load_sources())
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"{v:+.0f}%" for v in gap["gap_pct"]]
    assert "USD" not in ax.get_ylabel() and ax.get_legend() is not None


def test_exports_and_imports_are_one_colour_in_the_trade_and_the_partner_charts():
    from vnru.report.plots import new_axes, partners
    from vnru.report.plots import trade as trade_plots

    balance = pd.DataFrame({"reporter": "VN", "year": [2020, 2021], "exports_usd_m": [3000.0, 3200.0],
                            "imports_usd_m": [1900.0, 2300.0], "balance_usd_m": [1100.0, 900.0],
                            "source_id_exports": SOURCE, "source_id_imports": SOURCE})
    _, ax1 = new_axes()
    trade_plots.plot_flows(ax1, balance, "VN")
    share = pd.DataFrame({"flow": ["exports", "imports"], "year": 2021, "share_pct": [0.9, 1.1], "partial": False,
                          "source_id": SOURCE, "world_source_id": SOURCE})
    _, ax2 = new_axes()
    partners.plot_share(ax2, share)
    assert {palette.EXPORTS, palette.IMPORTS} <= _colours(ax1) & _colours(ax2)
