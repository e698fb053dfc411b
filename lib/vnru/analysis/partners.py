"""Russia's weight in Vietnam's trade (and Vietnam's in Russia's), from partners.csv: pure frame -> frame functions.

The rules, everywhere: figures of different reporters are never set against each other (a share divides one
reporter's partner figure by the SAME reporter's world total; a rank compares partners of one reporter); a
period is compared only with the same period (January-May with January-May); one figure per period is
chosen by the kit's headline rule (``vnru.analysis.evidence.headline_order``) and the others are counted, not
dropped silently. A computed rank is a rank "among the N partners with a figure", never a full ranking; group
codes (WLD, EU27, ASEAN ...) are left out of computed ranks unless asked for. Derived values carry
``derived = True`` and both source ids.
"""

import pandas as pd

from vnru.analysis.evidence import MIN_RANK_FIELD, headline_order
from vnru.data.conventions import PAIR_SIDES, ordinal
from vnru.data.countries import ASEAN_MEMBERS, is_group

__all__ = ["PERIOD", "asean_ranks", "growth_vs_world", "headline", "in_years", "latest_share", "longest_periods", "rank_among",
           "rank_points", "ranks", "shares", "stated_vs_computed", "with_pair"]

PERIOD = ["year", "from_month", "months"]
SERIES = ["country", "partner", "flow", "reporter"]


_HEADLINES: dict = {}  # (content of the table, of the sources) -> headline: ranks and claims ask many times


def _fingerprint(frame) -> int | None:
    return None if frame is None else int(pd.util.hash_pandas_object(frame.astype(str), index=False).sum())


