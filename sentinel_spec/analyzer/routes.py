"""Route rules: one path serves one declaration, and the framework's paths stay its own.

Names become paths (``listNotes`` and ``list_notes`` are both ``/operations/list-notes``),
and an api, page or websocket may name any path, including one the framework serves
(``/operations/...``, ``/crud/...``, ``/auth/...``, ``/openapi.json``): either would
shadow the other without a word, so both are errors at the second declaration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context, value
from sentinel_spec.contract import routes
from sentinel_spec.errors import SpecError
from sentinel_spec.literals import shown

DEFAULT_SOCKET_IO_PATH = "/socket.io"  # appspec.SocketIO's default
DEFAULT_UPLOAD_PATH = "/api/upload"  # appspec.Uploads's default
# The dev server's own routes (devserver/overlay.py's ERRORS_ROUTE is under it).
DEV_SERVER_PATH = "/__sentinel"


@dataclass(frozen=True)
class FrameworkPath:
    """A path the framework serves beside the user's own routes."""

    path: str  # literal segments only
    what: str  # what is served there, for the message
    subtree: bool  # the path and everything under it


def _namespace(route: routes.PlannedRoute) -> str:
    """``/operations/x`` -> ``/operations``: the first segment of a planned route."""
    return "/" + route.path.strip("/").split("/")[0]


def framework_paths(ctx: Context) -> list[FrameworkPath]:
    """Every path the framework serves for this spec that no api, page or websocket may take.

    Read from the route plan (``contract.routes``), so the check follows the server. The
    namespaces of operations, crud and auth are reserved whole, not route by route, so
    that a declaration added later never collides with an api declared earlier.
    """
    paths = [
        FrameworkPath(
            _namespace(routes.operation("x", "query", auth=False)), "queries and actions", True
        ),
        FrameworkPath(_namespace(routes.crud("x", "get", is_public=True)), "crud operations", True),
        FrameworkPath(routes.openapi().path, "the OpenAPI document", subtree=False),
        FrameworkPath(DEV_SERVER_PATH, "the dev server's own routes", subtree=True),
    ]
    if ctx.has_auth:
        every = routes.auth_routes(email=True, google=True, two_factor=True)
        for namespace in sorted({_namespace(route) for route in every}):
            paths.append(FrameworkPath(namespace, "the auth routes of `app.auth`", True))
    app = ctx.app
    if app is not None and isinstance(value(app.body, "webSocket"), ast.DictExpr):
        socket = value(app.body, "webSocket", "path")
        path = socket.value if isinstance(socket, ast.StringLit) else DEFAULT_SOCKET_IO_PATH
        paths.append(FrameworkPath(path.rstrip("/"), "Socket.IO (`app.webSocket`)", True))
    if app is not None and isinstance(value(app.body, "uploads"), ast.DictExpr):
        upload = value(app.body, "uploads", "path")
        path = upload.value if isinstance(upload, ast.StringLit) else DEFAULT_UPLOAD_PATH
        path = routes.upload(path, auth=True).path
        paths.append(FrameworkPath(path, "the upload endpoint (`app.uploads`)", subtree=False))
    return paths


@lru_cache(maxsize=4096)  # the same few framework paths are asked of every user path
def _segments(path: str) -> tuple[str, ...]:
    return tuple(s for s in path.split("/") if s)


def _taken_by(path: str, framework: FrameworkPath) -> bool:
    """Whether every request to ``path`` (literal segments) could reach ``framework``.

    A ``:param`` segment is not a claim: the framework's literal routes are matched first.
    """
    mine, theirs = _segments(path), _segments(framework.path)
    if len(mine) < len(theirs) or (not framework.subtree and len(mine) != len(theirs)):
        return False
    return all(a == b for a, b in zip(mine, theirs, strict=False))


def _user_paths(ctx: Context) -> Iterator[tuple[ast.Decl, ast.StringLit]]:
    """The path string of every api, apiNamespace, page route and websocket, as written."""
    for decl in ctx.of_kind("api"):
        route = value(decl.body, "httpRoute")
        path = (
            route.items[1] if isinstance(route, ast.TupleExpr) and len(route.items) == 2 else None
        )
        if isinstance(path, ast.StringLit):
            yield decl, path
    for kind in ("route", "websocket", "apiNamespace"):
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


def _planned_paths(decl: ast.Decl) -> tuple[str, ...]:
    """Where the route plan serves an operation or a crud declaration."""
    return _planned_paths_of(decl.name.name, decl.kind.name)


@lru_cache(maxsize=8192)  # a function of the name alone; the language server asks per edit
def _planned_paths_of(name: str, decl_kind: str) -> tuple[str, ...]:
    if decl_kind in ("query", "action"):
        kind: Literal["query", "action"] = "query" if decl_kind == "query" else "action"
        return (routes.operation(name, kind, auth=False).path,)
    return tuple(routes.crud(name, op, is_public=True).path for op in routes.CRUD_SEGMENTS)


def served_name_rule(ctx: Context) -> list[SpecError]:
    """Two operations (or two cruds) whose names give the same URL."""
    errors: list[SpecError] = []
    seen: dict[str, ast.Decl] = {}
    decls = [d for kind in ("query", "action", "crud") for d in ctx.of_kind(kind)]
    # In file order; one file's spans order as their offsets do (cheaper than the spans).
    for decl in sorted(decls, key=lambda d: d.name.span.start_offset):
        for path in _planned_paths(decl):
            first = seen.setdefault(path, decl)
            if first is decl or first.name.name == decl.name.name:
                continue  # the same name twice is reported as a duplicate name
            shown_path = path if decl.kind.name != "crud" else path.rsplit("/", 1)[0] + "/..."
            errors.append(
                SpecError(
                    decl.name.span,
                    f"{decl.kind.name} `{decl.name.name}` would be served at `{shown_path}`, "
                    f"like {first.kind.name} `{first.name.name}` on line "
                    f"{first.name.span.line}",
                    "rename one: paths are the kebab-case of names",
                )
            )
            break
    return errors


ROUTE_RULES = (served_name_rule, framework_path_rule)
