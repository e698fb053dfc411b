"""Key findings: three to six sentences written from the numbers of one run, shown at the top of a report.

One pure function per notebook takes the frames and values that notebook computed and returns a list of
:class:`Finding` sentences: each is text that carries the values it was built from and the source ids they
rest on, so a finding can be traced to the data (the manifest's ``findings``). A sentence whose numbers are
missing is left out, never filled in. The rules of evidence (headline, latest, leader, breaks, ranges) are
applied before a value reaches a sentence (vnru.analysis.evidence). ``Slot`` shows the findings at the top of
a notebook although they are computed at its end (an updatable display), and records them.
"""

import html
import math


class Finding(str):
    """A finding sentence (it is its text) with ``values`` (name -> the number, date or text it states) and
    ``source_ids`` (the rows of sources.csv its values come from)."""

    def __new__(cls, text, values=None, source_ids=()):
        found = super().__new__(cls, text)
        found.values = dict(values or {})
        found.source_ids = sorted({str(s) for s in source_ids if isinstance(s, str) and s})
        return found

    def record(self) -> dict:
        """``{text, values, source_ids}``: what the manifest keeps of this finding."""
        return {"text": str(self), "values": self.values, "source_ids": self.source_ids}


def records(sentences) -> list:
    """The findings as ``{text, values, source_ids}`` dicts (a plain string carries no values)."""
    return [s.record() if isinstance(s, Finding) else {"text": str(s), "values": {}, "source_ids": []}
            for s in sentences]


PLACEHOLDER = "Key findings appear here once the notebook has run to its end."
REPORTER_NAMES = {"VN": "Vietnam", "RU": "Russia"}
FLOW_NAMES = {"vn_exports": "Vietnam's exports to Russia", "vn_imports": "Vietnam's imports from Russia",
              "total": "two-way trade"}
LEVEL_NAMES = {"none": "no partnership framework", "strategic": "a strategic partnership",
               "comprehensive_strategic": "a comprehensive strategic partnership"}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def missing(*values) -> bool:
    """True when any value is None, NaN, NaT or pandas NA (a sentence needing it is left out)."""
    import pandas as pd

    for value in values:
        if value is None or bool(pd.isna(value)):
            return True
        if isinstance(value, float) and not math.isfinite(value):
            return True
    return False


def money(usd_m) -> str:
    """An amount given in USD million as a reader says it: 'USD 4.57 bn', 'USD 870 m', 'USD 2.5 m'."""
    if abs(usd_m) >= 1000:
        return f"USD {usd_m / 1000:,.2f} bn"
    if abs(usd_m) >= 100:
        return f"USD {usd_m:,.0f} m"
    return f"USD {usd_m:,.1f} m"


def pct(value, signed=True) -> str:
    """A percentage with one decimal: '+26.7 %' (signed) or '81.3 %'."""
    return f"{value:+.1f} %" if signed else f"{value:.1f} %"


def count(value) -> str:
    """A whole number with thousands separators: '232,300'."""
    return f"{round(value):,}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 22nd."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def period(year, months=12, from_month=1) -> str:
    """'2024' for a full year, 'January–November 2025' for part of one."""
    if missing(months) or int(months) == 12:
        return f"{int(year)}"
    first, last = int(from_month), int(from_month) + int(months) - 1
    if first == last:
        return f"{MONTHS[first - 1]} {int(year)}"
    return f"{MONTHS[first - 1]}–{MONTHS[last - 1]} {int(year)}"


def trade(results: dict, mirror_year=None, mirror_pct=None, partial=None, gap=None) -> list:
    """Findings of trade_growth: ``results`` is {reporter: vnru.analysis.trade.key_results(...)} in the order shown;
    the mirror gap (Russia's figure over Vietnam's, %) of its latest common year when both are shown; ``partial``
    {reporter: vnru.analysis.trade.latest_partial(...)}; ``gap`` the rows of vnru.analysis.trade.mirror_gap (its
    range over the years both report, years between series breaks left out)."""
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
    return out[:5]


