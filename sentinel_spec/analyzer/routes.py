"""Route rules: one path serves one declaration, and the framework's paths stay its own.

Names become paths (``listNotes`` and ``list_notes`` are both ``/operations/list-notes``),
and an api, page or websocket may name any path, including one the framework serves
(``/operations/...``, ``/crud/...``, ``/auth/...``, ``/openapi.json``): either would
shadow the other without a word, so both are errors at the second declaration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context, value
from sentinel_spec.errors import SpecError
from sentinel_spec.generator.names import kebab
from sentinel_spec.literals import shown

DEFAULT_SOCKET_IO_PATH = "/socket.io"  # appspec.SocketIO's default


@dataclass(frozen=True)
class FrameworkPath:
    """A path the framework serves beside the user's own routes."""

    path: str  # literal segments only
    what: str  # what is served there, for the message
    subtree: bool  # the path and everything under it


def framework_paths(ctx: Context) -> list[FrameworkPath]:
    """Every path the framework serves for this spec that no api, page or websocket may take.

    The one list the rules below read (keep it in step with what the runtime mounts).
    Operations and cruds are reserved by prefix, not one by one, so that adding one
    never breaks an api declared earlier.
    """
    paths = [
        FrameworkPath("/operations", "queries and actions", subtree=True),
        FrameworkPath("/crud", "crud operations", subtree=True),
        FrameworkPath("/openapi.json", "the OpenAPI document", subtree=False),
        FrameworkPath("/__sentinel", "the dev server's own routes", subtree=True),
    ]
    if ctx.has_auth:
        paths.append(FrameworkPath("/auth", "the auth routes of `app.auth`", subtree=True))
    app = ctx.app
    if app is not None and isinstance(value(app.body, "webSocket"), ast.DictExpr):
        socket = value(app.body, "webSocket", "path")
        path = socket.value if isinstance(socket, ast.StringLit) else DEFAULT_SOCKET_IO_PATH
        paths.append(FrameworkPath(path.rstrip("/"), "Socket.IO (`app.webSocket`)", True))
    return paths


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _taken_by(path: str, framework: FrameworkPath) -> bool:
    """Whether every request to ``path`` (literal segments) could reach ``framework``.

    A ``:param`` segment is not a claim: the framework's literal routes are matched first.
    """
    mine, theirs = _segments(path), _segments(framework.path)
    if len(mine) < len(theirs) or (not framework.subtree and len(mine) != len(theirs)):
        return False
    return all(a == b for a, b in zip(mine, theirs, strict=False))


def _user_paths(ctx: Context) -> Iterator[tuple[ast.Decl, ast.StringLit]]:
    """The path string of every api, page route and websocket, as written."""
    for decl in ctx.of_kind("api"):
        route = value(decl.body, "httpRoute")
        path = (
            route.items[1] if isinstance(route, ast.TupleExpr) and len(route.items) == 2 else None
        )
        if isinstance(path, ast.StringLit):
            yield decl, path
    for kind in ("route", "websocket"):
        for decl in ctx.of_kind(kind):
            path = value(decl.body, "path")
            if isinstance(path, ast.StringLit):
                yield decl, path


def framework_path_rule(ctx: Context) -> list[SpecError]:
    framework = framework_paths(ctx)
    errors: list[SpecError] = []
    for decl, path in _user_paths(ctx):
        if not path.value.startswith("/"):
            continue  # reported by the path rules
        for reserved in framework:
            if _taken_by(path.value, reserved):
                if reserved.subtree:
                    why = f"paths under `{reserved.path}/` are the framework's ({reserved.what})"
                else:
                    why = f"the framework serves {reserved.what} there"
                errors.append(
                    SpecError(
                        path.span,
                        f"{decl.kind.name} `{decl.name.name}` at `{shown(path.value)}`: {why}",
                        "choose another path",
                    )
                )
                break
    return errors


def served_name_rule(ctx: Context) -> list[SpecError]:
    """Two operations (or two cruds) whose names give the same URL."""
    errors: list[SpecError] = []
    for kinds, prefix, tail, where in (
        (("query", "action"), "/operations/", "", "at"),
        (("crud",), "/crud/", "/", "under"),  # a crud's operations are below its path
    ):
        seen: dict[str, ast.Decl] = {}
        decls = sorted((d for kind in kinds for d in ctx.of_kind(kind)), key=lambda d: d.name.span)
        for decl in decls:
            path = prefix + kebab(decl.name.name) + tail
            first = seen.setdefault(path, decl)
            if first is decl or first.name.name == decl.name.name:
                continue  # the same name twice is reported as a duplicate name
            errors.append(
                SpecError(
                    decl.name.span,
                    f"{decl.kind.name} `{decl.name.name}` would be served {where} `{path}`, like "
                    f"{first.kind.name} `{first.name.name}` on line {first.name.span.line}",
                    "rename one: paths are the kebab-case of names",
                )
            )
    return errors


ROUTE_RULES = (served_name_rule, framework_path_rule)
