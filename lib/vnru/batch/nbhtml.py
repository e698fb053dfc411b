"""An executed notebook as HTML through nbconvert's lab template, at about half of nbconvert's cost per page.

nbconvert's HTMLExporter parses its whole output again with BeautifulSoup, only to give images without alt
text a placeholder and to make input and output areas focusable (``tabindex="0"``): about half of its time
on a report page. :class:`PageExporter` adds the same attributes to the template's output with two regular
expressions. Its exporters (with their compiled templates) are made when this module is imported, so a
worker forked from the fork server, which imports it, starts with them ready.
"""

import re

from jinja2 import DictLoader
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from traitlets.config import Config

from vnru.batch.notebooks import heading
from vnru.report.results import RESULT_TAG

NO_ALT = "No description has been provided for this image"  # nbconvert's placeholder (vnru.batch.page replaces it)
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
_FOCUSABLE = re.compile(r'(<div class="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?:\s[^"]*)?")'
                        r"(?![^>]*\stabindex=)")
_OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
"""


class PageExporter(HTMLExporter):
    """nbconvert's HTML exporter without its BeautifulSoup pass; the attributes that pass adds, added by pattern."""

    def from_notebook_node(self, nb, resources=None, **kw):
        # As HTMLExporter.from_notebook_node (nbconvert 7) up to the template's output
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html = _IMAGE_WITHOUT_ALT.sub(f'<img alt="{NO_ALT}"', html)
        return _FOCUSABLE.sub(r'\1 tabindex="0"', html), resources


def _exporter(show_code: bool) -> PageExporter:
    # recorded results are data for the runner, not text for the reader: their (empty) outputs are dropped
    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_single_output_tags": {RESULT_TAG}}})
    exporter = PageExporter(template_name="lab", config=config, template_file="vnru_report.html.j2",
                            extra_loaders=[DictLoader({"vnru_report.html.j2": _OFFLINE_TEMPLATE})])
    exporter.exclude_input = not show_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.template  # noqa: B018 -- compiled now, once per process
    return exporter


EXPORTERS = {show_code: _exporter(show_code) for show_code in (False, True)}


def to_html(notebook, show_code=False, name="Notebook") -> str:
    """An executed notebook (a loaded nbformat node) as a standalone HTML page (code hidden unless ``show_code``),
    titled with the notebook's first heading, else ``name``."""
    body, _ = EXPORTERS[bool(show_code)].from_notebook_node(
        notebook, resources={"metadata": {"name": heading(notebook) or name}})
    return body


__all__ = ["EXPORTERS", "NO_ALT", "PageExporter", "to_html"]