def products_reported(leaders, rows=None) -> list:
    """Findings of trade_products in curated mode, from ``vnru.analysis.product_view.leaders`` (the leader rule of
    vnru.analysis.evidence: comparable periods only, a source's rank counts, no aggregates): for each flow and
    reporter, the leader of its latest period with one, and the leaders of earlier periods, each for its own
    period (periods of different length are never said to replace one another). With ``rows`` (the reported
    figures), a flow and reporter without any leader says why instead of naming one."""
    out = []
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
    for (flow, reporter), lead in leaders.groupby(["flow", "reporter"], sort=True, observed=True):
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
            out.append(Finding(f"Earlier leaders of {what}, each for its own period: " + "; ".join(parts) + ".",
                               {"periods": [period(r["year"], r["months"], r["from_month"])
                                            for _, r in earlier.iterrows()],
                                "products": earlier["product"].tolist()}, earlier["source_id"]))
    return out[:6]


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


DIRECTION_WORDS = {  # direction: (subject of the rank, the field it is ranked in, whose capital where)
    "ru_in_vn": ("Russia", "among the countries and territories investing in Vietnam",
                 "Russia's registered capital in Vietnam"),
    "vn_in_ru": ("Vietnam's investment in Russia", "among the destinations of Vietnam's investment abroad",
                 "Vietnam's registered capital in Russia")}


def _month_year(date, precision=None) -> str:
    """``Apr 2024``; only the year for a date known to the year (never an invented January)."""
    if not hasattr(date, "strftime"):
        return str(date)
    return str(date.year) if precision == "year" else f"{date:%b} {date.year}"


def investment(summaries: dict, league_leader=None, league_date=None, league_precision=None) -> list:
    """Findings of investment_rankings: ``summaries`` is {direction: vnru.analysis.investment.summary(...)}."""
    out = []
    for direction, s in summaries.items():
        subject, scope, capital = DIRECTION_WORDS[direction]
        rank = s.get("latest_rank")
        if not missing(rank, s.get("latest_rank_as_of")):
            when = _month_year(s["latest_rank_as_of"], s.get("latest_rank_as_of_precision"))
            sentence = f"In {when} {subject} ranked {ordinal(int(rank))}"
            if not missing(s.get("latest_rank_of")):
                sentence += f" of {int(s['latest_rank_of'])}"
            sentence += f" {scope}"
            if not missing(s.get("latest_percentile")):
                sentence += f" (percentile {s['latest_percentile']:.1f})"
            out.append(Finding(sentence + ".", {"rank": rank, "rank_of": s.get("latest_rank_of"),
                                                "as_of": str(s["latest_rank_as_of"])[:10]},
                               [s.get("latest_rank_source")]))
        if not missing(s.get("latest_capital_usd_m"), s.get("latest_capital_as_of")):
            qualifier = s.get("latest_capital_qualifier")
            hedge = "" if missing(qualifier) or qualifier in ("", "exactly") else f"{qualifier} "
            sentence = (f"{capital} stood at {hedge}{money(s['latest_capital_usd_m'])} as reported for "
                        f"{_month_year(s['latest_capital_as_of'], s.get('latest_capital_as_of_precision'))}")
            values = {"capital_usd_m": s["latest_capital_usd_m"], "as_of": str(s["latest_capital_as_of"])[:10]}
            if not missing(s.get("latest_projects")):
                sentence += f", in {count(s['latest_projects'])} projects (latest count)"
                values["projects"] = s["latest_projects"]
            out.append(Finding(sentence + ".", values, [s.get("latest_capital_source")]))
    if not missing(league_leader, league_date):
        out.append(Finding(f"The leading investor in Vietnam in the ranking of "
                           f"{_month_year(league_date, league_precision)} is {league_leader}.",
                           {"investor": league_leader, "as_of": str(league_date)[:10]}))
    return out[:5]


def _event(row) -> str:
    from vnru.analysis import timeline as tl

    return f"{str(row['title']).rstrip('.')} ({tl.format_date(row['date'], row.get('precision'))})"


