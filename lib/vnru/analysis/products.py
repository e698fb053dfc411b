"""Product-level trade analytics: pure, vectorised functions on long ``products``-like tables.

Every function works within one *period series*: reporter, flow, year, from_month and months. Figures of
different reporters (mirror statistics) are never added together, and partial periods (January-May, a single
month) are never compared with full years. ``by`` names the product column (``hs_code`` or ``product``);
``value`` the value column (``value_usd_m``). Shares are percent; HHI is on the 0-10,000 scale.
"""

import functools

import numpy as np
import pandas as pd

PERIOD = ["reporter", "flow", "year", "from_month", "months"]
SERIES = ["reporter", "flow", "from_month", "months"]  # a period series: the same months every year
OTHER = "other"


def _valued(frame: pd.DataFrame, by: str, value: str) -> pd.DataFrame:
    """The rows that carry a value, with the period columns, ``by`` and ``value`` (others dropped)."""
    missing = [c for c in PERIOD + [by, value] if c not in frame.columns]
    if missing:
        raise KeyError(f"columns missing from the table: {', '.join(missing)}")
    rows = frame[PERIOD + [by, value]]
    present = rows[value].notna()
    return rows if present.all() else rows[present]  # no row copy when every row has a value


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes of a column and the labels they stand for (categoricals cost nothing here)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    codes, labels = pd.factorize(column, sort=False)
    return codes, pd.Index(labels)


def _accumulate(key: np.ndarray, radix: int, digit: np.ndarray, offset: int = 0) -> None:
    """key = key * radix + (digit - offset), in place (no 80 MB temporaries on ten million rows)."""
    np.multiply(key, radix, out=key)
    np.add(key, digit, out=key, casting="unsafe")
    if offset:
        np.subtract(key, offset, out=key)


class _Periods:
    """One integer per reporter, flow, year, from_month and months, computed arithmetically (no groupby).

    ``series`` numbers the period series (reporter, flow, from_month, months), ``year`` counts from the first
    year, ``key`` numbers the periods. Integer arrays are 32-bit where the keys fit (half the memory traffic).
    """

    def __init__(self, rows: pd.DataFrame):
        reporter, self.reporters = _codes(rows["reporter"])
        flow, self.flows = _codes(rows["flow"])
        year = rows["year"].to_numpy()
        self.first_year = int(year.min()) if len(year) else 0
        self.r, self.f = max(len(self.reporters), 1), max(len(self.flows), 1)
        span = int(year.max()) - self.first_year + 1 if len(year) else 1
        dtype = np.int32 if span * 144 * self.f * self.r < 2**31 else np.int64
        self.year = np.subtract(year, self.first_year, dtype=dtype, casting="unsafe")
        series = np.subtract(rows["from_month"].to_numpy(), 1, dtype=dtype, casting="unsafe")
        _accumulate(series, 12, rows["months"].to_numpy(), 1)
        _accumulate(series, self.f, flow)
        _accumulate(series, self.r, reporter)
        self.series = series

    @functools.cached_property
    def key(self) -> np.ndarray:
        """One integer per period: year x series."""
        key = np.multiply(self.year, 144 * self.f * self.r, dtype=self.series.dtype)
        np.add(key, self.series, out=key)
        return key

    @property
    def size(self) -> int:
        """One more than the largest key (the length of a bincount over the periods)."""
        return int(self.key.max()) + 1 if len(self.key) else 0

    def frame(self, keys: np.ndarray) -> pd.DataFrame:
        """The PERIOD columns of the given keys."""
        rest, reporter = np.divmod(keys, self.r)
        rest, flow = np.divmod(rest, self.f)
        rest, months = np.divmod(rest, 12)
        year, from_month = np.divmod(rest, 12)
        return pd.DataFrame({"reporter": self.reporters.take(reporter), "flow": self.flows.take(flow),
                             "year": year + self.first_year, "from_month": from_month + 1, "months": months + 1})


def _ids(frame: pd.DataFrame, columns) -> np.ndarray:
    """One integer per distinct combination of ``columns`` (0..k-1), in order of first appearance."""
    return frame.groupby(columns, sort=False, observed=True, dropna=False).ngroup().to_numpy()


def composition(frame: pd.DataFrame, by: str = "hs_code", value: str = "value_usd_m") -> pd.DataFrame:
    """Each product's share (percent) of the sum of all products in its reporter, flow and period.

    Meaningful where the table covers every product of the period (an imported Comtrade file), not for
    a handful of curated figures.
    """
    rows = _valued(frame, by, value)
    key = _Periods(rows).key
    values = rows[value].to_numpy(dtype="float64")
    totals = np.bincount(key, weights=values)[key]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, values / totals * 100.0, np.nan)
    return rows.assign(share_pct=share)


