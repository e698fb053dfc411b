"""Where things live: the bundled data and notebooks, and the kit folder that ``vnru init`` makes.

An installed wheel carries them as package data (``vnru/_data``, ``vnru/_notebooks``, found through
importlib.resources); an editable install from the checkout reads the top-level ``data/`` and ``notebooks/``.
"""

import os
from importlib import resources
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]  # the checkout, when vnru runs from its source tree
DATA_DIR_ENV = "VNRU_DATA_DIR"
READS_ENV = "VNRU_READS_FILE"  # set by `vnru run` (vnru.batch.cache): the loaders append each data file read there
KIT_MARKER = "vnru-kit.json"  # written by `vnru init DIR`: DIR/data and DIR/notebooks are the defaults there


def _bundled(package_folder: str, checkout_folder: str) -> Path:
    """The wheel's copy of a bundled folder when it has one, else the checkout's top-level folder."""
    installed = resources.files("vnru") / package_folder
    if isinstance(installed, Path) and installed.is_dir():
        return installed.resolve()
    return PROJECT_ROOT / checkout_folder


BUNDLED_DATA_DIR = _bundled("_data", "data")
NOTEBOOKS_DIR = _bundled("_notebooks", "notebooks")
SCHEMA_PATH = BUNDLED_DATA_DIR / "datapackage.json"


def find_kit(start=None) -> Path | None:
    """The kit folder (made by ``vnru init``) that ``start`` (default: the working directory) is in or just under.

    The folder itself or its parent counts, so that both a shell in DIR and a kernel in DIR/notebooks find DIR.
    """
    try:
        here = Path(start if start is not None else os.getcwd()).resolve()
    except OSError:  # the working directory was removed
        return None
    for folder in (here, here.parent):
        if (folder / KIT_MARKER).is_file() and (folder / "data" / "datapackage.json").is_file():
            return folder
    return None


def default_data_dir() -> Path:
    """The data read when none is named: the kit's data/ inside a kit folder, else the bundled data."""
    kit = find_kit()
    return kit / "data" if kit else BUNDLED_DATA_DIR


def default_notebooks_dir() -> Path:
    """The notebooks run when none are named: the kit's notebooks/ inside a kit folder, else the bundled ones."""
    kit = find_kit()
    return kit / "notebooks" if kit and (kit / "notebooks").is_dir() else NOTEBOOKS_DIR


def resolve_data_dir(data_dir=None) -> Path:
    """The data directory to read: the argument, else $VNRU_DATA_DIR, else the kit's or the bundled data/."""
    from vnru.errors import DataError, ParameterError

    if data_dir is not None and (isinstance(data_dir, bytes) or not isinstance(data_dir, (str, os.PathLike))):
        raise ParameterError(f"data_dir must be a path (text or pathlib.Path); got {type(data_dir).__name__} "
                             f"{str(data_dir)[:80]!r}")
    chosen = data_dir if data_dir not in (None, "") else os.environ.get(DATA_DIR_ENV) or None
    path = Path(chosen).expanduser() if chosen is not None else default_data_dir()
    if not path.is_dir():
        origin = "" if data_dir not in (None, "") or chosen is None else f" (from ${DATA_DIR_ENV})"
        raise DataError(f"data directory not found: {path}{origin}")
    return path.resolve()

__all__ = [
    "BUNDLED_DATA_DIR", "DATA_DIR_ENV", "KIT_MARKER", "NOTEBOOKS_DIR", "PACKAGE_DIR", "PROJECT_ROOT", "READS_ENV",
    "SCHEMA_PATH",
    "default_data_dir", "default_notebooks_dir", "find_kit", "resolve_data_dir",
]
