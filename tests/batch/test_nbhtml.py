"""vnru.batch.nbhtml: nbconvert's page without nbconvert's second parse, the same document."""

import nbformat
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from vnru.batch import nbhtml

PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="


def _notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    nb.cells = [nbformat.v4.new_markdown_cell("# A title\n\nSome *text* and an image ![](x.png)"),
                nbformat.v4.new_code_cell("print('hi')", outputs=[
                    nbformat.v4.new_output("stream", name="stdout", text="hi\n"),
                    nbformat.v4.new_output("display_data", data={"image/png": PIXEL, "text/plain": "<Figure>"}),
                    nbformat.v4.new_output("display_data", data={
                        "text/html": '<p>an <img src="y.png" alt="kept"> and <img src="z.png"></p>'})])]
    return nb


def test_the_page_is_nbconverts_document_without_its_second_parse():
    import copy

    notebook = _notebook()
    for show_code in (False, True):
        reference = HTMLExporter(template_name="lab", template_file=nbhtml.EXPORTERS[show_code].template_file,
                                 extra_loaders=nbhtml.EXPORTERS[show_code].extra_loaders)
        reference.exclude_input, reference.exclude_input_prompt = not show_code, True
        reference.exclude_output_prompt = True
        expected, _ = reference.from_notebook_node(copy.deepcopy(notebook), resources={"metadata": {"name": "A title"}})
        got = nbhtml.to_html(copy.deepcopy(notebook), show_code, "ignored")
        assert str(BeautifulSoup(got, "html.parser")) == str(BeautifulSoup(expected, "html.parser"))
        assert got.count(f'alt="{nbhtml.NO_ALT}"') == 2 and 'alt="kept"' in got and "<title>A title</title>" in got
        assert got.count('tabindex="0"') == expected.count('tabindex="0"') > 0
