"""Report pages people forward (issue 24) in a real browser: Debian's chromium through Playwright, at a laptop
width (1366 px) and a phone width (390 px), over the session's one run of every notebook.

Every page: description, alt text, a link to the index, contents that land, key results right after the key
findings, no JupyterLab instruction, every figure card's four tabs, the enlarged chart, every link to a file
resolving, no horizontal scrolling and no element past the right edge except inside a box that scrolls
(tables). Every CSV download opens with plain ``pandas.read_csv`` with the types its metadata JSON declares.
Full-page screenshots are saved under the test's temp dir for a human look.
"""

import json
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from fixtures.browser import CHROMIUM, browser, open_page, reports  # noqa: F401 -- the fixtures, shared with the older tests

WIDTHS = (1366, 390)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no chromium at /usr/bin/chromium")

# Elements whose right edge passes the viewport, outside any box that scrolls or clips horizontally.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const boxed = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') {
        if (p !== document.body && p !== document.documentElement) return true; } } return false; };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > width + 1 && !boxed(el)) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
  }
  return out.slice(0, 5);
}"""


def _pages(reports):  # noqa: F811 -- the fixture of the same name
    return sorted(p for p in reports.glob("*.html") if p.name != "index.html")


def _local_files_missing(page) -> list:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [h for h in hrefs if h.startswith("file:") and not Path(unquote(urlparse(h).path)).exists()]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_report_page_stands_alone(reports, browser, tmp_path, width):  # noqa: F811
    problems = {}
    for html in _pages(reports):
        page, errors = open_page(browser, html, width=width, console=False, shot=tmp_path / f"{html.stem}-{width}.png")
        found = list(errors)
        description = page.get_attribute("meta[name=description]", "content") or ""
        if len(description) < 20:
            found.append(f"description meta {description!r}")
        alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.alt)")
        found += [f"image alt {a!r}" for a in alts if not a.strip() or "No description" in a or "\u00b6" in a]
        entries = page.eval_on_selector_all(".vnru-toc a", "links => links.map(a => a.textContent)")
        found += [f"contents entry {e!r}" for e in entries if "\u00b6" in e or not e.strip()]  # no anchor pilcrow
        if page.locator("a[href='index.html']").count() != 1:
            found.append("no link to the index")
        anchors = page.eval_on_selector_all(".vnru-toc a", "links => links.map(a => a.hash.slice(1))")
        if len(anchors) < 3:
            found.append(f"contents: {anchors}")
        found += [f"contents link #{a} lands nowhere" for a in anchors
                  if not page.evaluate("id => !!document.getElementById(id)", unquote(a))]
        order = page.evaluate("""() => { const f = document.querySelector('.vnru-findings');
            const k = document.querySelector('.vnru-key-results');
            return !!f && !!k && !!(f.compareDocumentPosition(k) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
        if not order:
            found.append("key results are not right after the key findings")
        if page.locator(".vnru-key-results").count() != 1 or page.locator("h2:text-is('Key results')").count() != 1:
            found.append("not exactly one Key results section")
        text = page.inner_text("body")
        if "run all cells" in text.lower():
            found.append("a JupyterLab instruction is on the page")
        for needed in ("About this report", "Data checksum (sha256)", "Newest source in the data", "Parameters"):
            if needed not in page.locator("#about").text_content():
                found.append(f"provenance lacks {needed!r}")
        found += [f"missing file {h}" for h in _local_files_missing(page)]
        found += [f"requests the network: {s}" for s in page.eval_on_selector_all(
            "script[src], link[href][rel=stylesheet], img[src^='http']", "xs => xs.map(x => x.src || x.href)")]
        if page.evaluate("document.documentElement.scrollWidth") > width + 1:
            found.append(f"scrolls sideways: {page.evaluate('document.documentElement.scrollWidth')} px")
        found += [f"overflows: {o}" for o in page.evaluate(OVERFLOW_JS)]
        if found:
            problems[html.stem] = found
        page.close()
    print(f"screenshots: {tmp_path}")
    assert problems == {}, "\n".join(f"{name}: {'; '.join(found)}" for name, found in problems.items())


def test_every_chart_is_a_figure_card_whose_tabs_work(reports, browser, tmp_path):  # noqa: F811
    problems, cards = [], 0
    for html in _pages(reports):
        page, _ = open_page(browser, html, width=390, console=False, shot=tmp_path / f"{html.stem}.png")
        stray = page.locator(".jp-OutputArea-output img:not(.vnru-card img)").count()
        if stray:
            problems.append(f"{html.stem}: {stray} chart(s) without a card")
        for card in page.locator("figure.vnru-card").all():
            cards += 1
            name = card.get_attribute("id")
            image = card.locator(".vnru-panel-chart img")
            if not image.is_visible() or image.evaluate("i => i.naturalWidth") < 1.4 * image.evaluate(
                    "i => i.getBoundingClientRect().width"):
                problems.append(f"{name}: the chart is not shown at high density")
            for tab in ("table", "sources", "download", "chart"):
                card.locator(f"label[for='{name}-{tab}']").first.click()
                visible = [t for t in ("chart", "table", "sources", "download")
                           if card.locator(f".vnru-panel-{t}").is_visible()]
                if visible != [tab]:
                    problems.append(f"{name}: tab {tab} shows {visible}")
            links = card.locator(".vnru-panel-download a").evaluate_all("links => links.map(a => a.href)")
            kinds = sorted(h.rsplit(".", 1)[-1] for h in links)
            if kinds != ["csv", "json", "png", "svg"] or any(not Path(unquote(urlparse(h).path)).is_file()
                                                                  for h in links):
                problems.append(f"{name}: downloads {kinds}")
            if card.locator(".vnru-panel-sources li").count() < 1:
                problems.append(f"{name}: no sources listed")
        zoom = page.locator("a.vnru-zoom").first
        if zoom.count():
            zoom.click()
            overlay = page.locator(".vnru-overlay img")
            if not overlay.is_visible() or overlay.evaluate("i => i.getBoundingClientRect().width") < 600:
                problems.append(f"{html.stem}: the enlarged chart is not shown at full size")
            page.keyboard.press("Escape")
            if page.locator(".vnru-overlay").count():
                problems.append(f"{html.stem}: Escape does not close the enlarged chart")
        page.close()
    assert cards >= len(_pages(reports)), "fewer figure cards than reports"
    assert problems == [], "\n".join(problems)


def test_the_index_is_a_front_page(reports, browser, tmp_path):  # noqa: F811
    for width in WIDTHS:
        page, errors = open_page(browser, reports / "index.html", width=width, console=False, shot=tmp_path / f"index-{width}.png")
        assert errors == []
        assert page.locator("section.card").first.get_attribute("id") == "trade_growth"
        first_screen = page.evaluate("() => document.body.innerText.slice(0, 1200)")
        assert "sha256" not in first_screen and str(reports) not in first_screen and "/" not in first_screen.split(
            "About this run")[0]
        assert "Vietnam" in page.locator("header .lede").inner_text()
        thumbs = page.locator("section.card .thumb img")
        assert thumbs.count() == page.locator("section.card").count()
        assert all(t.evaluate("i => i.complete && i.naturalWidth > 0") for t in thumbs.all())
        assert _local_files_missing(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        assert page.evaluate(OVERFLOW_JS) == []
        keys = page.locator("section.card table th").all_inner_texts()
        assert keys and not [k for k in keys if "_" in k and k.strip() not in page.locator(
            "section.card details table th").all_inner_texts()]  # labels in words (parameters keep their names)
        page.close()


def test_every_csv_download_opens_with_plain_read_csv(reports):  # noqa: F811
    checked, problems = 0, []
    for path in sorted(reports.glob("*/*/*.csv")):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        plain = pd.read_csv(path)
        declared = {f["name"]: f["type"] for f in meta["fields"]}
        if list(plain.columns) != list(declared) or str(plain.columns[0]).startswith("#"):
            problems.append(f"{path.name}: header {list(plain.columns)[:4]}")
        for column, kind in declared.items():
            values = plain[column].dropna()
            if kind == "integer" and len(values) and plain[column].notna().all() and plain[column].dtype != "int64":
                problems.append(f"{path.name}: {column} is {plain[column].dtype}, declared integer")
            if kind == "number" and len(values) and not pd.api.types.is_numeric_dtype(values):
                problems.append(f"{path.name}: {column} is {plain[column].dtype}, declared number")
            if column == "year" and kind != "integer":
                problems.append(f"{path.name}: year declared {kind}")
            if kind == "string" and len(values) and values.astype(str).str.fullmatch(r"-?[\d,]+(\.\d+)?").all() \
                    and column not in meta["pandas_read_csv"]["dtype"]:
                problems.append(f"{path.name}: {column} holds numbers as text")
        typed = pd.read_csv(path, **meta["pandas_read_csv"])
        for column, kind in declared.items():
            if kind == "integer" and not pd.api.types.is_integer_dtype(typed[column]):
                problems.append(f"{path.name}: {column} is {typed[column].dtype} read as declared, not whole numbers")
            if kind == "string" and typed[column].notna().any() and not pd.api.types.is_string_dtype(
                    typed[column].dropna()):
                problems.append(f"{path.name}: {column} does not stay text with the declared dtype")
        checked += 1
    assert checked >= 10 and problems == [], "\n".join(problems)


def test_every_report_has_a_real_title(reports, browser):  # noqa: F811
    for html in _pages(reports):
        page = browser.new_page()
        page.goto(html.as_uri())
        assert page.title() not in ("", "Notebook") and page.title().startswith(page.inner_text("h1")[:20])
        page.close()
