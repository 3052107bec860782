"""SentinelIQ's apis, pages and crud, served from the committed generated/ tree."""

from __future__ import annotations

import httpx
import pytest

from .conftest import Users

pytestmark = pytest.mark.postgres

AppAndUsers = tuple[httpx.AsyncClient, Users]


async def test_health_reports_the_database(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    response = await client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    jobs = body["jobs"]
    # No `sentinel worker` runs in this test; the one live worker is the app's own mail
    # worker (the sentinel-email queue only: docs/email.md, Delivery).
    assert jobs["status"] == "ok" and jobs["workers"] in (0, 1)  # 0 until it has started
    assert jobs["counts"]["todo"] == 0 and jobs["oldestDueSeconds"] is None
    assert response.headers["x-frame-options"] == "DENY"


async def test_email_preview_renders_templates(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    page = await client.get("/api/email-preview", params={"template": "incident"})
    assert page.status_code == 200
    assert "<title>[HIGH] Phishing campaign</title>" in page.text
    assert page.headers["x-email-subject"] == "[HIGH] Phishing campaign"
    text = await client.get("/api/email-preview", params={"template": "welcome", "format": "text"})
    assert text.headers["content-type"].startswith("text/plain")
    assert "You have joined Acme Security." in text.text
    missing = await client.get("/api/email-preview", params={"template": "nope"})
    assert missing.status_code == 404
    assert "welcome" in missing.json()["error"]["details"]["templates"]


async def test_screenshot_needs_a_session(app_and_users: AppAndUsers) -> None:
    client, users = app_and_users
    assert (await client.get("/api/screenshot/abc")).status_code == 401
    ada = await users.create("ada@example.com")
    response = await client.get("/api/screenshot/abc", headers=ada)
    assert response.status_code == 404


async def test_techniques_crud_is_public(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    empty = await client.get("/crud/techniques/get-all")
    assert empty.status_code == 200, empty.text
    assert empty.json() == {"items": [], "total": 0}
    assert (await client.post("/crud/techniques/get", json={"id": "T1566"})).status_code == 404


async def test_pages_render_and_the_dashboard_needs_a_session(
    app_and_users: AppAndUsers,
) -> None:
    client, users = app_and_users
    landing = await client.get("/")
    assert landing.status_code == 200
    assert "Security operations in one place" in landing.text
    assert (await client.get("/login")).status_code == 200
    redirect = await client.get("/dashboard")
    assert redirect.status_code == 302
    assert redirect.headers["location"] == "/login"
    ada = await users.create("ada@example.com")
    # No workspace yet: the dashboard sends a new user to onboarding (docs/sentineliq-pages.md).
    dashboard = await client.get("/dashboard", headers=ada)
    assert dashboard.status_code == 303 and dashboard.headers["location"] == "/onboarding"
    onboarding = await client.get("/onboarding", headers=ada)
    assert "Welcome to SentinelIQ" in onboarding.text


async def test_openapi_lists_every_operation(app_and_users: AppAndUsers) -> None:
    client, _ = app_and_users
    paths = (await client.get("/openapi.json")).json()["paths"]
    for op in ("get-user-workspaces", "create-workspace", "update-workspace", "delete-workspace"):
        assert f"/operations/{op}" in paths
    schema = paths["/operations/create-workspace"]["post"]["requestBody"]
    assert "CreateWorkspaceArgs" in str(schema)
