"""`vnru import ...`: the command group of the importers (registered in vnru.cli)."""

import click


@click.group(name="import")
def import_group():
    """Import third-party downloads into a data directory of your own (never the bundled data)."""


@import_group.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--data-dir", required=True, type=click.Path(file_okay=True),
              help="Data directory to write products.csv and sources.csv into (created when missing).")
def comtrade(files, data_dir):
    """Turn UN Comtrade downloads (comtradeplus / API CSV or JSON, legacy CSV) into products rows.

    Only Vietnam-Russia rows are kept, seen from Vietnam's side with the reporter kept (mirror
    figures apart). Re-importing a file replaces its rows. Exit 1 on a bad file, 2 on a usage error.
    """
    from vnru.importers.store import import_files

    summary = import_files([click.format_filename(f) for f in files], data_dir)
    for parsed, sid, kept in summary.files:
        click.echo(f"{parsed.path.name}: {parsed.layout} ({parsed.encoding}), {parsed.rows_read} rows read, "
                   f"{kept} product rows kept as source {sid}")
        for reason, count in parsed.skipped.items():
            click.echo(f"  skipped {count:>8}  {reason}")
    replaced = f"; {summary.replaced} earlier imported rows replaced" if summary.replaced else ""
    click.echo(f"{summary.data_dir / 'products.csv'}: {summary.rows_written} rows{replaced}")
