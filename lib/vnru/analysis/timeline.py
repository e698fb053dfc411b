"""Diplomatic timeline analysis: pure functions on the frame that ``vnru.load_timeline()`` returns.

Dates with month or year precision carry placeholder days (01); every function here keeps
that honest: labels never show a placeholder day, and anniversaries of such events are dated
only to the month or year that is known.
"""

from itertools import pairwise

import pandas as pd

from vnru.data.conventions import LEVELS, SIDES, date_text, iso_date

# Also the chart's lane order, top to bottom: politics first, then cooperation, then commemoration.
CATEGORIES = ("relations", "treaty", "partnership", "visit", "dialogue", "call", "agreement", "aid",
              "military", "economy", "science", "culture", "anniversary")
TOP_LEVELS = ("head_of_state", "party_leader", "head_of_government")
# Events whose round anniversaries the two sides mark: founding, treaties, partnership upgrades, and the
# Soviet-era milestones still celebrated (Vietsovpetro, Pham Tuan's flight). Charts label these first.
KEY_EVENTS = ("1950-relations", "1994-treaty", "2001-strategic-partnership",
              "2012-comprehensive-partnership", "2015-05-29-fta-signed", "2016-eaeu-fta-in-force",
              "1978-06-29-comecon", "1978-11-03-friendship-treaty", "1980-07-23-soyuz-37",
              "1981-06-19-vietsovpetro-agreement")

# The group of each category (a chart colours its lanes by group; the lane names the category).
CATEGORY_GROUPS = {"relations": "politics", "treaty": "politics", "partnership": "politics", "visit": "contacts",
                   "dialogue": "contacts", "call": "contacts", "agreement": "cooperation", "aid": "cooperation",
                   "military": "cooperation", "economy": "cooperation", "science": "cooperation",
                   "culture": "culture", "anniversary": "commemoration"}
# How important an event is when a chart has room for only some labels (0 = labelled first); see ``importance``.
IMPORTANCE = {"key": 0, "summit": 1, "document": 2, "top_visit": 3, "government_visit": 4, "cooperation": 4,
              "other_visit": 5, "exchange": 5, "contact": 6, "anniversary": 7}
_CATEGORY_TIER = {"relations": "document", "treaty": "document", "partnership": "document", "agreement": "cooperation",
                  "aid": "cooperation", "military": "cooperation", "economy": "exchange", "science": "exchange",
                  "dialogue": "exchange", "call": "contact", "culture": "contact", "anniversary": "anniversary"}


format_date = date_text  # '19 Jun 2024', 'Apr 2015', '2008' (never a fake day); '–' for a missing date


def format_span(row) -> str:
    """The date of an event row, with its end date when it lasted several days (e.g. '19-20 Jun 2024')."""
    start = format_date(row["date"], row["precision"])
    end = row.get("end_date")
    if end is None or pd.isna(end) or row["precision"] != "day" or pd.Timestamp(end) == row["date"]:
        return start
    begin, end = pd.Timestamp(row["date"]), pd.Timestamp(end)
    if (begin.year, begin.month) == (end.year, end.month):
        return f"{begin.day}\u2013{format_date(end)}"
    if begin.year == end.year:
        return f"{begin.day} {begin:%b}\u2013{format_date(end)}"
    return f"{start}\u2013{format_date(end)}"


def _ts(value):
    return None if value is None or value == "" else pd.Timestamp(value)


def summits(events: pd.DataFrame) -> pd.Series:
    """Top-level visits (``TOP_LEVELS``) during which a partnership statement or a treaty was adopted: a
    ``partnership`` or ``treaty`` event dated within the visit (one day either side, for time zones), or in the
    visit's month when the visit is known only to the month. Returns a boolean Series on ``events``' index."""
    documents = events[events["category"].isin(["partnership", "treaty"])]["date"]
    top = (events["category"] == "visit") & events["visit_level"].isin(list(TOP_LEVELS))
    found = pd.Series(False, index=events.index)
    for i, row in events[top].iterrows():
        if row["precision"] == "day":
            end = row["end_date"] if "end_date" in row and pd.notna(row["end_date"]) else row["date"]
            lo, hi = row["date"] - pd.Timedelta(days=1), pd.Timestamp(end) + pd.Timedelta(days=1)
            found[i] = bool(((documents >= lo) & (documents <= hi)).any())
        elif row["precision"] == "month":
            found[i] = bool((documents.dt.to_period("M") == row["date"].to_period("M")).any())
    return found


