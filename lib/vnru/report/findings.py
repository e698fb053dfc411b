"""Key findings: three to five sentences written from the numbers of one run, shown at the top of a report.

One pure function per notebook takes the frames and values that notebook computed and returns a list of
sentences. A sentence whose numbers are missing is left out, never filled in. ``Slot`` shows the findings
at the top of a notebook although they are computed at its end (an updatable display), and records them.
"""

import html

from vnru.data.conventions import MONTHS, qualified
from vnru.report.formats import count, format_date, money, month_year, ordinal, pct, period
from vnru.report.formats import is_missing as missing
from vnru.report.labels import DIRECTION_WORDS, FLOW_NAMES, LEVEL_NAMES
from vnru.report.labels import REPORTER_COUNTRIES as REPORTER_NAMES

PLACEHOLDER = "Key findings appear here once the notebook has run to its end."


def trade(results: dict, mirror_year=None, mirror_pct=None) -> list:
    """Findings of trade_growth: ``results`` is {reporter: vnru.analysis.trade.key_results(...)} in the order shown;
    the mirror gap (Russia's figure over Vietnam's, %) of its latest common year when both are shown."""
    out = []
    for reporter, r in results.items():
        who = REPORTER_NAMES.get(reporter, reporter)
        if missing(r.get("latest_year"), r.get("latest_value_usd_m")):
            continue
        when = period(r["latest_year"], r.get("latest_months", 12))
        sentence = f"{who}'s statistics put two-way trade at {money(r['latest_value_usd_m'])} in {when}"
        if not missing(r.get("latest_yoy_pct")):
            sentence += f", {pct(r['latest_yoy_pct'])} on the year before"
        out.append(sentence + ".")
    main_reporter, main = next(iter(results.items()), (None, {}))
    who = REPORTER_NAMES.get(main_reporter, main_reporter)
    if not missing(main.get("peak_year"), main.get("peak_value_usd_m")):
        out.append(f"The peak in {who}'s figures is {int(main['peak_year'])}, at {money(main['peak_value_usd_m'])}.")
    if not missing(main.get("cagr_from"), main.get("cagr_to"), main.get("cagr_pct")):
        out.append(f"From {int(main['cagr_from'])} to {int(main['cagr_to'])} {who}'s figure changed by "
                   f"{pct(main['cagr_pct'])} a year on average (CAGR).")
    if not missing(mirror_year, mirror_pct):
        more = "more" if mirror_pct >= 0 else "less"
        out.append(f"In {int(mirror_year)} Russia's statistics record {pct(abs(mirror_pct), signed=False)} {more} "
                   "trade than Vietnam's (the mirror gap).")
    return out[:5]


def products_reported(leaders) -> list:
    """Findings of trade_products in curated mode, from ``vnru.analysis.product_view.leaders``: for each flow and
    reporter, the leading product of its latest full year and the change of leader since its first year."""
    out = []
    for (flow, reporter), lead in leaders.groupby(["flow", "reporter"], sort=True, observed=True):
        lead = lead.sort_values("year")
        first, last = lead.iloc[0], lead.iloc[-1]
        what = f"{FLOW_NAMES.get(flow, flow)} ({REPORTER_NAMES.get(reporter, reporter)}'s figures)"
        sentence = f"The largest reported item of {what} in {int(last['year'])} is {last['product']}"
        if not missing(last["value_usd_m"]):
            sentence += f", at {money(last['value_usd_m'])}"
        out.append(sentence + ".")
        if first["product"] != last["product"]:
            out.append(f"In {int(first['year'])} {first['product']} led {what}; by {int(last['year'])} "
                       f"{last['product']} had taken its place.")
    return out[:5]


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
    return out[:5]


