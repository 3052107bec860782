"""The ``sentinel`` command line: one ``*_command`` function per command.

User mistakes are ``click.ClickException`` subclasses whose message says what
to do next. Heavy modules (the compiler, uvicorn, the dev server, the database
commands) are imported inside the commands so ``sentinel --help`` stays fast.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sentinel_spec.appspec import AppSpec
    from sentinel_spec.errors import SpecErrors

SPEC_FILE = "app.sq"
DEFAULT_PORT = 3001


# ---------------------------------------------------------------- user errors


class ProjectNotFound(click.UsageError):
    def __init__(self, project: Path) -> None:
        super().__init__(
            f"no {SPEC_FILE} in {project}. Run this inside a Sentinel project, pass "
            f"--project PATH, or create one with `sentinel new NAME`."
        )


class SpecInvalid(click.ClickException):
    """The spec has errors: show every diagnostic, as the compiler rendered them."""

    exit_code = 1

    def __init__(self, errors: SpecErrors) -> None:
        self.errors = errors
        count = len(errors.errors)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in {SPEC_FILE}")

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(self.errors.render(), err=True)
        click.echo(f"{self.message}; fix them and run the command again.", err=True)


class GeneratedStale(click.ClickException):
    exit_code = 1

    def __init__(self, stale: tuple[str, ...]) -> None:
        listing = "".join(f"\n  generated/{path}" for path in stale)
        super().__init__(
            f"generated/ is stale: {len(stale)} file(s) would change:{listing}\n"
            "Run `sentinel build` and commit generated/."
        )


class MissingDatabaseUrl(click.ClickException):
    def __init__(self) -> None:
        super().__init__(
            "this app declares entities or jobs, so `sentinel start` needs DATABASE_URL, "
            "e.g. DATABASE_URL=postgresql://user:password@host:5432/dbname sentinel start. "
            "For local development use `sentinel dev`, which starts a database of its own."
        )


class ProjectExists(click.ClickException):
    pass


# ---------------------------------------------------------------- helpers


def project_option(command: Any) -> Any:
    return click.option(
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default="the current folder",
        envvar="SENTINEL_PROJECT",
        help=f"The folder holding {SPEC_FILE}.",
    )(command)


def spec_path(project: Path) -> Path:
    path = project.resolve() / SPEC_FILE
    if not path.is_file():
        raise ProjectNotFound(project.resolve())
    return path


def load(project: Path) -> AppSpec:
    from sentinel_spec import load_spec
    from sentinel_spec.errors import SpecErrors

    try:
        return load_spec(spec_path(project))
    except SpecErrors as errors:
        raise SpecInvalid(errors) from None


def plural(count: int, word: str) -> str:
    """``1 api``, ``2 apis``, ``0 entities``."""
    if count == 1:
        return f"1 {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") else f"{count} {word}s"


def not_served_lines(spec: AppSpec) -> list[str]:
    """One line per declared feature the runtime does not serve yet (contract.features)."""
    from sentinel_spec.contract.features import unserved

    return [found.not_served_line() for found in unserved(spec.declared_features())]


def report_not_served(spec: AppSpec) -> None:
    """Print the not-served lines once, and tell the app's processes they were printed."""
    from sentinel_spec.contract.features import REPORTED_ENV

    for line in not_served_lines(spec):
        click.echo(line, err=True)
    os.environ[REPORTED_ENV] = "1"


