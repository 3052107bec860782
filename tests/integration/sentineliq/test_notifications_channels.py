"""Every channel end to end: an alert raised over HTTP reaches the workspace's Slack,
Discord, Teams, Telegram and signed webhook (loopback services that check the real
payloads and signatures), each member's inbox over real SMTP and their browser over Web
Push (VAPID-signed, aes128gcm-encrypted, decrypted here with the device's keys)."""

from __future__ import annotations

import pytest

from .notify_support import TELEGRAM_TOKEN, WEBHOOK_SECRET, Notify, notify_fixture  # noqa: F401

pytestmark = pytest.mark.postgres


async def configure_every_provider(n: Notify, ws: str, admin: dict[str, str]) -> None:
    base = n.stub.base
    configs = {
        "SLACK": {"webhookUrl": f"{base}/slack/T000/B000/XXXX", "channel": "#soc"},
        "DISCORD": {"webhookUrl": f"{base}/discord/111/tok", "username": "Aegis"},
        "TEAMS": {"webhookUrl": f"{base}/teams/hook"},
        "TELEGRAM": {"botToken": TELEGRAM_TOKEN, "chatId": "-100123"},
        "WEBHOOK": {"url": f"{base}/webhook/siem", "signingSecret": WEBHOOK_SECRET},
        "EMAIL": {"recipients": ["soc@acme.test"]},
    }
    for provider, config in configs.items():
        await n.ok(
            "save-notification-provider",
            {"workspaceId": ws, "provider": provider, "config": config},
            admin,
        )


async def test_an_alert_reaches_every_channel_with_its_real_payload(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    await configure_every_provider(n, ws, ada)
    device = n.stub.device("ada-laptop")
    await n.ok(
        "save-push-subscription",
        {
            "subscription": device.subscription(n.stub.base),
            "workspaceId": ws,
            "deviceName": "Laptop",
        },
        ada,
    )

    alert = await n.ok(
        "create-alert",
        {
            "workspaceId": ws,
            "title": "Credential <phish> kit",
            "source": "mail-gateway",
            "severity": "CRITICAL",
            "description": "Kit hosted at login-acme.example",
        },
        ada,
    )
    await n.settled()

    slack = n.stub.accepted("slack")
    assert len(slack) == 1, [r.problem for r in n.stub.of("slack")]
    assert slack[0].body["text"] == "[CRITICAL] New critical alert: Credential <phish> kit"
    assert slack[0].body["channel"] == "#soc"
    header = slack[0].body["blocks"][0]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": "New critical alert: Credential <phish> kit"},
    }
    button = slack[0].body["blocks"][-1]["elements"][0]
    assert button["url"] == f"http://testserver/aegis/alerts/{alert['id']}"

    (discord,) = n.stub.accepted("discord")
    assert discord.path.endswith("?wait=true")
    embed = discord.body["embeds"][0]
    assert embed["color"] == 0x991B1B and embed["title"].startswith("New critical alert")
    assert {"name": "Severity", "value": "CRITICAL", "inline": True} in embed["fields"]
    assert discord.body["username"] == "Aegis"

    (teams,) = n.stub.accepted("teams")
    assert teams.body["@type"] == "MessageCard" and teams.body["themeColor"] == "991B1B"
    assert teams.body["potentialAction"][0]["targets"][0]["uri"].endswith(alert["id"])

    (telegram,) = n.stub.accepted("telegram")
    assert telegram.body["chat_id"] == "-100123" and telegram.body["parse_mode"] == "HTML"
    assert "Credential &lt;phish&gt; kit" in telegram.body["text"]  # escaped for HTML

    (hook,) = n.stub.accepted("webhook")
    assert hook.body["type"] == "alert_created"
    assert hook.body["workspaceId"] == ws
    assert hook.body["data"]["details"]["alertId"] == alert["id"]

    (push,) = n.stub.accepted("push")
    assert push.body["title"] == "New critical alert: Credential <phish> kit"
    assert push.body["url"] == f"http://testserver/aegis/alerts/{alert['id']}"
    assert push.headers["Urgency"] == "high"

    # Email: the member's own and the workspace's EMAIL provider, over real SMTP.
    async def mails() -> list[str]:
        return [
            r.rcpt_tos[0]
            for r in n.smtp.inbox.received
            if r.message["Subject"] == "[CRITICAL] New critical alert: Credential <phish> kit"
        ]

    assert sorted(await n.until(lambda: len(n.smtp.inbox.received) >= 3 and mails(), "mail")) == [
        "ada@example.com",
        "soc@acme.test",
    ]

    logs = await n.deliveries()
    assert sorted(str(getattr(log.channel, "value", log.channel)) for log in logs) == sorted(
        ["SLACK", "DISCORD", "TEAMS", "TELEGRAM", "WEBHOOK", "EMAIL", "EMAIL", "PUSH"]
    )
    assert {getattr(log.status, "value", log.status) for log in logs} == {"SENT"}
    assert all(log.attempts == 1 and log.deliveredAt is not None for log in logs)

    # Admins see the log; nothing in it or in the provider list reveals a secret.
    seen = await n.ok("get-notification-delivery-logs", {"workspaceId": ws}, ada)
    assert seen["total"] == 8
    listed = (await n.call("get-notification-providers", {"workspaceId": ws}, ada)).text
    for secret in (TELEGRAM_TOKEN, WEBHOOK_SECRET, "T000/B000/XXXX", "discord/111/tok"):
        assert secret not in listed and secret not in str(seen)


async def test_a_provider_limited_to_other_events_is_not_called(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    await n.ok(
        "save-notification-provider",
        {
            "workspaceId": ws,
            "provider": "SLACK",
            "config": {"webhookUrl": f"{n.stub.base}/slack/only-incidents"},
            "eventTypes": ["incident_created"],
        },
        ada,
    )
    await n.ok("create-alert", {"workspaceId": ws, "title": "noise", "source": "s"}, ada)
    await n.ok("create-incident", {"workspaceId": ws, "title": "Breach"}, ada)
    await n.settled()
    (slack,) = n.stub.accepted("slack")
    assert slack.body["text"] == "[WARNING] Incident opened (medium): Breach"