def timeline(shown, events, start, end, top_visits=None, upcoming=None, window_days=None, as_of=None) -> list:
    """Findings of diplomatic_timeline: ``shown`` the events in the window [start, end], ``events`` all events
    (for the partnership level), ``upcoming`` the rows of vnru.analysis.timeline.anniversaries from ``as_of``.

    The findings depend on the data and the parameters only, never on the day of the run: they name the first
    and last events shown; the level is the one in force at ``end``, or at the last event in the data when
    ``end`` lies beyond it (a window ending "today"); pass ``upcoming``/``as_of`` only for an as_of the user
    chose (an anniversary counted from the run date belongs to the provenance, not to a finding)."""
    import pandas as pd

    from vnru.analysis import timeline as tl

    out = []
    ordered = shown.sort_values(["date", "event_id"]) if len(shown) else shown
    if len(ordered):
        first, last = ordered.iloc[0], ordered.iloc[-1]
        sentence = f"The timeline holds {count(len(shown))} events from {_event(first)} to {_event(last)}"
        if not missing(top_visits):
            sentence += f", {count(top_visits)} of them visits at the top level"
        out.append(Finding(sentence + ".", {"events": len(shown), "first_event": first["event_id"],
                                            "last_event": last["event_id"], "top_visits": top_visits},
                           [first.get("source_id"), last.get("source_id")]))
    newest = events["date"].max() if len(events) else None
    on = pd.Timestamp(end) if newest is None or pd.Timestamp(end) <= newest else newest
    level = tl.level_on(events, on)
    words = LEVEL_NAMES.get(level, str(level).replace("_", " "))
    when = tl.format_date(on) if on == pd.Timestamp(end) else \
        f"the last event in the data ({tl.format_date(on, events.loc[events['date'] == on, 'precision'].iloc[0])})"
    sentence = ("On " if on == pd.Timestamp(end) else "At ") + f"{when} the relationship " + \
        ("has " if level == "none" else "is ") + words
    ups = tl.upgrades(events)
    ups = ups[ups["date"] <= on]
    ids = []
    if level != "none" and len(ups):
        upgrade = events[events["event_id"] == ups.iloc[-1]["event_id"]].iloc[0]
        sentence += f" (in force since {tl.format_date(upgrade['date'], upgrade['precision'])})"
        ids.append(upgrade.get("source_id"))
    out.append(Finding(sentence + ".", {"on": on.date().isoformat(), "level": level}, ids))
    if upcoming is not None and len(upcoming) and as_of is not None:
        first = upcoming.iloc[0]
        out.append(Finding(f"The next round anniversary falls on {first['when']}: {int(first['years'])} years since "
                           f"{str(first['title']).rstrip('.')}.", {"when": first["when"], "years": first["years"]},
                           [first.get("source_id")]))
    elif upcoming is not None and not missing(window_days, as_of):
        out.append(Finding(f"No round anniversary of a key event falls within {count(window_days)} days of "
                           f"{tl.format_date(as_of)}.", {"window_days": window_days, "as_of": str(as_of)[:10]}))
    return out[:5]