def headline(partners: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """One value per country, partner, flow, reporter and period (the headline rule's pick), with ``figures``
    (how many values the period has), ``conflict`` (they differ) and ``partial`` (not a full year).

    The same table and sources give the same answer, so it is kept (by content) and handed out as a copy."""
    key = (_fingerprint(partners), len(partners), _fingerprint(sources))
    if key not in _HEADLINES:
        if len(_HEADLINES) > 16:
            _HEADLINES.clear()
        _HEADLINES[key] = _headline(partners, sources)
    return _HEADLINES[key].copy()


def _headline(partners: pd.DataFrame, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    valued = partners[partners["value_usd_m"].notna()]
    keys = [*SERIES, *PERIOD]
    if valued.empty:
        return valued.assign(figures=pd.Series(dtype="int64"), conflict=pd.Series(dtype=bool),
                             partial=pd.Series(dtype=bool))
    ordered = headline_order(valued, keys, "value_usd_m", sources)
    stats = valued.groupby(keys, observed=True)["value_usd_m"].agg(figures="size", spread=lambda v: v.nunique())
    first = ordered.drop_duplicates(keys, keep="first").merge(stats.reset_index(), on=keys, how="left")
    first["conflict"] = first.pop("spread") > 1
    first["partial"] = ~((first["from_month"] == 1) & (first["months"] == 12))
    return first.sort_values([*SERIES, *PERIOD], ignore_index=True)


def in_years(partners: pd.DataFrame, start, end) -> pd.DataFrame:
    """The rows of ``partners`` for the years ``start`` to ``end`` (both included)."""
    return partners[partners["year"].between(start, end)]


def longest_periods(top: pd.DataFrame) -> pd.DataFrame:
    """Of headline rows, one per series and year: the full year where there is one, else the longest period
    from January (for a chart with one bar per year; the other periods stay in the tables)."""
    ranked = top.assign(_len=top["months"] - top["from_month"] + 1, _jan=top["from_month"] == 1)
    ranked = ranked.sort_values([*SERIES, "year", "_jan", "_len"], ascending=[True] * 5 + [False, False])
    return ranked.drop_duplicates([*SERIES, "year"]).drop(columns=["_len", "_jan"]).reset_index(drop=True)


def with_pair(partners: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """``partners`` with the pair's own figures from trade.csv (the kit's home for them) as partner rows: a
    Vietnamese figure as Vietnam's trade with Russia, a Russian one as Russia's with Vietnam (flows turned to
    the reporter's side). A figure partners.csv already holds from the same source and period is not added twice."""
    rows = []
    for reporter, (country, partner, flows) in PAIR_SIDES.items():
        mine = trade[(trade["reporter"] == reporter) & trade["flow"].isin(list(flows))]
        rows.append(pd.DataFrame({
            "year": mine["year"], "from_month": 1, "months": mine["months"], "country": country, "partner": partner,
            "flow": mine["flow"].map(flows), "value_usd_m": mine["value_usd_m"], "qualifier": mine["qualifier"],
            "reporter": reporter, "authority": mine["authority"], "source_id": mine["source_id"],
            "note": "The pair's figure from trade.csv."}))
    pair = pd.concat(rows, ignore_index=True).astype({c: partners[c].dtype for c in ["year", "months"]})
    key = ["country", "partner", "flow", *PERIOD, "source_id"]
    known = partners[key].astype(str).agg("|".join, axis=1)
    pair = pair[~pair[key].astype(str).agg("|".join, axis=1).isin(set(known))]
    return pd.concat([partners, pair.reindex(columns=partners.columns)], ignore_index=True)


def _world(mine: pd.DataFrame) -> pd.DataFrame:
    """The reporter's world figures by flow and period; where a source gives exports and imports of a period but
    no total (and no other source does), their sum as the total, ``world_summed`` True (derived)."""
    den = mine[mine["partner"] == "WLD"][["flow", *PERIOD, "value_usd_m", "source_id", "conflict"]]
    den = den.assign(world_summed=False)
    two = den[den["flow"].isin(["exports", "imports"])].pivot_table(
        index=[*PERIOD, "source_id"], columns="flow", values="value_usd_m", aggfunc="first")
    if {"exports", "imports"} <= set(two.columns):
        two = two.dropna().reset_index()
        have = set(map(tuple, den.loc[den["flow"] == "total", PERIOD].to_numpy().tolist()))
        two = two[[tuple(r) not in have for r in two[PERIOD].to_numpy().tolist()]]
        summed = two.assign(flow="total", value_usd_m=two["exports"] + two["imports"], conflict=False,
                            world_summed=True)[den.columns]
        den = pd.concat([den, summed], ignore_index=True)
    return den


def shares(partners, country="VNM", partner="RUS", reporter="VN", sources=None) -> pd.DataFrame:
    """``partner``'s share of ``country``'s trade by flow and period, in ``reporter``'s statistics only.

    One row per flow and period where the reporter gives both the partner's figure and the world total (WLD;
    exports plus imports of one source where no total is stated, ``world_summed``): ``value_usd_m``,
    ``world_usd_m``, ``share_pct`` (derived), ``source_id`` (partner figure) and ``world_source_id`` (the
    total), ``partial``. A period missing either figure has no row."""
    top = headline(partners, sources)
    mine = top[(top["country"] == country) & (top["reporter"] == reporter)]
    num = mine[mine["partner"] == partner]
    den = _world(mine)
    both = num.merge(den, on=["flow", *PERIOD], suffixes=("", "_world"))
    both = both.rename(columns={"value_usd_m_world": "world_usd_m", "source_id_world": "world_source_id",
                                "conflict_world": "world_conflict"})
    both["share_pct"] = 100 * both["value_usd_m"] / both["world_usd_m"]
    both["derived"] = True
    cols = ["country", "partner", "reporter", "flow", *PERIOD, "partial", "value_usd_m", "world_usd_m", "share_pct",
            "source_id", "world_source_id", "conflict", "world_conflict", "world_summed", "derived"]
    return both[cols].sort_values(["flow", *PERIOD], ignore_index=True)


def latest_share(partners, country="VNM", partner="RUS", reporter="VN", flow="total", sources=None):
    """The share in the latest FULL year with a figure on both sides (partner and world, one reporter), as a
    dict (year, share_pct, value_usd_m, world_usd_m, source_id, world_source_id, reporter), or None.

    For trade_growth: "Russia's share of Vietnam's trade in YEAR (Vietnam's statistics, derived)"."""
    found = shares(partners, country, partner, reporter, sources)
    found = found[(found["flow"] == flow) & ~found["partial"]]
    if found.empty:
        return None
    row = found.iloc[-1]
    return {"year": int(row["year"]), "share_pct": float(row["share_pct"]), "value_usd_m": float(row["value_usd_m"]),
            "world_usd_m": float(row["world_usd_m"]), "source_id": str(row["source_id"]),
            "world_source_id": str(row["world_source_id"]), "reporter": reporter, "flow": flow,
            "world_summed": bool(row["world_summed"])}


def ranks(partners, country="VNM", reporter="VN", flow="total", groups=False, members=None, sources=None):
    """Every partner's computed rank per period among the partners with a figure of the same reporter, flow and
    period: ``rank`` (1 = largest; ties share the best place), ``tied``, ``n_partners``. WLD never counts;
    groups only with ``groups=True``; ``members`` limits the field (e.g. ASEAN members)."""
    top = headline(partners, sources)
    field = top[(top["country"] == country) & (top["reporter"] == reporter) & (top["flow"] == flow)
                & (top["partner"] != "WLD")]
    if not groups:
        field = field[~field["partner"].map(is_group).astype(bool)]
    if members is not None:
        field = field[field["partner"].isin(list(members))]
    field = field.copy()
    by = field.groupby(PERIOD, observed=True)["value_usd_m"]
    field["rank"] = by.rank(method="min", ascending=False).astype("Int64")
    field["n_partners"] = by.transform("size").astype("Int64")
    field["tied"] = field.duplicated([*PERIOD, "value_usd_m"], keep=False)
    return field.sort_values([*PERIOD, "rank", "partner"], ignore_index=True)


def rank_among(partners, subject="RUS", country="VNM", reporter="VN", flow="total", groups=False, members=None,
               sources=None) -> pd.DataFrame:
    """``subject``'s computed rank in each period where it has a figure: ``rank``, ``n_partners``, ``tied``,
    ``ahead`` (the partners above it) and ``label`` ("2nd among the 5 partners with a figure")."""
    every = ranks(partners, country, reporter, flow, groups, members, sources)
    mine = every[every["partner"] == subject].copy()
    ahead = {key: list(g.loc[g["partner"] != subject].query("rank < @r")["partner"])
             for key, g, r in ((k, g, g.loc[g["partner"] == subject, "rank"].iloc[0])
                               for k, g in every.groupby(PERIOD) if (g["partner"] == subject).any())}
    mine["ahead"] = [ahead.get(tuple(k), []) for k in mine[PERIOD].itertuples(index=False, name=None)]
    mine["label"] = [_label(r, n, t) for r, n, t in zip(mine["rank"], mine["n_partners"], mine["tied"], strict=True)]
    return mine.reset_index(drop=True)


def _label(rank, n, tied) -> str:
    if int(n) == 1:
        return "the only partner with a figure"
    return f"{'joint ' if tied else ''}{ordinal(int(rank))} among the {int(n)} partners with a figure"


def stated_vs_computed(partners, sources=None) -> pd.DataFrame:
    """Each stated rank beside the rank computed from values: first from the same source's own figures (same
    country, flow, period, reporter), then from all headline figures of that reporter and period. Columns:
    ``stated``, ``computed_same_source`` + ``n_same_source``, ``computed_all`` + ``n_all``, ``agrees`` (True /
    False where a computed rank from the same source exists, else NA)."""
    stated = partners[partners["rank"].notna()]
    out, fields = [], {}  # the computed ranks of one country, reporter and flow: once, not once per stated rank
    for _, row in stated.iterrows():
        same = partners[(partners["source_id"] == row["source_id"]) & (partners["rank_scope"] == row["rank_scope"])]
        same = same[(same["country"] == row["country"]) & (same["flow"] == row["flow"])
                    & (same["reporter"] == row["reporter"]) & same["value_usd_m"].notna()]
        for col in PERIOD:
            same = same[same[col] == row[col]]
        own = _place(same, row["partner"])
        key = (row["country"], row["reporter"], row["flow"])
        if key not in fields:
            fields[key] = ranks(partners, *key, groups=True, sources=sources)
        field = fields[key]
        for col in PERIOD:
            field = field[field[col] == row[col]]
        everyone = field[field["partner"] == row["partner"]]
        out.append({**{c: row[c] for c in ["country", "partner", "flow", "reporter", *PERIOD, "rank_scope",
                                            "source_id"]},
                    "stated": int(row["rank"]), "computed_same_source": own[0], "n_same_source": own[1],
                    "computed_all": int(everyone["rank"].iloc[0]) if len(everyone) else pd.NA,
                    "n_all": int(everyone["n_partners"].iloc[0]) if len(everyone) else pd.NA})
    table = pd.DataFrame(out, columns=["country", "partner", "flow", "reporter", *PERIOD, "rank_scope", "source_id",
                                       "stated", "computed_same_source", "n_same_source", "computed_all", "n_all"])
    table["agrees"] = [pd.NA if pd.isna(c) else bool(c == s)
                       for s, c in zip(table["stated"], table["computed_same_source"], strict=True)]
    return table


def _place(same: pd.DataFrame, subject) -> tuple:
    """(rank, field size) of ``subject`` among the partners one source gives values for; NA when it gives
    fewer than two or none for the subject."""
    values = same.drop_duplicates("partner").set_index("partner")["value_usd_m"]
    if len(values) < 2 or subject not in values.index:
        return pd.NA, pd.NA
    return int((values > values[subject]).sum()) + 1, len(values)


def growth_vs_world(partners, country="VNM", partner="RUS", reporter="VN", flow="total", sources=None):
    """Did the pair grow faster than ``country``'s trade as a whole? Between consecutive FULL years where the
    reporter gives both figures in both years: ``pair_growth_pct``, ``world_growth_pct``, ``faster`` (derived).
    A gap year breaks the chain; it is never bridged."""
    found = shares(partners, country, partner, reporter, sources)
    found = found[(found["flow"] == flow) & ~found["partial"]].set_index("year")
    rows = []
    for year in found.index:
        if year - 1 in found.index:
            now, before = found.loc[year], found.loc[year - 1]
            pair = 100 * (now["value_usd_m"] / before["value_usd_m"] - 1)
            world = 100 * (now["world_usd_m"] / before["world_usd_m"] - 1)
            rows.append({"year": int(year), "pair_growth_pct": pair, "world_growth_pct": world,
                         "faster": bool(pair > world), "share_pct": now["share_pct"],
                         "share_before_pct": before["share_pct"], "derived": True})
    return pd.DataFrame(rows, columns=["year", "pair_growth_pct", "world_growth_pct", "faster", "share_pct",
                                       "share_before_pct", "derived"])


def asean_ranks(partners, reporter="RU", subject="VNM", sources=None) -> pd.DataFrame:
    """Vietnam's place among Russia's ASEAN partners, per period, in one reporter's statistics (Russia's by
    default): only where at least ``MIN_RANK_FIELD`` members have a figure (the evidence rule); ``label`` says
    among how many of the ten."""
    found = rank_among(partners, subject, "RUS", reporter, "total", members=ASEAN_MEMBERS, sources=sources)
    found = found[found["n_partners"] >= MIN_RANK_FIELD].copy()
    found["label"] = [f"{lab} (of {len(ASEAN_MEMBERS)} members)" for lab in found["label"]]
    return found.reset_index(drop=True)


def _when(year, from_month, months) -> str:
    import calendar

    if int(from_month) == 1 and int(months) == 12:
        return str(int(year))
    return f"{calendar.month_abbr[int(from_month)]}–{calendar.month_abbr[int(months)]} {int(year)}"


def rank_points(partners, subject="RUS", country="VNM", reporter="VN", sources=None) -> pd.DataFrame:
    """``subject``'s ranks among ``country``'s partners for a chart and a table: every stated rank (kind
    "stated", any reporter, its scope in ``label``) and every computed one among at least two partners of
    ``reporter`` with a figure for total trade (kind "computed"). Columns: year, when, x, rank, kind, label,
    source_ids (a list: the stated rank's source, or every figure the computed rank compares), reporter."""
    rows = []
    stated = partners[(partners["country"] == country) & (partners["partner"] == subject) & partners["rank"].notna()]
    for _, r in stated.iterrows():
        rows.append({"year": int(r["year"]), "when": _when(r["year"], r["from_month"], r["months"]),
                     "rank": int(r["rank"]), "kind": "stated", "reporter": r["reporter"],
                     "source_ids": [r["source_id"]], "label": f"{ordinal(int(r['rank']))} of {r['rank_scope']}"})
    field = ranks(partners, country, reporter, "total", sources=sources)
    for key, g in field[field["n_partners"] >= 2].groupby(PERIOD):
        me = g[g["partner"] == subject]
        if me.empty:
            continue
        r = me.iloc[0]
        rows.append({"year": int(key[0]), "when": _when(*key), "rank": int(r["rank"]), "kind": "computed",
                     "reporter": reporter, "source_ids": sorted(set(g["source_id"])),
                     "label": f"{'joint ' if r['tied'] else ''}{ordinal(int(r['rank']))} of {int(r['n_partners'])} "
                              "with a figure"})
    out = pd.DataFrame(rows, columns=["year", "when", "rank", "kind", "label", "source_ids", "reporter"])
    out = out.assign(x=out["year"].astype(float))
    return out.sort_values(["year", "kind", "rank"], ignore_index=True)
