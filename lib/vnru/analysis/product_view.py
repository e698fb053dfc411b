"""What the trade_products notebook shows, as functions: mode, period labels, reported figures, tables.

Two kinds of product data reach the notebook. Curated figures (data/products.csv) are sparse: a few products,
many partial periods, sometimes two sources for one figure; they are shown as reported, period by period.
An imported UN Comtrade directory covers every product of a full year; it supports composition analytics.
"""

import calendar

import numpy as np
import pandas as pd

from vnru.analysis import hs
from vnru.analysis import products as P

MIN_CODES_FOR_COMPOSITION = 30  # a full year with this many HS codes at one level counts as complete
FLOW_NAMES = {"vn_exports": "Vietnam's exports to Russia", "vn_imports": "Vietnam's imports from Russia"}
REPORTER_NAMES = {"VN": "Vietnam's statistics", "RU": "Russia's statistics"}


def select(products: pd.DataFrame, flow: str, reporter: str) -> pd.DataFrame:
    """Rows of the chosen flow ("both" = both) and reporter ("both" = both)."""
    flows = list(FLOW_NAMES) if flow == "both" else [flow]
    reporters = ["VN", "RU"] if reporter == "both" else [reporter]
    return products[products["flow"].isin(flows) & products["reporter"].isin(reporters)]


def one_kind(products: pd.DataFrame) -> pd.DataFrame:
    """The imported (Comtrade) rows when the frame holds any, else the curated ones: never both.

    Curated figures are what documents report (a few products, partial periods); imported ones cover every
    product. Added together they would count a product twice (``attrs["imported_source_ids"]``, set by
    ``load_products``, names the imported downloads)."""
    ids = products.attrs.get("imported_source_ids") or []
    if not ids:
        return products
    rows = products[products["source_id"].isin(ids)]
    rows.attrs.update(products.attrs, curated_rows_set_aside=int(len(products) - len(rows)))
    return rows


def full_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Full-year rows, plus full years summed from single months where all twelve months are present.

    A reporter, flow and year counts as complete when rows exist for each of its twelve single months. Per
    product, an annual row is used where there is one, else its twelve months summed: an annual row for one
    product never throws away the monthly figures of the others.
    """
    annual = frame[(frame["from_month"] == 1) & (frame["months"] == 12)]
    single = frame[(frame["from_month"] == frame["months"])]
    covered = single.groupby(["reporter", "flow", "year"], observed=True)["months"].nunique()
    complete = covered[covered == 12].index
    if len(complete) == 0:
        return annual
    keys = single.set_index(["reporter", "flow", "year"]).index
    summed = (single[keys.isin(complete)].groupby(["reporter", "flow", "year", "hs_code"], observed=True,
                                                  as_index=False)["value_usd_m"].sum())
    summed = summed.assign(from_month=1, months=12)
    have = annual.set_index(["reporter", "flow", "year", "hs_code"]).index
    summed = summed[~summed.set_index(["reporter", "flow", "year", "hs_code"]).index.isin(have)]
    return pd.concat([annual, summed], ignore_index=True)


def mode(frame: pd.DataFrame, hs_level: int) -> str:
    """"composition" when some full year has at least MIN_CODES_FOR_COMPOSITION codes at ``hs_level``, else
    "reported" (curated figures: shown as the sources report them)."""
    years = P.at_hs_level(full_years(frame), hs_level)
    if years.empty:
        return "reported"
    counts = years.groupby(["reporter", "flow", "year"], observed=True)["hs_code"].nunique()
    return "composition" if counts.max() >= MIN_CODES_FOR_COMPOSITION else "reported"


def period_label(year, from_month, months) -> str:
    """'2023', 'Jan–May 2024', 'Mar 2024' or 'Apr–Jun 2024': the period a figure covers, in words."""
    year, first, last = int(year), int(from_month), int(months)
    if first == 1 and last == 12:
        return str(year)
    if first == last:
        return f"{calendar.month_abbr[first]} {year}"
    return f"{calendar.month_abbr[first]}–{calendar.month_abbr[last]} {year}"


def reported(frame: pd.DataFrame) -> pd.DataFrame:
    """Curated figures with their period in words, partial periods marked and conflicting figures flagged.

    A figure conflicts when another source gives a different value for the same product, flow, reporter and
    period; two different HS codes (subheadings of one heading) are two products, never a conflict.
    """
    rows = frame.copy()
    rows["period"] = [period_label(*p) for p in zip(rows["year"], rows["from_month"], rows["months"], strict=True)]
    rows["partial"] = ~((rows["from_month"] == 1) & (rows["months"] == 12))
    rows = with_groups(rows)
    product = rows["hs_code"].astype("string").fillna(rows["group"])
    same = ["_product", "flow", "reporter", "year", "from_month", "months"]
    values = rows.assign(_product=product).groupby(same, observed=True, dropna=False)["value_usd_m"].transform(
        "nunique")
    rows["conflict"] = values > 1
    return rows.sort_values(["flow", "product", "year", "from_month", "months", "reporter"], ignore_index=True)


def with_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``group`` (one product across sources) and ``group_name`` (the name the sources use most).

    Sources name one product differently ("Fertiliser", "Fertilizer"; "Phones and components", "Phones and
    parts"). Rows with an HS code group by its heading (first four digits, or the chapter when only that is
    given); rows without one by the name, case-folded. The product column itself stays as the source wrote it.
    """
    codes = rows["hs_code"].fillna("").astype(str).str[:4]
    group = codes.where(codes != "", "name:" + rows["product"].astype(str).str.casefold().str.strip())
    counts = rows.assign(group=group).groupby(["group", "product"], observed=True).size().reset_index(name="n")
    counts = counts.sort_values(["group", "n", "product"], ascending=[True, False, True])
    names = counts.drop_duplicates("group").set_index("group")["product"]
    return rows.assign(group=group, group_name=group.map(names))