def investment(summaries: dict, league_leader=None, league_date=None, league_precision=None) -> list:
    """Findings of investment_rankings: ``summaries`` is {direction: vnru.analysis.investment.summary(...)}."""
    out = []
    for direction, s in summaries.items():
        subject, scope, capital = DIRECTION_WORDS[direction]
        rank = s.get("latest_rank")
        if not missing(rank, s.get("latest_rank_as_of")):
            when = month_year(s["latest_rank_as_of"], s.get("latest_rank_as_of_precision"))
            sentence = f"In {when} {subject} ranked {ordinal(int(rank))}"
            if not missing(s.get("latest_rank_of")):
                sentence += f" of {int(s['latest_rank_of'])}"
            sentence += f" {scope}"
            if not missing(s.get("latest_percentile")):
                sentence += f" (percentile {s['latest_percentile']:.1f})"
            out.append(sentence + ".")
        if not missing(s.get("latest_capital_usd_m"), s.get("latest_capital_as_of")):
            stated = qualified(money(s["latest_capital_usd_m"]), s.get("latest_capital_qualifier"))
            sentence = (f"{capital} stood at {stated} as reported for "
                        f"{month_year(s['latest_capital_as_of'], s.get('latest_capital_as_of_precision'))}")
            if not missing(s.get("latest_projects")):
                sentence += f", in {count(s['latest_projects'])} projects (latest count)"
            out.append(sentence + ".")
    if not missing(league_leader, league_date):
        out.append(f"The leading investor in Vietnam in the ranking of "
                   f"{month_year(league_date, league_precision)} is {league_leader}.")
    return out[:5]


def timeline(shown, events, start, end, top_visits=None, upcoming=None, window_days=None, as_of=None) -> list:
    """Findings of diplomatic_timeline: ``shown`` the events in the window [start, end], ``events`` all events
    (for the partnership level in force at ``end``), ``upcoming`` the rows of vnru.analysis.timeline.anniversaries."""
    import pandas as pd

    from vnru.analysis import timeline as tl

    out = []
    sentence = f"The timeline holds {count(len(shown))} events from {format_date(start)} to {format_date(end)}"
    if not missing(top_visits):
        sentence += f", {count(top_visits)} of them visits at the top level"
    out.append(sentence + ".")
    level = tl.level_on(events, end)
    words = LEVEL_NAMES.get(level, str(level).replace("_", " "))
    sentence = f"On {format_date(end)} the relationship " + ("has " if level == "none" else "is ") + words
    ups = tl.upgrades(events)
    ups = ups[ups["date"] <= pd.Timestamp(end)]
    if level != "none" and len(ups):
        upgrade = events[events["event_id"] == ups.iloc[-1]["event_id"]].iloc[0]
        sentence += f" (in force since {format_date(upgrade['date'], upgrade['precision'])})"
    out.append(sentence + ".")
    if upcoming is not None and len(upcoming):
        first = upcoming.iloc[0]
        out.append(f"The next round anniversary falls on {first['when']}: {int(first['years'])} years since "
                   f"{str(first['title']).rstrip('.')}.")
    elif not missing(window_days, as_of):
        out.append(f"No round anniversary of a key event falls within {count(window_days)} days of "
                   f"{format_date(as_of)}.")
    return out[:5]


def people(arrivals_latest=None, growth=None, arrivals_peak=None, students=None, community=None) -> list:
    """Findings of people_exchange: ``arrivals_latest`` the latest FULL year of arrivals (vnru.analysis.people.latest:
    year, value_low), ``growth`` vnru.analysis.people.yoy rows (year, yoy_computed_pct), ``arrivals_peak``
    (vnru.analysis.people.peak: year, value), ``students`` (vnru.analysis.people.latest: figure, when), ``community``
    (vnru.analysis.people.ranges: low, high)."""
    out = []
    if arrivals_latest is not None and not missing(arrivals_latest["year"], arrivals_latest["value_low"]):
        year = int(arrivals_latest["year"])
        sentence = f"Vietnam recorded {count(arrivals_latest['value_low'])} visitor arrivals from Russia in {year}"
        change = None if growth is None else growth.loc[growth["year"] == year, "yoy_computed_pct"].dropna()
        if change is not None and len(change):
            sentence += f", {pct(float(change.iloc[0]))} on {year - 1}"
        out.append(sentence + ".")
    if arrivals_peak is not None and not missing(arrivals_peak["year"], arrivals_peak["value"]):
        if out and arrivals_latest is not None and int(arrivals_peak["year"]) == int(arrivals_latest["year"]):
            out[-1] = out[-1][:-1] + ", the highest full-year figure in the data."
        else:
            out.append(f"The peak year for arrivals is {int(arrivals_peak['year'])}, with "
                       f"{count(arrivals_peak['value'])}.")
    if students is not None and not missing(students["figure"], students["when"]):
        out.append(f"The latest count of Vietnamese students in Russia is {students['figure']} ({students['when']}).")
    if community is not None and len(community):
        low, high = float(community["low"].min()), float(community["high"].max())
        if len(community) == 1 and low == high:
            out.append(f"The one estimate of the Vietnamese community in Russia is {count(low)}.")
        else:
            out.append(f"Estimates of the Vietnamese community in Russia range from {count(low)} to {count(high)} "
                       f"({count(len(community))} estimates).")
    return out[:5]


