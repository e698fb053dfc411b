"""Findings of trade_products: leaders of the reported figures (curated mode) and the composition of a
full year (composition mode)."""

from vnru.data.conventions import REPORTERS
from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.formats import count, money, pct, period
from vnru.report.formats import is_missing as missing
from vnru.report.labels import FLOW_NAMES
from vnru.report.labels import REPORTER_COUNTRIES as REPORTER_NAMES

__all__ = ["products_composition", "products_reported"]



def products_reported(leaders, rows=None) -> list:
    """Findings of trade_products in curated mode, from ``vnru.analysis.product_view.leaders`` (the leader rule of
    vnru.analysis.evidence: comparable periods only, a source's rank counts, no aggregates): for each flow and
    reporter, the leader of its latest period with one, and the leaders of earlier periods, each for its own
    period (periods of different length are never said to replace one another). With ``rows`` (the reported
    figures), a flow and reporter without any leader says why instead of naming one. Vietnam's statistics before
    Russia's (``REPORTERS``, each reporter apart); at most five sentences: the earlier leaders give way first, the
    headline reporter's kept longest (issue 24: reporter "both" shows both, never mixed)."""
    out, earlier_found, rank = [], [], {r: i for i, r in enumerate(REPORTERS)}
    if rows is not None:
        named = set(zip(leaders["flow"], leaders["reporter"], strict=True))
        for (flow, reporter), mine in rows.groupby(["flow", "reporter"], sort=True, observed=True):
            valued = mine.dropna(subset=["value_usd_m"])
            if (flow, reporter) in named or valued.empty:
                continue
            top = valued.sort_values("value_usd_m", ascending=False).iloc[0]
            name = top.get("group_name", top["product"])
            out.append(Finding(
                f"No leader of {_flow_of(flow, reporter)} can be named: the sources never report two products for "
                f"the same period; the largest single figure is {name}, {money(top['value_usd_m'])} in "
                f"{period(top['year'], top['months'], top['from_month'])}.",
                {"product": name, "value_usd_m": top["value_usd_m"], "year": top["year"], "months": top["months"]},
                [top["source_id"]]))
    groups = sorted(leaders.groupby(["flow", "reporter"], sort=True, observed=True),
                    key=lambda group: (group[0][0], rank.get(group[0][1], len(rank))))
    for (flow, reporter), lead in groups:
        lead = lead.assign(months=lead.get("months", 12),
                           from_month=lead.get("from_month", 1))
        lead = lead.sort_values(["year", "months"])
        last = lead.iloc[-1]
        what = _flow_of(flow, reporter)
        when = period(last["year"], last["months"], last["from_month"])
        sentence = f"The largest reported item of {what} in {when} is {last['product']}"
        if not missing(last["value_usd_m"]):
            sentence += f", at {money(last['value_usd_m'])}"
        by, compared = last.get("by"), last.get("compared")
        if by == "source rank":
            sentence += " (ranked first among products by its source)"
        elif not missing(compared):
            sentence += f" (the largest of the {count(compared)} items the sources report for that period)"
        values = {"year": last["year"], "months": last["months"], "product": last["product"],
                  "value_usd_m": None if missing(last["value_usd_m"]) else float(last["value_usd_m"])}
        out.append(Finding(sentence + ".", values, [last["source_id"]]))
        earlier = lead.iloc[:-1]
        if len(earlier):
            parts = [f"{name} in " + ", ".join(period(r["year"], r["months"], r["from_month"])
                                               for _, r in rows.iterrows())
                     for name, rows in earlier.groupby("product", sort=False)]
            earlier_found.append((len(out), rank.get(reporter, len(rank)), Finding(
                f"Earlier leaders of {what}, each for its own period: " + "; ".join(parts) + ".",
                {"periods": [period(r["year"], r["months"], r["from_month"]) for _, r in earlier.iterrows()],
                 "products": earlier["product"].tolist()}, earlier["source_id"])))
    kept = sorted(earlier_found, key=lambda e: (e[1], e[0]))[:max(MOST_FINDINGS - len(out), 0)]
    for position, _, finding in sorted(kept, key=lambda e: e[0], reverse=True):  # from the end: positions hold
        out.insert(position, finding)
    return out[:MOST_FINDINGS]


def _flow_of(flow, reporter) -> str:
    return f"{FLOW_NAMES.get(flow, flow)} ({REPORTER_NAMES.get(reporter, reporter)}'s figures)"


def products_composition(year, reporter, detail, shares, hhi=None, parts=None) -> list:
    """Findings of trade_products in composition mode for ``year`` and one ``reporter``, per flow: the total,
    the largest product and its share (``detail``: rows of that year, largest first; ``shares``: all products),
    the HHI (``hhi`` rows) and the change of the total with its largest contributor (``parts``, largest first)."""
    out = []
    for flow, best in detail[detail["reporter"] == reporter].groupby("flow", sort=True, observed=True):
        lead = best.iloc[0]
        total = shares.loc[(shares["flow"] == flow) & (shares["reporter"] == reporter) & (shares["year"] == year),
                           "value_usd_m"].sum()
        if missing(lead["share_pct"]):
            continue
        sentence = (f"In {int(year)} {_flow_of(flow, reporter)} totalled {money(total)}; the largest product, "
                    f"HS {lead['hs_code']} ({lead['name']}), made up {pct(lead['share_pct'], signed=False)}")
        index = None if hhi is None else hhi.loc[(hhi["flow"] == flow) & (hhi["reporter"] == reporter)
                                                 & (hhi["year"] == year), "hhi"].dropna()
        if index is not None and len(index):
            sentence += f" and the concentration index (HHI) is {float(index.iloc[0]):,.0f}"
        out.append(sentence + ".")
        mine = None if parts is None else parts[(parts["flow"] == flow) & (parts["reporter"] == reporter)
                                                & (parts["year"] == year)]
        if mine is not None and len(mine) and not missing(mine["total_growth_pct"].iloc[0]):
            top = mine.iloc[0]
            out.append(f"{FLOW_NAMES.get(flow, flow)} changed by {pct(float(top['total_growth_pct']))} on "
                       f"{int(year) - 1}; HS {top['hs_code']} ({top['name']}) contributed most.")
    return out[:MOST_FINDINGS]
