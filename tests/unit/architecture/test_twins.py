"""The compiler and the runtime each walk their own model (AppSpec, the generated AppDecl)
to find routes and declared features; these tests hold the two walks to one answer, and
the running app to the route plan, for SentinelIQ and the golden sample app."""

from __future__ import annotations

import importlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import sentinel_spec
from sentinel_spec.appspec import AppSpec
from sentinel_spec.contract import features, routes
from sentinel_spec.generator.features import route_plan
from tests.conftest import SENTINELIQ_TEST_ENV
from tests.golden_files import GOLDEN

REPO = Path(__file__).resolve().parents[3]


def _purge() -> None:
    for name in list(sys.modules):
        if name.split(".")[0] in ("generated", "src"):
            del sys.modules[name]


@pytest.fixture(params=["sentineliq", "sample"])
def project(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[AppSpec, ModuleType]]:
    """(AppSpec, generated.server) of one project, built and imported fresh."""
    if request.param == "sentineliq":
        root = REPO
    else:
        root = tmp_path / "sample"
        shutil.copytree(
            GOLDEN / "generated" / "sample", root, ignore=shutil.ignore_patterns("expected")
        )
    spec = sentinel_spec.build(root / "app.sq").spec
    _purge()
    monkeypatch.syspath_prepend(str(root))
    try:
        yield spec, importlib.import_module("generated.server")
    finally:
        _purge()


def test_compiler_and_runtime_plan_the_same_routes(project: tuple[AppSpec, ModuleType]) -> None:
    spec, server = project
    assert route_plan(spec) == routes.plan(server.APP)
    assert len(route_plan(spec)) > 5


def test_compiler_and_runtime_find_the_same_declared_features(
    project: tuple[AppSpec, ModuleType],
) -> None:
    spec, server = project
    assert spec.declared_features() == features.declared(server.APP)
    assert spec.declared_features()  # both projects declare features not served yet


def test_the_app_mounts_exactly_the_planned_routes(project: tuple[AppSpec, ModuleType]) -> None:
    from starlette.routing import Route, WebSocketRoute

    from sentinel_spec.runtime.app import create_app

    _, server = project
    # Nothing connects while the app is built: the database and SMTP server are placeholders.
    environ = {
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "SMTP_HOST": "127.0.0.1",
        **SENTINELIQ_TEST_ENV,
    }
    app = create_app(server.APP, environ=environ, dotenv=None)
    mounted = [
        (r.path, tuple(sorted(r.methods or ())) if isinstance(r, Route) else ("WS",))
        for r in app.routes
        if isinstance(r, Route | WebSocketRoute)
    ]
    planned = [
        (p.path, tuple(sorted({*p.methods, *(["HEAD"] if "GET" in p.methods else [])})))
        for p in routes.plan(server.APP)
    ]
    assert mounted == planned
