"""Every HTTP route an AppSpec will serve, computed from the spec alone (no user code run).

``sentinel routes`` prints this table; it mirrors what the generator wires up
(see ``spec/RUNTIME.md``): operations at ``/operations/<kebab>``, crud at
``/crud/<kebab>/<op>``, apis and pages where declared, the auth routes when
``app.auth`` exists, and ``/openapi.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinel_spec.appspec import AppSpec, CrudOp, ExtImport
from sentinel_spec.generator.names import kebab

CRUD_METHODS: dict[CrudOp, str] = {
    "get": "POST",
    "getAll": "POST",
    "create": "POST",
    "update": "POST",
    "delete": "POST",
}

AUTH_ROUTES: tuple[tuple[str, str, bool], ...] = (
    # method, path, needs a session
    ("POST", "/auth/email/signup", False),
    ("POST", "/auth/email/verify-email", False),
    ("POST", "/auth/email/login", False),
    ("POST", "/auth/email/request-password-reset", False),
    ("POST", "/auth/email/reset-password", False),
    ("POST", "/auth/refresh", False),
    ("POST", "/auth/logout", True),
    ("GET", "/auth/me", True),
    ("POST", "/auth/2fa/setup", True),
    ("POST", "/auth/2fa/enable", True),
    ("POST", "/auth/2fa/disable", True),
)
GOOGLE_ROUTES = (("GET", "/auth/google/login"), ("GET", "/auth/google/callback"))


@dataclass(frozen=True)
class RouteRow:
    method: str
    path: str
    kind: str  # query, action, api, page, crud, websocket, auth, openapi
    auth: bool
    handler: str  # src.module:function, or "(generated)" / "(runtime)"


def handler(fn: ExtImport) -> str:
    return f"{fn.module}:{fn.name}"


def route_rows(spec: AppSpec) -> list[RouteRow]:
    rows: list[RouteRow] = []
    for op in spec.operations:
        path = f"/operations/{kebab(op.name)}"
        methods = ("GET", "POST") if op.kind == "query" else ("POST",)
        rows.extend(RouteRow(m, path, op.kind, op.auth, handler(op.fn)) for m in methods)
    for api in spec.apis:
        rows.append(RouteRow(api.method, api.path, "api", api.auth, handler(api.fn)))
    pages = {p.name: p for p in spec.pages}
    for route in spec.routes:
        page = pages.get(route.to)
        if page is not None:
            rows.append(
                RouteRow("GET", route.path, "page", page.auth_required, handler(page.component))
            )
    for crud in spec.cruds:
        for cop in crud.operations:
            path = f"/crud/{kebab(crud.name)}/{kebab(cop.op)}"
            target = handler(cop.override_fn) if cop.override_fn else f"(generated {crud.entity})"
            rows.append(RouteRow(CRUD_METHODS[cop.op], path, "crud", not cop.is_public, target))
    for ws in spec.websockets:
        rows.append(RouteRow("WS", ws.path, "websocket", ws.auth, handler(ws.fn)))
    if spec.app.web_socket is not None:
        sio = spec.app.web_socket
        rows.append(RouteRow("WS", sio.path, "websocket", False, handler(sio.fn)))
    auth = spec.app.auth
    if auth is not None:
        if auth.methods.email is not None:
            rows.extend(RouteRow(m, p, "auth", s, "(runtime)") for m, p, s in AUTH_ROUTES)
        else:
            rows.extend(
                RouteRow(m, p, "auth", s, "(runtime)")
                for m, p, s in AUTH_ROUTES
                if not p.startswith("/auth/email/")
            )
        if auth.methods.google is not None:
            rows.extend(RouteRow(m, p, "auth", False, "(runtime)") for m, p in GOOGLE_ROUTES)
    rows.append(RouteRow("GET", "/openapi.json", "openapi", False, "(generated)"))
    return rows


def format_table(rows: list[RouteRow]) -> str:
    header = ("METHOD", "PATH", "KIND", "AUTH", "HANDLER")
    cells = [header] + [
        (r.method, r.path, r.kind, "yes" if r.auth else "no", r.handler) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines)