def leaders(rows: pd.DataFrame) -> pd.DataFrame:
    """The product with the largest reported value in each flow, reporter and full year."""
    full = rows[~rows["partial"] & rows["value_usd_m"].notna()]
    if full.empty:
        return full[["flow", "reporter", "year", "product", "value_usd_m", "source_id"]]
    best = full.sort_values("value_usd_m", ascending=False).drop_duplicates(["flow", "reporter", "year"])
    return best[["flow", "reporter", "year", "product", "value_usd_m", "source_id"]].sort_values(
        ["flow", "reporter", "year"], ignore_index=True)


def latest_full_year(frame: pd.DataFrame) -> int | None:
    years = full_years(frame)["year"]
    return int(years.max()) if len(years) else None


def with_names(frame: pd.DataFrame, width: int = 45) -> pd.DataFrame:
    """``frame`` with a ``name`` column: the HS description of hs_code ("other" stays "other")."""
    names = {c: (hs.short_name(c, width) if c != P.OTHER else "all other products") for c in frame["hs_code"].unique()}
    return frame.assign(name=frame["hs_code"].map(names))


def shown(frame: pd.DataFrame, decimals: int = 1) -> pd.DataFrame:
    """A table for display: whole numbers as integers, numbers rounded, empty cells as '–' (no NaN)."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values):
            out[column] = np.where(values, "yes", "")
        elif pd.api.types.is_integer_dtype(values) or column in {"year", "from_month", "months", "rank", "rank_of",
                                                                 "products"}:
            out[column] = [("–" if pd.isna(v) else str(int(v))) for v in values]
        elif pd.api.types.is_float_dtype(values):
            out[column] = [("–" if pd.isna(v) else f"{v:,.{decimals}f}") for v in values]
        else:
            out[column] = values.astype("object").where(values.notna(), "–")
    return out

__all__ = [
    "FLOW_NAMES", "MIN_CODES_FOR_COMPOSITION", "REPORTER_NAMES", "full_years", "latest_full_year", "leaders", "mode",
    "one_kind", "period_label", "reported", "reporting_gaps", "select", "shown", "with_groups", "with_names",
]


def reporting_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Years in which one reporter's statistics have product rows for a flow and the other's have none
    (e.g. Russia from 2022): flow, year, reporting, missing. Shown as a gap, never filled or hidden."""
    have = frame.dropna(subset=["reporter"]).groupby(["flow", "year"], observed=True)["reporter"].unique()
    rows = [{"flow": flow, "year": int(year), "reporting": "/".join(sorted(set(seen))),
             "missing": "/".join(sorted({"VN", "RU"} - set(seen)))}
            for (flow, year), seen in have.items() if set(seen) != {"VN", "RU"}]
    return pd.DataFrame(rows, columns=["flow", "year", "reporting", "missing"])
