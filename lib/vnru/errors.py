"""Exception classes: every error a user can cause has its own class and a one-line message."""


class VnruError(Exception):
    """Base class of the kit's own errors; the CLI prints these as one line, never a traceback."""

    def _render_traceback_(self):
        # IPython/Jupyter call this instead of printing a traceback: the user sees one line.
        return [f"{type(self).__name__}: {self}"]


class DataError(VnruError):
    """A data file is missing or breaks the schema in datapackage.json.

    ``file``, ``row`` (spreadsheet numbering: the header is row 1) and ``column`` say where.
    """

    def __init__(self, message, *, file=None, row=None, column=None):
        self.file, self.row, self.column, self.detail = file, row, column, message
        where = [str(file)] if file else []
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ParameterError(VnruError, ValueError):
    """A notebook or function parameter has a wrong type or value."""


class UsageError(VnruError):
    """The command was asked for something that does not exist (a notebook, a parameter); exit code 2."""


class NotebookError(VnruError):
    """A notebook file cannot be run: not a readable notebook, a broken parameters cell, or a reserved name."""

__all__ = [
    "DataError", "NotebookError", "ParameterError", "UsageError", "VnruError",
]
