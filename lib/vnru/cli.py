"""The ``vnru`` command line: a thin click layer over the Python API.

Exit codes: 0 all good, 1 the data (or a notebook) failed, 2 a usage error.
The kit's own errors are printed as one line; no user mistake ends in a traceback.
"""

import sys

import click

from vnru.audit_cli import audit as audit_command
from vnru.errors import UsageError, VnruError
from vnru.kit import init_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnru")
def cli():
    """Vietnam-Russia relations kit: validate the data, list and run the notebooks."""


cli.add_command(init_command)


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory with the CSV tables (default: $VNRU_DATA_DIR, else the data/ of a `vnru init` "
                   "folder you are in, else the bundled data).")
def validate(data_dir):
    """Check every table against datapackage.json; exit 0 when valid, 1 otherwise."""
    from vnru import datapackage, rowrules
    from vnru.paths import resolve_data_dir

    directory = resolve_data_dir(data_dir)
    problems, rows = datapackage.validate(directory)
    failed = {p.file for p in problems}
    problems += rowrules.validate(directory, [n for n in rows if datapackage.resource(n)["path"] not in failed])
    click.echo(f"Data package: {directory}")
    bad_files = {p.file for p in problems}
    for name in datapackage.table_names():
        path = datapackage.resource(name)["path"]
        status = "FAILED" if path in bad_files else "ok" if name in rows else "not checked"
        count = f"{rows[name]:>5} rows" if name in rows else "    - rows"
        click.echo(f"  {path:<22} {count}  {status}")
    if problems:
        click.echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"All {len(rows)} tables valid.")


def _notebooks_dir_option(func):
    return click.option("--notebooks-dir", type=click.Path(file_okay=False), default=None,
                        help="Directory with the notebooks (default: a kit's notebooks/ inside a `vnru init` folder, "
                             "else the bundled ones).")(func)


@cli.command(name="list")
@_notebooks_dir_option
def list_(notebooks_dir):
    """List the notebooks and their parameters.

    One line per parameter: name, type, default and help comment. A notebook that cannot be run is listed
    as BROKEN with the reason (exit 1).
    """
    from vnru.batch import notebooks
    from vnru.errors import NotebookError
    from vnru.paths import default_notebooks_dir

    notebooks_dir = notebooks_dir or default_notebooks_dir()
    found, broken = notebooks.discover(notebooks_dir), 0
    if not found:
        click.echo(f"No notebooks in {notebooks_dir}.")
    for name, path in found.items():
        try:
            params = notebooks.check(path)
        except NotebookError as exc:  # listed as broken; the others are still listed
            click.echo(f"{name}: BROKEN: {exc}")
            broken += 1
            continue
        click.echo(f"{name}: {notebooks.title(path)}")
        width = max((len(p.name) for p in params), default=0)
        kinds = max((len(p.type or "?") for p in params), default=0)
        defaults = max((len(p.default_source) for p in params), default=0)
        for p in params:
            line = f"  {p.name:<{width}}  {p.type or '?':<{kinds}}  {p.default_source:<{defaults}}"
            click.echo(f"{line}  {p.help}".rstrip() if p.help else line.rstrip())
        if not params:
            click.echo("  (no parameters)")
    if broken:
        sys.exit(1)


def _read_yaml(text, origin):
    import yaml

    from vnru.errors import UsageError

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{origin} is not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise UsageError(f"{origin} is nested too deeply") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer past Python's limit on digits
        raise UsageError(f"{origin} holds a value that cannot be read: {' '.join(str(exc).split())[:200]}") from None
    if value is not None and not isinstance(value, dict):
        raise UsageError(f"{origin} must hold a mapping of parameter names to values")
    return value or {}


def _read_text(path):
    """The text of a parameters file; unreadable or non-UTF-8 bytes are a one-line UsageError."""
    from pathlib import Path

    from vnru.errors import UsageError

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"file {path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read file {path}: {exc.strerror or exc}") from None


