"""``sentinel add query|action|api|job|entity|page NAME [options]``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sentinel_spec.add import (
    DEFAULT_MODULES,
    AddError,
    Addition,
    Declaration,
    check_name,
    import_text,
    insert_declarations,
    list_text,
    render,
    snake_case,
)
from sentinel_spec.errors import render_errors
from sentinel_spec.fmt import Document, FormatRefused, parse_document
from sentinel_spec.stubs import StubReport, StubRequest, write_stubs

SPEC_FILE = "app.sq"
KINDS = ("query", "action", "api", "job", "entity", "page")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "ALL")
ID_STYLES = {
    "autoincrement": "id Int @id @default(autoincrement())",
    "uuid": "id String @id @default(uuid())",
    "cuid": "id String @id @default(cuid())",
}


def _entities(value: str | None) -> list[str]:
    return [e.strip() for e in (value or "").split(",") if e.strip()]


def _field_line(text: str) -> str:
    """``title:String`` or a Prisma line (``title String @unique``) as a model line."""
    if ":" in text and " " not in text.split(":", 1)[0]:
        name, _, type_ = text.partition(":")
        return f"{name.strip()} {type_.strip()}"
    return text.strip()


def build_addition(
    kind: str,
    name: str,
    document: Document,
    *,
    fn: str | None,
    module: str | None,
    entities: list[str],
    auth: bool | None,
    method: str,
    path: str | None,
    cron: str | None,
    route: str | None,
    auth_required: bool,
    fields: tuple[str, ...],
    id_style: str,
) -> Addition:
    check_name(kind, name, document)
    addition = Addition()
    entries: list[str] = []
    function = fn or snake_case(name)
    source = module or DEFAULT_MODULES.get(kind, "")
    what = f"{kind} `{name}`"
    declared = {d.name.name for d in document.module.declarations}
    for entity in entities:
        if entity not in declared:
            raise AddError(f"--entities: `{entity}` is not declared in {SPEC_FILE}")

    if kind == "entity":
        lines = [_field_line(f) for f in fields]
        if not any(line.split()[0] == "id" for line in lines if line):
            lines.insert(0, ID_STYLES[id_style])
        addition.declarations.append(render("entity", name, "{\n" + "\n".join(lines) + "\n}"))
        return addition
    if kind in ("query", "action"):
        entries.append(f"fn: {import_text(function, source)}")
        role = f"{kind}.fn"
    elif kind == "api":
        if not path:
            raise AddError("an api needs --path, e.g. --path /api/tasks/:id")
        entries.append(f"fn: {import_text(function, source)}")
        entries.append(f"httpRoute: ({method.upper()}, {json.dumps(path)})")
        role = "api.fn"
    elif kind == "job":
        entries.append("executor: PgBoss")
        entries.append(f"perform: {{ fn: {import_text(function, source)} }}")
        if cron:
            entries.append(f"schedule: {{ cron: {json.dumps(cron)} }}")
        role = "job.perform.fn"
    else:  # page
        entries.append(f"component: {import_text(function, source)}")
        if auth_required:
            entries.append("authRequired: true")
        role = "page.component"
    if entities and kind != "page":
        entries.append(f"entities: {list_text(entities)}")
    if auth is not None and kind in ("query", "action", "api"):
        entries.append(f"auth: {'true' if auth else 'false'}")
    declaration = render(kind, name, "{ " + ", ".join(entries) + " }")
    addition.stubs.append(StubRequest(source, function, role, what))
    if kind == "page" and route:
        # The route goes right above its page, the pair read together.
        route_name = (name[: -len("Page")] if name.endswith("Page") else name) + "Route"
        check_name("route", route_name, document)
        body = f"{{ path: {json.dumps(route)}, to: {name} }}"
        routed = render("route", route_name, body)
        addition.routes.append(routed)
        declaration = Declaration(kind, name, routed.text + "\n" + declaration.text)
    addition.declarations.append(declaration)
    return addition


@click.command("add")
@click.argument("kind", type=click.Choice(KINDS))
@click.argument("name")
@click.option("--fn", help="The Python function's name (default: NAME in snake_case).")
@click.option(
    "--from",
    "module",
    help="The module to import it from, e.g. @src/core/tasks (default: @src/<kind>s).",
)
@click.option("--entities", help="Entities the function uses, comma separated.")
@click.option("--auth/--no-auth", default=None, help="Require a session (query, action, api).")
@click.option("--method", type=click.Choice(METHODS, case_sensitive=False), default="GET")
@click.option("--path", "path", help="An api's HTTP path, e.g. /api/tasks/:id.")
@click.option("--cron", help='A job schedule, five fields in UTC, e.g. "0 * * * *".')
@click.option("--route", help="For a page: also declare a route at this path.")
@click.option("--auth-required", is_flag=True, help="For a page: signed-in users only.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    help='For an entity: "title:String" or a Prisma line ("slug String @unique"); repeat.',
)
@click.option(
    "--id",
    "id_style",
    type=click.Choice(tuple(ID_STYLES)),
    default="autoincrement",
    show_default=True,
    help="For an entity without an id field: the id it gets.",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    envvar="SENTINEL_PROJECT",
    show_default="the current folder",
    help=f"The folder holding {SPEC_FILE}.",
)
def add_command(
    kind: str,
    name: str,
    fn: str | None,
    module: str | None,
    entities: str | None,
    auth: bool | None,
    method: str,
    path: str | None,
    cron: str | None,
    route: str | None,
    auth_required: bool,
    fields: tuple[str, ...],
    id_style: str,
    project: Path,
) -> None:
    """Declare a query, action, api, job, entity or page in app.sq and stub its function."""
    from sentinel_spec import load_spec
    from sentinel_spec.errors import SpecErrors

    root = project.resolve()
    spec = root / SPEC_FILE
    if not spec.is_file():
        raise click.UsageError(f"no {SPEC_FILE} in {root}; run this inside a Sentinel project")
    original = spec.read_text(encoding="utf-8")
    try:
        document = parse_document(original, SPEC_FILE)
    except FormatRefused as refused:
        click.echo(render_errors(refused.errors, {SPEC_FILE: refused.source}), err=True)
        raise click.ClickException(
            f"{SPEC_FILE} has syntax errors: fix them first, then run `sentinel add` again"
        ) from None
    try:
        was_clean = _is_clean(spec)
        addition = build_addition(
            kind,
            name,
            document,
            fn=fn,
            module=module,
            entities=_entities(entities),
            auth=auth,
            method=method,
            path=path,
            cron=cron,
            route=route,
            auth_required=auth_required,
            fields=fields,
            id_style=id_style,
        )
    except (AddError, FormatRefused) as error:
        detail = (
            render_errors(error.errors, {SPEC_FILE: error.source})
            if isinstance(error, FormatRefused)
            else str(error)
        )
        raise click.ClickException(detail) from None

    snapshots = _snapshot_modules(root, addition.stubs)
    spec.write_text(insert_declarations(document, addition.declarations), encoding="utf-8")
    report = write_stubs(root, addition.stubs)
    try:
        load_spec(spec)
    except SpecErrors as errors:
        if was_clean:  # our addition broke a good spec: put everything back
            spec.write_text(original, encoding="utf-8")
            _restore(snapshots)
            click.echo(errors.render(), err=True)
            raise click.ClickException(
                f"the new {kind} does not check, so nothing was changed"
            ) from None
        click.echo(errors.render(), err=True)
        click.echo(f"warning: {SPEC_FILE} had errors before this addition; still has", err=True)
        built = None
    else:
        # generated/ follows the spec at once, so what reads it next sees the addition:
        # `sentinel db migrate` compares generated/models.py with the migrations.
        from sentinel_spec import build

        built = build(spec)
    for decl in [*addition.routes, *addition.declarations]:
        click.echo(f"added {decl.kind} {decl.name} to {SPEC_FILE}")
    _describe(report, root)
    if built is not None and (built.written or built.removed):
        click.echo(f"built generated/ ({len(built.written)} written, {len(built.removed)} removed)")


def _is_clean(spec: Path) -> bool:
    from sentinel_spec import load_spec
    from sentinel_spec.errors import SpecErrors

    try:
        load_spec(spec)
    except SpecErrors:
        return False
    return True


def _snapshot_modules(root: Path, stubs: list[StubRequest]) -> dict[Path, str | None]:
    """What each stub file holds now (None: absent), to undo a failed addition."""
    from sentinel_spec.stubs import module_file

    snapshots: dict[Path, str | None] = {}
    for stub in stubs:
        path = module_file(root, stub.import_path)
        if path is not None:
            snapshots[path] = path.read_text(encoding="utf-8") if path.is_file() else None
    return snapshots


def _restore(snapshots: dict[Path, str | None]) -> None:
    for path, text in snapshots.items():
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


def _describe(report: StubReport, root: Path) -> None:
    for path in report.created_modules:
        click.echo(f"created {path.relative_to(root)}")
    for path, function in report.added:
        click.echo(f"wrote {function}() in {path.relative_to(root)}")
    for path, function in report.existing:
        click.echo(f"kept {function}() in {path.relative_to(root)}: it already exists")
    for import_path, why in report.refused:
        click.echo(f"no stub for {import_path}: {why}", err=True)
