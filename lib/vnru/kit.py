"""``vnru init DIR``: an editable copy of the bundled notebooks and data package for a pip-installed user.

DIR gets ``notebooks/``, ``data/`` and the marker ``vnru-kit.json``. Inside DIR (or DIR/notebooks, where
JupyterLab starts a notebook's kernel) the loaders, ``vnru run``, ``vnru list`` and ``vnru validate`` default
to DIR's data and notebooks (see :func:`vnru.paths.find_kit`).
"""

import datetime as _dt
import json
import shutil
from pathlib import Path

from vnru.errors import UsageError


def kit_files() -> dict:
    """What a kit holds: {folder in DIR: the bundled files copied there}."""
    from vnru.paths import BUNDLED_DATA_DIR, NOTEBOOKS_DIR

    data = sorted(p for p in BUNDLED_DATA_DIR.iterdir()
                  if p.is_file() and (p.suffix == ".csv" or p.name == "datapackage.json"))
    return {"data": data, "notebooks": sorted(NOTEBOOKS_DIR.glob("*.ipynb"))}


def _check_target(target: Path, force: bool) -> None:
    """UsageError when DIR would overwrite the bundled files, is not a folder, or holds a kit (without force)."""
    from vnru.paths import BUNDLED_DATA_DIR, KIT_MARKER, NOTEBOOKS_DIR, PACKAGE_DIR

    for bundled in (BUNDLED_DATA_DIR.resolve(), NOTEBOOKS_DIR.resolve(), PACKAGE_DIR):
        if target == bundled or bundled in target.parents or bundled.parent == target:
            raise UsageError(f"{target} is (or holds) the kit's bundled files; choose a folder of your own")
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file, not a folder")
    existing = [name for name in (KIT_MARKER, "data", "notebooks") if (target / name).exists()]
    if existing and not force:
        raise UsageError(f"{target} already has {', '.join(existing)}; use --force to replace the kit's files there")
    for name in ("data", "notebooks"):
        if (target / name).exists() and not (target / name).is_dir():
            raise UsageError(f"{target / name} is a file, not a folder")


def create_kit(directory, force: bool = False) -> dict:
    """Copy the bundled notebooks and data package into ``directory``; return {folder: number of files}.

    Refuses (UsageError) to overwrite an existing kit unless ``force``; with ``force`` the bundled files
    replace their copies and files added by the user stay.
    """
    from vnru import __version__
    from vnru.paths import KIT_MARKER

    target = Path(directory).expanduser().resolve()
    _check_target(target, force)
    counts = {}
    for folder, files in kit_files().items():
        (target / folder).mkdir(parents=True, exist_ok=True)
        for source in files:
            shutil.copyfile(source, target / folder / source.name)
        counts[folder] = len(files)
    marker = {"kit": "vnru", "version": __version__,
              "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
              "data": "data", "notebooks": "notebooks"}
    (target / KIT_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return counts

__all__ = [
    "create_kit", "kit_files",
]
