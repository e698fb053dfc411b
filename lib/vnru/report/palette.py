"""One chart language: every colour of the kit's charts, each with one fixed meaning.

A colour means the same thing in every chart: red is Vietnam's statistics (never "negative", never a product),
blue is Russia's statistics, the two directions of visits and investment have their own pair, the headline
figure is dark and the alternatives grey, and signs (growth, contributions) are green and sienna. Charts take
their colours from here by meaning (``REPORTER["VN"]``, ``DIRECTION["vn_to_ru"]``, ``SIGN[value >= 0]``);
``COLORS`` keeps the short names the plot modules used before.
"""

VN, RU = "#c8102e", "#1f4e9c"  # whose statistics: Vietnam's, Russia's
VN_TO_RU, RU_TO_VN = "#7b3294", "#00808a"  # direction of a visit or of an investment (from → to)
HEADLINE, ALTERNATIVE = "#202124", "#9aa5b1"  # the figure the evidence rule chose; other figures for the same thing
POSITIVE, NEGATIVE = "#2b8a5a", "#a0522d"  # a rise / a fall (growth, contributions, balances)
EXPORTS, IMPORTS = "#00798c", "#edae49"  # Vietnam's exports to Russia, its imports from Russia
HIGHLIGHT = "#e07b00"  # the one item a chart is about (Russia among investors)
CATEGORICAL = ("#4e79a7", "#59a14f", "#b07aa1", "#76b7b2", "#ff9da7", "#9c755f", "#bab0ac", "#edc948")
# products and categories: no colour of the fixed meanings above

REPORTER = {"VN": VN, "RU": RU}
DIRECTION = {"vn_to_ru": VN_TO_RU, "ru_to_vn": RU_TO_VN, "vn_in_ru": VN_TO_RU, "ru_in_vn": RU_TO_VN}
SIGN = {True: POSITIVE, False: NEGATIVE}  # SIGN[value >= 0]
FLOW = {"vn_exports": EXPORTS, "vn_imports": IMPORTS, "total": HEADLINE}
MEANINGS = {VN: "Vietnam's statistics", RU: "Russia's statistics", VN_TO_RU: "Vietnam → Russia",
            RU_TO_VN: "Russia → Vietnam", HEADLINE: "headline figure", ALTERNATIVE: "another figure",
            POSITIVE: "rise", NEGATIVE: "fall", EXPORTS: "Vietnam's exports", IMPORTS: "Vietnam's imports",
            HIGHLIGHT: "the item the chart is about"}

LEVEL = {"none": "#ffffff", "strategic": "#fdf3e1", "comprehensive_strategic": "#fadfc2"}  # background tints

COLORS = {"VN": VN, "RU": RU, "total": HEADLINE, "vn_exports": EXPORTS, "vn_imports": IMPORTS,
          "balance": HEADLINE, "highlight": HIGHLIGHT, "muted": ALTERNATIVE,
          "positive": POSITIVE, "negative": NEGATIVE}

__all__ = [
    "ALTERNATIVE", "CATEGORICAL", "COLORS", "DIRECTION", "EXPORTS", "FLOW", "HEADLINE", "HIGHLIGHT", "IMPORTS", "LEVEL",
    "MEANINGS", "NEGATIVE", "POSITIVE", "REPORTER", "RU", "RU_TO_VN", "SIGN", "VN", "VN_TO_RU",
]
