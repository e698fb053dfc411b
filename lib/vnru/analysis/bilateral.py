"""The standard bilateral trade indices, as pure functions on small aggregated frames.

Inputs are frames of annual values by product, as ``vnru.data.imported.by_product`` and ``world_by_product``
return them from an imported Comtrade dataset (DuckDB sums the 10^8 rows; these functions see thousands).
Notation: ``x[i,p]`` is country i's exports of product p (to the world), ``X[i]`` = sum over p of x[i,p];
``m[j,p]`` / ``M[j]`` the same for j's imports; ``w[p]`` / ``W`` the world's exports. Values in any one
currency unit (USD). Every result is derived, never stored as data. An index that lacks an input raises
``MissingDownload`` naming the Comtrade download that would unlock it.
"""

import numpy as np
import pandas as pd

from vnru.data.imported import DOWNLOAD, MissingDownload

__all__ = ["complementarity", "grubel_lloyd", "partner_share", "rca", "trade_intensity", "unit_values"]

KEY = ["reporter", "year", "hs_code"]


def _need(frame: pd.DataFrame, what: str, download: str) -> None:
    if frame is None or len(frame) == 0:
        raise MissingDownload(what, download)


def _share_of_total(frame: pd.DataFrame, by: list, value: str = "value_usd") -> pd.Series:
    return frame[value] / frame.groupby(by, observed=True)[value].transform("sum")


def rca(exports: pd.DataFrame, world: pd.DataFrame) -> pd.DataFrame:
    """Revealed comparative advantage (Balassa 1965) of each reporter in each product and year:

        RCA[i,p] = (x[i,p] / X[i]) / (w[p] / W)

    above 1: product p weighs more in i's exports than in the world's. ``exports``: reporter, year, hs_code,
    value_usd (exports to the world); ``world``: year, hs_code, value_usd. Years without world figures are
    left out; a product the world does not export (w[p] = 0) has no RCA (NaN)."""
    _need(exports, "the reporters' exports to the world by product", DOWNLOAD["partner"].format(
        reporter="Viet Nam and Russian Federation", flow="Export"))
    _need(world, "the world's exports by product", DOWNLOAD["world"].format(flow="Export"))
    own = exports.assign(share=_share_of_total(exports, ["reporter", "year"]))
    reference = world.assign(world_share=_share_of_total(world, ["year"]))[["year", "hs_code", "world_share"]]
    out = own.merge(reference, on=["year", "hs_code"], how="inner")
    out["rca"] = out["share"] / out["world_share"].where(out["world_share"] > 0)
    return out[KEY + ["value_usd", "share", "world_share", "rca"]].sort_values(KEY, ignore_index=True)


def trade_intensity(totals: pd.DataFrame) -> pd.DataFrame:
    """Trade intensity index of i's exports to j, per year:

        TII[i,j] = (x[i,j] / X[i]) / (M[j] / M[w])

    i's share of exports going to j over j's share of world imports; above 1, i sends j more than j's
    weight in world trade. ``totals``: year, x_ij, x_i, m_j, m_w (all-product totals, as
    ``vnru.data.imported.intensity_totals`` returns them). Example: Vietnam sends 5 of its 100 to Russia
    (5 %), Russia takes 40 of the world's 2,000 of imports (2 %): TII = 5 / 2 = 2.5."""
    _need(totals, "the totals (exports to the partner and the world, the partner's and the world's imports)",
          DOWNLOAD["world"].format(flow="Import"))
    out = totals.copy()
    out["tii"] = (out["x_ij"] / out["x_i"]) / (out["m_j"] / out["m_w"])
    return out


