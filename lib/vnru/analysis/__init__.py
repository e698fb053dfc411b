"""vnru.analysis — pure functions from DataFrames to DataFrames or dicts: growth, trade, products,
investment, people, timeline, HS codes, and ``evidence`` (the rules that choose a headline figure).

Depends on vnru.data and the leaves only; never draws, prints or records. Submodules load on first use.
"""

from vnru._modules import lazy

_SUBMODULES = {"bilateral", "evidence", "evidence_audit", "growth", "hs", "investment", "partner_claims", "partner_view", "partners", "people", "people_view", "product_names", "product_view", "products", "timeline", "trade", "trade_compare"}
__all__ = ["bilateral", "evidence", "evidence_audit", "growth", "hs", "investment", "partner_claims", "partner_view", "partners", "people", "people_view", "product_names", "product_view", "products", "timeline", "trade", "trade_compare"]
__getattr__, __dir__ = lazy(__name__, _SUBMODULES)
