"""The ``vnru`` command line: a thin click layer over the Python API.

Exit codes: 0 all good, 1 the data (or a notebook) failed, 2 a usage error.
The kit's own errors are printed as one line; no user mistake ends in a traceback.
"""

import sys

import click

from vnru.errors import VnruError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnru")
def cli():
    """Vietnam-Russia relations kit: validate the data, list and run the notebooks."""


@cli.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory with the CSV tables (default: $VNRU_DATA_DIR, else the bundled data).")
def validate(data_dir):
    """Check every table against datapackage.json; exit 0 when valid, 1 otherwise."""
    from vnru import datapackage
    from vnru.paths import resolve_data_dir

    directory = resolve_data_dir(data_dir)
    problems, rows = datapackage.validate(directory)
    click.echo(f"Data package: {directory}")
    bad_files = {p.file for p in problems}
    for name in datapackage.table_names():
        path = datapackage.resource(name)["path"]
        status = "FAILED" if path in bad_files else "ok"
        count = f"{rows[name]:>5} rows" if name in rows else "    - rows"
        click.echo(f"  {path:<22} {count}  {status}")
    if problems:
        click.echo(f"{len(problems)} problem(s):", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    click.echo(f"All {len(rows)} tables valid.")


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
    except VnruError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    sys.exit(0)


if __name__ == "__main__":
    main()
