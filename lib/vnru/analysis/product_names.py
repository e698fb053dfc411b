"""One table that harmonises the product names of the curated product figures (data/products.csv).

Sources name one product in many ways ("Fertiliser" / "Fertilizer", "Coal" / "Black coal", four spellings of
pangasius). A row groups by its HS heading (first four digits, or the chapter when only that is given; names
from the HS nomenclature via ``vnru.analysis.hs``), unless the table below names its group. Rows without an HS
code group by the table, else by their own name. An **aggregate** is a figure for many products at once (a
ministry's "agro-forestry-aquatic products", "seafood", "A, B and C (together)"): it is shown, but never
compared with single products when a leader is chosen (vnru.analysis.evidence.leaders).
"""

import re

import pandas as pd

from vnru.analysis import hs

__all__ = ["AGGREGATE_PATTERN", "NAMED_GROUPS", "PRODUCT_RANK_SCOPE", "harmonise"]

# name as the sources write it (case-folded) -> (group key, group label): products known by a name, not a code
NAMED_GROUPS = {
    **{n: ("pangasius", "Pangasius (tra and basa catfish)") for n in (
        "catfish", "pangasius", "pangasius fillets", "tra fish", "tra and basa catfish", "tra and basa fish",
        "tra catfish products")},
    **{n: ("textiles", "Textiles and garments (HS 50–63)") for n in (
        "textiles", "textiles and garments", "garments and textiles", "garments")},
    **{n: ("tuna", "Tuna") for n in ("tuna", "frozen raw tuna", "frozen tuna meat and loins")},
    "phones and components": ("8517", "Phones and components (HS 8517)"),
    "phones and parts": ("8517", "Phones and components (HS 8517)"),
    "phones and phone components": ("8517", "Phones and components (HS 8517)"),
    "fertiliser": ("31", "Fertilisers (HS 31)"), "fertilizer": ("31", "Fertilisers (HS 31)"),
    "coal": ("2701", "Coal (HS 2701)"), "black coal": ("2701", "Coal (HS 2701)"),
    "rubber": ("40", "Rubber and rubber goods (HS 40)"), "rubber goods": ("40", "Rubber and rubber goods (HS 40)"),
    "steel": ("72", "Iron and steel (HS 72)"), "iron and steel": ("72", "Iron and steel (HS 72)"),
    "petroleum": ("petroleum", "Petroleum products"), "petroleum products": ("petroleum", "Petroleum products"),
    "coffee": ("0901", "Coffee (HS 0901)"), "wheat": ("1001", "Wheat (HS 1001)"),
    "cashew nuts": ("0801", "Cashew nuts (HS 0801)"), "pepper": ("0904", "Pepper (HS 0904)"),
    "pork": ("0203", "Pork (HS 0203)"), "pork and by-products": ("0203", "Pork (HS 0203)"),
}
# figures for many products at once: a category, a region's whole trade, a list "together"
AGGREGATE_PATTERN = re.compile(
    r"\(together\)|agricultur|agro-|agri-|farm produce|forestry|seafood|aquatic|vegetable|fruit and|"
    r"fresh and frozen|frozen fish|processed products|non-energy|manufactured products", re.IGNORECASE)
# a rank among all products of the flow (a source's own ranking of items), not among suppliers or markets
PRODUCT_RANK_SCOPE = re.compile(r"(?:export|import) products (?:to|from) Russia|from Russia by product", re.IGNORECASE)


def harmonise(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``group`` (one product across sources), ``group_name`` (its one label), ``aggregate``
    and ``ranked_first`` (a source ranks it first among the products of its flow). ``product`` stays as the
    source wrote it."""
    name = rows["product"].astype(str).str.casefold().str.strip()
    named = name.map(NAMED_GROUPS)
    codes = rows["hs_code"].fillna("").astype(str).str[:4]
    group = pd.Series([n[0] if isinstance(n, tuple) else (c if c else f"name:{m}")
                       for n, c, m in zip(named, codes, name, strict=True)], index=rows.index)
    counts = rows.assign(group=group).groupby(["group", "product"], observed=True).size().reset_index(name="n")
    counts = counts.sort_values(["group", "n", "product"], ascending=[True, False, True])
    names = counts.drop_duplicates("group").set_index("group")["product"].to_dict()
    names.update({code: f"{hs.short_name(code, 40)} (HS {code})" for code in names if hs.name(code)})
    names.update({key: label for key, label in NAMED_GROUPS.values()})
    aggregate = rows["product"].astype(str).str.contains(AGGREGATE_PATTERN) & named.isna()
    scope = rows["rank_scope"].fillna("").astype(str) if "rank_scope" in rows else pd.Series("", index=rows.index)
    rank = pd.to_numeric(rows["rank"], errors="coerce") if "rank" in rows else pd.Series(float("nan"), rows.index)
    first = (rank == 1) & scope.str.contains(PRODUCT_RANK_SCOPE)
    return rows.assign(group=group, group_name=group.map(names), aggregate=aggregate.to_numpy(),
                       ranked_first=first.to_numpy())
