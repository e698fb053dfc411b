"""The browsable index of a batch run: one card per report, built from the manifest.

Every string that comes from data, parameters, results or errors goes through ``esc`` (HTML
escaping, quotes included), so a hostile title in a user's data directory shows as text.
"""

from urllib.parse import quote

from vnru.batch.html import esc, show

_CSS = """
:root { --ok: #1b7f3b; --failed: #b3261e; --muted: #5f6368; --line: #dadce0; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #202124;
       background: #f6f7f9; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 20px 32px; }
header h1 { margin: 0 0 6px; font-size: 22px; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0;
            color: var(--muted); font-size: 13px; }
header dd { margin: 0; overflow-wrap: anywhere; }
main { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 18px; padding: 24px 32px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px;
        border-top: 4px solid var(--ok); display: flex; flex-direction: column; gap: 10px; }
.card.failed { border-top-color: var(--failed); }
.card h2 { margin: 0; font-size: 17px; }
.card .name { color: var(--muted); font: 12px ui-monospace, monospace; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
          color: #fff; background: var(--ok); }
.failed .status { background: var(--failed); }
.error { background: #fce8e6; color: var(--failed); padding: 6px 8px; border-radius: 4px;
         font: 12px ui-monospace, monospace; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; color: var(--muted); font-weight: 500; padding: 2px 10px 2px 0; width: 45%;
     vertical-align: top; overflow-wrap: anywhere; }
td { padding: 2px 0; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
td.set { font-weight: 600; }
h3 { margin: 4px 0 0; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.meta { color: var(--muted); font-size: 13px; display: flex; gap: 14px; flex-wrap: wrap; margin-top: auto; }
.meta a { color: #1a56c4; }
.none { color: var(--muted); font-style: italic; font-size: 13px; }
details summary { cursor: pointer; color: #1a56c4; font-size: 13px; margin: 4px 0; }
.sweep { padding: 8px 32px 0; }
.sweep h2 { font-size: 19px; margin: 12px 0 4px; }
.sweep .compare { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.sweep .compare th { width: auto; white-space: nowrap; }
.sweep .compare td { padding-right: 12px; white-space: nowrap; overflow-wrap: normal; }
.sweep .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 18px; padding: 16px 0; }
.vnru-findings { margin: 0; font-size: 14px; }
.downloads p { margin: 4px 0; font-size: 12px; overflow-wrap: anywhere; }
"""


SHOWN_RESULTS = 10  # a card shows the first results a notebook records; the rest fold away


def _rows(rows, marked=()) -> str:
    return "".join(f'<tr><th>{esc(k).replace("_", "_<wbr>")}</th><td{" class=set" if k in marked else ""}>'
                   f'{esc(show(v))}</td></tr>' for k, v in rows)  # long keys break after an underscore


def _table(rows, marked=(), shown=None) -> str:
    """Key/value rows as a table; past ``shown`` rows, the rest sit in a closed <details>."""
    if not rows:
        return '<p class="none">none recorded</p>'
    items = list(rows.items())
    head, rest = (items, []) if shown is None or len(items) <= shown + 2 else (items[:shown], items[shown:])
    table = f"<table>{_rows(head, marked)}</table>"
    if rest:
        table += (f"<details><summary>{len(rest)} more (all {len(items)})</summary>"
                  f"<table>{_rows(rest, marked)}</table></details>")
    return table


def _link(files, kind, label) -> str:
    name = files.get(kind)
    return f'<a href="{esc(quote(name))}">{esc(label)}</a>' if name else ""


def of_this_run(report: dict, manifest: dict) -> bool:
    """Whether ``report`` was made by the run of ``manifest``, not kept from an earlier run into the directory.

    Runs are told apart by their unique ``run_id``: two runs can start in the same second.
    """
    if manifest.get("run_id"):
        return report.get("run_id") == manifest["run_id"]
    return report.get("run_at") in (None, manifest.get("started"))  # a manifest from before run ids


def card(report: dict, run_data_sha256=None, earlier=False) -> str:
    """One report's card: title, status, error, key results, parameters (set ones in bold), links.

    ``earlier``: the report is kept from an earlier run (the card says when it ran).
    """
    status = report.get("status", "failed")
    data = report.get("data_sha256")
    other_data = (f'<div class="name">data: {esc(report.get("data_dir"))} (sha256 {esc((data or "?")[:12])})</div>'
                  if data != run_data_sha256 else "")
    if earlier and report.get("run_at"):
        other_data += f'<div class="name">from an earlier run: {esc(report["run_at"])}</div>'
    files = report.get("files") or {}
    duration = report.get("duration_s")
    error = f'<div class="error">{esc(report["error"])}</div>' if report.get("error") else ""
    links = " ".join(x for x in (_link(files, "html", "report"), _link(files, "ipynb", "notebook (.ipynb)")) if x)
    from vnru.batch import cards as cardparts

    results = cardparts.card_results(report.get("results"))
    stem = report.get("stem") or report.get("name")
    return f"""<section class="card {esc(status)}" id="{esc(stem)}">
<div><span class="status">{esc(status)}</span></div>
<h2>{esc(report.get("title") or report.get("name"))}</h2>
<div class="name">{esc(stem)}.ipynb</div>
{other_data}{cardparts.cache_note(report)}{error}{cardparts.findings(report.get("results"))}
<h3>Key results</h3>
{_table(results, shown=SHOWN_RESULTS)}
<h3>Parameters</h3>
{_table(report.get("parameters") or {}, marked=set(report.get("overrides") or {}))}
<div class="meta"><span>{esc(f"{duration:.1f} s" if isinstance(duration, (int, float)) else "")}</span>
{links or '<span class="none">no output kept</span>'}</div>
{cardparts.downloads(report)}
</section>"""


def render_index(manifest: dict) -> str:
    """The whole index.html page for a run's manifest."""
    reports = manifest.get("reports", [])
    failed = sum(r.get("status") != "ok" for r in reports if of_this_run(r, manifest))
    now = sum(of_this_run(r, manifest) for r in reports)
    summary = f"{now - failed} ok, {failed} failed" if failed else f"{now} ok"
    summary += f"; {len(reports) - now} kept from earlier runs" if len(reports) > now else ""
    facts = {
        "Run": f"{manifest.get('started', '')} → {manifest.get('finished', '')} ({manifest.get('duration_s', 0):.1f} s)",
        "Reports": summary,
        "Data": manifest.get("data_dir"),
        "Data sha256": manifest.get("data_sha256") or "unavailable",
        "Kit": f"vnru {manifest.get('kit_version', '')}",
        "Software": " · ".join(f"{'Python' if name == 'python' else name} {version}"
                               for name, version in (manifest.get("software") or {}).items() if version) or "unrecorded",
    }
    meta = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts.items())
    from vnru.batch import sweep

    def card_of(r):
        return card(r, manifest.get("data_sha256"), not of_this_run(r, manifest))

    grouped = sweep.groups(reports)
    in_sweeps = {id(r) for group in grouped.values() for r in group}
    cards = "\n".join(card_of(r) for r in reports if id(r) not in in_sweeps)
    sweeps = "\n".join(sweep.render(group, card_of) for group in grouped.values())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vnru reports</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Vietnam–Russia relations: reports</h1>
<dl>{meta}</dl>
</header>
{sweeps}
<main>
{cards}
</main>
</body>
</html>
"""

__all__ = [
    "SHOWN_RESULTS", "card", "of_this_run", "render_index",
]
