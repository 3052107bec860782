"""What the compiler makes of realtime declarations: the upload endpoint is a row of the
one route plan (so ``openapi.json`` and ``sentinel routes`` list it, and an api cannot take
its path), and the realtime tables' names are reserved with a positioned error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.analyzer.realtime_rules import REALTIME_TABLES
from sentinel_spec.commands.routes import route_rows
from sentinel_spec.contract import routes
from sentinel_spec.errors import SpecErrors
from sentinel_spec.generator.features import route_plan
from sentinel_spec.generator.openapi import build_document
from sentinel_spec.runtime.realtime.tables import TABLE_NAMES

OPS = "def f(args, context):\n    return None\n"
UPLOADS = 'uploads: { path: "/api/evidence/upload", maxSize: "5MB", auth: true }'


def load(tmp_path: Path, source: str) -> object:
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "ops.py").write_text(OPS)
    (tmp_path / "app.sq").write_text(source, encoding="utf-8")
    return load_spec(tmp_path / "app.sq")


def errors(tmp_path: Path, source: str) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecErrors) as raised:
        load(tmp_path, source)
    return [(e.span.line, e.span.column, e.message) for e in raised.value.errors]


def test_the_compiler_and_the_runtime_reserve_the_same_tables() -> None:
    assert REALTIME_TABLES == TABLE_NAMES


def test_the_upload_endpoint_is_planned_documented_and_listed(tmp_path: Path) -> None:
    spec = load(tmp_path, f'app A {{ title: "x", {UPLOADS} }}\nentity U {{ id Int @id }}\n')
    planned = [r for r in route_plan(spec) if r.kind == "upload"]  # type: ignore[arg-type]
    assert planned == [routes.upload("/api/evidence/upload", auth=True)]
    assert planned[0].methods == ("POST",)
    post = build_document(spec)["paths"]["/api/evidence/upload"]["post"]  # type: ignore[arg-type]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["required"]
    assert post["security"] == [{"bearerAuth": []}]
    rows = [r for r in route_rows(spec) if r.kind == "upload"]  # type: ignore[arg-type]
    assert [(r.method, r.path, r.auth, r.handler) for r in rows] == [
        ("POST", "/api/evidence/upload", True, "(runtime)")
    ]


def test_the_default_upload_path_is_planned(tmp_path: Path) -> None:
    spec = load(tmp_path, 'app A { title: "x", uploads: {} }\nentity U { id Int @id }\n')
    assert routes.upload("/api/upload", auth=True) in route_plan(spec)  # type: ignore[arg-type]


def test_an_api_cannot_take_the_upload_path(tmp_path: Path) -> None:
    source = (
        f'app A {{ title: "x", {UPLOADS} }}\nentity U {{ id Int @id }}\n'
        'api up { fn: import { f } from "@src/ops", httpRoute: (POST, "/api/evidence/upload") }\n'
    )
    found = errors(tmp_path, source)
    assert [(line, message) for line, _, message in found] == [
        (
            3,
            "api `up` at `/api/evidence/upload`: the framework serves the upload endpoint "
            "(`app.uploads`) there",
        )
    ]


@pytest.mark.parametrize(
    "declares",
    [
        f'app A {{ title: "x", {UPLOADS} }}',
        'app A { title: "x", webSocket: { fn: import { f } from "@src/ops" } }',
        'app A { title: "x" }\n'
        'websocket live { path: "/ws/live", fn: import { f } from "@src/ops", auth: false }',
    ],
)
def test_an_entity_cannot_use_a_realtime_table(tmp_path: Path, declares: str) -> None:
    source = declares + '\nentity Files {\n  id Int @id\n  @@map("sentinel_files")\n}\n'
    source += 'entity Messages {\n  id Int @id\n  @@map("sentinel_realtime_messages")\n}\n'
    found = errors(tmp_path, source)
    line = source[: source.index("entity Files")].count("\n") + 1
    assert [(ln, col) for ln, col, _ in found] == [(line, 8), (line + 4, 8)]
    assert "table `sentinel_realtime_messages`" in found[1][2]
    assert "would use table `sentinel_files`, which the realtime feature" in found[0][2]


def test_without_realtime_the_names_are_free(tmp_path: Path) -> None:
    source = 'app A { title: "x" }\nentity Files {\n  id Int @id\n  @@map("sentinel_files")\n}\n'
    assert load(tmp_path, source) is not None


def test_the_runtime_mounts_the_planned_upload_route() -> None:
    from starlette.routing import Route

    from sentinel_spec.runtime.app import create_app
    from tests.integration.realtime import decl_app

    decl = decl_app.decl()
    assert routes.upload("/api/upload", auth=True) in routes.plan(decl)
    # Nothing connects while the app is built: the database and SMTP server are placeholders.
    environ = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "SMTP_HOST": "127.0.0.1"}
    app = create_app(decl, environ=decl_app.environment(environ), dotenv=None)
    mounted = [(r.path, r.methods) for r in app.routes if isinstance(r, Route)]
    assert ("/api/upload", {"POST"}) in mounted
