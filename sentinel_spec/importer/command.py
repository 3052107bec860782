"""``sentinel import-wasp PATH [--out DIR]``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import-wasp")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="Where to write app.sq and src/.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing app.sq in --out.")
def import_wasp_command(path: Path, out: Path, force: bool) -> None:
    """Convert the Wasp app in PATH (main.wasp or main.wasp.ts, schema.prisma) to app.sq
    and Python stubs, list what does not carry over, and check the result."""
    from sentinel_spec.errors import render_errors
    from sentinel_spec.importer import WaspNotFound, WaspSyntaxError, import_wasp

    if (out / "app.sq").exists() and not force:
        raise click.ClickException(
            f"{out / 'app.sq'} exists; nothing was written. Pass --force to overwrite it."
        )
    try:
        result = import_wasp(path, out)
    except WaspNotFound as missing:
        raise click.UsageError(str(missing)) from None
    except WaspSyntaxError as bad:
        raise click.ClickException(
            f"{path / bad.pos.file}:{bad.pos.line}:{bad.pos.column}: {bad.message}"
        ) from None
    click.echo(f"wrote {result.spec_file}")
    for module in result.stubs.created_modules:
        click.echo(f"created {module.relative_to(out)}")
    click.echo(
        f"{len(result.stubs.added)} Python stub(s) written, {len(result.stubs.existing)} kept"
    )
    if result.notes:
        click.echo(f"{len(result.notes)} construct(s) not carried over as they were:")
        for note in result.notes:
            click.echo(f"  {note}")
    if result.errors:
        click.echo(render_errors(result.errors, {"app.sq": result.source}), err=True)
        raise click.ClickException(
            f"app.sq does not check yet ({len(result.errors)} error(s)): fix them, then "
            "`sentinel check`"
        )
    click.echo("app.sq checks: `sentinel build` and `sentinel dev` are ready to run")
