"""How a report names and colours each code of the shared code lists: one dict per code list and use.

The codes themselves (``REPORTERS``, ``FLOWS``, ``DIRECTIONS``, ``LEVELS``, ``SIDES``) are defined in
``vnru.data.conventions``; every sentence, legend, title and colour of a report takes its words from here,
so that one code reads the same in every report. A new code list's labels go here too.
"""

from vnru.data.conventions import MISSING, is_hedged
from vnru.report.formats import is_missing

__all__ = [
    "CODE_COLUMNS", "DIRECTION_CAPITAL", "DIRECTION_COLORS", "DIRECTION_LABELS", "DIRECTION_SCOPES", "DIRECTION_SHORT",
    "DIRECTION_SUBJECTS", "DIRECTION_WORDS", "FIELD_LABELS", "FLOW_COLORS", "FLOW_NAMES", "FLOW_TITLES", "INDICATOR_LABELS",
    "LEVEL_COLORS", "LEVEL_LABELS", "LEVEL_NAMES", "QUALIFIER_SYMBOLS", "REPORTER_COLORS", "REPORTER_COUNTRIES",
    "REPORTER_STATISTICS", "RESULT_WORDS", "SIDE_COLORS", "SIDE_LABELS", "hedge_symbol", "label",
]

from vnru.report import palette

# Colours have one home, vnru.report.palette (fixed meanings); the names below are the same objects.

# Reporters (whose statistics)
REPORTER_COUNTRIES = {"VN": "Vietnam", "RU": "Russia"}  # "Vietnam's figures", "Russia's statistics put ..."
REPORTER_STATISTICS = {"VN": "Vietnam's statistics", "RU": "Russia's statistics"}  # legends, table headers
REPORTER_COLORS = palette.REPORTER

# Flows (from Vietnam's side)
FLOW_NAMES = {"vn_exports": "Vietnam's exports to Russia", "vn_imports": "Vietnam's imports from Russia",
              "total": "two-way trade"}  # in a sentence
FLOW_TITLES = {"vn_exports": "What Vietnam sells Russia", "vn_imports": "What Vietnam buys from Russia",
               "total": "Two-way trade"}  # chart titles
FLOW_COLORS = palette.FLOW

# Investment directions
DIRECTION_LABELS = {"ru_in_vn": "Russia's investment in Vietnam", "vn_in_ru": "Vietnam's investment in Russia"}
FIELD_LABELS = {"ru_in_vn": "countries and territories investing in Vietnam",
                "vn_in_ru": "destinations of Vietnam's outward investment"}  # the field a rank is out of
DIRECTION_SUBJECTS = {"ru_in_vn": "Russia", "vn_in_ru": "Vietnam's investment in Russia"}  # "... ranked 28th"
DIRECTION_SCOPES = {"ru_in_vn": "among the countries and territories investing in Vietnam",
                    "vn_in_ru": "among the destinations of Vietnam's investment abroad"}
DIRECTION_CAPITAL = {"ru_in_vn": "Russia's registered capital in Vietnam",
                     "vn_in_ru": "Vietnam's registered capital in Russia"}
DIRECTION_SHORT = {"ru_in_vn": "Russia in Vietnam", "vn_in_ru": "Vietnam in Russia"}  # a column's prefix, a card's label
DIRECTION_WORDS = {d: (DIRECTION_SUBJECTS[d], DIRECTION_SCOPES[d], DIRECTION_CAPITAL[d])
                   for d in DIRECTION_LABELS}  # (subject of the rank, the field it is ranked in, whose capital)
DIRECTION_COLORS = {d: palette.DIRECTION[d] for d in DIRECTION_LABELS}  # from -> to: the same pair as visits

# Partnership levels
LEVEL_LABELS = {"none": "No partnership framework", "strategic": "Strategic partnership",
                "comprehensive_strategic": "Comprehensive strategic partnership"}  # legends
LEVEL_NAMES = {"none": "no partnership framework", "strategic": "a strategic partnership",
               "comprehensive_strategic": "a comprehensive strategic partnership"}  # in a sentence
LEVEL_COLORS = palette.LEVEL

# Visit sides
SIDE_LABELS = {"vn_to_ru": "Vietnamese leader to the USSR/Russia", "ru_to_vn": "Soviet/Russian leader to Vietnam"}
SIDE_COLORS = {s: palette.DIRECTION[s] for s in SIDE_LABELS}