def top_n(frame: pd.DataFrame, n: int, by: str = "hs_code", value: str = "value_usd_m",
          other: str = OTHER) -> pd.DataFrame:
    """The ``n`` largest products of each period series (by value summed over its years), the rest as ``other``.

    One set of products per reporter, flow and months covered, so stacked charts over the years compare
    like with like. Returns PERIOD, ``by``, ``value`` and share_pct, with ``other`` last in each period.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n}")
    rows = _valued(frame, by, value)
    totals = rows.groupby(SERIES + [by], observed=True, sort=False)[value].sum().reset_index()
    totals["_rank"] = totals.sort_values(value, ascending=False, kind="stable").groupby(
        SERIES, observed=True, sort=False).cumcount()
    top = totals.loc[totals["_rank"] < n, SERIES + [by, "_rank"]]
    merged = rows.merge(top, on=SERIES + [by], how="left")
    merged[by] = merged[by].astype("object").where(merged["_rank"].notna(), other)
    merged["_rank"] = merged["_rank"].fillna(n)
    summed = merged.groupby(PERIOD + [by], observed=True, sort=False).agg(
        **{value: (value, "sum"), "_rank": ("_rank", "min")}).reset_index()
    out = composition(summed, by, value).join(summed["_rank"])
    return out.sort_values(PERIOD + ["_rank"], ignore_index=True).drop(columns="_rank")


def _previous(rows: pd.DataFrame, by: str, value: str) -> np.ndarray:
    """For each row, the value of the same product, reporter, flow and months one year earlier (NaN where none).

    Raises ValueError where one product has two rows for the same period (conflicting sources: choose first).
    Values are placed in a dense grid (series x product x year) when it is small, else matched after a sort.
    """
    periods = _Periods(rows)
    product, _ = _codes(rows[by])
    present = np.flatnonzero(np.bincount(periods.series))
    dense_series = np.zeros(int(periods.series.max()) + 1 if len(rows) else 1, dtype="int64")
    dense_series[present] = np.arange(len(present))
    years = int(periods.year.max()) + 1 if len(rows) else 1
    cell = dense_series[periods.series]  # (series x product x year), built in place
    _accumulate(cell, int(product.max()) + 1 if len(rows) else 1, product)
    _accumulate(cell, years, periods.year)
    values = rows[value].to_numpy(dtype="float64")
    size = int(cell.max()) + 1 if len(rows) else 0
    if size <= 4 * len(rows) + 1000:
        counts = np.bincount(cell, minlength=size)
        duplicated = counts[cell] > 1 if counts.max(initial=0) > 1 else np.zeros(0, dtype=bool)
        grid = np.full(size, np.nan)
        grid[cell] = values
        np.subtract(cell, 1, out=cell)
        np.maximum(cell, 0, out=cell)
        previous = grid[cell]
        previous[periods.year == 0] = np.nan
    else:
        order = np.argsort(cell, kind="stable")
        k = cell[order]
        duplicated = np.zeros(len(k), dtype=bool)
        duplicated[order[1:]] = k[1:] == k[:-1]
        before = np.full(len(k), np.nan)
        matches = np.zeros(len(k), dtype=bool)
        matches[1:] = k[1:] == k[:-1] + 1
        before[matches] = values[order][:-1][matches[1:]]
        previous = np.empty(len(k))
        previous[order] = before
    if duplicated.any():
        at = int(np.flatnonzero(duplicated)[0])
        raise ValueError(f"two rows for {by} {rows[by].iloc[at]!r} in one period "
                         f"({', '.join(f'{c}={rows[c].iloc[at]}' for c in PERIOD)}): pick one figure per period")
    return previous


def growth(frame: pd.DataFrame, by: str = "hs_code", value: str = "value_usd_m") -> pd.DataFrame:
    """Growth of each product over the same months of the previous year, from the same reporter.

    Only rows whose product has a value one year earlier in the same series are returned (matching
    periods only): ``previous``, ``change`` and ``growth_pct`` (NaN where the earlier value was 0).
    """
    rows = _valued(frame, by, value)
    previous = _previous(rows, by, value)
    matched = ~np.isnan(previous)
    at = np.flatnonzero(matched)
    columns, index = _take_rows(rows, at)
    before = previous[at]
    change = np.subtract(np.asarray(columns[value], dtype="float64"), before)
    with np.errstate(invalid="ignore", divide="ignore"):
        growth_pct = np.divide(change, before)
    np.multiply(growth_pct, 100.0, out=growth_pct)
    growth_pct[before <= 0] = np.nan  # no growth rate from nothing (or from a negative figure)
    return pd.DataFrame({**columns, "previous": before, "change": change, "growth_pct": growth_pct},
                        index=index, copy=False)


def _take_rows(rows: pd.DataFrame, at: np.ndarray) -> tuple[dict, pd.Index]:
    """The columns and index labels of the rows at positions ``at``, each copied once (on ten million rows
    pandas' own take spends as long checking and converting the positions as copying)."""
    columns = {}
    for name in rows.columns:
        column = rows[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            columns[name] = pd.Categorical.from_codes(column.cat.codes.to_numpy()[at], dtype=column.dtype,
                                                      validate=False)
        elif isinstance(column.dtype, np.dtype):
            columns[name] = column.to_numpy()[at]
        else:
            columns[name] = column.array.take(at)
    index = rows.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return columns, pd.Index(at, copy=False)
    return columns, index.take(at)


def contributions(frame: pd.DataFrame, by: str = "hs_code", value: str = "value_usd_m") -> pd.DataFrame:
    """Each product's contribution (percentage points) to the growth of its series' total over one year.

    For a period whose series also has the previous year: (value - previous) / previous total * 100, with a
    product absent in one of the two years counted as 0 there. The contributions of a period add up to the
    growth of the total (``total_growth_pct``).
    """
    rows = _valued(frame, by, value)
    periods = rows.groupby(PERIOD, observed=True, sort=False)[value].sum().rename("total").reset_index()
    earlier = periods.assign(year=periods["year"] + 1).rename(columns={"total": "previous_total"})
    both = periods.merge(earlier, on=PERIOD, how="inner")
    if both.empty:
        return pd.DataFrame(columns=PERIOD + [by, value, "previous", "contribution_pp", "total_growth_pct"])
    now = rows.merge(both[PERIOD], on=PERIOD)
    before = rows.assign(year=rows["year"] + 1).merge(both[PERIOD], on=PERIOD).rename(columns={value: "previous"})
    joined = now.merge(before, on=PERIOD + [by], how="outer").fillna({value: 0.0, "previous": 0.0})
    joined = joined.merge(both, on=PERIOD)
    joined["contribution_pp"] = (joined[value] - joined["previous"]) / joined["previous_total"] * 100.0
    joined["total_growth_pct"] = (joined["total"] / joined["previous_total"] - 1.0) * 100.0
    return joined.drop(columns=["total", "previous_total"]).sort_values(
        PERIOD + ["contribution_pp"], ascending=[True] * len(PERIOD) + [False], ignore_index=True)


def hhi(frame: pd.DataFrame, by: str = "hs_code", value: str = "value_usd_m") -> pd.DataFrame:
    """Herfindahl-Hirschman index of each reporter, flow and period: the sum of squared percent shares.

    0-10,000 (10,000 = one product); ``products`` counts the products with a value, ``equivalent`` is
    10,000 / HHI, the number of equal-sized products that would give the same concentration.
    """
    rows = _valued(frame, by, value)
    periods = _Periods(rows)
    values = rows[value].to_numpy(dtype="float64")
    totals = np.bincount(periods.key, weights=values, minlength=periods.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals[periods.key] > 0, values / totals[periods.key] * 100.0, 0.0)
    index = np.bincount(periods.key, weights=share**2, minlength=periods.size)
    counts = np.bincount(periods.key, minlength=periods.size)
    present = np.flatnonzero(counts)
    out = periods.frame(present)
    out["hhi"], out["products"] = index[present], counts[present]
    with np.errstate(divide="ignore"):
        out["equivalent"] = np.where(out["hhi"] > 0, 10_000.0 / out["hhi"], np.nan)
    return out.sort_values(PERIOD, ignore_index=True)


def mirror_gap(frame: pd.DataFrame, by: str = "hs_code", value: str = "value_usd_m") -> pd.DataFrame:
    """Per product, flow and period where both reporters report: Vietnam's and Russia's figures side by side.

    ``gap`` = RU - VN and ``gap_pct`` = gap / VN * 100. The two are never summed: import figures include
    freight and insurance (CIF) while export figures do not (FOB), and timing and partner attribution differ.
    """
    rows = _valued(frame, by, value)
    keys = ["flow", "year", "from_month", "months", by]
    vn = rows[rows["reporter"] == "VN"].groupby(keys, observed=True, sort=False)[value].sum().rename("value_vn")
    ru = rows[rows["reporter"] == "RU"].groupby(keys, observed=True, sort=False)[value].sum().rename("value_ru")
    both = pd.concat([vn, ru], axis=1, join="inner").reset_index()
    both["gap"] = both["value_ru"] - both["value_vn"]
    with np.errstate(invalid="ignore", divide="ignore"):
        both["gap_pct"] = np.where(both["value_vn"] > 0, both["gap"] / both["value_vn"] * 100.0, np.nan)
    return both.sort_values(keys, ignore_index=True)


def at_hs_level(frame: pd.DataFrame, hs_level: int, value: str = "value_usd_m") -> pd.DataFrame:
    """Rows summed up to ``hs_level`` digits (2 chapter, 4 heading, 6 subheading), from one level only.

    A download may mix levels (chapters and subheadings); adding them would count goods twice, so only one
    level is used: codes of exactly ``hs_level`` digits where present, else the nearest finer level, summed up.
    """
    from vnru.analysis import hs

    codes = frame["hs_code"].astype("string")
    lengths = codes.str.len()
    usable = sorted(int(n) for n in lengths.dropna().unique() if int(n) >= hs_level and int(n) in hs.LEVELS)
    if not usable:
        return frame.iloc[0:0].assign(hs_code=pd.Series(dtype="string"))
    rows = frame[lengths == usable[0]]
    rows = rows.assign(hs_code=hs.at_level_series(rows["hs_code"], hs_level))
    return rows.groupby(PERIOD + ["hs_code"], observed=True, sort=False, as_index=False)[value].sum(min_count=1)

__all__ = [
    "OTHER", "PERIOD", "SERIES", "at_hs_level", "composition", "contributions", "growth", "hhi", "mirror_gap",
    "top_n",
]