def complementarity(exports: pd.DataFrame, imports: pd.DataFrame) -> pd.DataFrame:
    """Trade complementarity index (Michaely 1996) of i's exports with j's imports, per year:

        TCI[i,j] = 100 * (1 - sum over p of |m[j,p]/M[j] - x[i,p]/X[i]| / 2)

    100 when i's export basket matches j's import basket exactly, 0 when they share no product. ``exports``:
    reporter (i), year, hs_code, value_usd (i's exports to the world); ``imports``: the same for j's imports
    from the world. Only years both frames cover."""
    _need(exports, "the exporter's exports to the world by product",
          DOWNLOAD["partner"].format(reporter="the exporter", flow="Export"))
    _need(imports, "the importer's imports from the world by product",
          DOWNLOAD["partner"].format(reporter="the importer", flow="Import"))
    x = exports.assign(sx=_share_of_total(exports, ["reporter", "year"]))[["reporter", "year", "hs_code", "sx"]]
    m = imports.assign(sm=_share_of_total(imports, ["reporter", "year"]))[["reporter", "year", "hs_code", "sm"]]
    years = sorted(set(x["year"]) & set(m["year"]))
    both = x[x["year"].isin(years)].merge(m[m["year"].isin(years)], on=["year", "hs_code"], how="outer",
                                          suffixes=("_exporter", "_importer"))
    both["gap"] = (both["sm"].fillna(0) - both["sx"].fillna(0)).abs()
    out = both.groupby("year", as_index=False)["gap"].sum()
    out["tci"] = 100 * (1 - out["gap"] / 2)
    out.insert(0, "exporter", x["reporter"].iloc[0])
    out.insert(1, "importer", m["reporter"].iloc[0])
    return out[["exporter", "importer", "year", "tci"]]


def partner_share(bilateral: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """The partner's share (percent) of a reporter's trade in each product and year:

        share[i,j,p] = 100 * x[i,j,p] / x[i,p]

    e.g. Russia's share of Vietnam's exports of coffee. ``bilateral``: reporter, year, hs_code, value_usd (to
    or from the partner); ``total``: the same with the world. A product not traded with the world is left out."""
    _need(bilateral, "the trade with the partner by product", DOWNLOAD["pair"].format(
        reporter="Viet Nam", partner="Russian Federation", flow="Export and Import"))
    _need(total, "the trade with the world by product", DOWNLOAD["partner"].format(
        reporter="Viet Nam", flow="Export and Import"))
    out = total.merge(bilateral[KEY + ["value_usd"]], on=KEY, how="left", suffixes=("_world", "_partner"))
    out["value_usd_partner"] = out["value_usd_partner"].fillna(0.0)
    out = out[out["value_usd_world"] > 0]
    out["share_pct"] = 100 * out["value_usd_partner"] / out["value_usd_world"]
    return out[KEY + ["value_usd_partner", "value_usd_world", "share_pct"]].sort_values(KEY, ignore_index=True)


def grubel_lloyd(exports: pd.DataFrame, imports: pd.DataFrame, digits: int = 2) -> pd.DataFrame:
    """Grubel-Lloyd index of intra-industry trade by HS chapter (``digits`` = 2) and year:

        GL[c] = 1 - sum over p in c of |X[p] - M[p]| / sum over p in c of (X[p] + M[p])

    with X[p], M[p] the reporter's exports to and imports from the partner of product p (finer codes). 1: all
    trade in c is two-way; 0: one-way. ``exports``/``imports``: reporter, year, hs_code, value_usd."""
    _need(exports, "the exports to the partner by product", DOWNLOAD["pair"].format(
        reporter="Viet Nam", partner="Russian Federation", flow="Export"))
    _need(imports, "the imports from the partner by product", DOWNLOAD["pair"].format(
        reporter="Viet Nam", partner="Russian Federation", flow="Import"))
    both = exports[KEY + ["value_usd"]].merge(imports[KEY + ["value_usd"]], on=KEY, how="outer",
                                              suffixes=("_x", "_m")).fillna({"value_usd_x": 0.0, "value_usd_m": 0.0})
    both["chapter"] = both["hs_code"].str[:digits]
    both["gap"] = (both["value_usd_x"] - both["value_usd_m"]).abs()
    both["two_way"] = both["value_usd_x"] + both["value_usd_m"]
    out = both.groupby(["reporter", "year", "chapter"], as_index=False)[["gap", "two_way"]].sum()
    out = out[out["two_way"] > 0]
    out["gl"] = 1 - out["gap"] / out["two_way"]
    return out[["reporter", "year", "chapter", "two_way", "gl"]].reset_index(drop=True)


def unit_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Unit value (USD per kg) of each row: ``value_usd / net_wgt_kg`` where a weight above zero is reported,
    else NaN (never a value divided by a missing weight)."""
    if "net_wgt_kg" not in frame.columns or frame["net_wgt_kg"].notna().sum() == 0:
        raise MissingDownload("net weights", "the same query with quantities (comtradeplus reports netWgt in kg)")
    weight = frame["net_wgt_kg"].where(frame["net_wgt_kg"] > 0)
    return frame.assign(usd_per_kg=np.divide(frame["value_usd"], weight))
