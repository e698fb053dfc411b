"""Findings of diplomatic_timeline: the first and last events shown, the level in force, an anniversary."""

import pandas as pd

from vnru.analysis import timeline as tl
from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.formats import count, format_date
from vnru.report.formats import is_missing as missing
from vnru.report.labels import LEVEL_NAMES

__all__ = ["timeline"]


def _event(row) -> str:
    return f"{str(row['title']).rstrip('.')} ({format_date(row['date'], row.get('precision'))})"


def timeline(shown, events, start, end, top_visits=None, upcoming=None, window_days=None, as_of=None) -> list:
    """Findings of diplomatic_timeline: ``shown`` the events in the window [start, end], ``events`` all events
    (for the partnership level), ``upcoming`` the rows of vnru.analysis.timeline.anniversaries from ``as_of``.

    The findings depend on the data and the parameters only, never on the day of the run: they name the first
    and last events shown; the level is the one in force at ``end``, or at the last event in the data when
    ``end`` lies beyond it (a window ending "today"); pass ``upcoming``/``as_of`` only for an as_of the user
    chose (an anniversary counted from the run date belongs to the provenance, not to a finding)."""
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
    if on == pd.Timestamp(end):
        when = format_date(on)
    else:
        when = f"the last event in the data ({format_date(on, events.loc[events['date'] == on, 'precision'].iloc[0])})"
    sentence = ("On " if on == pd.Timestamp(end) else "At ") + f"{when} the relationship " + \
        ("has " if level == "none" else "is ") + words
    ups = tl.upgrades(events)
    ups = ups[ups["date"] <= on]
    ids = []
    if level != "none" and len(ups):
        upgrade = events[events["event_id"] == ups.iloc[-1]["event_id"]].iloc[0]
        sentence += f" (in force since {format_date(upgrade['date'], upgrade['precision'])})"
        ids.append(upgrade.get("source_id"))
    out.append(Finding(sentence + ".", {"on": on.date().isoformat(), "level": level}, ids))
    if upcoming is not None and len(upcoming) and as_of is not None:
        first = upcoming.iloc[0]
        out.append(Finding(f"The next round anniversary falls on {first['when']}: {int(first['years'])} years since "
                           f"{str(first['title']).rstrip('.')}.", {"when": first["when"], "years": first["years"]},
                           [first.get("source_id")]))
    elif upcoming is not None and not missing(window_days, as_of):
        out.append(Finding(f"No round anniversary of a key event falls within {count(window_days)} days of "
                           f"{format_date(as_of)}.", {"window_days": window_days, "as_of": str(as_of)[:10]}))
    return out[:MOST_FINDINGS]
