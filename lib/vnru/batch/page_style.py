"""The report page's own stylesheet and script, inlined into every page (no CDN, no file beside it needed).

The stylesheet makes the JupyterLab export read as a page (a column of readable width, tables that scroll
inside their own box on a phone), and styles the figure cards, whose tabs are radio buttons (no script).
The script does one thing: a click on a chart shows it enlarged at its full resolution in an overlay that
scrolls on a small screen (Escape or a click closes it); without the script the click opens the PNG file.
"""

__all__ = ["CSS", "SCRIPT"]

CSS = """
:root { --vnru-accent: #1a56c4; --vnru-line: #dadce0; --vnru-muted: #5f6368; }
html { -webkit-text-size-adjust: 100%; }
body.jp-Notebook, body { overflow-x: hidden; }
body > main, .jp-Notebook > main { max-width: 1040px; margin: 0 auto; padding: 0 16px; box-sizing: border-box; }
.jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output,
.jp-RenderedHTMLCommon, .jp-RenderedMarkdown { min-width: 0; max-width: 100%; box-sizing: border-box; }
.jp-OutputArea-output { overflow-x: auto; }
.jp-RenderedHTMLCommon pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.jp-RenderedHTMLCommon img, .jp-OutputArea-output img { max-width: 100%; height: auto; }
.jp-RenderedHTMLCommon ol { padding-left: 3.2em; }
.jp-RenderedMarkdown p, .jp-RenderedMarkdown li { overflow-wrap: anywhere; }
.vnru-scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
.vnru-nav { margin: 4px 0 12px; font-size: 14px; display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: baseline; }
.vnru-nav a { color: var(--vnru-accent); }
.vnru-stamp { color: var(--vnru-muted); font-size: 13px; }
.vnru-toc { flex-basis: 100%; border: 1px solid var(--vnru-line); border-radius: 6px; padding: 6px 12px; }
.vnru-toc summary { cursor: pointer; font-weight: 600; }
.vnru-toc ol { margin: 6px 0; padding-left: 1.6em; columns: 2 18em; }
.vnru-toc li { break-inside: avoid; }
.vnru-key-results h2, .vnru-about h2 { margin-top: 1em; }
table.vnru-results { border-collapse: collapse; font-size: 14px; margin: 6px 0; max-width: 100%; }
.jp-RenderedHTMLCommon table.vnru-results th, table.vnru-results th { text-align: left; font-weight: 500; color: #3c4043; padding: 3px 16px 3px 0;
  vertical-align: top; }
.jp-RenderedHTMLCommon table.vnru-results td, table.vnru-results td { text-align: left; padding: 3px 0; font-variant-numeric: tabular-nums; font-weight: 600; overflow-wrap: anywhere; }
table.vnru-results tr + tr th, table.vnru-results tr + tr td { border-top: 1px solid #eee; }
.vnru-about dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; }
.vnru-about dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 600px) { .vnru-about dl { grid-template-columns: 1fr; } .vnru-about dd { margin-bottom: 6px; } }
.vnru-card { margin: 12px 0 20px; border: 1px solid var(--vnru-line); border-radius: 8px; padding: 10px 12px;
  background: #fff; max-width: 100%; box-sizing: border-box; }
.vnru-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
.vnru-card-title { font-weight: 600; font-size: 15px; margin-bottom: 6px; }
.vnru-tabs { display: flex; flex-wrap: wrap; }
.vnru-tabs > input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.vnru-tabs > label { padding: 6px 12px; cursor: pointer; border-bottom: 2px solid transparent; color: var(--vnru-muted);
  font-size: 14px; }
.vnru-tabs > input:checked + label { border-bottom-color: var(--vnru-accent); color: #202124; font-weight: 600; }
.vnru-tabs > input:focus-visible + label { outline: 2px solid var(--vnru-accent); }
.vnru-panel { display: none; flex-basis: 100%; min-width: 0; padding-top: 8px; border-top: 1px solid var(--vnru-line); }
.vnru-tab-chart:checked ~ .vnru-panel-chart, .vnru-tab-table:checked ~ .vnru-panel-table,
.vnru-tab-sources:checked ~ .vnru-panel-sources, .vnru-tab-download:checked ~ .vnru-panel-download { display: block; }
.vnru-zoom { display: block; cursor: zoom-in; }
.vnru-zoom img { display: block; max-width: 100%; height: auto; }
.vnru-credit, .vnru-licence { font-size: 12px; color: var(--vnru-muted); margin: 4px 0 0; }
.vnru-credit label { color: var(--vnru-accent); text-decoration: underline; cursor: pointer; }
.vnru-cited { font-size: 13px; padding-left: 3.2em; }
.vnru-cited li, .vnru-downloads li { margin: 3px 0; overflow-wrap: anywhere; }
.vnru-downloads { font-size: 14px; }
table.vnru-data { border-collapse: collapse; font-size: 13px; }
table.vnru-data th, table.vnru-data td { padding: 2px 10px; border-bottom: 1px solid #eee; text-align: left;
  white-space: nowrap; }
table.vnru-data td.num { text-align: right; font-variant-numeric: tabular-nums; }
.vnru-fold-toggle { position: absolute; opacity: 0; width: 1px; height: 1px; }
.vnru-fold-toggle:not(:checked) ~ .vnru-folded tbody tr:nth-child(n+13) { display: none; }
.vnru-fold-label { display: inline-block; margin: 4px 0 8px; color: var(--vnru-accent); cursor: pointer; font-size: 13px;
  text-decoration: underline; }
.vnru-fold-toggle:checked ~ .vnru-fold-label .more, .vnru-fold-toggle:not(:checked) ~ .vnru-fold-label .less { display: none; }
.vnru-fold-toggle:focus-visible ~ .vnru-fold-label { outline: 2px solid var(--vnru-accent); }
.vnru-table-download { font-size: 13px; margin: 2px 0 10px; }
.vnru-overlay { position: fixed; inset: 0; background: rgba(20, 20, 20, .85); z-index: 1000; overflow: auto;
  cursor: zoom-out; display: flex; }
.vnru-overlay img { margin: auto; max-width: none; background: #fff; }
@media (min-width: 1200px) { .vnru-overlay img { max-width: 96vw; } }
@media (max-width: 600px) {
  .jp-RenderedHTMLCommon h1 { font-size: 1.6em; }
  .vnru-tabs > label { padding: 6px 8px; }
  body > main, .jp-Notebook > main { padding: 0 8px; }
}
@media print { .vnru-nav, .vnru-tabs > label { display: none; } }
"""

SCRIPT = """
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.vnru-zoom");
  var open = document.querySelector(".vnru-overlay");
  if (open) { open.remove(); event.preventDefault(); return; }
  if (!link) { return; }
  event.preventDefault();
  var overlay = document.createElement("div");
  overlay.className = "vnru-overlay";
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-label", "Enlarged chart (click or Escape to close)");
  var image = link.querySelector("img").cloneNode();
  image.removeAttribute("width"); image.removeAttribute("height"); image.removeAttribute("loading");
  overlay.appendChild(image);
  document.body.appendChild(overlay);
});
document.addEventListener("keydown", function (event) {
  var open = document.querySelector(".vnru-overlay");
  if (open && event.key === "Escape") { open.remove(); }
});
"""
