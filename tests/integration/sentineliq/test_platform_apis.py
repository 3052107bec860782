"""The platform's apis: POST /api/upload (the runtime's streaming upload, checked against
membership and the workspace's storage quota) and GET /api/email-preview (every
template with sample data; refused in production)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from tests.conftest import SENTINELIQ_TEST_ENV
from tests.mail_servers import SmtpServer

from .conftest import Users
from .platform_helpers import AppAndUsers, audit_rows, make_team, sql

pytestmark = pytest.mark.postgres

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 992  # 1,000 bytes that sniff as image/png


@pytest.fixture
async def served(
    sentineliq: ModuleType,
    sentineliq_db: str,
    smtp: SmtpServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[AppAndUsers]:
    from sentinel_spec.runtime.app import create_app

    extra = getattr(request, "param", {})
    environ = {
        "DATABASE_URL": sentineliq_db,
        **SENTINELIQ_TEST_ENV,
        **smtp.env(),
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        **extra,
    }
    app = create_app(sentineliq.APP, environ=environ, dotenv=None)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, Users(client, smtp, sentineliq_db)


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], workspace_id: str | None, body: bytes = PNG
) -> httpx.Response:
    data = {"workspaceId": workspace_id} if workspace_id is not None else {}
    return await client.post(
        "/api/upload",
        data=data,
        files={"file": ("shot.png", body, "image/png")},
        headers=headers,
    )


async def test_uploads_need_a_member_and_room_in_the_quota(served: AppAndUsers) -> None:
    client, users = served
    team = await make_team(client, users)
    ws = team.workspace_id
    assert (await upload(client, {}, ws)).status_code == 401
    assert (await upload(client, team["STRANGER"], ws)).status_code == 404
    assert (await upload(client, team["VIEWER"], ws)).status_code == 403
    assert (await upload(client, team["MEMBER"], None)).status_code == 400
    stored = await upload(client, team["MEMBER"], ws)
    assert stored.status_code == 201, stored.text
    assert stored.json()["storageUsedBytes"] == 1000
    [row] = await audit_rows(users.url, "FILE_UPLOADED")
    assert row.userId == team.ids["MEMBER"] and row.metadata["size"] == 1000
    # 1,500 bytes of quota: 500 left, so a 1,000-byte file is refused mid-stream.
    await sql(users.url, 'UPDATE "Workspace" SET "storageQuotaBytes" = 1500')
    too_big = await upload(client, team["MEMBER"], ws)
    assert too_big.status_code == 413
    small = await upload(client, team["MEMBER"], ws, PNG[:500])
    assert small.status_code == 201
    full = await upload(client, team["MEMBER"], ws, PNG[:10])
    assert full.status_code == 413
    assert full.json()["error"]["details"] == {"reason": "quota", "quota": "storage"}
    [used] = await sql(users.url, 'SELECT "storageUsedBytes" FROM "Workspace"')
    assert used.storageUsedBytes == 1500


async def test_every_email_template_previews(app_and_users: AppAndUsers) -> None:
    from src.server.api.email_preview import PREVIEWS, template_names

    client, _ = app_and_users
    names = template_names()
    assert {"invitation", "ownership_transfer", "welcome"} <= set(names)
    assert set(names) <= set(PREVIEWS), "every template has sample data"
    index = await client.get("/api/email-preview")
    assert index.status_code == 200
    for name in names:
        assert f"?template={name}" in index.text
        html = await client.get("/api/email-preview", params={"template": name})
        assert html.status_code == 200, name
        assert html.headers["x-email-subject"], name
        text = await client.get("/api/email-preview", params={"template": name, "format": "text"})
        assert text.headers["content-type"].startswith("text/plain"), name
    invitation = await client.get("/api/email-preview", params={"template": "invitation"})
    assert "Grace Hopper invited you to Acme Security" in invitation.headers["x-email-subject"]


@pytest.mark.parametrize("served", [{"SENTINEL_ENV": "production"}], indirect=True)
async def test_email_preview_is_refused_in_production(served: AppAndUsers) -> None:
    client, _ = served
    assert (await client.get("/api/email-preview")).status_code == 404
    refused = await client.get("/api/email-preview", params={"template": "welcome"})
    assert refused.status_code == 404
