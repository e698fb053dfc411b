"""Parameter sweeps: one notebook over the cross product of parameter values, one report per combination.

A sweep is a mapping like the parameters of a run (``KEY``, ``NAME.KEY`` or a ``NAME`` section) whose values
are non-empty lists. Every value is converted and checked exactly as ``-p`` would (vnru.batch.notebooks.plan).
Each run's files are named by :func:`slug` from its parameters; the index groups a sweep under one heading
with a comparison table of the recorded results, also written as ``NAME.sweep.csv``.
"""

import csv
import hashlib
import io
import itertools
import json
import re

from vnru.batch import notebooks as nbs
from vnru.errors import UsageError

MAX_SLUG = 120  # characters of a report's file stem (file systems allow 255 with the .ipynb suffix)
MAX_RUNS = 1000  # a sweep larger than this is most likely a mistake in the values
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def parse_option(items) -> dict:
    """``--sweep KEY=V1,V2`` options as ``{KEY: [V1, V2]}`` (text values, converted later like ``-p``)."""
    sweep = {}
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--sweep expects KEY=V1,V2,...; got {item!r}")
        # a key given again adds its values (x=1,2 then x=3,4: four runs); never a silent replacement
        sweep.setdefault(key.strip(), []).extend([] if values == "" else values.split(","))
    return sweep


def split(sources) -> tuple:
    """``(sources, sweeps)``: each source with its ``sweep:`` mappings taken out (top level, or in a
    notebook's section as ``NAME: {sweep: {...}}``), and those mappings as ``(origin, mapping)``."""
    kept, sweeps = [], []
    for origin, mapping in sources:
        if not isinstance(mapping, dict):
            kept.append((origin, mapping))
            continue
        mapping = dict(mapping)
        if isinstance(mapping.get("sweep"), dict):
            sweeps.append((f"{origin}, sweep", mapping.pop("sweep")))
        for name, section in list(mapping.items()):
            if isinstance(section, dict) and isinstance(section.get("sweep"), dict):
                section = dict(section)
                sweeps.append((f"{origin}, section {name}, sweep", {name: section.pop("sweep")}))
                mapping[name] = section
        kept.append((origin, mapping))
    return kept, sweeps


def _items(origin, mapping, known):
    """``(origin, KEY or NAME.KEY, values)`` for each swept parameter of one sweep mapping."""
    if not isinstance(mapping, dict):
        raise UsageError(f"a sweep must be a mapping of parameter names to lists of values ({origin})")
    for key, values in mapping.items():
        key = str(key)
        if key in known and isinstance(values, dict):
            for sub, subvalues in values.items():
                yield f"{origin}, section {key}", f"{key}.{sub}", subvalues
            continue
        yield origin, key, values


def expand(runnable, declared, overrides, sweeps, all_names=(), selected=None) -> list:
    """The runs of a batch: ``{"notebook", "stem", "overrides", "sweep"}``, one per notebook not swept and one
    per combination of swept values (sweep values replace ``overrides``). Usage errors as for ``-p``.

    A sweep is never dropped: within one source a parameter swept twice (``top_n`` and ``NAME.top_n``) is a
    UsageError, and so is a ``NAME.KEY`` sweep of the ``sweep`` option for a notebook the run does not include
    (``selected``, default ``runnable``). A later source's sweep of a parameter replaces an earlier source's,
    as its parameters do (a file's, then the command line's).
    """
    axes = {name: {} for name in runnable}
    known = set(all_names) | set(runnable)
    for origin, mapping in sweeps:
        swept = {}  # (notebook, parameter) -> the key that swept it in this source
        for where, key, values in _items(origin, mapping, known):
            target = key.split(".", 1)[0] if "." in key else None
            if origin == "sweep" and target in known and target not in (selected or runnable):
                raise UsageError(f"sweep {key} is for notebook {target}, which this run does not include; "
                                 f"name it too (vnru run {target} ...)")
            if not isinstance(values, (list, tuple)):
                raise UsageError(f"sweep {key} must be a list of values; got {nbs.shown(values)} ({where})")
            if not values:
                raise UsageError(f"sweep {key} has no values ({where}); give at least one")
            found = {}  # notebook -> parameter -> converted values of this item
            for value in values:
                for name, taken in nbs.plan(runnable, declared, [(where, {key: value})], all_names).items():
                    for param, converted in taken.items():
                        seen = found.setdefault(name, {}).setdefault(param, [])
                        if converted in seen:
                            raise UsageError(f"sweep {key} lists {nbs.shown(value)} twice ({where})")
                        seen.append(converted)
            for name, params in found.items():
                for param in params:
                    if (name, param) in swept:
                        raise UsageError(f"sweep {key} sweeps {name}'s {param} again (as {swept[name, param]}, "
                                         f"{where}); give all its values once")
                    swept[name, param] = key
                axes[name].update(params)  # a later source's sweep of the same parameter replaces an earlier one
    runs = []
    for name in runnable:
        if not axes[name]:
            runs.append({"notebook": name, "stem": name, "overrides": dict(overrides[name]), "sweep": None})
            continue
        keys = list(axes[name])
        for combo in itertools.product(*(axes[name][k] for k in keys)):
            chosen = dict(zip(keys, combo, strict=True))
            runs.append({"notebook": name, "stem": slug(name, chosen), "overrides": overrides[name] | chosen,
                         "sweep": {"keys": keys, "values": chosen}})
    if len(runs) > MAX_RUNS:
        raise UsageError(f"the sweep makes {len(runs)} runs; at most {MAX_RUNS} at once (split it)")
    _unique(runs)
    return runs


