"""papermill's error banners on a notebook that failed without one (stopped at its timeout, output cap, dead kernel).

papermill marks a notebook whose cell raised: a red line at the top ("An Exception was encountered at In [N]")
linking to a red line just before that cell. A notebook the runner stopped has no error output, so papermill
adds nothing and its page would read as a complete report. :func:`mark_failure` adds the same two cells (same
tag, same anchor, so papermill's ``remove_error_markers`` and readers of either tool treat them alike) with the
reason, and a ``vnru:`` line on stderr in the cell where it stopped.
"""

import html

from papermill.execute import ERROR_ANCHOR_MSG, ERROR_MARKER_TAG, ERROR_STYLE


def _stopped_at(notebook):
    """Index of the code cell the notebook stopped in: the last one that started (None: none started)."""
    started = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"
               and cell.metadata.get("papermill", {}).get("start_time")]
    return started[-1] if started else None


def mark_failure(notebook, why: str) -> bool:
    """Add papermill's banners for ``why`` unless the notebook has them already; whether it was changed."""
    import nbformat

    if any(ERROR_MARKER_TAG in cell.metadata.get("tags", []) for cell in notebook.cells):
        return False
    index = _stopped_at(notebook)
    cell = notebook.cells[index] if index is not None else None
    where = f" at '<a href=\"#papermill-error-cell\">In [{cell.execution_count}]</a>'" if cell is not None else ""
    top = nbformat.v4.new_markdown_cell(f"<span {ERROR_STYLE}>The notebook was stopped{where}: {html.escape(why)}.</span>")
    top.metadata["tags"] = [ERROR_MARKER_TAG]
    if cell is not None:
        note = f"vnru: {why}; the notebook was stopped in this cell\n"
        if not any(o.get("output_type") == "stream" and str(o.get("text", "")).startswith("vnru: ") for o in cell.outputs):
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=note))
        anchor = nbformat.v4.new_markdown_cell(ERROR_ANCHOR_MSG)
        anchor.metadata["tags"] = [ERROR_MARKER_TAG]
        notebook.cells.insert(index, anchor)
    notebook.cells.insert(0, top)
    return True

__all__ = ["mark_failure"]
