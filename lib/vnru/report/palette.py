"""One chart language: every colour of the kit's charts, each with one fixed meaning.

A colour means the same thing in every chart: red is Vietnam's statistics (never "negative", never a product),
blue is Russia's statistics, the two directions of visits and investment have their own pair, the headline
figure is dark and the alternatives grey, and signs (growth, contributions) are green and sienna. Charts take
their colours from here by meaning (``REPORTER["VN"]``, ``DIRECTION["vn_to_ru"]``, ``SIGN[value >= 0]``), never
as literals (a test reads every plot module for hex codes, colour names and named colormaps);
``COLORS`` keeps the short names the plot modules used before.
"""

# --- colours that carry data: one meaning each -------------------------------------------------------------------
VN, RU = "#c8102e", "#1f4e9c"  # whose statistics: Vietnam's, Russia's
VN_TO_RU, RU_TO_VN = "#7b3294", "#00808a"  # direction of a visit or of an investment (from → to)
HEADLINE, ALTERNATIVE = "#202124", "#9aa5b1"  # the figure the evidence rule chose; other figures for the same thing
POSITIVE, NEGATIVE = "#2b8a5a", "#a0522d"  # a rise / a fall (growth, contributions, balances)
EXPORTS, IMPORTS = "#00798c", "#edae49"  # exports / imports of the country whose trade is shown (Vietnam's unless
# the chart says otherwise)
TOTAL = "#4d4d4d"  # both flows together: two-way trade, and the balance (exports − imports)
HIGHLIGHT = "#e07b00"  # the one item a chart is about (Russia among partners and investors)
CONTEXT = "#5b6b7b"  # the other items the highlighted one is compared with (other partners, other investors)
MARK = "#000000"  # a mark on a figure, its shape saying which: ◆ stated by the source (beside a computed value),
# ○ ring = a source disagrees (another figure, or a stated rate the figures do not support), × = a series break,
# outline = hedged (about, more than)
HOLLOW = "#ffffff"  # the inside of a hollow marker or bar: part of a year, or a hedged figure (the legend says which)
EVENT_SPAN, EVENT_TEXT = "#f2e1c2", "#7a5a1e"  # a period named by an event in the data (shaded span, its label)
CATEGORICAL = ("#4e79a7", "#59a14f", "#b07aa1", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac", "#edc948")
# products and categories: no colour of the fixed meanings above

# --- neutrals: the furniture of a chart, never data ---------------------------------------------------------------
TEXT = "#222222"  # titles, labels and annotations
MUTED_TEXT = "#555555"  # secondary text (the source line, notes, "value not reported") and legend keys that explain
# a shape (hollow, diamond) rather than a colour
GRID = "#dddddd"  # grid lines and the rule under each lane of the timeline
RULE = "#666666"  # reference lines: the zero line, a skip in ranks
SEPARATOR = "#ffffff"  # the gap drawn between adjacent blocks of a treemap
LEADER = "#b8c0c8"  # the thin line from a label to its marker

REPORTER = {"VN": VN, "RU": RU}
DIRECTION = {"vn_to_ru": VN_TO_RU, "ru_to_vn": RU_TO_VN, "vn_in_ru": VN_TO_RU, "ru_in_vn": RU_TO_VN}
SIGN = {True: POSITIVE, False: NEGATIVE}  # SIGN[value >= 0]
FLOW = {"vn_exports": EXPORTS, "vn_imports": IMPORTS, "total": TOTAL}  # Vietnam's flows with Russia
# The groups of the timeline's event categories (the lanes say the category; the colour says the group).
EVENT_GROUP = {"politics": CATEGORICAL[0], "contacts": CATEGORICAL[5], "cooperation": CATEGORICAL[1],
               "culture": CATEGORICAL[4], "commemoration": CATEGORICAL[6]}  # culture: pink, not a purple like a visit's
LEVEL = {"none": HOLLOW, "strategic": "#fdf3e1", "comprehensive_strategic": "#fadfc2"}  # background tints

MEANINGS = {"VN": "Vietnam's statistics", "RU": "Russia's statistics", "VN_TO_RU": "Vietnam → Russia",
            "RU_TO_VN": "Russia → Vietnam", "HEADLINE": "headline figure", "ALTERNATIVE": "another figure",
            "POSITIVE": "rise", "NEGATIVE": "fall", "EXPORTS": "exports", "IMPORTS": "imports",
            "TOTAL": "both flows together (two-way trade, balance)", "HIGHLIGHT": "the item the chart is about",
            "CONTEXT": "the items it is compared with", "MARK": "a mark on a figure (stated, contradicted, hedged)",
            "HOLLOW": "part of a year or hedged", "EVENT_SPAN": "a period named by an event",
            "EVENT_TEXT": "the label of such a period", "TEXT": "text", "MUTED_TEXT": "secondary text",
            "GRID": "grid", "RULE": "reference line", "LEADER": "label leader line"}  # name -> its one meaning


def categorical(n: int) -> list:
    """``n`` colours for categories (products, groups), cycling through ``CATEGORICAL``: never a colour that
    means something else in the kit. A caller with more than ``len(CATEGORICAL)`` items tells the repeats
    apart another way (line style, hatch)."""
    return [CATEGORICAL[i % len(CATEGORICAL)] for i in range(n)]


COLORS = {"VN": VN, "RU": RU, "total": TOTAL, "vn_exports": EXPORTS, "vn_imports": IMPORTS,
          "balance": TOTAL, "highlight": HIGHLIGHT, "muted": ALTERNATIVE,
          "positive": POSITIVE, "negative": NEGATIVE}

__all__ = [
    "ALTERNATIVE",
    "CATEGORICAL",
    "COLORS",
    "CONTEXT",
    "DIRECTION",
    "EVENT_GROUP",
    "EVENT_SPAN",
    "EVENT_TEXT",
    "EXPORTS",
    "FLOW",
    "GRID",
    "HEADLINE",
    "HIGHLIGHT",
    "HOLLOW",
    "IMPORTS",
    "LEADER",
    "LEVEL",
    "MARK",
    "MEANINGS",
    "MUTED_TEXT",
    "NEGATIVE",
    "POSITIVE",
    "REPORTER",
    "RU",
    "RULE",
    "RU_TO_VN",
    "SEPARATOR",
    "SIGN",
    "TEXT",
    "TOTAL",
    "VN",
    "VN_TO_RU",
    "categorical",
]