def _text(value) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _digest(name, values) -> str:
    text = json.dumps([name, values], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


def slug(name, values) -> str:
    """A readable, file-system-safe stem for ``name`` run with ``values``: ``name--key-value--key-value``.

    Characters outside ``A-Z a-z 0-9 . _ -`` become ``_``. When that loses information, or the stem would pass
    MAX_SLUG characters, it is cut and ends in ``-`` and a 10-digit hash of the parameters (stays unique).
    """
    readable = "--".join([name, *(f"{k}-{_text(v)}" for k, v in values.items())])
    safe = _UNSAFE.sub("_", readable).rstrip(".")
    if safe == readable and len(safe) <= MAX_SLUG:
        return safe
    return f"{safe[: MAX_SLUG - 11]}-{_digest(name, values)}"


def _unique(runs) -> None:
    """Stems that differ only by case (one file on macOS or Windows) get the hash too."""
    counts = {}
    for run in runs:
        counts[run["stem"].lower()] = counts.get(run["stem"].lower(), 0) + 1
    for run in runs:
        if counts[run["stem"].lower()] > 1 and run["sweep"]:
            run["stem"] = f"{run['stem'][: MAX_SLUG - 11]}-{_digest(run['notebook'], run['sweep']['values'])}"


def groups(reports) -> dict:
    """Sweep id -> its reports, in run order, from a manifest's reports."""
    found = {}
    for report in reports:
        swept = report.get("sweep")
        if isinstance(swept, dict) and isinstance(swept.get("id"), str) and isinstance(swept.get("keys"), list):
            found.setdefault(report["sweep"]["id"], []).append(report)
    return found


def csv_name(sweep_id_reports) -> str:
    """The comparison CSV of a sweep: ``NAME.sweep.csv`` beside the index."""
    return f"{sweep_id_reports[0]['name']}.sweep.csv"


def comparison(reports) -> tuple:
    """(columns, rows) of a sweep: run, status, the swept parameters, then every recorded result key."""
    keys = list(reports[0]["sweep"].get("keys") or [])
    results = list(dict.fromkeys(k for r in reports for k in (r.get("results") or {})))
    columns = ["run", "status", *keys, *results]
    rows = [[r.get("stem") or r["name"], r.get("status"), *((r.get("parameters") or {}).get(k) for k in keys),
             *((r.get("results") or {}).get(k) for k in results)] for r in reports]
    return columns, rows


def to_csv(reports) -> str:
    """The comparison table as CSV: numbers as recorded, lists and mappings as JSON, missing values empty."""
    columns, rows = comparison(reports)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v if isinstance(v, (str, int, float)) else _text(v) for v in row])
    return buffer.getvalue()


def render(reports, card) -> str:
    """One sweep's section of the index: heading, comparison table, CSV link, then its cards."""
    from urllib.parse import quote

    from vnru.batch.html import esc, show

    columns, rows = comparison(reports)
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(c, v, r, esc, show)}</td>" for c, v in zip(columns, row, strict=True))
        + "</tr>" for row, r in zip(rows, reports, strict=True))
    keys = ", ".join(reports[0]["sweep"].get("keys") or [])
    csv_file = csv_name(reports)
    return f"""<section class="sweep" id="sweep-{esc(reports[0]['sweep']['id'])}">
<h2>Sweep: {esc(reports[0].get("title") or reports[0]["name"])} — {len(reports)} run{"s" if len(reports) != 1 else ""} over {esc(keys)}</h2>
<p><a href="{esc(quote(csv_file))}">comparison as CSV ({esc(csv_file)})</a></p>
<div class="compare"><table><tr>{head}</tr>{body}</table></div>
<div class="cards">{"".join(card(r) for r in reports)}</div>
</section>"""


def _cell(column, value, report, esc, show) -> str:
    from urllib.parse import quote

    if column == "run":
        page = (report.get("files") or {}).get("html") or (report.get("files") or {}).get("ipynb")
        label = value.removeprefix(f"{report['name']}--")  # the notebook is in the heading
        return f'<a href="{esc(quote(page) if page else "#" + value)}">{esc(label)}</a>'
    return "–" if value is None else esc(show(value))

__all__ = [
    "MAX_RUNS", "MAX_SLUG", "comparison", "csv_name", "expand", "groups", "parse_option", "render", "slug", "split",
    "to_csv",
]
