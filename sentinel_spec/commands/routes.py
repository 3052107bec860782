"""``sentinel routes``: every HTTP route an AppSpec will serve, computed from the spec alone
(no user code runs). The rows are the route plan (``generator.features.route_plan``, the
compiler's twin of what the runtime mounts, and what ``openapi.json`` documents), with
the handler each row calls.
"""

from __future__ import annotations

from dataclasses import dataclass

from sentinel_spec.appspec import AppSpec, ExtImport
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator.features import route_plan


@dataclass(frozen=True)
class RouteRow:
    method: str
    path: str
    kind: str  # query, action, api, page, crud, openapi, auth, websocket
    auth: bool
    handler: str  # src.module:function, or "(generated ...)" / "(runtime)"


def handler(fn: ExtImport) -> str:
    return f"{fn.module}:{fn.name}"


def _handlers(spec: AppSpec) -> dict[tuple[str, str], str]:
    """(route kind, declaration name) -> what the row calls."""
    found: dict[tuple[str, str], str] = {}
    for op in spec.operations:
        found[(op.kind, op.name)] = handler(op.fn)
    for crud in spec.cruds:
        for cop in crud.operations:
            target = handler(cop.override_fn) if cop.override_fn else f"(generated {crud.entity})"
            found[("crud", f"{crud.name}.{cop.op}")] = target
    for api in spec.apis:
        found[("api", api.name)] = handler(api.fn)
    for page in spec.pages:
        found[("page", page.name)] = handler(page.component)
    for ws in spec.websockets:
        found[("websocket", ws.name)] = handler(ws.fn)
    return found


def route_rows(spec: AppSpec) -> list[RouteRow]:
    handlers = _handlers(spec)
    rows: list[RouteRow] = []
    for planned in route_plan(spec):
        target = handlers.get((planned.kind, planned.name), _runtime_handler(planned))
        for method in _shown_methods(planned):
            rows.append(RouteRow(method, planned.path, planned.kind, planned.auth, target))
    return rows


def _shown_methods(planned: PlannedRoute) -> tuple[str, ...]:
    # An api declared ALL is one row, as the spec wrote it.
    return (planned.method_label,) if planned.method_label else planned.methods


def _runtime_handler(planned: PlannedRoute) -> str:
    return "(generated)" if planned.kind == "openapi" else "(runtime)"


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
