"""``sentinel fmt [--check] [PATH...]``: rewrite ``.sq`` files in the canonical layout."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sentinel_spec.errors import render_errors
from sentinel_spec.fmt import FormatRefused, format_source

SPEC_FILE = "app.sq"


def _targets(paths: tuple[Path, ...], project: Path) -> list[Path]:
    if not paths:
        spec = project.resolve() / SPEC_FILE
        if not spec.is_file():
            raise click.UsageError(
                f"no {SPEC_FILE} in {project.resolve()}: pass the files to format, or "
                "--project PATH"
            )
        return [spec]
    targets: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.sq"))
            if not found:
                raise click.UsageError(f"no .sq file in {path}")
            targets.extend(found)
        elif path.is_file():
            targets.append(path)
        else:
            raise click.UsageError(f"{path}: no such file or folder")
    return targets


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list the files that would change and exit 1 if there are any.",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    envvar="SENTINEL_PROJECT",
    show_default="the current folder",
    help=f"The folder holding {SPEC_FILE} (when no PATH is given).",
)
def fmt_command(paths: tuple[Path, ...], check_only: bool, project: Path) -> None:
    """Format app.sq (or the PATHs; `-` is stdin to stdout) in the one canonical layout."""
    if paths == (Path("-"),):
        source = sys.stdin.read()
        try:
            sys.stdout.write(format_source(source, "<stdin>"))
        except FormatRefused as refused:
            click.echo(render_errors(refused.errors, {"<stdin>": refused.source}), err=True)
            raise SystemExit(1) from None
        return
    changed: list[Path] = []
    refused_files = 0
    targets = _targets(paths, project)
    for path in targets:
        source = path.read_text(encoding="utf-8")
        try:
            formatted = format_source(source, path.name)
        except FormatRefused as refused:
            refused_files += 1
            click.echo(render_errors(refused.errors, {path.name: refused.source}), err=True)
            click.echo(f"{path}: not formatted: fix the syntax errors first", err=True)
            continue
        if formatted == source:
            continue
        changed.append(path)
        if check_only:
            click.echo(f"would reformat {path}")
        else:
            path.write_text(formatted, encoding="utf-8")
            click.echo(f"formatted {path}")
    unchanged = len(targets) - len(changed) - refused_files
    if check_only:
        click.echo(
            f"{len(changed)} file(s) would be reformatted, {unchanged} already formatted"
            if changed
            else f"{unchanged} file(s) already formatted"
        )
    else:
        click.echo(f"{len(changed)} file(s) formatted, {unchanged} unchanged")
    if refused_files or (check_only and changed):
        raise SystemExit(1)
