"""``sentinel deploy-files [--force]``: write the Dockerfile and compose file of the app."""

from __future__ import annotations

from pathlib import Path

import click

from sentinel_spec.deploy import DeployOptions, deploy_files

SPEC_FILE = "app.sq"


@click.command("deploy-files")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    envvar="SENTINEL_PROJECT",
    show_default="the current folder",
    help=f"The folder holding {SPEC_FILE}.",
)
def deploy_files_command(force: bool, project: Path) -> None:
    """Write a Dockerfile, compose.yaml (PostgreSQL, Redis, migrations, web, worker),
    .dockerignore and .env.example for this app."""
    from sentinel_spec.cli import load

    root = project.resolve()
    spec = load(root)
    options = DeployOptions(
        has_requirements=(root / "requirements.txt").is_file(),
        has_wheels=(root / "wheels").is_dir(),
        has_migrations=(root / "migrations").is_dir(),
    )
    files = deploy_files(spec, options)
    existing = [name for name in files if (root / name).exists()]
    if existing and not force:
        listing = ", ".join(existing)
        raise click.ClickException(
            f"{listing} already exist(s); nothing was written. Pass --force to overwrite."
        )
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {name}")
    click.echo("next: put POSTGRES_PASSWORD in .env, then `docker compose up --build`")