def importance(events: pd.DataFrame) -> pd.Series:
    """Each event's rank for labelling (0 = most important; ``IMPORTANCE``): the founding, the treaties and the
    partnership upgrades (``KEY_EVENTS`` or a ``partnership_level``) first; then the summits that adopted a
    partnership statement or treaty (``summits``, e.g. Putin's 2024 state visit); then the other statements and
    treaties; then the other head-of-state and party-leader visits; then head-of-government visits and cooperation
    agreements (agreements, aid, military); then the other visits and the economy, science and dialogue events;
    then calls and culture; anniversaries last."""
    visit = (events["category"] == "visit").to_numpy(dtype=bool)
    level = events["visit_level"].astype(object).fillna("").to_numpy()
    tier = events["category"].astype(object).map(_CATEGORY_TIER)
    tier = tier.mask(visit, "other_visit")
    tier = tier.mask(visit & (level == "head_of_government"), "government_visit")
    tier = tier.mask(visit & ((level == "head_of_state") | (level == "party_leader")), "top_visit")
    tier = tier.mask(summits(events), "summit")
    tier = tier.mask(events["partnership_level"].notna() | events["event_id"].isin(KEY_EVENTS), "key")
    return tier.map(IMPORTANCE).fillna(max(IMPORTANCE.values())).astype(int)


