"""``sentinel routes`` rows computed from an AppSpec built by hand (no compiler needed)."""

from __future__ import annotations

from sentinel_spec.appspec import (
    Api,
    App,
    AppSpec,
    Crud,
    CrudOperation,
    ExtImport,
    Operation,
    Page,
    Route,
    WebSocket,
)
from sentinel_spec.commands.routes import RouteRow, format_table, route_rows

SPEC = AppSpec(
    app=App(name="Demo", title="Demo"),
    queries=(Operation("getCases", "query", ExtImport("src.cases", "get_cases"), auth=True),),
    actions=(Operation("createCase", "action", ExtImport("src.cases", "create_case")),),
    apis=(Api("health", ExtImport("src.health", "health"), "GET", "/api/health"),),
    routes=(Route("HomeRoute", "/", "HomePage"),),
    pages=(Page("HomePage", ExtImport("src.pages", "home"), auth_required=True),),
    cruds=(Crud("Cases", "Case", (CrudOperation("getAll", is_public=True),)),),
    websockets=(WebSocket("feed", "/ws/feed", ExtImport("src.ws", "feed"), auth=True),),
)


def test_every_kind_of_route_is_listed() -> None:
    rows = route_rows(SPEC)
    assert RouteRow("GET", "/operations/get-cases", "query", True, "src.cases:get_cases") in rows
    assert RouteRow("POST", "/operations/get-cases", "query", True, "src.cases:get_cases") in rows
    assert (
        RouteRow("POST", "/operations/create-case", "action", False, "src.cases:create_case")
        in rows
    )
    assert RouteRow("GET", "/api/health", "api", False, "src.health:health") in rows
    assert RouteRow("GET", "/", "page", True, "src.pages:home") in rows
    assert RouteRow("POST", "/crud/cases/get-all", "crud", False, "(generated Case)") in rows
    assert RouteRow("GET", "/crud/cases/get-all", "crud", False, "(generated Case)") in rows
    # Websockets are declared but not served yet: the table lists only what answers.
    assert not any(r.path == "/ws/feed" for r in rows)
    assert rows[-1].kind == "openapi"
    assert not any(r.kind == "auth" for r in rows)


def test_table_is_aligned_with_a_header() -> None:
    lines = format_table(route_rows(SPEC)).splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "KIND", "AUTH", "HANDLER"]
    column = lines[0].index("PATH")
    assert all(line[column - 2 : column] == "  " for line in lines)
