"""Every HTTP route an AppSpec will serve, computed from the spec alone (no user code run).

``sentinel routes`` prints this table; it mirrors what the generator wires up
(see ``spec/RUNTIME.md``): operations at ``/operations/<kebab>``, crud at
``/crud/<kebab>/<op>``, apis and pages where declared, and ``/openapi.json``.
Declarations whose runtime has not landed yet (auth routes, websockets) are left
out: the table lists what the server answers, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinel_spec.appspec import AppSpec, CrudOp, ExtImport
from sentinel_spec.contract.names import kebab
from sentinel_spec.contract.routes import CRUD_SEGMENTS

# Crud reads are queries (GET and POST), writes are actions (POST), like operations.
CRUD_QUERIES: frozenset[CrudOp] = frozenset({"get", "getAll"})


@dataclass(frozen=True)
class RouteRow:
    method: str
    path: str
    kind: str  # query, action, api, page, crud, openapi
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
            path = f"/crud/{kebab(crud.name)}/{CRUD_SEGMENTS[cop.op]}"
            target = handler(cop.override_fn) if cop.override_fn else f"(generated {crud.entity})"
            methods = ("GET", "POST") if cop.op in CRUD_QUERIES else ("POST",)
            rows.extend(RouteRow(m, path, "crud", not cop.is_public, target) for m in methods)
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
