"""Findings of trade_growth: the latest figure of each reporter (and a newer part of a year), the peak, the
CAGR with its sources and series breaks, the mirror gap and its range."""

from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.findings.of_partners import share_clause, share_sentence
from vnru.report.formats import count, money, pct, period
from vnru.report.formats import is_missing as missing
from vnru.report.labels import REPORTER_COUNTRIES as REPORTER_NAMES

__all__ = ["trade"]


def trade(results: dict, mirror_year=None, mirror_pct=None, partial=None, gap=None, share=None) -> list:
    """Findings of trade_growth: ``results`` is {reporter: vnru.analysis.trade.key_results(...)} in the order shown;
    the mirror gap (Russia's figure over Vietnam's, %) of its latest common year when both are shown; ``partial``
    {reporter: vnru.analysis.trade.latest_partial(...)}; ``gap`` the rows of vnru.analysis.trade.mirror_gap (its
    range over the years both report, years between series breaks left out); ``share``
    (vnru.analysis.partners.latest_share) Russia's share of Vietnam's trade with both figures and sources, after
    the latest figures (issue 25; none when its reporter is not shown; within the sentence of its reporter's
    latest figure when five sentences are said already)."""
    out = []
    for reporter, r in results.items():
        who = REPORTER_NAMES.get(reporter, reporter)
        if missing(r.get("latest_year"), r.get("latest_value_usd_m")):
            continue
        when = period(r["latest_year"], r.get("latest_months", 12))
        sentence = f"{who}'s statistics put two-way trade at {money(r['latest_value_usd_m'])} in {when}"
        values = {"year": r["latest_year"], "months": r.get("latest_months", 12),
                  "value_usd_m": r["latest_value_usd_m"]}
        if not missing(r.get("latest_yoy_pct")):
            sentence += f", {pct(r['latest_yoy_pct'])} on the year before"
            values["yoy_pct"] = r["latest_yoy_pct"]
            if r.get("latest_across_break"):
                sentence += " (across a series break: the two years rest on different sources)"
        ids = [r.get("latest_source_id")]
        p = (partial or {}).get(reporter)
        newer = p and (p.get("year"), p.get("months")) != (r["latest_year"], r.get("latest_months", 12))
        if newer and not missing(p.get("value_usd_m")):  # a newer part of a year: said with its like-for-like change
            sentence += (f"; the latest figure, for {period(p['year'], p['months'])}, is {money(p['value_usd_m'])} "
                         "(part of a year)")
            if not missing(p.get("prev_value_usd_m"), p.get("change_pct")):
                sentence += (f", {pct(p['change_pct'])} on the same months of {p['year'] - 1} "
                             f"({money(p['prev_value_usd_m'])})")
            values["partial"] = dict(p)
            ids += [p.get("source_id"), p.get("prev_source_id")]
        out.append(Finding(sentence + ".", values, ids))
    shown = [reporter for reporter, r in results.items() if not missing(r.get("latest_year"), r.get("latest_value_usd_m"))]
    weight = share_clause(share) if share and share.get("reporter") in shown else None
    if weight is not None:  # Russia's weight in Vietnam's trade, in statistics the report shows, after the latest figures
        out.append(share_sentence(share))
    main_reporter, main = next(iter(results.items()), (None, {}))
    who = REPORTER_NAMES.get(main_reporter, main_reporter)
    breaks = main.get("breaks") or []
    said = [f"{b['year']} ({money(b['value_usd_m'])} from another source after {money(b['prev_value_usd_m'])} "
            f"in {b['year'] - 1})" for b in breaks]
    break_ids = [i for b in breaks for i in (b["source_id"], b["prev_source_id"])]
    if not missing(main.get("peak_year"), main.get("peak_value_usd_m")):
        out.append(Finding(f"The peak in {who}'s figures is {int(main['peak_year'])}, at "
                           f"{money(main['peak_value_usd_m'])}.",
                           {"year": main["peak_year"], "value_usd_m": main["peak_value_usd_m"]},
                           [main.get("peak_source_id")]))
    if not missing(main.get("cagr_from"), main.get("cagr_to"), main.get("cagr_pct")):
        sentence = (f"From {int(main['cagr_from'])} to {int(main['cagr_to'])} {who}'s figure changed by "
                    f"{pct(main['cagr_pct'])} a year on average (CAGR)")
        ends = [main.get("cagr_from_source_id"), main.get("cagr_to_source_id")]
        if main.get("cagr_source_switches") or breaks:
            sentence += (f"; its two ends rest on different sources and the series switches source "
                         f"{count(main.get('cagr_source_switches') or 0)} times in between")
        if breaks:
            sentence += (f", with series breaks in {' and '.join(said)}: a jump the other reporter does not show, "
                         "so growth across a break compares two sources, not two years")
        values = {k: main.get(k) for k in ("cagr_from", "cagr_to", "cagr_pct", "cagr_source_switches")}
        out.append(Finding(sentence + ".", values | {"breaks": breaks}, ends + break_ids))
    elif breaks:
        out.append(Finding(f"{who}'s series breaks in {' and '.join(said)}: a jump the other reporter does not "
                           "show; growth across a break compares two sources, not two years.", {"breaks": breaks},
                           break_ids))
    if not missing(mirror_year, mirror_pct):
        more = "more" if mirror_pct >= 0 else "less"
        sentence = (f"In {int(mirror_year)} Russia's statistics record {pct(abs(mirror_pct), signed=False)} {more} "
                    "trade than Vietnam's (the mirror gap)")
        values, ids = {"year": mirror_year, "gap_pct": mirror_pct}, []
        if gap is not None and len(gap):
            kept = gap[~gap["at_break"]] if "at_break" in gap else gap
            if len(kept) > 1:
                values.update(gap_min_pct=float(kept["gap_pct"].min()), gap_max_pct=float(kept["gap_pct"].max()),
                              gap_years=len(kept))
                sentence += (f"; over the {count(len(kept))} years both report, the gap runs from "
                             f"{pct(values['gap_min_pct'])} to {pct(values['gap_max_pct'])}")
            last = gap[gap["year"] == mirror_year]
            ids = list(last["source_id_vn"]) + list(last["source_id_ru"])
        out.append(Finding(sentence + ".", values, ids))
    if weight is not None and len(out) > 5:  # no room: the share joins the sentence of its reporter's latest figure
        mine = out.pop(len(shown))
        at = shown.index(share["reporter"])
        host = out[at]
        out[at] = Finding(f"{host[:-1]}; {weight[0]}.", host.values | {"russia_share": mine.values},
                          [*host.source_ids, *mine.source_ids])
    return out[:MOST_FINDINGS]
