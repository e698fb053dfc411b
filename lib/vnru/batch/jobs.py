"""The one shape of a failed entry: what a run records for a notebook that left no new report."""

__all__ = ["failed", "not_published"]

KEPT = "not published, the previous report is kept"


def failed(name: str, error: str, **extra) -> dict:
    """The entry of notebook ``name`` that failed with the one-line ``error``: no results, no files."""
    return {"name": name, "status": "failed", "error": error, "error_cell": None, "results": {}, "files": {}} | extra


def not_published(entry: dict, why: str) -> dict:
    """``entry`` ran but could not be published (``why``): it fails, nothing of it is kept, the earlier report stays."""
    error = entry.get("error") or why
    return entry | {"status": "failed", "error": f"{error}; {KEPT}", "files": {}, "downloads": {}}