class SentinelGroup(click.Group):
    """Loads commands that live in their own modules only when they are used: ``db``
    (the database layer's), ``email`` (the mailer's), ``worker``/``jobs`` (the job
    queue's) and the editor tools."""

    LAZY = {
        "db": ("sentinel_spec.cli_db", "db"),
        "email": ("sentinel_spec.cli_email", "email"),
        "worker": ("sentinel_spec.cli_jobs", "worker_command"),
        "jobs": ("sentinel_spec.cli_jobs", "jobs"),
        "fmt": ("sentinel_spec.fmt.command", "fmt_command"),
        "add": ("sentinel_spec.add.command", "add_command"),
        "deploy-files": ("sentinel_spec.deploy.command", "deploy_files_command"),
        "lsp": ("sentinel_spec.lsp.command", "lsp_command"),
        "import-wasp": ("sentinel_spec.importer.command", "import_wasp_command"),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.LAZY and cmd_name not in self.commands:
            from importlib import import_module

            module, attribute = self.LAZY[cmd_name]
            self.add_command(getattr(import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


# ---------------------------------------------------------------- commands


@click.group(cls=SentinelGroup)
@click.version_option(package_name="sentinel-spec", prog_name="sentinel")
def main() -> None:
    """Sentinel: declare a Python backend in app.sq, get a Starlette app in generated/."""


@main.command("check")
@project_option
def check_command(project: Path) -> None:
    """Check app.sq and print every diagnostic (exit 1 when there is one)."""
    spec = load(project)
    counts = ", ".join(
        plural(len(items), word)
        for items, word in (
            (spec.entities, "entity"),
            (spec.operations, "operation"),
            (spec.apis, "api"),
            (spec.pages, "page"),
        )
    )
    click.echo(f"{SPEC_FILE} OK: app {spec.app.name}, {counts}")
    for line in not_served_lines(spec):
        click.echo(f"warning: {line}", err=True)


@main.command("build")
@project_option
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; list the stale files of generated/ and exit 1 if there are any.",
)
def build_command(project: Path, check_only: bool) -> None:
    """Compile app.sq into generated/ (writes changed files only)."""
    from sentinel_spec import build
    from sentinel_spec.errors import SpecErrors

    path = spec_path(project)
    try:
        result = build(path, check=check_only)
    except SpecErrors as errors:
        raise SpecInvalid(errors) from None
    if check_only:
        if result.stale:
            raise GeneratedStale(result.stale)
        click.echo("generated/ is up to date")
        return
    changed = len(result.written) + len(result.removed)
    if changed:
        for name in result.written:
            click.echo(f"  wrote   generated/{name}")
        for name in result.removed:
            click.echo(f"  removed generated/{name}")
    click.echo(f"built generated/ ({len(result.written)} written, {len(result.removed)} removed)")


@main.command("routes")
@project_option
def routes_command(project: Path) -> None:
    """List every HTTP route: method, path, kind, auth and handler (no user code runs)."""
    from sentinel_spec.commands.routes import format_table, route_rows

    click.echo(format_table(route_rows(load(project))))


def listen_options(command: Any) -> Any:
    """``--host`` and ``--port`` (``$PORT``), shared by ``start`` and ``dev``."""
    command = click.option(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        envvar="PORT",
        show_default=f"$PORT or {DEFAULT_PORT}",
        help="Port to listen on.",
    )(command)
    return click.option(
        "--host", default="127.0.0.1", show_default=True, help="Interface to bind."
    )(command)


def usable_cores() -> int:
    """The cores this process may run on (``taskset`` and cgroup cpusets count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(spec: Any) -> tuple[int, str | None]:
    """One worker per usable core, unless counters live in each process's memory: then
    one, and why (with N workers, each would allow the whole limit: N times it)."""
    from sentinel_spec.appspec import EnvValue

    cores = usable_cores()
    server = spec.app.server
    counts = (
        spec.app.auth is not None  # sign-in limits count through the same storage
        or server.rate_limit.default is not None
        or bool(server.rate_limit.named)
        or any(op.rate_limit for op in spec.operations)
        or any(api.rate_limit for api in spec.apis)
    )
    storage = server.rate_limit.storage
    if isinstance(storage, EnvValue):
        storage = os.environ.get(storage.name, storage.default)
    in_memory = str(storage or "memory://").startswith("memory://")
    if cores > 1 and counts and in_memory:
        return 1, (
            "rate limits and sign-in limits count in process memory (rateLimit.storage "
            f"memory://), so each of {cores} workers would allow the whole limit; use a "
            "Redis storage, or pass --workers to choose"
        )
    return cores, None


@main.command("start")
@project_option
@listen_options
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes. Default: one per core this process may use, or 1 when rate "
    "limits count in process memory (rateLimit.storage memory://).",
)
def start_command(project: Path, host: str, port: int, workers: int | None) -> None:
    """Serve the app for production (no reload); rebuilds generated/ first if stale."""
    from sentinel_spec import build
    from sentinel_spec.errors import SpecErrors

    path = spec_path(project)
    try:
        fresh = build(path, check=True)
        if fresh.stale:
            click.echo(f"generated/ is stale ({len(fresh.stale)} file(s)); rebuilding it", err=True)
            build(path)
    except SpecErrors as errors:
        raise SpecInvalid(errors) from None
    if fresh.spec.needs_database and not os.environ.get("DATABASE_URL", "").strip():
        raise MissingDatabaseUrl()
    report_not_served(fresh.spec)

    if workers is None:
        workers, reason = default_workers(fresh.spec)
        if reason is not None:
            click.echo(f"sentinel start: 1 worker process: {reason}", err=True)

    import uvicorn

    from sentinel_spec.runtime.observability.logging import logging_config
    from sentinel_spec.runtime.serving import security_headers_for, uvicorn_options

    try:
        log_config = logging_config()  # JSON lines, in every worker process
    except ValueError as error:  # LOG_LEVEL, LOGSTASH_* settings
        raise click.UsageError(str(error)) from None
    server = fresh.spec.app.server
    serving = uvicorn_options(
        server.limits, security_headers_for(server.security_headers.overrides())
    )
    project_dir = path.parent
    os.chdir(project_dir)
    os.environ.setdefault("SENTINEL_ENV", "production")
    os.environ.setdefault("SENTINEL_SERVICE_NAME", fresh.spec.app.name)  # service.name in logs
    uvicorn.run(
        "generated.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        app_dir=str(project_dir),
        # The app itself honours X-Forwarded-* from app.server.trustedProxies only.
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=20,
        log_config=log_config,
        access_log=False,  # the app logs each request itself, with its request id
        **serving,  # app.server.limits: the guarded protocol, keep-alive timeout
    )


@main.command("dev")
@project_option
@listen_options
def dev_command(project: Path, host: str, port: int) -> None:
    """Serve with a database (embedded unless DATABASE_URL is set), rebuild and reload on save."""
    from sentinel_spec.devserver.reload import run_dev_server

    path = spec_path(project)
    try:
        run_dev_server(path.parent, host, port)
    except OSError as error:
        raise click.ClickException(
            f"cannot serve on {host}:{port}: {error.strerror or error}. "
            "Stop whatever uses that port or pass --port."
        ) from None


@main.command("new")
@click.argument("name", type=click.Path(file_okay=False, path_type=Path))
def new_command(name: Path) -> None:
    """Create a runnable starter project in the folder NAME and build it."""
    from sentinel_spec import build
    from sentinel_spec.commands.scaffold import ScaffoldError, create_project
    from sentinel_spec.errors import SpecErrors

    try:
        files = create_project(name)
    except ScaffoldError as error:
        raise ProjectExists(str(error)) from None
    try:
        build(name / SPEC_FILE)
    except SpecErrors as errors:
        raise SpecInvalid(errors) from None
    click.echo(f"created {name}/ ({len(files)} files) and built generated/")
    click.echo("next steps:")
    click.echo(f"  cd {shlex.quote(str(name))}")
    click.echo("  sentinel dev   # http://127.0.0.1:3001: a database, migrations, reload on save")


if __name__ == "__main__":  # `python -m sentinel_spec.cli ...`, as the docs and RULES use it
    main()