@cli.command()
@click.argument("names", nargs=-1, metavar="[NAME ...]")
@click.option("-p", "--parameter", "params", nargs=2, multiple=True, metavar="KEY VALUE",
              help="Set a parameter (KEY, or NAME.KEY for one notebook); text is converted to the declared type.")
@click.option("-y", "--yaml", "yaml_texts", multiple=True, metavar="YAML", help="Parameters as a YAML mapping.")
@click.option("-f", "--parameters-file", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="YAML file of parameters; a key named after a notebook holds that notebook's section.")
@click.option("--sweep", "sweep_items", multiple=True, metavar="KEY=V1,V2",
              help="Run once per value (several --sweep: the cross product); reports named from the values.")
@click.option("--cold-kernels", is_flag=True, help="Start each notebook's kernel when it starts (default: warm, started ahead).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where notebooks run: local worker processes, or a Dask cluster (extra vnru[dask]).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address for --executor dask (default: a local cluster).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports", show_default=True,
              help="Directory for the executed notebooks, HTML pages, index.html and manifest.json.")
@click.option("--jobs", "-j", type=int, default=None, help="Notebooks run in parallel (default: number of cores).")
@click.option("--no-html", is_flag=True, help="Skip the HTML pages (executed notebooks, index and manifest only).")
@click.option("--show-code", is_flag=True, help="Keep the code cells in the HTML pages (hidden by default).")
@click.option("--timeout", type=float, default=None, metavar="SECONDS", help="Stop a notebook after this long.")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Data directory for every notebook that has a data_dir parameter.")
@click.option("--max-output", "max_output_mb", type=float, default=50, show_default=True, metavar="MB",
              help="Stop and fail a notebook whose outputs pass this many megabytes.")
@_notebooks_dir_option
@click.option("--quiet", "-q", is_flag=True, help="No progress display.")
def run(names, params, yaml_texts, files, out_dir, jobs, no_html, show_code, timeout, data_dir, max_output_mb,
        notebooks_dir, quiet, sweep_items, cold_kernels, executor, scheduler):
    """Run notebooks through papermill into reports.

    Runs the named notebooks (all by default) and writes NAME.ipynb, NAME.html, index.html and
    manifest.json into --out. Exit 0 when all succeed, 1 when one fails, 2 on a usage error.
    """
    from pathlib import Path

    from vnru.batch.report import of_this_run
    from vnru.batch.runner import run_notebooks
    from vnru.batch.sweep import parse_option

    sources = [(f"file {f}", _read_yaml(_read_text(f), f"file {f}")) for f in files]
    sources += [("-y", _read_yaml(text, "-y")) for text in yaml_texts]
    sources.append(("-p", dict(params)))
    manifest = run_notebooks(list(names), sources, out_dir=out_dir, notebooks_dir=notebooks_dir, jobs=jobs,
                             html=not no_html, show_code=show_code, timeout=timeout, data_dir=data_dir,
                             progress=not quiet, max_output_mb=max_output_mb,
                             sweep=parse_option(sweep_items) if sweep_items else None, warm_kernels=not cold_kernels,
                             executor=executor, scheduler=scheduler)
    ran = [r for r in manifest["reports"] if of_this_run(r, manifest)]
    failed = [r for r in ran if r["status"] != "ok"]
    click.echo(f"{len(ran) - len(failed)} of {len(ran)} notebooks ok; index: {Path(out_dir) / 'index.html'}")
    for report in failed:
        click.echo(f"FAILED {report.get('stem') or report['name']}: {report['error']}", err=True)
    if failed:
        sys.exit(1)


cli.add_command(audit_command)
from vnru.importers.cli import import_group

cli.add_command(import_group)


def main(argv=None):
    """Entry point of the console script: kit errors become one line on stderr."""
    try:
        cli.main(args=argv, prog_name="vnru", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UsageError as exc:
        click.echo(f"Usage error: {exc}", err=True)
        sys.exit(2)
    except VnruError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except OSError as exc:  # the file system refused (disk full, permissions): one line, not a traceback
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"Error: {exc.strerror or exc}{where}", err=True)
        sys.exit(1)
    sys.exit(0)


if __name__ == "__main__":
    main()
