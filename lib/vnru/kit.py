"""``vnru init DIR``: an editable copy of the bundled notebooks and data package for a pip-installed user.

DIR gets ``notebooks/``, ``data/`` and the marker ``vnru-kit.json``. Inside DIR (or DIR/notebooks, where
JupyterLab starts a notebook's kernel) the loaders, ``vnru run``, ``vnru list`` and ``vnru validate`` default
to DIR's data and notebooks (see :func:`vnru.paths.find_kit`).
"""

import datetime as _dt
import hashlib
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
    """Copy the bundled notebooks and data package into ``directory``; return {folder: number of files, "kept": [...]}.

    Refuses (UsageError) to overwrite an existing kit unless ``force``; with ``force`` the bundled files
    replace their copies and files added by the user stay. A copy the user changed (it differs from what the
    kit wrote there, recorded in the marker by sha256; from an older kit without that record: from the bundled
    file) is never lost: it is renamed NAME.orig (NAME.orig.2, ... when that is taken) and listed in "kept".
    """
    from vnru import __version__
    from vnru.paths import KIT_MARKER

    target = Path(directory).expanduser().resolve()
    _check_target(target, force)
    written = _written(target / KIT_MARKER)
    counts, kept, copied = {}, [], {}
    for folder, files in kit_files().items():
        (target / folder).mkdir(parents=True, exist_ok=True)
        for source in files:
            copy, relative = target / folder / source.name, f"{folder}/{source.name}"
            if copy.is_file() and _sha256(copy) not in {written.get(relative), _sha256(source)}:
                kept.append(str(_keep(copy).relative_to(target)))
            shutil.copyfile(source, copy)
            copied[relative] = _sha256(copy)
        counts[folder] = len(files)
    marker = {"kit": "vnru", "version": __version__,
              "created": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
              "data": "data", "notebooks": "notebooks", "files": copied}
    (target / KIT_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return counts | {"kept": kept}


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _written(marker) -> dict:
    """{folder/name: sha256} of the files an earlier `vnru init` wrote ({} for an older or unreadable marker)."""
    try:
        files = json.loads(marker.read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def _keep(path: Path) -> Path:
    """Rename ``path`` to NAME.orig (or NAME.orig.N, the first free one); the new path."""
    kept, n = path.with_name(path.name + ".orig"), 1
    while kept.exists():
        n += 1
        kept = path.with_name(f"{path.name}.orig.{n}")
    path.rename(kept)
    return kept

__all__ = [
    "create_kit", "kit_files",
]