# The columns that hold a code list, and the words a table shows for their codes (vnru.show: "ru_in_vn" ->
# "Russia's investment in Vietnam"; the downloads keep the codes)
# People-to-people indicators (indicators.csv): what each counts, for tables and legends
INDICATOR_LABELS = {
    "agreements_signed_during_visit": "Agreements signed during a visit",
    "air_passengers_russia_vietnam": "Air passengers between Russia and Vietnam",
    "airlines_flying_russia_vietnam": "Airlines flying between Russia and Vietnam",
    "bilateral_documents_signed": "Bilateral documents signed",
    "cross_year_activities": "Events of the Vietnam–Russia Cross Years",
    "direct_flights_per_week": "Direct flights per week",
    "direct_flights_per_year": "Direct flights per year",
    "planned_vn_students_to_russia_per_year": "Vietnamese students planned for Russia per year",
    "provinces_with_russian_fdi": "Vietnamese localities with Russian investment",
    'putin_visits_to_vietnam': "Putin's visits to Vietnam",
    'russia_rank_among_vn_european_trade_partners': "Russia's rank among Vietnam's European trade partners",
    "russian_arrivals": "Russian visitor arrivals in Vietnam",
    "russian_arrivals_hcmc": "Russian arrivals in Ho Chi Minh City",
    "russian_arrivals_khanh_hoa": "Russian arrivals in Khanh Hoa",
    "russian_arrivals_khanh_hoa_yoy_pct": "Russian arrivals in Khanh Hoa: growth (%)",
    'russian_arrivals_rank': "Russia's rank among Vietnam's source markets",
    'russian_arrivals_share_pct': "Russians' share of Vietnam's foreign arrivals (%)",
    "russian_arrivals_yoy_pct": "Russian arrivals: growth (%)",
    "russian_cities_with_direct_flights": "Russian cities with direct flights",
    "russian_language_teachers_in_vietnam": "Russian-language teachers in Vietnam",
    "russian_scholarships": "Russian state scholarships for Vietnamese",
    "russian_work_permits_to_vietnamese": "Russian work permits for Vietnamese",
    "russians_in_vung_tau": "Russians living in Vung Tau",
    "soviet_military_at_cam_ranh": "Soviet military personnel at Cam Ranh",
    "trained_in_ussr_russia": "Vietnamese trained in the USSR/Russia",
    "twinned_localities": "Twinned localities",
    "twinned_localities_st_petersburg": "Localities twinned with St Petersburg",
    'vietnam_rank_among_russian_destinations': "Vietnam's rank among Russians' destinations",
    "vietnamese_arrivals_in_russia": "Vietnamese arrivals in Russia",
    "vietnamese_arrivals_in_russia_yoy_pct": "Vietnamese arrivals in Russia: growth (%)",
    "vietnamese_russian_evisas": "Vietnamese travelling on Russian e-visas",
    "vietnamese_scholarships_for_russians": "Vietnamese scholarships for Russians",
    "vietsovpetro_years_of_operation": "Years of operation of Vietsovpetro",
    "vn_community_in_moscow": "Vietnamese community in Moscow",
    "vn_community_in_russia": "Vietnamese community in Russia",
    "vn_military_trained_in_ussr": "Vietnamese military trained in the USSR",
    "vn_students_in_russia": "Vietnamese students in Russia",
    "vn_students_in_russia_state_funded": "Vietnamese students in Russia on state funding",
    "vn_students_sent_to_comecon_per_year": "Vietnamese students sent to Comecon countries per year",
    "vn_trained_comintern_schools": "Vietnamese trained in Comintern schools",
}

CODE_COLUMNS = {"indicator": INDICATOR_LABELS, "direction": DIRECTION_LABELS, "flow": FLOW_NAMES, "side": SIDE_LABELS,
                "partnership_level": LEVEL_LABELS, "level": LEVEL_LABELS}

