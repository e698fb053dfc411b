"""A report page people forward: the executed notebook's HTML made into a page that stands alone.

``render(notebook, job, entry, to_html)`` works in two steps around nbconvert (``to_html``, the worker's):

- ``prepare`` (on a copy of the notebook): every chart becomes a figure card (vnru.batch.figurecard) with tabs
  *Chart* (the HiDPI download PNG, click to enlarge), *Table* (the data drawn), *Sources* (in full) and
  *Download* (PNG, SVG, CSV, metadata JSON); every named table gets its download links and, when long, shows
  its first rows with a "show all" toggle; the key results move to one place, right after the key findings,
  as a labelled table with units; a cell tagged ``only-mode-NAME`` is left out unless the run recorded
  ``mode`` = NAME among its key results (trade_products' Comtrade-only sections in a curated run); a line
  that only speaks to JupyterLab ("Change the parameters below and
  run all cells") is dropped; a navigation cell (link to the index, contents) follows the title, and an
  "About this report" block (parameters, run time, data checksum and newest source, kit and package
  versions, licence) ends the page.
- ``finish`` (on the HTML): the description meta, the page's own stylesheet and script (inline: the page
  works offline, from one file), the contents filled from the page's section headings, and alt text from
  the nearest heading for any image that has none.

The downloads' metadata JSONs (written by the kernel) get the run's parameters and time here, before the
downloads folder is published with the page.
"""

import copy
import datetime as _dt
import html
import json
import re
from pathlib import Path

from vnru.batch import cards, figurecard, page_style
from vnru.batch.html import esc

__all__ = ["LAB_ONLY", "ONLY_MODE", "finish", "parameters_of", "prepare", "render"]

LAB_ONLY = re.compile(r"^.*\b(run all cells|parameters (cell )?below|change the parameters)\b.*$", re.IGNORECASE | re.MULTILINE)
_TOC_MARK = "<!--vnru-toc-->"
ONLY_MODE = "only-mode-"  # a cell tagged only-mode-NAME is on the page only when the run's ``mode`` result is NAME
_SHOWN_RESULTS = 12  # key results shown at once in a report; the rest fold away


def parameters_of(notebook, overrides=None) -> dict:
    """The parameters the notebook ran with: its parameters cell's defaults, then the values the run set."""
    from vnru.batch.notebooks import parse_parameters

    values = {}
    for cell in notebook.cells:
        if cell.cell_type == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            try:
                parsed = parse_parameters(cell.source)
            except (SyntaxError, ValueError):  # a cell the parser cannot read: the run's values still show
                parsed = []
            values.update({p.name: p.default for p in parsed})
    return values | dict(overrides or {})


def _html_cell(body: str, tag: str):
    """A code cell (input hidden in the report) whose only output is ``body`` as HTML."""
    import nbformat

    cell = nbformat.v4.new_code_cell(source="", metadata={"tags": [tag]})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": body, "text/plain": ""})]
    return cell


