"""Issue 14 (reliability): a run never loses or corrupts a good report, never leaves writers behind.

Non-UTF-8 parameter bytes, a full disk, a killed runner, two runs sharing --out, a notebook that
prints without end.
"""

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

import vnru.cli
from fixtures.cli import make_notebook
from vnru import atomic
from vnru.batch.executors.worker import publish
from vnru.batch.runner import run_notebooks
from vnru.errors import UsageError, VnruError

CLI = [sys.executable, "-m", "vnru.cli"]


def vnru_run(*args, **kwargs):
    """``vnru run ARGS -q`` as a user runs it (arguments may be bytes, as a shell passes them)."""
    return subprocess.run([*CLI, "run", *args, "-q"], capture_output=True, text=True, check=False, **kwargs)


def files_of(directory) -> dict:
    """Every file under ``directory`` with its bytes (temp files included: none may be left)."""
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(Path(directory).rglob("*")) if p.is_file()}


def one_line(text) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


@pytest.fixture
def nbs(tmp_path):
    """A notebooks directory with a quick notebook that records its parameter."""
    directory = tmp_path / "nbs"
    make_notebook(directory, "square", 'n: int = 3  # a number\nlabel: str = "x"  # a label',
                  ["import vnru\nvnru.record('square', n * n)\nvnru.record('label', label)"])
    return directory


def good_report(out, name="square"):
    """Stand-ins for an earlier good report in ``out``; its files, to compare after the run."""
    out.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nbformat.write(nb, str(out / f"{name}.ipynb"))
    (out / f"{name}.html").write_text("<html>GOOD</html>", encoding="utf-8")
    (out / "manifest.json").write_text('{"reports": []}\n', encoding="utf-8")
    (out / "index.html").write_text("<html>GOOD INDEX</html>", encoding="utf-8")
    return files_of(out)


# --- 1. A parameter value whose bytes are not UTF-8 ----------------------------------------------------

