"""Name conversions and the import table of generated/server.py."""

from __future__ import annotations

import pytest

from sentinel_spec.appspec import ExtImport
from sentinel_spec.contract.names import kebab, snake, starlette_path
from sentinel_spec.generator.imports import ImportTable


@pytest.mark.parametrize(
    ("name", "kebabbed", "snaked"),
    [
        ("getCases", "get-cases", "get_cases"),
        ("Cases", "cases", "cases"),
        ("getHTTPStatus", "get-http-status", "get_http_status"),
        ("WorkspaceMember", "workspace-member", "workspace_member"),
        ("already_snake", "already-snake", "already_snake"),
        ("x", "x", "x"),
    ],
)
def test_case_conversions(name: str, kebabbed: str, snaked: str) -> None:
    assert kebab(name) == kebabbed
    assert snake(name) == snaked


def test_path_params_become_starlette_params() -> None:
    assert starlette_path("/api/a/:alertId/b/:n") == "/api/a/{alertId}/b/{n}"
    assert starlette_path("/plain") == "/plain"


def test_clashing_names_are_aliased_by_module() -> None:
    table = ImportTable(
        [
            ExtImport("src.api.ping", "handler"),
            ExtImport("src.api.echo", "handler"),
            ExtImport("src.api.echo", "other"),
            ExtImport("src.api.echo", "other"),  # duplicates import once
            ExtImport("src.core", "models"),  # would shadow `models`
        ],
        reserved=("models",),
    )
    assert table.local(ExtImport("src.api.ping", "handler")) == "ping_handler"
    assert table.local(ExtImport("src.api.echo", "handler")) == "echo_handler"
    assert table.local(ExtImport("src.core", "models")) == "core_models"
    assert table.lines() == [
        "from src.api.echo import handler as echo_handler",
        "from src.api.echo import other",
        "from src.api.ping import handler as ping_handler",
        "from src.core import models as core_models",
    ]


def test_long_import_lines_are_wrapped() -> None:
    names = [f"function_number_{i}" for i in range(8)]
    table = ImportTable([ExtImport("src.mod", n) for n in names], reserved=())
    (line,) = table.lines()
    assert line.startswith("from src.mod import (\n    function_number_0,\n")
    assert line.endswith("    function_number_7,\n)")