def label_order(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` in the order a chart labels them: most important first (``importance``), and among events of
    the same importance the newest first (the latest summit before an older one)."""
    return events.assign(_rank=importance(events)).sort_values(["_rank", "date", "event_id"],
                                                               ascending=[True, False, True]).drop(columns="_rank")

def filter_events(events: pd.DataFrame, start=None, end=None, categories=None) -> pd.DataFrame:
    """Events whose start date lies in [start, end] (either bound optional) and in ``categories``."""
    keep = pd.Series(True, index=events.index)
    if _ts(start) is not None:
        keep &= events["date"] >= _ts(start)
    if _ts(end) is not None:
        keep &= events["date"] <= _ts(end)
    if categories is not None:
        keep &= events["category"].isin(list(categories))
    return events[keep].sort_values(["date", "event_id"]).reset_index(drop=True)


def display_table(events: pd.DataFrame) -> pd.DataFrame:
    """A reader-facing table: formatted dates (honest precision), title, category, place, source."""
    out = pd.DataFrame({"when": [format_span(r) for _, r in events.iterrows()]}, index=events.index)
    for col in ("title", "category", "place", "source_id"):
        out[col] = events[col].fillna("")
    return out.reset_index(drop=True)


def upgrades(events: pd.DataFrame) -> pd.DataFrame:
    """The events that raised the partnership level, oldest first (date, level, event_id)."""
    ups = events.dropna(subset=["partnership_level"]).sort_values("date")
    return ups[["date", "partnership_level", "event_id", "source_id"]].reset_index(drop=True)


def level_on(events: pd.DataFrame, date) -> str:
    """The partnership level in force on ``date``: a step function that changes on each upgrade day."""
    ups = upgrades(events)
    ups = ups[ups["date"] <= pd.Timestamp(date)]
    return "none" if ups.empty else str(ups.iloc[-1]["partnership_level"])


def level_periods(events: pd.DataFrame, start, end) -> pd.DataFrame:
    """The level as consecutive periods clipped to [start, end] (start, end, level), for bands behind charts."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    cuts = [start] + [d for d in upgrades(events)["date"] if start < d <= end] + [end]
    rows = [(a, b, level_on(events, a)) for a, b in pairwise(cuts) if a < b]
    return pd.DataFrame(rows, columns=["start", "end", "level"])


def anniversaries(events: pd.DataFrame, as_of, window_days=365, step=5, maximum=75,
                  keys=KEY_EVENTS) -> pd.DataFrame:
    """Round anniversaries (step, 2*step ... maximum years) of key events falling in [as_of, as_of + window].

    An event known only to the month (year) has its anniversary placed at the first day of
    that month (year) for ordering, and is shown with the same precision.
    """
    as_of = pd.Timestamp(as_of)
    until = as_of + pd.Timedelta(days=window_days)
    rows = []
    for _, ev in events[events["event_id"].isin(list(keys))].iterrows():
        for years in range(step, maximum + 1, step):
            day = ev["date"] + pd.DateOffset(years=years)
            if as_of <= day <= until:
                rows.append({"date": day, "precision": ev["precision"], "years": years,
                             "when": format_date(day, ev["precision"]), "event_id": ev["event_id"],
                             "title": ev["title"], "source_id": ev["source_id"]})
    cols = ["date", "precision", "years", "when", "event_id", "title", "source_id"]
    return pd.DataFrame(rows, columns=cols).sort_values(["date", "event_id"], ignore_index=True)


def top_visits(events: pd.DataFrame) -> pd.DataFrame:
    """Visits at head-of-state, party-leader or head-of-government level."""
    mask = (events["category"] == "visit") & events["visit_level"].isin(list(TOP_LEVELS))
    return events[mask].sort_values("date").reset_index(drop=True)


def visits_by_decade(events: pd.DataFrame, top_only=True) -> pd.DataFrame:
    """Count of visits per decade (index like 1990) and direction (columns vn_to_ru, ru_to_vn), 0 where none."""
    visits = top_visits(events) if top_only else events[events["category"] == "visit"]
    decade = (visits["date"].dt.year // 10 * 10).rename("decade")
    table = pd.crosstab(decade, visits["side"]).reindex(columns=list(SIDES), fill_value=0)
    if not table.empty:
        table = table.reindex(range(table.index.min(), table.index.max() + 1, 10), fill_value=0)
    table.columns.name = None
    return table.astype(int)


def visit_gaps(events: pd.DataFrame, n=5, titles=False) -> pd.DataFrame:
    """The ``n`` longest gaps between consecutive top-level visits (either direction), longest first.

    Gaps are measured start to start, in days; with month/year precision the placeholder day is
    used, so such gaps are approximate and flagged in ``approximate``. ``titles``: the visits by their titles
    (``from_visit``, ``to_visit``: a table for reading) instead of their event ids (``from_event``, ``to_event``).
    """
    columns = ["from_event", "to_event", "from_when", "to_when", "days", "years", "approximate"]
    if titles:
        columns = ["from_when", "from_visit", "to_when", "to_visit", "days", "years", "approximate"]
    visits = top_visits(events)
    if len(visits) < 2:
        return pd.DataFrame(columns=columns)
    prev, nxt = visits.iloc[:-1].reset_index(drop=True), visits.iloc[1:].reset_index(drop=True)
    gaps = pd.DataFrame({
        "from_event": prev["event_id"], "to_event": nxt["event_id"],
        "from_visit": prev["title"], "to_visit": nxt["title"],
        "from_when": [format_date(d, p) for d, p in zip(prev["date"], prev["precision"])],
        "to_when": [format_date(d, p) for d, p in zip(nxt["date"], nxt["precision"])],
        "days": (nxt["date"] - prev["date"]).dt.days,
        "approximate": (prev["precision"] != "day").to_numpy() | (nxt["precision"] != "day").to_numpy(),
    })
    gaps["years"] = (gaps["days"] / 365.25).round(1)
    gaps = gaps.sort_values(["days", "from_event"], ascending=[False, True]).head(n)
    return gaps[columns].reset_index(drop=True)

# --- milestones: the few events a chart over years labels (the trade chart) ---------------------------------------

# The kinds of milestone, most important first; each is a rule on the timeline's columns, not a list of dates.
# ``newest`` picks which step of a cluster comes first: the step that put a free trade agreement in force (after
# the provisions, the signing and the ratifications), the latest state visit; else the earliest (the founding act).
# ``most``: how many of the kind at most (one free trade agreement: its steps are one milestone).
MILESTONE_KINDS = (  # (kind, rule, newest first, most)
    ("partnership upgrade", lambda e: e["partnership_level"].notna(), False, None),
    ("treaty or relations", lambda e: e["category"].isin(("treaty", "relations")), False, None),
    ("free trade agreement", lambda e: e["title"].str.contains("free trade agreement", case=False), True, 1),
    ("state visit", lambda e: (e["category"] == "visit") & (e["visit_level"] == "head_of_state")
     & e["title"].str.contains("state visit", case=False), True, None),
)
MAX_MILESTONES = 6  # "key": at most this many, so that each can carry a readable label


def year_position(events: pd.DataFrame) -> pd.Series:
    """Each event's place on a year axis: year + fraction of the year; a date known only to the year sits at
    mid-year and one known to the month at mid-month (never on a placeholder 1st)."""
    date = events["date"]
    x = date.dt.year + (date.dt.day_of_year - 1) / 365.25
    precision = events["precision"] if "precision" in events else pd.Series("day", index=events.index)
    x = x.where(precision != "month", date.dt.year + (date.dt.month - 0.5) / 12)
    return x.where(precision != "year", date.dt.year + 0.5)


def milestone_label(row, width=22, lines=4) -> str:
    """The label a chart writes at a milestone: its date at its precision, then its title up to the first ';',
    ',' or ' between ', wrapped to ``width`` characters in at most ``lines`` lines (cut with '…')."""
    import re
    import textwrap

    if pd.notna(row.get("partnership_level")):
        title = f"Upgrade to {str(row['partnership_level']).replace('_', ' ')} partnership"
    else:
        title = re.split(r";|,| between ", str(row["title"]), maxsplit=1)[0].strip()
    wrapped = textwrap.wrap(title, width, max_lines=lines, placeholder="…")
    return "\n".join([format_date(row["date"], row["precision"]), *wrapped])


def milestones(events: pd.DataFrame, start, end, choice="key", limit=MAX_MILESTONES) -> pd.DataFrame:
    """The milestones to label on a chart of the years ``start``–``end``: ``choice`` "none" (no rows), a list of
    event ids (those in the window), or "key": up to ``limit`` events picked kind by kind in the order of
    ``MILESTONE_KINDS`` (one of each kind per round, at most ``most`` of a kind), each at least 1/12 of the window (and a year) from the
    ones already picked, so that their labels have room. Columns: the event's, plus ``kind``, ``x`` (its place
    on a year axis, see :func:`year_position`) and ``label`` (:func:`milestone_label`), in date order."""
    window = events[(events["date"].dt.year >= int(start)) & (events["date"].dt.year <= int(end))]
    if isinstance(choice, str) and choice == "none":
        window = window.iloc[0:0]
    window = window.assign(x=year_position(window), kind="chosen")
    if isinstance(choice, str) and choice == "key":
        gap = max(1.0, (int(end) - int(start) + 1) / 12)
        queues = []
        for kind, rule, newest, most in MILESTONE_KINDS:
            found = window[rule(window).fillna(False).astype(bool)] if len(window) else window
            queues.append([(kind, row) for _, row in found.sort_values("date", ascending=not newest).iterrows()])
        most_of = {kind: most for kind, _, _, most in MILESTONE_KINDS}
        picked = {}
        while len(picked) < limit and any(queues):
            for queue in queues:
                while queue and len(picked) < limit:
                    kind, row = queue.pop(0)
                    room = all(abs(row["x"] - x) >= gap for _, x in picked.values())
                    full = most_of[kind] is not None and sum(k == kind for k, _ in picked.values()) >= most_of[kind]
                    if full:
                        queue.clear()
                    elif row["event_id"] not in picked and room:
                        picked[row["event_id"]] = (kind, row["x"])
                        break
        window = window[window["event_id"].isin(list(picked))]
        window = window.assign(kind=[picked[e][0] for e in window["event_id"]])
    elif not isinstance(choice, str):
        window = window[window["event_id"].isin(list(choice))]
    out = window.sort_values("date").reset_index(drop=True)
    return out.assign(label=[milestone_label(row) for _, row in out.iterrows()]) if len(out) else \
        out.assign(label=pd.Series(dtype=object))


def milestone_table(chosen: pd.DataFrame) -> pd.DataFrame:
    """The labelled milestones as a table beside the chart: date at its precision, event, kind, source."""
    return pd.DataFrame({"date": [iso_date(d, p) for d, p in zip(chosen["date"], chosen["precision"])],
                         "event": chosen["title"].to_numpy(), "kind": chosen["kind"].to_numpy(),
                         "source_id": chosen["source_id"].to_numpy()})


__all__ = [
    "CATEGORIES", "CATEGORY_GROUPS", "IMPORTANCE", "KEY_EVENTS", "LEVELS", "MAX_MILESTONES", "MILESTONE_KINDS",
    "SIDES", "TOP_LEVELS", "anniversaries", "display_table", "filter_events", "format_date", "format_span",
    "importance", "label_order", "labelled_table", "level_on", "level_periods", "milestone_label", "milestone_table",
    "milestones", "report_results", "summits", "top_visits", "upgrades", "visit_gaps", "visits_by_decade",
    "year_position",
]



# --- what the diplomatic_timeline notebook shows and records ----------------------------------------------------

def labelled_table(events: pd.DataFrame, labelled=()) -> pd.DataFrame:
    """``display_table`` with a ``labelled`` column: "yes" for the events whose label the chart drew."""
    table = display_table(events)
    table["labelled"] = events["event_id"].isin(list(labelled)).map({True: "yes", False: ""}).to_numpy()
    return table


def report_results(shown: pd.DataFrame, events: pd.DataFrame, end, visits: pd.DataFrame,
                   upcoming: pd.DataFrame) -> dict:
    """The key results of a diplomatic_timeline run, in the order recorded: events in the window, the first and
    last (with the first one's date at its precision), the partnership level on ``end``, top-level visits, and
    the next round anniversary (``upcoming``'s first row) with its date at the event's precision."""
    first = shown.iloc[0] if len(shown) else None
    last = shown.iloc[-1] if len(shown) else None
    coming = None if upcoming.empty else upcoming.iloc[0]
    return {
        "event_count": len(shown),
        "first_event": None if first is None else first.event_id,
        "last_event": None if last is None else last.event_id,
        "first_event_when": None if first is None else format_date(first.date, first.precision),
        "partnership_level": level_on(events, end),
        "top_visit_count": len(visits),
        "next_anniversary": None if coming is None else f"{coming.years}th: {coming.event_id}",
        "next_anniversary_date": None if coming is None else iso_date(coming.date, coming.precision),
    }
