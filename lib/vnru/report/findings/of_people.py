"""Findings of people_exchange: arrivals (latest full year, peak), students, the community."""

from vnru.report.findings.core import MOST_FINDINGS, Finding
from vnru.report.formats import count, pct
from vnru.report.formats import is_missing as missing

__all__ = ["people"]


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
    return out[:MOST_FINDINGS]
