"""Workspace notification providers over HTTP: ADMIN and OWNER only (a MEMBER is 403, a
stranger 404), configs validated, secrets sealed and never answered, target URLs held
to the SSRF rules, every change audited; and a user's push devices."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from .notify_support import Notify, notify_fixture  # noqa: F401

pytestmark = pytest.mark.postgres


async def members(n: Notify) -> tuple[str, dict[str, str], dict[str, str], dict[str, str]]:
    owner = await n.users.create("owner@example.com")
    admin = await n.users.create("admin@example.com")
    member = await n.users.create("member@example.com")
    ws = await n.workspace(owner)
    await n.add_member(ws, admin, "ADMIN")
    await n.add_member(ws, member, "MEMBER")
    return ws, owner, admin, member


def slack(ws: str, url: str) -> dict[str, object]:
    return {"workspaceId": ws, "provider": "SLACK", "config": {"webhookUrl": url}}


async def test_admins_manage_providers_members_and_strangers_cannot(n: Notify) -> None:
    ws, owner, admin, member = await members(n)
    stranger = await n.users.create("stranger@example.com")
    url = f"{n.stub.base}/slack/T1/B1/secret-part"

    created = await n.ok("save-notification-provider", slack(ws, url), admin)
    assert created["provider"] == "SLACK" and created["isEnabled"] is True
    assert "webhookUrl" not in created["config"]
    assert created["config"]["webhookUrlMasked"] == "http://127.0.0.1/…part"

    for headers, status in ((member, 403), (stranger, 404)):
        for op, args in (
            ("get-notification-providers", {"workspaceId": ws}),
            ("save-notification-provider", slack(ws, url)),
            ("toggle-notification-provider", {"id": created["id"], "isEnabled": False}),
            ("delete-notification-provider", {"id": created["id"]}),
            ("get-notification-delivery-logs", {"workspaceId": ws}),
        ):
            refused = await n.call(op, args, headers)
            assert refused.status_code == status, (op, refused.text)

    # Updating without the secret keeps the sealed one; the owner may do it too.
    updated = await n.ok(
        "save-notification-provider",
        {**slack(ws, url), "config": {"channel": "#alerts"}, "eventTypes": ["alert_created"]},
        owner,
    )
    assert updated["id"] == created["id"]
    assert updated["config"] == {"channel": "#alerts", "webhookUrlMasked": "http://127.0.0.1/…part"}
    toggled = await n.ok(
        "toggle-notification-provider", {"id": created["id"], "isEnabled": False}, admin
    )
    assert toggled["isEnabled"] is False
    listed = await n.ok("get-notification-providers", {"workspaceId": ws}, admin)
    assert [p["id"] for p in listed] == [created["id"]]

    from generated.models import AuditLog, NotificationProvider

    (row,) = await n.rows(select(NotificationProvider))
    assert "secret-part" not in row.secretConfig and row.secretConfig.startswith("v1.")

    deleted = await n.ok("delete-notification-provider", {"id": created["id"]}, admin)
    assert deleted == {"deleted": created["id"]}
    assert await n.ok("get-notification-providers", {"workspaceId": ws}, admin) == []

    audits = await n.rows(select(AuditLog).where(AuditLog.workspaceId == ws))
    provider_changes = [a for a in audits if a.action.value == "PROVIDER_CONFIGURED"]
    assert len(provider_changes) == 4  # added, updated, disabled, removed


async def test_configs_are_validated_per_provider(n: Notify) -> None:
    ws, owner, _, _ = await members(n)
    cases = [
        ({"provider": "EMAIL", "config": {"recipients": ["not-an-address"]}}, "config.recipients"),
        ({"provider": "TELEGRAM", "config": {"botToken": "x", "chatId": "1"}}, "config.botToken"),
        ({"provider": "SLACK", "config": {}}, "config.webhookUrl"),
        ({"provider": "DISCORD", "config": {"webhookUrl": "ftp://x/y"}}, "config.webhookUrl"),
        ({"provider": "WEBHOOK", "config": {"url": "http://x", "extra": 1}}, "config.extra"),
    ]
    for args, field in cases:
        bad = await n.call("save-notification-provider", {"workspaceId": ws, **args}, owner)
        assert bad.status_code == 400, (args, bad.text)
        assert field in {d["field"] for d in bad.json()["error"]["details"]}, bad.text
    unknown = await n.call(
        "save-notification-provider",
        {"workspaceId": ws, "provider": "PAGER", "config": {}},
        owner,
    )
    assert unknown.status_code == 400
    assert await n.ok("get-notification-providers", {"workspaceId": ws}, owner) == []


async def test_a_webhook_secret_is_made_when_missing_and_shown_once(n: Notify) -> None:
    ws, owner, _, _ = await members(n)
    created = await n.ok(
        "save-notification-provider",
        {"workspaceId": ws, "provider": "WEBHOOK", "config": {"url": f"{n.stub.base}/webhook/x"}},
        owner,
    )
    assert created["signingSecret"].startswith("whsec_") and len(created["signingSecret"]) > 40
    assert created["config"]["signingSecretSet"] is True
    again = await n.ok("get-notification-providers", {"workspaceId": ws}, owner)
    assert "signingSecret" not in again[0] and created["signingSecret"] not in str(again)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",  # not https
        "https://127.0.0.1/hook",  # loopback
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://[::1]/hook",
        "https://user:pw@hooks.example.com/x",
    ],
)
async def test_production_refuses_private_and_plain_http_targets(
    n: Notify, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, owner, _, _ = await members(n)
    monkeypatch.setenv("SENTINEL_ENV", "production")
    refused = await n.call("save-notification-provider", slack(ws, url), owner)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"]["details"][0]["field"] == "config.webhookUrl"


async def test_push_devices_belong_to_their_user(n: Notify) -> None:
    ws, owner, _, member = await members(n)
    stranger = await n.users.create("stranger@example.com")
    device = n.stub.device("phone")
    subscription = device.subscription(n.stub.base)

    refused = await n.call(
        "save-push-subscription", {"subscription": subscription, "workspaceId": ws}, stranger
    )
    assert refused.status_code == 404
    bad_keys = await n.call(
        "save-push-subscription",
        {
            "subscription": {**subscription, "keys": {"p256dh": "AAAA", "auth": "!!"}},
            "workspaceId": ws,
        },
        member,
    )
    assert bad_keys.status_code == 400
    assert {d["field"] for d in bad_keys.json()["error"]["details"]} == {
        "subscription.keys.p256dh",
        "subscription.keys.auth",
    }

    saved = await n.ok(
        "save-push-subscription",
        {"subscription": subscription, "workspaceId": ws, "deviceName": "Phone"},
        member,
    )
    assert saved["deviceName"] == "Phone" and "p256dh" not in saved
    assert (await n.ok("get-notification-preferences", None, member))["pushEnabled"] is True
    assert [d["endpoint"] for d in await n.ok("get-push-subscriptions", None, member)] == [
        subscription["endpoint"]
    ]
    assert await n.ok("get-push-subscriptions", None, owner) == []
    other = await n.call("remove-push-subscription", {"endpoint": subscription["endpoint"]}, owner)
    assert other.status_code == 404
    removed = await n.ok("remove-push-subscription", {"endpoint": subscription["endpoint"]}, member)
    assert removed == {"success": True}
    assert (await n.ok("get-notification-preferences", None, member))["pushEnabled"] is False

    await n.ok("save-push-subscription", {"subscription": subscription, "workspaceId": ws}, member)
    assert await n.ok("remove-all-push-subscriptions", None, member) == {"removed": 1}
