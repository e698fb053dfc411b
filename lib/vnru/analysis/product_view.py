"""What the trade_products notebook shows, as functions: mode, period labels, reported figures, tables.

Two kinds of product data reach the notebook. Curated figures (data/products.csv) are sparse: a few products,
many partial periods, sometimes two sources for one figure; they are shown as reported, period by period.
An imported UN Comtrade directory covers every product of a full year; it supports composition analytics.
"""

import calendar

import numpy as np
import pandas as pd

from vnru.analysis import evidence, hs
from vnru.analysis import products as P
from vnru.analysis.product_names import harmonise

MIN_CODES_FOR_COMPOSITION = 30  # a full year with this many HS codes at one level counts as complete
FLOW_NAMES = {"vn_exports": "Vietnam's exports to Russia", "vn_imports": "Vietnam's imports from Russia"}
REPORTER_NAMES = {"VN": "Vietnam's statistics", "RU": "Russia's statistics"}


def select(products: pd.DataFrame, flow: str, reporter: str) -> pd.DataFrame:
    """Rows of the chosen flow ("both" = both) and reporter ("both" = both)."""
    flows = list(FLOW_NAMES) if flow == "both" else [flow]
    reporters = ["VN", "RU"] if reporter == "both" else [reporter]
    return products[products["flow"].isin(flows) & products["reporter"].isin(reporters)]


def full_years(frame: pd.DataFrame) -> pd.DataFrame:
    """Full-year rows, plus full years summed from single months where all twelve months are present.

    A reporter, flow and year counts as complete when rows exist for each of its twelve single months.
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
    have = annual.set_index(["reporter", "flow", "year"]).index
    summed = summed[~summed.set_index(["reporter", "flow", "year"]).index.isin(have)]
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
    period.
    """
    rows = frame.copy()
    rows["period"] = [period_label(*p) for p in zip(rows["year"], rows["from_month"], rows["months"], strict=True)]
    rows["partial"] = ~((rows["from_month"] == 1) & (rows["months"] == 12))
    rows = with_groups(rows)
    same = ["group", "flow", "reporter", "year", "from_month", "months"]
    values = rows.groupby(same, observed=True, dropna=False)["value_usd_m"].transform("nunique")
    rows["conflict"] = values > 1
    return rows.sort_values(["flow", "product", "year", "from_month", "months", "reporter"], ignore_index=True)


def with_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with ``group``, ``group_name``, ``aggregate`` and ``ranked_first``
    (vnru.analysis.product_names.harmonise: one name table, HS codes or named groups)."""
    return harmonise(rows)


def leaders(rows: pd.DataFrame) -> pd.DataFrame:
    """The leading product of each flow, reporter and period, by the leader rule of vnru.analysis.evidence:
    periods compared only with themselves, a source's own rank among products counts, aggregates left out,
    one item alone is no leader. Named by its harmonised group (``product``), with ``period``, ``by`` and
    ``compared`` (how many products competed)."""
    if "group" not in rows:
        rows = with_groups(rows)
    found = evidence.leaders(rows, ["flow", "reporter", "year", "from_month", "months"])
    cols = ["flow", "reporter", "year", "from_month", "months", "product", "value_usd_m", "by", "compared",
            "source_id"]
    if found.empty:
        return found.assign(product=pd.Series(dtype="object"))[cols]
    out = found.assign(product=found["group_name"], year=found["year"].astype(int),
                       from_month=found["from_month"].astype(int), months=found["months"].astype(int),
                       value_usd_m=found["value_usd_m"].astype("float64"))
    return out[cols].sort_values(["flow", "reporter", "year", "months", "from_month"], ignore_index=True)


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
    "period_label", "reported", "select", "shown", "with_groups", "with_names",
]
