"""The ``vnru`` command line: a thin click layer over the Python API.

Exit codes: 0 all good, 1 the data (or a notebook) failed, 2 a usage error.
The kit's own errors are printed as one line; no user mistake ends in a traceback.
"""

import sys

import click

from vnru.errors import UsageError, VnruError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnru")
def cli():
    """Vietnam-Russia relations kit: validate the data, list and run the notebooks."""


@cli.command(name="init")
@click.argument("directory", type=click.Path(file_okay=True, dir_okay=True))
@click.option("--force", is_flag=True,
              help="Replace the notebooks and data of an existing kit in DIRECTORY (a file you changed is kept as NAME.orig).")
def init(directory, force):
    """Copy the notebooks and the data package into DIRECTORY to explore and edit.

    Inside DIRECTORY (and its notebooks/), the notebooks and `vnru` use DIRECTORY's data by default.
    """
    import shlex

    from vnru.kit import create_kit

    counts = create_kit(directory, force=force)
    click.echo(f"Created a vnru kit in {directory}: {counts['notebooks']} notebooks in notebooks/, "
               f"{counts['data']} files in data/.")
    if counts["kept"]:
        click.echo(f"Kept {len(counts['kept'])} file(s) you changed, renamed beside the kit's copy:")
        for kept in counts["kept"]:
            click.echo(f"  {kept}")
    click.echo("Next:")
    click.echo(f"  cd {shlex.quote(str(directory))}; jupyter lab")
    click.echo("  vnru run --notebooks-dir notebooks --data-dir data")


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory with the CSV tables (default: $VNRU_DATA_DIR, else the data/ of a `vnru init` "
                   "folder you are in, else the bundled data).")
def validate(data_dir):
    """Check every table against datapackage.json; exit 0 when valid, 1 otherwise."""
    from vnru.data.validation import validate_directory

    report = validate_directory(data_dir)
    click.echo(f"Data package: {report.directory}")
    for line in report.table_lines():
        click.echo(f"  {line}")
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s):", err=True)
        for problem in report.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    rows = report.rows
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
    from vnru.batch.catalogue import list_notebooks

    found = list_notebooks(notebooks_dir)
    if not found.entries:
        click.echo(f"No notebooks in {found.directory}.")
    for line in found.lines():
        click.echo(line)
    broken = sum(1 for entry in found.entries if entry.error)
    if broken:
        sys.exit(1)


def _read_yaml(text, origin):
    import yaml

    from vnru.batch.values import load_yaml
    from vnru.errors import UsageError

    try:
        value = load_yaml(text)
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
@click.option("--progress", "bars", is_flag=True, help="Progress bars (a single notebook: papermill's, cell by cell).")
@click.option("--force", is_flag=True, help="Run every notebook, even those whose report is unchanged (no cache).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Keep reports in DIR and reuse them from there (default: the previous run in --out).")
def run(names, params, yaml_texts, files, out_dir, jobs, no_html, show_code, timeout, data_dir, max_output_mb,
        notebooks_dir, quiet, sweep_items, cold_kernels, executor, scheduler, bars, force, cache_dir):
    """Run notebooks through papermill into reports.

    Runs the named notebooks (all by default) and writes NAME.ipynb, NAME.html, index.html and
    manifest.json into --out. A report whose notebook, parameters, kit, packages and the data it read are
    unchanged since the previous run is reused, not run again (--force runs it).
    Exit 0 when all succeed, 1 when one fails, 2 on a usage error.
    """
    from pathlib import Path

    from vnru.batch.index import of_this_run
    from vnru.batch.runner import run_notebooks
    from vnru.batch.sweep import parse_option

    sources = [(f"file {f}", _read_yaml(_read_text(f), f"file {f}")) for f in files]
    sources += [("-y", _read_yaml(text, "-y")) for text in yaml_texts]
    sources.append(("-p", dict(params)))
    manifest = run_notebooks(list(names), sources, out_dir=out_dir, notebooks_dir=notebooks_dir, jobs=jobs,
                             html=not no_html, show_code=show_code, timeout=timeout, data_dir=data_dir,
                             progress=False if quiet else ("bars" if bars else True), max_output_mb=max_output_mb,
                             force=force, cache_dir=cache_dir,
                             sweep=parse_option(sweep_items) if sweep_items else None, warm_kernels=not cold_kernels,
                             executor=executor, scheduler=scheduler)
    ran = [r for r in manifest["reports"] if of_this_run(r, manifest)]
    failed = [r for r in ran if r["status"] != "ok"]
    click.echo(f"{len(ran) - len(failed)} of {len(ran)} notebooks ok; index: {Path(out_dir) / 'index.html'}")
    for report in failed:
        click.echo(f"FAILED {report.get('stem') or report['name']}: {report['error']}", err=True)
    if failed:
        sys.exit(1)


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory with the CSV tables (default: $VNRU_DATA_DIR, else the bundled data).")
@click.option("--all", "show_all", is_flag=True, help="Also list the findings that a row's note explains.")
def audit(data_dir, show_all):
    """Check the data's meaning: growth vs values, flows vs totals, partial vs full years, duplicates,
    reporter labels, series breaks, figures against a consensus, stated growth against the previous period,
    rows called current but superseded. Prints unexplained findings; exit 0 when there are none, 1 otherwise.

    A finding is explained when the row's note contains 'audit KIND: WHY' (see vnru.data.audit).
    """
    from vnru.analysis.evidence_audit import audit_directory

    result = audit_directory(data_dir)
    for finding in result.findings if show_all else result.unexplained:
        line = str(finding)
        click.echo(f"{line} [explained: {finding.explanation}]" if finding.explained else line)
    for line in result.skipped:
        click.echo(f"skipped: {line}")
    explained = len(result.findings) - len(result.unexplained)
    click.echo(f"{len(result.unexplained)} unexplained finding(s), {explained} explained, in "
               f"{', '.join(result.tables) or 'no curated table'} ({result.directory})")
    if result.unexplained:
        sys.exit(1)


@cli.group(name="import")
def import_group():
    """Import third-party downloads into a data directory of your own (never the bundled data)."""


@import_group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--data-dir", required=True, type=click.Path(file_okay=True),
              help="Data directory to keep the imported dataset (DIR/comtrade/) and sources.csv in.")
def comtrade(files, data_dir):
    """Store UN Comtrade downloads (comtradeplus / API CSV or JSON, legacy CSV) as a Parquet dataset.

    Every reporter, partner and product is kept (World too); load_products() returns the Vietnam-Russia
    rows. Re-importing a file replaces its part; a later download replaces an earlier one's rows for the
    same figure. Exit 1 on a bad file, 2 on a usage error.
    """
    from vnru.importers import import_files

    summary = import_files([click.format_filename(f) for f in files], data_dir, "comtrade")
    for parsed, sid, kept in summary.files:
        click.echo(f"{parsed.path.name}: {parsed.layout} ({parsed.encoding}), {parsed.rows_read} rows read, "
                   f"{kept} rows kept as source {sid}" + (f", {parsed.classification}" if parsed.classification
                                                          else ""))
        for reason, count in {**parsed.skipped, **parsed.notes}.items():
            click.echo(f"  {'skipped' if reason in parsed.skipped else 'note   '} {count:>8}  {reason}")
    for loser, winner, rows in summary.superseded:
        click.echo(f"{rows} rows of {loser} superseded by the later download {winner} (both listed in sources.csv)")
    replaced = f"; {summary.replaced} earlier imported rows replaced" if summary.replaced else ""
    click.echo(f"{summary.data_dir / 'comtrade'}: {summary.rows_written} rows{replaced}")


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
