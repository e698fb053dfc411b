"""Where things live: the project root, the bundled data and the notebooks, resolved from this file."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"
DATA_DIR_ENV = "VNRU_DATA_DIR"


def resolve_data_dir(data_dir=None) -> Path:
    """The data directory to read: the argument, else $VNRU_DATA_DIR, else the bundled data/."""
    from vnru.errors import DataError, ParameterError

    if data_dir is not None and (isinstance(data_dir, bytes) or not isinstance(data_dir, (str, os.PathLike))):
        raise ParameterError(f"data_dir must be a path (text or pathlib.Path); got {type(data_dir).__name__} "
                             f"{str(data_dir)[:80]!r}")
    chosen = data_dir if data_dir not in (None, "") else os.environ.get(DATA_DIR_ENV) or None
    path = Path(chosen).expanduser() if chosen is not None else BUNDLED_DATA_DIR
    if not path.is_dir():
        origin = "" if data_dir not in (None, "") or chosen is None else f" (from ${DATA_DIR_ENV})"
        raise DataError(f"data directory not found: {path}{origin}")
    return path.resolve()