def partners(share=None, growth=None, rank=None, stated=None, claims=None) -> list:
    """Findings of trade_context: ``share`` (vnru.analysis.partners.latest_share), ``growth`` (the latest row of
    growth_vs_world), ``rank`` (the latest rank_among row among two or more partners), ``stated`` (the latest
    stated rank_points row) and ``claims`` (vnru.analysis.partner_claims.claims_summary)."""
    out = []
    if share and not missing(share.get("year"), share.get("share_pct")):
        out.append(f"In {share['year']} Russia accounted for {share['share_pct']:.2f} %"
                   f" of Vietnam's {FLOW_NAMES.get(share['flow'], share['flow'])} in "
                   f"{REPORTER_NAMES.get(share['reporter'], share['reporter'])}'s statistics "
                   f"({money(share['value_usd_m'])} of {money(share['world_usd_m'])}; derived from two sources).")
    if growth is not None and not missing(growth.get("pair_growth_pct"), growth.get("world_growth_pct")):
        pace = "faster" if growth["faster"] else "slower"
        out.append(f"In {int(growth['year'])} trade with Russia changed by {pct(growth['pair_growth_pct'])}, {pace} "
                   f"than Vietnam's trade as a whole ({pct(growth['world_growth_pct'])}).")
    if rank is not None and not missing(rank.get("year"), rank.get("label")):
        out.append(f"In {period(rank['year'], rank['months'], rank['from_month'])} Russia was {rank['label']} "
                   "in Vietnam's statistics (not a full ranking).")
    if stated is not None and not missing(stated.get("when"), stated.get("label")):
        out.append(f"The latest rank a source states for Russia among Vietnam's partners: {stated['label']} "
                   f"({stated['when']}).")
    for _, c in (claims.iterrows() if claims is not None else []):
        years = lambda v: ", ".join(str(y) for y in v) or "no year"
        if c["evidence"]:
            out.append(f"\u201c{c['claim']}\u201d: the data support it for {years(c['supports'])} and contradict it "
                       f"for {years(c['contradicts'])}.")
        else:
            out.append(f"\u201c{c['claim']}\u201d: nothing in the data speaks to it.")
    return out[:5]


def render(sentences):
    """The findings as an HTML block (an IPython HTML object) in ``<div class="vnru-findings">``."""
    from IPython.display import HTML

    return HTML(html_block(sentences))


def html_block(sentences) -> str:
    items = "".join(f"<li>{html.escape(s, quote=False)}</li>" for s in sentences) or \
        "<li>No finding: the window holds no figure to report on.</li>"
    return ('<div class="vnru-findings" style="border-left:4px solid #1f77b4;padding:0.2em 1em;'
            f'margin:0.5em 0;background:#f5f8fc"><h2>Key findings</h2><ul>{items}</ul></div>')


class Slot:
    """The key-findings block shown where it is created (top of a report) and filled in when the findings
    are known (end of the analysis): an updatable display, so the executed notebook keeps them at the top."""

    def __init__(self, display_id: str = "vnru-key-findings"):
        from IPython.display import HTML, display

        self.display_id = display_id
        display(HTML(f'<div class="vnru-findings"><p><em>{html.escape(PLACEHOLDER)}</em></p></div>'),
                display_id=display_id)

    def fill(self, sentences) -> None:
        """Show ``sentences`` in the slot and record them as the result ``key_findings``."""
        from IPython.display import update_display

        from vnru.report.results import record

        sentences = [str(s) for s in sentences]
        update_display(render(sentences), display_id=self.display_id)
        record("key_findings", sentences)

__all__ = [
    "DIRECTION_WORDS", "FLOW_NAMES", "LEVEL_NAMES", "MONTHS", "PLACEHOLDER", "REPORTER_NAMES", "Slot", "count",
    "html_block", "investment", "missing", "money", "ordinal", "partners", "pct", "people", "period",
    "products_composition", "products_reported", "render", "timeline", "trade",
]
