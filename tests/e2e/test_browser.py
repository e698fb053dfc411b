"""The published reports in a real browser: Playwright drives Debian's chromium over one `vnru run` of every notebook.

No browser is ever downloaded: the tests use /usr/bin/chromium (`.ci/run` installs it with apt when it can) and
skip, saying why, where it is missing. Full-page screenshots are saved under the test's temp dir for a human look.
"""

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

from fixtures.browser import CHROMIUM, open_page
from fixtures.cli import make_notebook, vnru_cli
from vnru.batch.notebooks import discover
from vnru.paths import NOTEBOOKS_DIR

BAD_TEXT = ("NaN", "<NA>", "NaT", "Traceback", "Warning")
FLOAT_YEAR = re.compile(r"\b(1[89]|20)\d\d\.0\b")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not shutil.which("chromium"),
                                reason="no chromium at /usr/bin/chromium (apt-get install chromium; "
                                       "the tests never download a browser)")






def _broken_images(page) -> list:
    return page.evaluate("Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
                         ".map(i => i.src.slice(0, 80))")


def _text_problems(text: str) -> list:
    found = [bad for bad in BAD_TEXT if bad in text]
    found += sorted({f"float year {m.group(0)}" for m in FLOAT_YEAR.finditer(text)})
    return found


def test_index_links_resolve_and_page_is_clean(reports, browser, tmp_path):
    page, errors = open_page(browser, reports / "index.html", tmp_path / "index.png")
    print(f"screenshot: {tmp_path / 'index.png'}")
    assert errors == []
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert hrefs, "the index links nothing"
    missing = [h for h in hrefs if h.startswith("file:") and not Path(unquote(urlparse(h).path)).exists()]
    assert missing == []
    assert _broken_images(page) == []
    assert _text_problems(page.inner_text("body")) == []
    names = set(discover(NOTEBOOKS_DIR))
    cards = set(page.eval_on_selector_all("section.card", "cards => cards.map(c => c.id)"))
    assert names <= cards
    page.close()


def test_every_report_reads_cleanly(reports, browser, tmp_path):
    problems, with_findings = {}, []
    for html in sorted(reports.glob("*.html")):
        if html.name == "index.html":
            continue
        page, errors = open_page(browser, html, tmp_path / f"{html.stem}.png")
        found = [f"console: {e}" for e in errors] + [f"image not loaded: {s}" for s in _broken_images(page)]
        found += _text_problems(page.inner_text("body"))
        findings = page.locator(".vnru-findings")
        if findings.count():
            with_findings.append(html.stem)
            if not findings.first.is_visible():
                found.append("key findings (.vnru-findings) not visible")
        if found:
            problems[html.stem] = found
        page.close()
    print(f"screenshots: {tmp_path}")
    assert problems == {}, "\n".join(f"{name}: {', '.join(found)}" for name, found in problems.items())
    if not with_findings:
        pytest.skip("no report has key findings (.vnru-findings) yet: the notebooks must add them (issue 13)")
    assert sorted(with_findings) == sorted(discover(NOTEBOOKS_DIR)), "a report has no key findings"


def test_no_executed_notebook_writes_to_stderr(reports):
    noisy = {}
    for path in sorted(reports.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for number, cell in enumerate(nb.cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    noisy.setdefault(path.stem, []).append(f"cell {number}: {output.get('text', '')[:120]!r}")
    assert noisy == {}, "\n".join(f"{name}: {'; '.join(found)}" for name, found in noisy.items())


SHOWCASE = [
    "import vnru\ntargets = vnru.load_targets()\ninvestment = vnru.load_investment()",
    "vnru.record('targets', len(targets))\nvnru.record('latest_target_year', int(targets.target_year.max()))",
    "vnru.show(targets, name='targets')",
    "vnru.show(investment.tail(4))",
    "vnru.show_sources()",
    "vnru.key_results()",
]


def test_show_tables_read_cleanly_and_link_their_sources(browser, tmp_path):
    """The table helper in a real page: clean cells, and every source link lands on an entry of the sources list."""
    make_notebook(tmp_path / "nbs", "showcase", "x = 1", SHOWCASE, title="Showcase")
    out = tmp_path / "out"
    result = vnru_cli("run", "showcase", "--notebooks-dir", str(tmp_path / "nbs"), "--out", str(out), "-q")
    assert result.returncode == 0, result.stderr
    page, errors = open_page(browser, out / "showcase.html", tmp_path / "showcase.png")
    assert errors == []
    assert _text_problems(page.inner_text("body")) == []
    targets = page.locator("table.vnru-table").first
    assert "value (USD m)" in targets.inner_text() and "10,000" in targets.inner_text()
    anchors = page.eval_on_selector_all("table.vnru-table a[href^='#src-']", "a => a.map(x => x.hash.slice(1))")
    assert anchors and all(page.locator(f"[id='{a}']").count() == 1 for a in set(anchors))
    results = page.locator(".vnru-key-results").inner_text()  # the key results, labelled, in their one place
    assert "Latest target year" in results and "2030" in results
    assert (out / "showcase" / "tables" / "targets.csv").read_text().startswith('"')  # one header row, no sources
    meta = json.loads((out / "showcase" / "tables" / "targets.json").read_text())
    assert meta["sources"] and meta["credit"].startswith("Source")  # the citations moved to the metadata JSON
    page.close()
