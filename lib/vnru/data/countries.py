"""Partner codes of partners.csv: ISO 3166-1 alpha-3 for countries, a few group codes, and their names.

Names and the list of valid alpha-3 codes come from ``pycountry`` when it is installed (a kept library, not a
typed list); without it a code is shown as itself and any three capital letters pass as alpha-3. The groups
are the kit's own: what each means is stated here once. ``ASEAN_MEMBERS`` and ``EUROPE`` are group
memberships (codes only) used to rank a country among a group's members.
"""

import re

__all__ = ["ALIASES", "ASEAN_MEMBERS", "EUROPE", "GROUPS", "codes_of", "is_group", "is_known", "name", "registry"]

GROUPS = {
    "WLD": "the world",
    "EU25": "the EU (25 members, 2004–2006)",
    "EU27": "the EU (27 members: 2007–2013, and since February 2020)",
    "EU28": "the EU (28 members, with the UK: July 2013 – January 2020)",
    "ASEAN": "ASEAN",
    "EAEU": "the Eurasian Economic Union",
}
ALIASES = {"EU": ("EU25", "EU27", "EU28")}  # a name a reader may pass for "the EU under any membership"
ASEAN_MEMBERS = frozenset({"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"})
EUROPE = frozenset({  # European states (for "top partners in Europe"), Russia included
    "ALB", "AND", "AUT", "BEL", "BGR", "BIH", "BLR", "CHE", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA",
    "GBR", "GRC", "HRV", "HUN", "IRL", "ISL", "ITA", "LIE", "LTU", "LUX", "LVA", "MCO", "MDA", "MKD", "MLT", "MNE",
    "NLD", "NOR", "POL", "PRT", "ROU", "RUS", "SMR", "SRB", "SVK", "SVN", "SWE", "UKR", "VAT"})
_ALPHA3 = re.compile(r"^[A-Z]{3}$")


def registry():
    """The ``pycountry.countries`` database, or None when pycountry is not installed."""
    try:
        import pycountry
    except ImportError:
        return None
    return pycountry.countries


def codes_of(code) -> tuple:
    """The data codes a code stands for: ``EU`` -> (EU25, EU27, EU28); any other code -> (code,)."""
    return ALIASES.get(code, (code,))


def is_group(code) -> bool:
    """True for a group code (WLD, EU27, ASEAN ...), False for a country."""
    return code in GROUPS


def is_known(code) -> bool:
    """A group code, or an ISO 3166-1 alpha-3 code (checked against pycountry where installed)."""
    if is_group(code) or code in ALIASES:
        return True
    if not isinstance(code, str) or not _ALPHA3.match(code):
        return False
    countries = registry()
    return countries is None or countries.get(alpha_3=code) is not None


def name(code) -> str:
    """A readable name: the group's meaning, the country's common name from pycountry, else the code."""
    if is_group(code):
        return GROUPS[code]
    if code in ALIASES:
        return "the EU (as each source counts it)"
    countries = registry()
    found = countries.get(alpha_3=code) if countries is not None and isinstance(code, str) else None
    if found is None:
        return str(code)
    return getattr(found, "common_name", None) or found.name
