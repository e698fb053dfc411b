"""Publish files only once they are complete on disk: temp file in the same directory, fsync, rename, fsync dir.

A reader (or a crash, a full disk, a killed run) sees either the old file or the whole new one, never a
truncated one. A write that fails removes its temp file and raises ``PublishError`` naming the file.
"""

import os
import shutil
import tempfile
from pathlib import Path

from vnru.errors import VnruError

SHORT_NAME_BYTES = 100  # of a file name kept in the name of its temporary file


class PublishError(VnruError):
    """A report or data file could not be written (disk full, permissions): the previous file is kept."""

    def __init__(self, path, exc: Exception):
        self.path, self.reason = Path(path), getattr(exc, "strerror", None) or str(exc)
        super().__init__(f"cannot write {self.path}: {self.reason}; the previous file is kept")


def fsync_dir(directory) -> None:
    """Make a rename in ``directory`` durable (skipped where a directory cannot be opened or synced)."""
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a directory; the rename itself is still atomic
        pass
    finally:
        os.close(fd)


def sync(path) -> None:
    """Flush a file someone else wrote (papermill's notebook) to disk; PublishError if it cannot be."""
    try:
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())
    except OSError as exc:
        raise PublishError(path, exc) from None


def _short(name: str) -> str:
    """The start of ``name`` for a temporary name beside it: a legal name of 255 bytes stays legal with the
    temp file's dot, random part and suffix added (a notebook may have a long name)."""
    return name.encode("utf-8")[:SHORT_NAME_BYTES].decode("utf-8", "ignore")


def stage(content, path, directory=None) -> Path:
    """Write ``content`` (text as UTF-8, or bytes) completely into a new temp file for ``path``; the temp path.

    The temp file sits in ``directory`` (default: beside ``path``; it must be on the same file system).
    """
    path = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short(path.name)}.", suffix=".tmp", dir=directory or path.parent)
    except OSError as exc:
        raise PublishError(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise PublishError(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def publish(staged, path) -> None:
    """Rename the complete file ``staged`` over ``path`` and make the rename durable."""
    staged, path = Path(staged), Path(path)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(staged, 0o666 & ~umask)  # temp files are private; a report is as readable as any file
        os.replace(staged, path)
    except OSError as exc:
        staged.unlink(missing_ok=True)
        raise PublishError(path, exc) from None
    fsync_dir(path.parent)


def write_together(contents: dict) -> None:
    """Write every ``{path: content}``: all are staged before any is renamed, so a full disk changes none."""
    staged = {}
    try:
        for path, content in contents.items():
            staged[path] = stage(content, path)
    except BaseException:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
        raise
    try:
        for path, tmp in staged.items():
            publish(tmp, path)
    finally:
        for tmp in staged.values():  # left over only when an earlier rename failed
            tmp.unlink(missing_ok=True)


def write(path, content) -> None:
    """Write ``content`` to ``path`` atomically; the old file stays when the write fails."""
    write_together({path: content})


def publish_dir(staged, path) -> None:
    """Put the complete directory ``staged`` in place of ``path`` (None: remove ``path``, nothing replaces it).

    Renames in one file system: the old directory moves aside, the new one takes its name, then the old one is
    deleted; a reader sees the old or the new folder whole, never a mix. A failed rename puts the old one back.
    Only a folder of downloads (``figures/``, ``tables/``) is ever replaced: anything else in the way is refused.
    """
    path = Path(path)
    if path.exists() and not (path.is_dir() and {p.name for p in path.iterdir()} <= {"figures", "tables"}):
        raise PublishError(path, OSError(17, "something other than report downloads is in the way"))
    aside = path.with_name(f".{_short(path.name)}.old-{os.getpid()}")
    moved = False
    try:
        if path.is_dir():
            os.replace(path, aside)
            moved = True
        if staged is not None:
            os.replace(staged, path)
    except OSError as exc:
        if moved and not path.exists():
            os.replace(aside, path)
        raise PublishError(path, exc) from None
    shutil.rmtree(aside, ignore_errors=True)
    fsync_dir(path.parent)

__all__ = [
    "PublishError", "fsync_dir", "publish", "publish_dir", "stage", "sync", "write", "write_together",
]