def test_a_non_utf8_parameter_value_is_a_usage_error_and_the_report_stays(nbs, tmp_path):
    out = tmp_path / "r"
    before = good_report(out)
    result = subprocess.run([*CLI, "run", "square", "--notebooks-dir", str(nbs), "--out", str(out), "-q",
                             "-p", "label", b"Russ\xffia"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert one_line(result.stderr) == r"Usage error: parameter label of square: 'Russ\xffia' is not UTF-8 text"
    assert files_of(out) == before
    with pytest.raises(UsageError, match="not UTF-8 text"):  # the Python API refuses it too
        run_notebooks(["square"], {"label": "Russ\udcffia"}, notebooks_dir=nbs, out_dir=out)


def _job(tmp_path, out):
    tmp = tmp_path / "run-tmp"
    tmp.mkdir()
    return {"name": "square", "tmp_dir": str(tmp), "out_dir": str(out), "html": True}, tmp


@pytest.mark.parametrize("written", [b"", b'{"cells": [{"cell_type": "code", "sou'], ids=["empty", "truncated"])
def test_an_executed_notebook_papermill_could_not_finish_is_never_published(written, tmp_path):
    """Whatever stopped papermill's write (a value it could not encode, a full disk), the good report stays."""
    out = tmp_path / "r"
    before = good_report(out)
    job, tmp = _job(tmp_path, out)
    (tmp / "square.ipynb").write_bytes(written)
    entry = publish(job, {"name": "square", "status": "failed", "error": "UnicodeEncodeError: surrogates"})
    assert files_of(out) == before
    assert entry["status"] == "failed" and entry["files"] == {}
    assert entry["error"] == "UnicodeEncodeError: surrogates; not published, the previous report is kept"


# --- 2. Disk full --------------------------------------------------------------------------------------

def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_publishing_a_notebook_keeps_the_old_report(tmp_path, monkeypatch):
    out = tmp_path / "r"
    before = good_report(out)
    job, tmp = _job(tmp_path, out)
    nbformat.write(nbformat.v4.new_notebook(), str(tmp / "square.ipynb"))
    monkeypatch.setattr(os, "fsync", _no_space)  # where a full disk shows up on many file systems
    entry = publish(job, {"name": "square", "status": "ok", "error": None})
    assert files_of(out) == before
    assert entry["status"] == "failed" and entry["files"] == {}
    assert entry["error"] == ("cannot save the executed notebook: No space left on device; "
                              "not published, the previous report is kept")


def test_disk_full_while_writing_the_manifest_keeps_the_old_one_and_says_so_in_one_line(nbs, tmp_path,
                                                                                          monkeypatch, capsys):
    out = tmp_path / "r"
    before = good_report(out)
    monkeypatch.setattr(os, "fsync", _no_space)  # the runner's own writes (the workers are other processes)
    with pytest.raises(SystemExit) as exit_code:
        vnru.cli.main(["run", "square", "--notebooks-dir", str(nbs), "--out", str(out), "-q", "--no-html"])
    assert exit_code.value.code == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"Error: cannot write {out / 'manifest.json'}: No space left on device; the previous file is kept"
    after = files_of(out)
    assert {k: after[k] for k in ("manifest.json", "index.html")} == {k: before[k] for k in ("manifest.json",
                                                                                            "index.html")}
    assert not [name for name in after if name.startswith(".")], "temporary files left behind"


def test_atomic_write_leaves_the_old_file_and_no_temp_file_on_a_failed_write(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("OLD", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", _no_space)
    with pytest.raises(VnruError, match=r"cannot write .*index.html: No space left on device"):
        atomic.write(target, "NEW")
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"] and target.read_text() == "OLD"


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a tiny tmpfs (root only); yields a function that mounts one of the given size at a new path."""
    mounted = []

    def mount(size):
        if os.geteuid() != 0:
            pytest.skip("mounting a small tmpfs needs root; the in-process ENOSPC tests cover the same code")
        where = tmp_path / f"tmpfs{len(mounted)}"
        where.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({result.stderr.strip() or result.returncode})")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(directory, leave_bytes):
    """Fill the file system of ``directory`` until only about ``leave_bytes`` are free."""
    stat = os.statvfs(directory)
    free = stat.f_bavail * stat.f_frsize
    with open(directory / "filler", "wb") as handle:
        handle.write(b"\0" * max(free - leave_bytes, 0))


def _complete(directory):
    """Every report file left in ``directory`` is whole: notebooks and the manifest parse, pages end."""
    for path in directory.iterdir():
        assert not path.name.startswith("."), f"temporary file left behind: {path.name}"
        if path.suffix == ".ipynb":
            nbformat.read(str(path), as_version=4)
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".html":
            assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path.name


def test_a_nearly_full_disk_keeps_the_earlier_good_reports(nbs, tmpfs):
    out = tmpfs("1m")
    first = vnru_run("square", "--notebooks-dir", str(nbs), "--out", str(out))
    assert first.returncode == 0, first.stderr
    good = files_of(out)
    _fill(out, 40_000)  # room for the small files, not for a 280 kB HTML page
    nearly = vnru_run("square", "-p", "n", "5", "--notebooks-dir", str(nbs), "--out", str(out))
    assert nearly.returncode == 1 and "Traceback" not in nearly.stderr
    assert one_line(nearly.stderr).startswith("FAILED square: cannot write square.html: No space left on device")
    assert {k: v for k, v in files_of(out).items() if k.startswith("square.")} == {
        k: v for k, v in good.items() if k.startswith("square.")}
    _complete(out)
    (out / "filler").unlink()
    _fill(out, 0)
    full = vnru_run("square", "-p", "n", "6", "--no-html", "--notebooks-dir", str(nbs), "--out", str(out))
    assert full.returncode == 1 and "No space left on device" in one_line(full.stderr)
    assert files_of(out)["square.ipynb"] == good["square.ipynb"]
    _complete(out)


def test_an_empty_tiny_disk_leaves_no_corrupt_report(nbs, tmpfs):
    make_notebook(nbs, "cube", "n: int = 2", ["import vnru\nvnru.record('cube', n ** 3)"])
    make_notebook(nbs, "echo", "n: int = 2", ["print(n)"])
    out = tmpfs("300k")
    result = vnru_run("--notebooks-dir", str(nbs), "--out", str(out), "--jobs", "1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr
    _complete(out)


# --- 3. A killed runner ----------------------------------------------------------------------------------

def _descendants(root: int) -> set:
    """``root`` and every process below it (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def _running(pids) -> set:
    """The pids of ``pids`` still running (zombies waiting to be reaped do not count)."""
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state not in ("Z", "X"):
            alive.add(pid)
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the worker processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=lambda s: s.name)
def test_a_killed_runner_leaves_no_worker_and_no_late_report(signum, nbs, tmp_path):
    make_notebook(nbs, "sleepy", 'marker: str = ""  # a file to create',
                  ["open(marker, 'w').close()", "import time\ntime.sleep(4)", "print('late')"])
    out, marker = tmp_path / "r", tmp_path / "kernel-is-running"
    before = good_report(out, "sleepy")
    proc = subprocess.Popen([*CLI, "run", "sleepy", "--notebooks-dir", str(nbs), "--out", str(out), "-q",
                             "-p", "marker", str(marker)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 90
    while not marker.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    assert marker.exists(), proc.communicate()[1]
    tree = _descendants(proc.pid)  # runner, fork server, resource tracker, worker, kernel
    assert len(tree) >= 4, tree
    killed_at = time.monotonic()
    os.kill(proc.pid, signum)  # the runner alone: its workers must follow by themselves
    proc.wait(timeout=30)
    if signum != signal.SIGKILL:  # stopped like Ctrl-C: exit 130, one line, nothing left
        assert proc.returncode == 130 and "Traceback" not in proc.stderr.read()
    while _running(tree) and time.monotonic() < killed_at + 10:
        time.sleep(0.2)
    assert not _running(tree), f"processes outlived the runner: {sorted(_running(tree))}"
    time.sleep(max(0.0, killed_at + 6 - time.monotonic()))  # past the end of the notebook's sleep
    proc.communicate(timeout=10)
    after = files_of(out)
    assert {k: v for k, v in after.items() if not k.startswith(".vnru-run-")} == before, "a report written late"
    if signum == signal.SIGKILL:  # the killed run's temp dir stays ... until the next run into `out`
        assert any(k.startswith(".vnru-run-") for k in after)
        again = vnru_run("square", "--no-html", "--notebooks-dir", str(nbs), "--out", str(out))
        assert again.returncode == 0, again.stderr
        assert not list(out.glob(".vnru-run-*")), "the stale temp dir of the killed run is still there"
    else:
        assert after == before


# --- 7. Two runs sharing --out ---------------------------------------------------------------------------

def test_a_second_run_into_the_same_out_is_refused_while_the_first_runs(nbs, tmp_path):
    make_notebook(nbs, "sleepy", "n: int = 1", ["import time\ntime.sleep(3)"])
    make_notebook(nbs, "boom", "n: int = 1", ["raise ValueError('boom')"])
    out = tmp_path / "r"
    first = subprocess.Popen([*CLI, "run", "sleepy", "--notebooks-dir", str(nbs), "--out", str(out), "-q"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(out.glob(".vnru-run-*/sleepy.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = vnru_run("boom", "--notebooks-dir", str(nbs), "--out", str(out))
    assert second.returncode == 2
    assert one_line(second.stderr) == (f"Usage error: --out {out}: another vnru run is writing into this "
                                       "directory; wait for it to finish or choose another --out")
    _, stderr = first.communicate(timeout=90)
    assert first.returncode == 0, stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in manifest["reports"]] == ["sleepy"] and not (out / "boom.ipynb").exists()


def test_a_run_counts_only_its_own_notebooks_when_an_earlier_run_started_in_the_same_second(nbs, tmp_path,
                                                                                             monkeypatch, capsys):
    make_notebook(nbs, "boom", "n: int = 1", ["raise ValueError('boom')"])
    monkeypatch.setattr("vnru.batch.runner._now", lambda: "2026-01-01T00:00:00+00:00")  # both runs: the same second
    out = tmp_path / "r"
    assert run_notebooks(["boom"], notebooks_dir=nbs, out_dir=out, html=False)["status"] == "failed"
    with pytest.raises(SystemExit) as exit_code:
        vnru.cli.main(["run", "square", "--notebooks-dir", str(nbs), "--out", str(out), "-q", "--no-html"])
    captured = capsys.readouterr()
    assert exit_code.value.code == 0, captured.err
    assert captured.out.startswith("1 of 1 notebooks ok")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 ok; 1 kept from earlier runs" in index


# --- 14. A notebook that prints without end ------------------------------------------------------------

def test_output_past_the_cap_stops_the_notebook_with_a_clear_failure(nbs, tmp_path):
    make_notebook(nbs, "printer", "n: int = 1", ["while True:\n    print('x' * 1000)"])
    manifest = run_notebooks(notebooks_dir=nbs, out_dir=tmp_path / "r", jobs=2, html=False, timeout=120,
                             max_output_mb=0.5)
    reports = {r["name"]: r for r in manifest["reports"]}
    printer = reports["printer"]
    assert printer["status"] == "failed" and reports["square"]["status"] == "ok"
    assert printer["error"] == ("output exceeds 0.5 MB; the notebook was stopped "
                                "(raise the limit with --max-output)")
    assert printer["error_cell"] == 2 and printer["duration_s"] < 60
    kept = (tmp_path / "r" / "printer.ipynb")
    assert kept.stat().st_size < 2_000_000 and "vnru: output exceeds 0.5 MB" in kept.read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="--max-output must be a positive number"):
        run_notebooks(notebooks_dir=nbs, out_dir=tmp_path / "r", max_output_mb=0)


def test_a_stop_kills_the_kernel_at_once_instead_of_raising_into_a_busy_event_loop(monkeypatch):
    """Raised while nbclient's output task runs, the stop would be lost in that task (the cause of a worker
    ignoring SIGTERM for the whole grace period): the handler kills the kernel's process group instead."""
    from vnru.batch.executors import kernel
    from vnru.batch.executors import worker as execute

    fake_kernel = subprocess.Popen(["sleep", "60"], start_new_session=True)
    provisioner = SimpleNamespace(process=fake_kernel, pgid=fake_kernel.pid)
    monkeypatch.setattr(kernel, "_running", [SimpleNamespace(km=SimpleNamespace(provisioner=provisioner))])
    monkeypatch.setattr(execute, "_stop", [])
    try:
        execute._on_signal(signal.SIGTERM, None)  # returns: no exception that an asyncio task could swallow
        assert fake_kernel.wait(timeout=5) == -signal.SIGKILL
        assert execute._stop == ["timeout"]
        with pytest.raises(execute.Stopped):  # no live kernel left: the stop is raised where Python is
            execute._on_signal(signal.SIGTERM, None)
    finally:
        fake_kernel.kill()
        fake_kernel.wait()


def test_a_busy_notebook_stops_promptly_at_its_timeout(tmp_path):
    """The stop must not wait out the grace period while the notebook floods its output."""
    from vnru.batch.executors.local import GRACE_S

    directory = tmp_path / "nbs"
    make_notebook(directory, "flood", "n: int = 1",
                  ["import vnru\nvnru.record('before', n)",
                   "import time\nwhile True:\n    print('y' * 2000)\n    time.sleep(0.001)"])
    manifest = run_notebooks(notebooks_dir=directory, out_dir=tmp_path / "r", html=False, timeout=8,
                             max_output_mb=None)
    report = manifest["reports"][0]
    assert report["error"] == "timed out after 8 s" and report["results"] == {"before": 1}
    assert report["duration_s"] < 8 + GRACE_S - 3, report["duration_s"]


def test_the_output_cap_defaults_to_50_mb_in_the_api_and_the_cli():
    """(The bundled notebooks, a few MB of charts each, run under it in tests/test_run.py.)"""
    from vnru.batch.runner import DEFAULT_MAX_OUTPUT_MB

    assert DEFAULT_MAX_OUTPUT_MB == 50
    help_text = subprocess.run([*CLI, "run", "--help"], capture_output=True, text=True, check=False).stdout
    assert "--max-output MB" in help_text and "[default: 50" in help_text
