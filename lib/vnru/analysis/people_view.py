"""What the people_exchange report shows and records, on top of vnru.analysis.people: the indicators drawn or
listed, the figures it leads with, tables as they are shown, and the key results."""

import pandas as pd

from vnru.analysis.people import figure_label, full_years, latest, peak

__all__ = ["DRAWN", "headlines", "of_indicators", "report_results", "shown", "wanted", "with_figures"]


def shown(frame, columns=None, rename=None) -> pd.DataFrame:
    """The ``columns`` of ``frame`` (default all), renamed by ``rename``, as they are: formatting is left to
    ``vnru.show``, the one path to a table (kept for the notebooks; call ``vnru.show`` on the frame instead).

    Columns holding years keep saying so after a rename (``frame.attrs["years"]``), so that ``vnru.show``
    writes 2024, never 2,024."""
    out = frame[list(columns)] if columns else frame
    rename = dict(rename or {})
    years = [rename.get(c, c) for c in out.columns if str(c) == "months" or str(c).endswith("year")]
    out = out.rename(columns=rename).reset_index(drop=True)
    out.attrs["years"] = years
    return out


DRAWN = ("russian_arrivals", "vn_students_in_russia", "russian_scholarships", "vn_community_in_russia",
         "trained_in_ussr_russia")  # the indicators with a chart of their own; the rest are listed


def wanted(selected, chosen) -> list:
    """The ``chosen`` indicators that have a figure in ``selected`` (a ``select`` frame), in the order chosen."""
    present = set(selected["indicator"])
    return [name for name in chosen if name in present]


def of_indicators(frame, names, *, exclude=False, sort=False) -> pd.DataFrame:
    """The rows of ``names`` (all other rows with ``exclude``), sorted by indicator and x with ``sort``."""
    keep = frame["indicator"].isin(list(names))
    rows = frame[~keep if exclude else keep]
    return rows.sort_values(["indicator", "x"]) if sort else rows


def with_figures(frame) -> pd.DataFrame:
    """``frame`` with a ``figure`` column: each figure in words (``figure_label``)."""
    return frame.assign(figure=[figure_label(r) for _, r in frame.iterrows()])


def headlines(ind, arrivals, wanted_, start=None, end=None) -> dict:
    """The figures a report leads with: ``arrivals_latest`` (the latest FULL year of arrivals, None without
    one), ``arrivals_peak`` and the ``latest`` figure of students and of scholarships (None when not
    wanted; ``range`` where the latest counts disagree)."""
    has_arrivals = arrivals is not None and len(arrivals) > 0
    out = {"arrivals_latest": latest(ind, "russian_arrivals", start, end, full_only=True) if has_arrivals else None,
           "arrivals_peak": peak(arrivals) if has_arrivals else None}
    for name in ("vn_students_in_russia", "russian_scholarships"):
        out[name] = latest(ind, name, start, end) if name in wanted_ else None
    return out


def report_results(selected, heads: dict, arrivals=None, marked=None, community=None, trained=None) -> dict:
    """The key results of a people_exchange run, in the order recorded: figures and indicators shown; for
    arrivals the full years, partial figures, years with conflicting figures, the latest full year (figure,
    source), the peak and the events marked; the latest students and scholarships figures (with the range of
    the latest counts where they disagree, else None); the number and range of community estimates; the number
    and extremes of the trained claims. Keys of what is not shown are left out."""
    out = {"figures_shown": len(selected), "indicators_shown": int(selected["indicator"].nunique())}
    if arrivals is not None and len(arrivals):
        last, top = heads["arrivals_latest"], heads["arrivals_peak"]
        out.update(arrivals_full_years=len(full_years(arrivals)),
                   arrivals_partial_figures=int(arrivals["partial"].sum()),
                   arrivals_conflicting_years=int(arrivals.loc[arrivals["conflict"], "year"].nunique()),
                   arrivals_latest_year=None if last is None else last["year"],
                   arrivals_latest_value=None if last is None else last["value_low"],
                   arrivals_latest_source=None if last is None else last["source_id"],
                   arrivals_peak_year=None if top is None else int(top["year"]),
                   arrivals_peak_value=None if top is None else float(top["value"]),
                   arrivals_events=list(marked["label"]))
    for key, name in (("students", "vn_students_in_russia"), ("scholarships", "russian_scholarships")):
        if heads[name]:
            out.update({f"{key}_latest": heads[name]["value_low"], f"{key}_latest_when": heads[name]["when"],
                        f"{key}_latest_source": heads[name]["source_id"],
                        f"{key}_latest_range": heads[name].get("range")})  # where the latest counts disagree
    if community is not None and len(community):
        out.update(community_estimates=len(community), community_low=float(community["low"].min()),
                   community_high=float(community["high"].max()))
    if trained is not None and len(trained):
        out.update(trained_claims=len(trained), trained_min=float(trained["value_low"].min()),
                   trained_max=float(trained["value_low"].max()))
    return out
