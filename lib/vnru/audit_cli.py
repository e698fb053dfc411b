"""`vnru audit`: the semantic checks of ``vnru.audit`` as a command (exit 0 clean, 1 findings, 2 usage)."""

import sys

import click


@click.command()
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Directory with the CSV tables (default: $VNRU_DATA_DIR, else the bundled data).")
@click.option("--all", "show_all", is_flag=True, help="Also list the findings that a row's note explains.")
def audit(data_dir, show_all):
    """Check the data's meaning: growth vs values, flows vs totals, partial vs full years, duplicates,
    reporter labels. Prints unexplained findings; exit 0 when there are none, 1 otherwise.

    A finding is explained when the row's note contains 'audit KIND: WHY' (see vnru.audit).
    """
    from pathlib import Path

    from vnru import datapackage
    from vnru.audit import AUDITED
    from vnru.audit import audit as run_audit
    from vnru.errors import DataError, UsageError
    from vnru.paths import resolve_data_dir

    try:
        directory = resolve_data_dir(data_dir)
    except DataError as exc:
        raise UsageError(str(exc)) from None
    present = [datapackage.resource(n)["path"] for n in AUDITED
               if (Path(directory) / datapackage.resource(n)["path"]).is_file()]
    if not present:
        raise UsageError(f"no table to audit in {directory} (looked for "
                         f"{', '.join(datapackage.resource(n)['path'] for n in AUDITED)})")
    findings = run_audit(directory)
    open_ = [f for f in findings if not f.explained]
    for finding in findings if show_all else open_:
        line = str(finding)
        click.echo(f"{line} [explained: {finding.explanation}]" if finding.explained else line)
    explained = len(findings) - len(open_)
    click.echo(f"{len(open_)} unexplained finding(s), {explained} explained, in {', '.join(present)} ({directory})")
    if open_:
        sys.exit(1)