# Key results whose key does not read well word by word (the side prefix vn_/ru_/ru_in_vn_... is taken off first;
# the unit comes from the key's ending, _usd_m or _pct). Every other key is read word by word (batch.cards.label).
RESULT_WORDS = {
    "latest_months": "Months covered by the latest figure",
    "latest_yoy_stated": "Latest year-on-year growth as stated", "latest_source_id": "Source of the latest figure",
    "latest_across_break": "Latest growth spans a series break", "peak_source_id": "Source of the peak figure",
    "peak_at_break": "Peak year is at a series break", "cagr_from_source_id": "Source of the CAGR's first year",
    "cagr_to_source_id": "Source of the CAGR's last year", "cagr_source_switches": "Source switches within the CAGR",
    "cagr_breaks": "Series breaks within the CAGR", "breaks": "Series breaks", "figures": "Figures in the data",
    "figures_used": "Figures used", "events_marked": "Milestones marked on the chart",
    "yoy_disagreements": "Years where stated and computed growth disagree",
    "mirror_gap_latest_year": "Mirror gap, latest year", "mirror_gap_latest": "Mirror gap, latest year (Russia's figure above Vietnam's)",
    "mirror_gap_median": "Mirror gap, median of the years", "russia_share_year": "Russia's share of Vietnam's trade: year",
    "russia_share": "Russia's share of Vietnam's trade", "russia_share_sources": "Sources of that share",
    "share_latest_year": "Russia's share of Vietnam's trade: year", "share_latest": "Russia's share of Vietnam's trade",
    "share_latest_sources": "Sources of that share", "share_periods": "Periods with a share",
    "russia_rank_latest": "Russia's latest computed rank", "russia_rank_latest_year": "Year of that rank",
    "russia_stated_rank_latest": "Russia's latest stated rank",
    "vietnam_asean_place_latest": "Vietnam among Russia's ASEAN partners", "partners_shown": "Partners shown",
    "figures_shown": "Figures shown", "mode": "Data used", "rows": "Product rows", "products": "Products named",
    "partial_figures": "Part-year figures", "conflicting_figures": "Figures where sources conflict",
    "years": "Years covered", "leading_products": "Leading products", "reports": "Ranking reports",
    "latest_rank_of": "Latest rank: out of", "latest_rank_as_of": "Latest rank: as of",
    "latest_capital": "Latest registered capital", "latest_capital_as_of": "Latest registered capital: as of",
    "latest_projects": "Projects at the latest count", "latest_capital_per_project": "Capital per project",
    "league_date": "Investor league: as of", "league_leader": "Investor league: leader",
    "league_highlight_rank": "Investor league: rank of the highlighted investor",
    "arrivals_full_years": "Russian arrivals: full years in the data",
    "arrivals_partial_figures": "Russian arrivals: part-year figures",
    "arrivals_conflicting_years": "Russian arrivals: years where sources conflict",
    "arrivals_latest_year": "Russian arrivals: latest full year", "arrivals_latest_value": "Russian arrivals: latest",
    "arrivals_latest_source": "Russian arrivals: source", "arrivals_peak_year": "Russian arrivals: peak year",
    "arrivals_peak_value": "Russian arrivals: peak", "arrivals_events": "Russian arrivals: events named",
    "students_latest": "Vietnamese students in Russia: latest", "students_latest_when": "Students: as of",
    "students_latest_source": "Students: source", "students_latest_range": "Students: range of latest counts",
    "scholarships_latest": "Russian state scholarships: latest", "scholarships_latest_when": "Scholarships: as of",
    "scholarships_latest_source": "Scholarships: source",
    "scholarships_latest_range": "Scholarships: range of latest counts",
    "community_estimates": "Vietnamese community in Russia: estimates", "community_low": "Community: lowest estimate",
    "community_high": "Community: highest estimate", "trained_claims": "Trained in the USSR/Russia: claims",
    "trained_min": "Trained: lowest claim", "trained_max": "Trained: highest claim",
    "top_visit_count": "Top-level visits (either direction)", "first_event_when": "First event: date",
    "next_anniversary_date": "Next anniversary: date",
}

# Qualifiers of a hedged figure, as a chart marks them (a figure stated as is has no mark)
QUALIFIER_SYMBOLS = {"about": "\u2248", "nearly": "<", "more than": ">"}


def label(labels: dict, code) -> str:
    """The label of ``code`` in ``labels``; a code without one is shown as itself (MISSING if missing)."""
    if is_missing(code):
        return MISSING
    return labels.get(code, str(code))


def hedge_symbol(qualifier) -> str:
    """A chart's mark for a hedged figure (≈ about, < nearly, > more than); '' for one stated as is or a
    qualifier without a mark."""
    return QUALIFIER_SYMBOLS.get(qualifier, "") if is_hedged(qualifier) else ""