def people(arrivals_latest=None, growth=None, arrivals_peak=None, students=None, community=None) -> list:
    """Findings of people_exchange: ``arrivals_latest`` the latest FULL year of arrivals (vnru.analysis.people.latest
    with full_only: year, value_low), ``growth`` vnru.analysis.people.yoy rows (year, yoy_computed_pct),
    ``arrivals_peak`` (vnru.analysis.people.peak: year, value), ``students`` (vnru.analysis.people.latest: figure,
    when; ``range`` where the latest counts disagree), ``community`` (vnru.analysis.people.ranges: low, high).
    A figure is said as the sources' count, never as one country's statistics unless the row says so."""
    out = []
    if arrivals_latest is not None and not missing(arrivals_latest["year"], arrivals_latest["value_low"]):
        year = int(arrivals_latest["year"])
        sentence = f"The latest full-year count is {count(arrivals_latest['value_low'])} visitor arrivals from Russia " \
                   f"in {year}"
        values = {"year": year, "value": arrivals_latest["value_low"]}
        ids = [arrivals_latest.get("source_id")]
        change = None if growth is None else growth.loc[growth["year"] == year, "yoy_computed_pct"].dropna()
        if change is not None and len(change):
            sentence += f", {pct(float(change.iloc[0]))} on {year - 1}"
            values["yoy_pct"] = float(change.iloc[0])
            before = growth[growth["year"] == year - 1]
            ids += [i for i in before["source_id"] if isinstance(i, str)] if "source_id" in before else []
        out.append(Finding(sentence + ".", values, ids))
    if arrivals_peak is not None and not missing(arrivals_peak["year"], arrivals_peak["value"]):
        if out and arrivals_latest is not None and int(arrivals_peak["year"]) == int(arrivals_latest["year"]):
            out[-1] = Finding(out[-1][:-1] + ", the highest full-year figure in the data.", out[-1].values,
                              out[-1].source_ids)
        else:
            out.append(Finding(f"The peak year for arrivals is {int(arrivals_peak['year'])}, with "
                               f"{count(arrivals_peak['value'])}.",
                               {"year": arrivals_peak["year"], "value": arrivals_peak["value"]},
                               [arrivals_peak.get("source_id")]))
    if students is not None and students.get("range"):
        r = students["range"]
        out.append(Finding(f"The latest counts of Vietnamese students in Russia range from {count(r['low'])} to "
                           f"{count(r['high'])} ({r['when']}, {count(r['n_sources'])} sources).",
                           {k: r[k] for k in ("low", "high", "first", "last", "n_sources")}, r["source_ids"]))
    elif students is not None and not missing(students["figure"], students["when"]):
        out.append(Finding(f"The latest count of Vietnamese students in Russia is {students['figure']} "
                           f"({students['when']}).", {"value": students.get("value_low"), "when": students["when"]},
                           [students.get("source_id")]))
    if community is not None and len(community):
        low, high = float(community["low"].min()), float(community["high"].max())
        ids = community.get("source_id", [])
        if len(community) == 1 and low == high:
            out.append(Finding(f"The one estimate of the Vietnamese community in Russia is {count(low)}.",
                               {"value": low}, ids))
        else:
            out.append(Finding(f"Estimates of the Vietnamese community in Russia range from {count(low)} to "
                               f"{count(high)} ({count(len(community))} estimates).",
                               {"low": low, "high": high, "n_estimates": len(community)}, ids))
    return out[:5]


def render(sentences):
    """The findings as an HTML block (an IPython HTML object) in ``<div class="vnru-findings">``."""
    from IPython.display import HTML

    return HTML(html_block(sentences))


def html_block(sentences) -> str:
    """The findings as HTML; a finding's source ids follow it in small type (where its values come from)."""
    def item(s):
        ids = getattr(s, "source_ids", [])
        where = f' <small style="color:#666">[{html.escape(", ".join(ids), quote=False)}]</small>' if ids else ""
        return f"<li>{html.escape(str(s), quote=False)}{where}</li>"

    items = "".join(item(s) for s in sentences) or \
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
        """Show ``sentences`` in the slot and record them as the results ``key_findings`` (the sentences) and
        ``findings`` (each ``{text, values, source_ids}``: the manifest's traceable findings)."""
        from IPython.display import update_display

        from vnru.report.results import record

        sentences = list(sentences)
        update_display(render(sentences), display_id=self.display_id)
        record("key_findings", [str(s) for s in sentences])
        record("findings", records(sentences))

__all__ = [
    "DIRECTION_WORDS",
    "FLOW_NAMES",
    "LEVEL_NAMES",
    "MONTHS",
    "PLACEHOLDER",
    "REPORTER_NAMES",
    "Finding",
    "Slot",
    "count",
    "html_block",
    "investment",
    "missing",
    "money",
    "ordinal",
    "pct",
    "people",
    "period",
    "products_composition",
    "products_reported",
    "records",
    "render",
    "timeline",
    "trade",
]
