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
header .lede { max-width: 62em; margin: 6px 0 4px; font-size: 15px; color: #3c4043; }
header details { margin-top: 6px; }
.card h2 a { color: inherit; text-decoration: none; }
.card h2 a:hover { text-decoration: underline; }
.thumb { display: block; margin: -4px -6px 0; border: 1px solid var(--line); border-radius: 4px; overflow: hidden;
         background: #fff; }
.thumb img { display: block; width: 100%; height: auto; aspect-ratio: 16 / 9; object-fit: contain; }
.card.ok .status { display: none; }
@media (max-width: 600px) {
  header, main, .sweep { padding-left: 12px; padding-right: 12px; }
  main, .sweep .cards { grid-template-columns: minmax(0, 1fr); }
  header dl { grid-template-columns: 1fr; }
}
"""

DEFAULT_ORDER = ("trade_growth", "trade_context", "trade_products", "investment_rankings", "people_exchange", "diplomatic_timeline")
# the front page's order when a notebook does not declare its own (``metadata.vnru.order`` in the .ipynb)


SHOWN_RESULTS = 6  # a card shows the first results a notebook records; the rest fold away


def _rows(rows, marked=()) -> str:
    return "".join(f'<tr><th>{esc(k).replace("_", "_<wbr>")}</th><td{" class=set" if k in marked else ""}>'
                   f'{esc(show(v))}</td></tr>' for k, v in rows)  # long keys break after an underscore


def _table(rows, marked=(), shown=None, labelled=False) -> str:
    """Key/value rows as a table; past ``shown`` rows, the rest sit in a closed <details>.

    ``labelled``: ``rows`` is a list of (label, text) for readers (cards.labelled_results), shown as they are."""
    if not rows:
        return '<p class="none">none recorded</p>'
    items = list(rows) if labelled else list(rows.items())
    head, rest = (items, []) if shown is None or len(items) <= shown + 2 else (items[:shown], items[shown:])

    def body(part):
        if labelled:
            return "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in part)
        return _rows(part, marked)

    table = f"<table>{body(head)}</table>"
    if rest:
        table += (f"<details><summary>{len(rest)} more (all {len(items)})</summary>"
                  f"<table>{body(rest)}</table></details>")
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


def _thumbnail(report: dict, title: str) -> str:
    """The report's first chart (in drawn order), linked to the report; "" when it has none."""
    figures = (report.get("downloads") or {}).get("figures") if isinstance(report.get("downloads"), dict) else None
    first = next((p for p in figures or [] if isinstance(p, str) and p.endswith(".png")), None)
    if not first:
        return ""
    target = (report.get("files") or {}).get("html")
    image = f'<img src="{esc(quote(first))}" alt="{esc("Chart from " + title)}" width="600" height="330">'
    return f'<a class="thumb" href="{esc(quote(target))}">{image}</a>' if target else f'<div class="thumb">{image}</div>'


def card(report: dict, run_data_sha256=None, earlier=False, names=None) -> str:
    """One report's card: chart thumbnail, title, key findings, key results in words with units; parameters,
    data and timing folded away; links and downloads.

    ``earlier``: the report is kept from an earlier run (the card says when it ran). ``names``: ids -> names
    (cards.reference_names) for results that hold an event or a source id.
    """
    status = report.get("status", "failed")
    data = report.get("data_sha256")
    other_data = (f'<div class="name">data: {esc(report.get("data_dir"))} (sha256 {esc((data or "?")[:12])})</div>'
                  if data != run_data_sha256 else "")
    when = f'<div class="name">from an earlier run: {esc(report["run_at"])}</div>' if earlier and report.get(
        "run_at") else ""
    files = report.get("files") or {}
    duration = report.get("duration_s")
    error = f'<div class="error">{esc(report["error"])}</div>' if report.get("error") else ""
    links = " ".join(x for x in (_link(files, "html", "read the report"), _link(files, "ipynb", "notebook (.ipynb)"))
                     if x)
    from vnru.batch import cards as cardparts

    results = cardparts.labelled_results(report.get("results"), names)
    stem = report.get("stem") or report.get("name")
    title = report.get("title") or report.get("name")
    heading = f'<a href="{esc(quote(files["html"]))}">{esc(title)}</a>' if files.get("html") else esc(title)
    seconds = f"{duration:.1f} s" if isinstance(duration, (int, float)) else "not timed"
    return f"""<section class="card {esc(status)}" id="{esc(stem)}">
<div><span class="status">{esc(status)}</span></div>
{_thumbnail(report, str(title))}
<h2>{heading}</h2>
{when}{cardparts.cache_note(report)}{error}{cardparts.findings(report.get("results"), report.get("findings"))}
<h3>Key results</h3>
{_table(results, shown=SHOWN_RESULTS, labelled=True)}
<details><summary>Parameters and provenance</summary>
<div class="name">{esc(stem)}.ipynb · ran in {esc(seconds)}</div>{other_data}
{_table(report.get("parameters") or {}, marked=set(report.get("overrides") or {}))}
</details>
<div class="meta">{links or '<span class="none">no output kept</span>'}</div>
{cardparts.downloads(report)}
</section>"""


def declared_order(manifest: dict) -> dict:
    """Notebook name -> its place on the front page: ``metadata.vnru.order`` of each notebook in the run's
    notebooks folder, else its place in DEFAULT_ORDER; others follow, by name."""
    import json
    from pathlib import Path

    folder = Path(manifest.get("notebooks_dir") or ".")
    order = {}
    for report in manifest.get("reports", []):
        name = str(report.get("name"))
        try:
            meta = json.loads((folder / f"{name}.ipynb").read_text(encoding="utf-8")).get("metadata", {})
            declared = meta.get("vnru", {}).get("order")
        except (OSError, ValueError, AttributeError):
            declared = None
        if isinstance(declared, (int, float)) and not isinstance(declared, bool):
            order[name] = float(declared)
        elif name in DEFAULT_ORDER:
            order[name] = float(DEFAULT_ORDER.index(name))
    return order


def _lede(manifest: dict) -> str:
    """What the kit and its data are, in two sentences (with the data's own counts when it can be read)."""
    data = ""
    try:
        from vnru.batch.cards import source_facts

        count, newest = source_facts(manifest.get("data_dir") or None)
        data = (f" Every figure cites one of {count:,} named documents"
                f"{f' (the newest from {newest})' if newest else ''}; where Vietnam's and "
                f"Russia's statistics disagree, both are kept and shown.")
    except Exception:  # noqa: BLE001 -- the sentence is a nicety: without readable data it says less
        data = " Every figure cites a named source; where the two sides' statistics disagree, both are kept."
    return ("<p class=\"lede\">Reports from <strong>vnru</strong>, a notebook kit on Vietnam–Russia relations: trade, products, "
            "investment, diplomatic events and people-to-people ties, drawn from a curated data package of news "
            f"and official sources.{esc(data)}</p>")


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
    from vnru.batch import cards as cardparts
    stopped = (f'<p class="error">This run was stopped (Ctrl-C or a signal) with {now} of '
               f'{esc(manifest.get("planned", "?"))} planned notebooks finished: only those are from this run; '
               "every other report here is from an earlier run.</p>") if manifest.get("stopped") else ""
    from vnru.batch import sweep

    names = cardparts.reference_names(manifest.get("data_dir") or None) if reports else {}
    places = declared_order(manifest)
    reports = sorted(reports, key=lambda r: (places.get(str(r.get("name")), float("inf")), str(r.get("name"))))

    def card_of(r):
        return card(r, manifest.get("data_sha256"), not of_this_run(r, manifest), names)

    grouped = sweep.groups(reports)
    in_sweeps = {id(r) for group in grouped.values() for r in group}
    cards = "\n".join(card_of(r) for r in reports if id(r) not in in_sweeps)
    sweeps = "\n".join(sweep.render(group, card_of) for group in grouped.values())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Reports on Vietnam–Russia relations from a sourced data package: trade, investment, diplomacy, people.">
<title>vnru reports</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Vietnam–Russia relations: reports</h1>
{_lede(manifest) if reports else ""}
{stopped}
<details><summary>About this run: {esc(summary)}</summary><dl>{meta}</dl></details>
</header>
{sweeps}
<main>
{cards}
</main>
</body>
</html>
"""

__all__ = [
    "DEFAULT_ORDER", "SHOWN_RESULTS", "card", "declared_order", "of_this_run", "render_index",
]