def _outputs_html(cell) -> str:
    return "".join(str(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", []))


def _results_section(results: dict, names: dict) -> str:
    rows = cards.labelled_results(results, names)
    if not rows:
        return ""

    def table(part):
        return "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in part)

    head, rest = rows[:_SHOWN_RESULTS], rows[_SHOWN_RESULTS:]
    more = (f'<details><summary>{len(rest)} more key results (all {len(rows)})</summary><table class="vnru-results">{table(rest)}'
            f"</table></details>") if rest else ""
    return (f'<section class="vnru-key-results" id="key-results"><h2 id="Key-results">Key results</h2>'
            f'<table class="vnru-results">{table(head)}</table>{more}</section>')


def _nav(context: dict) -> str:
    facts = context["facts"]
    line = " · ".join(x for x in (f"Run {facts['run_at'][:10]}", f"vnru {facts.get('kit_version', '')}",
                                  f"data as of {facts['newest_source']}" if facts.get("newest_source") else "")
                      if x)
    return (f'<nav class="vnru-nav" aria-label="Report"><a class="vnru-home" href="index.html">\u2190 All reports</a>'
            f'<span class="vnru-stamp">{esc(line)} · <a href="#about">about this report</a></span>'
            f'<details class="vnru-toc" open><summary>Contents</summary>{_TOC_MARK}</details></nav>')


def _about(context: dict) -> str:
    facts, params = context["facts"], context["parameters"]
    rows = "".join(f'<tr><th scope="row"><code>{esc(k)}</code></th><td><code>{esc(json.dumps(v, ensure_ascii=False))}'
                   "</code></td></tr>" for k, v in params.items())
    software = ", ".join(f"{'Python' if k == 'python' else k} {v}" for k, v in (facts.get("software") or {}).items() if v)
    licence = facts.get("licence") or {}
    items = [("Run", facts["run_at"]), ("Notebook", f"{context['name']}.ipynb (executed copy beside this page)"),
             ("Data checksum (sha256)", facts.get("data_sha256") or "unknown"),
             ("Newest source in the data", facts.get("newest_source") or "unknown"),
             ("Kit", f"vnru {facts.get('kit_version', '')}"), ("Software", software or "unrecorded"),
             ("Licence of the data", licence.get("title", ""))]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return (f'<section class="vnru-about" id="about"><h2 id="About-this-report">About this report</h2>'
            f'<details><summary>Parameters, run time, data and software versions</summary><dl>{dl}</dl>'
            f'<h3>Parameters</h3><table class="vnru-results">{rows}</table></details></section>')


def _drop_lab_lines(cell) -> None:
    if cell.cell_type == "markdown":
        cell.source = re.sub(r"\n{3,}", "\n\n", LAB_ONLY.sub("", cell.source)).strip()


def _drop_object_reprs(cell) -> None:
    """Drop a cell's result that is only an object's repr (``<Axes: title=...>`` when a plot call ends a cell):
    console text, not something a reader reads."""
    if cell.cell_type == "code":
        cell.outputs = [o for o in cell.get("outputs", []) if not (
            o.get("output_type") == "execute_result" and set(o.get("data", {})) == {"text/plain"}
            and re.fullmatch(r"<[\w.]+[ :].*>", str(o["data"]["text/plain"]).strip(), flags=re.DOTALL))]


def _is_key_results(cell) -> bool:
    if cell.cell_type == "markdown":  # the heading and its note on how results are recorded: replaced
        return bool(re.fullmatch(r"#+\s*Key results\s*", cell.source.strip().split("\n\n")[0]))
    return cell.cell_type == "code" and "key_results(" in cell.source


def _other_mode(cell, mode) -> bool:
    """Whether ``cell`` belongs to a mode other than the run's (tag ``only-mode-NAME``, NAME != ``mode``)."""
    wanted = [t[len(ONLY_MODE):] for t in cell.get("metadata", {}).get("tags", []) if t.startswith(ONLY_MODE)]
    return bool(wanted) and mode not in wanted


def _table_name(cell):
    found = re.search(r"""name\s*=\s*["']([^"']+)["']""", cell.source) if cell.cell_type == "code" else None
    return found.group(1) if found else None


def prepare(notebook, context: dict):
    """A copy of the executed ``notebook`` made into a page (see the module docstring)."""
    nb = copy.deepcopy(notebook)
    folder, name = context["downloads"], context["name"]
    kept, findings_at = [], None
    charts = figurecard.drawn(folder)
    for cell in nb.cells:
        _drop_lab_lines(cell)
        _drop_object_reprs(cell)
        if _is_key_results(cell) or (cell.cell_type == "markdown" and not cell.source) \
                or _other_mode(cell, context["results"].get("mode")):
            continue
        for output in cell.get("outputs", []):
            figure = figurecard.figure_of(output, charts, folder)
            if figure and folder is not None:
                card = figurecard.card(folder, name, figure, len(kept))
                if card:
                    output["data"] = {"text/html": card, "text/plain": ""}
                    output["metadata"] = {}
        table = _table_name(cell)
        if table and folder is not None:
            figurecard.table_links(cell, folder, name, table)
        figurecard.fold_long_tables(cell, len(kept))
        kept.append(cell)
        if findings_at is None and "vnru-findings" in _outputs_html(cell):
            findings_at = len(kept)
    first_text = next((i for i, c in enumerate(kept) if c.cell_type == "markdown"), -1) + 1
    results = _results_section(context["results"], context["names"])
    if results:
        kept.insert(findings_at if findings_at is not None else first_text, _html_cell(results, "vnru-key-results"))
    kept.insert(first_text, _html_cell(_nav(context), "vnru-nav"))
    kept.append(_html_cell(_about(context), "vnru-about"))
    nb.cells = kept
    return nb


def _description(context: dict, body: str) -> str:
    found = context["results"].get("key_findings")
    if isinstance(found, list) and found:
        text = " ".join(str(s) for s in found[:2])
    else:
        paragraph = re.search(r"<p>(.*?)</p>", body, re.DOTALL)
        text = re.sub(r"<[^>]+>", "", paragraph.group(1)) if paragraph else context.get("title", "")
        text = html.unescape(text)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "\u2026"


def _heading_text(fragment: str) -> str:
    """A heading's text: tags and entities resolved, nbconvert's anchor link (a pilcrow, often ``&#182;``) left out."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\u00b6", "").split())


def finish(body: str, context: dict) -> str:
    """The exported HTML made a standalone page: description, inline style and script, contents, alt texts."""
    headings = [(m.group(1), _heading_text(m.group(2)))
                for m in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', body, re.DOTALL)]
    toc = "".join(f'<li><a href="#{esc(anchor)}">{esc(text)}</a></li>' for anchor, text in headings if text)
    body = body.replace(_TOC_MARK, f"<ol>{toc}</ol>", 1)
    last_heading, parts, at = "", [], 0
    for match in re.finditer(r'<h[1-3][^>]*>(.*?)</h[1-3]>|alt="No description has been provided for this image"',
                             body, re.DOTALL):
        if match.group(0).startswith("<h"):
            last_heading = _heading_text(match.group(1))
            continue
        parts += [body[at:match.start()], f'alt="{esc("Chart: " + (last_heading or context["title"]))}"']
        at = match.end()
    body = "".join(parts) + body[at:]
    head = (f'<meta name="description" content="{esc(_description(context, body))}">\n'
            f"<style>{page_style.CSS}</style>\n<script>{page_style.SCRIPT}</script>\n")
    return body.replace("</head>", head + "</head>", 1)


def render(notebook, job: dict, entry: dict, to_html) -> str:
    """The report page of an executed ``notebook`` (``to_html``: nbconvert, notebook -> HTML)."""
    from vnru.report.provenance import provenance

    name = job["name"]
    folder = Path(job["tmp_dir"]) / name
    facts = provenance(job.get("data_dir")) | {
        "run_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()}
    parameters = parameters_of(notebook, job.get("parameters"))
    title = next((_heading_text(m) for c in notebook.cells if c.cell_type == "markdown"
                  for m in re.findall(r"^#\s+(.+)$", c.source, re.MULTILINE)), name)
    context = {"name": name, "title": title, "facts": facts, "parameters": parameters,
               "results": entry.get("results") or {}, "downloads": folder if folder.is_dir() else None,
               "names": cards.reference_names(job.get("data_dir") or None)}
    if folder.is_dir():
        figurecard.stamp_metadata(folder, {"parameters": parameters, "run_at": facts["run_at"], "report": name})
    return finish(to_html(prepare(notebook, context), job.get("show_code", False)), context)
