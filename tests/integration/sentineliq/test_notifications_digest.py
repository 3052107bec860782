"""Preferences that change delivery: a digest user gets no instant email but one digest
listing everything (once); quiet hours hold emails until they end, except CRITICAL;
event types turned off notify nothing; in-app off still keeps the record."""

from __future__ import annotations

import datetime as dt

import pytest

from .notify_support import Notify, notify_fixture  # noqa: F401

pytestmark = pytest.mark.postgres

DIGEST_SUBJECT = "Your SentinelIQ digest"


def value(enum_or_str: object) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


def mails_to(n: Notify, address: str) -> list[object]:
    return [r for r in n.smtp.inbox.received if address in r.rcpt_tos]


async def test_an_hourly_digest_replaces_instant_mail_and_is_sent_once(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    prefs = await n.ok("update-notification-preferences", {"digestFrequency": "HOURLY"}, ada)
    assert prefs["digestFrequency"] == "HOURLY"
    welcome = len(mails_to(n, "ada@example.com"))  # the verification mail
    for title in ("first", "second", "third"):
        await n.ok("create-alert", {"workspaceId": ws, "title": title, "source": "s"}, ada)
    await n.settled()
    assert await n.deliveries(channel="EMAIL") == []  # nothing instant
    assert len(mails_to(n, "ada@example.com")) == welcome

    record = await n.run_job("sendNotificationDigests")
    assert value(record.status) == "succeeded"
    digest = await n.until(
        lambda: [
            r
            for r in mails_to(n, "ada@example.com")
            if r.message["Subject"].startswith(DIGEST_SUBJECT)
        ],
        "the digest",
    )
    (mail,) = digest
    assert mail.message["Subject"] == "Your SentinelIQ digest: 3 notifications"
    body = mail.message.get_body(preferencelist=("plain",)).get_content()
    for title in ("first", "second", "third"):
        assert f"New medium alert: {title}" in body

    # Within the hour nothing more; later only what is new.
    await n.run_job("sendNotificationDigests")
    await n.ok("create-alert", {"workspaceId": ws, "title": "fourth", "source": "s"}, ada)
    await n.settled()
    await n.run_job("sendNotificationDigests")
    await n.sql(
        'UPDATE "NotificationPreference" SET "lastDigestSentAt" = now() - interval \'2 hours\''
    )
    await n.run_job("sendNotificationDigests")
    digests = await n.until(
        lambda: (
            found
            if len(
                found := [
                    r
                    for r in mails_to(n, "ada@example.com")
                    if r.message["Subject"].startswith(DIGEST_SUBJECT)
                ]
            )
            == 2
            else None
        ),
        "the second digest",
    )
    assert digests[1].message["Subject"] == "Your SentinelIQ digest: 1 notification"


def window_around_now() -> tuple[str, str]:
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)
    return start.strftime("%H:%M"), end.strftime("%H:%M")


async def test_quiet_hours_hold_email_until_they_end_but_not_critical(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    start, end = window_around_now()
    await n.ok(
        "update-notification-preferences",
        {"dndEnabled": True, "dndStartTime": start, "dndEndTime": end},
        ada,
    )
    await n.ok("create-alert", {"workspaceId": ws, "title": "later", "source": "s"}, ada)
    await n.ok(
        "create-alert",
        {"workspaceId": ws, "title": "now", "source": "s", "severity": "CRITICAL"},
        ada,
    )
    await n.settled()
    logs = {log.payload["title"]: log for log in await n.deliveries(channel="EMAIL")}
    held, urgent = logs["New medium alert: later"], logs["New critical alert: now"]
    assert value(urgent.status) == "SENT"
    assert value(held.status) == "PENDING" and held.attempts == 0
    expected_end = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert abs((held.nextRetryAt - expected_end).total_seconds()) < 120

    # When the quiet hours are over the retry job sends it.
    await n.sql(
        'UPDATE "NotificationDeliveryLog" SET "nextRetryAt" = now() WHERE id = :i', i=held.id
    )
    await n.run_job("processNotificationRetries")
    (after,) = [log for log in await n.deliveries(channel="EMAIL") if log.id == held.id]
    assert value(after.status) == "SENT" and after.attempts == 1


async def test_a_disabled_event_type_notifies_nothing_and_in_app_off_keeps_the_row(
    n: Notify,
) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    await n.ok(
        "update-notification-preferences",
        {"disabledEventTypes": ["alert_created"], "inAppEnabled": False},
        ada,
    )
    await n.ok("create-alert", {"workspaceId": ws, "title": "muted", "source": "s"}, ada)
    await n.ok("create-incident", {"workspaceId": ws, "title": "kept"}, ada)
    await n.settled()
    listed = await n.ok("get-notifications", None, ada)
    assert [x["eventType"] for x in listed["notifications"]] == ["incident_created"]


async def test_preferences_are_validated(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    defaults = await n.ok("get-notification-preferences", None, ada)
    assert defaults["digestFrequency"] == "REALTIME" and defaults["inAppEnabled"] is True
    bad = await n.call(
        "update-notification-preferences",
        {"digestTime": "25:00", "digestFrequency": "MONTHLY", "disabledEventTypes": [""]},
        ada,
    )
    assert bad.status_code == 400
    fields = {d["field"] for d in bad.json()["error"]["details"]}
    assert fields == {"digestTime", "digestFrequency", "disabledEventTypes.0"}
    # null leaves a setting as it is, except the quiet-hours times, which it clears.
    kept = await n.ok(
        "update-notification-preferences",
        {"dndEnabled": True, "dndStartTime": "22:00", "dndEndTime": "07:00"},
        ada,
    )
    assert kept["dndEnabled"] is True
    cleared = await n.ok(
        "update-notification-preferences",
        {"dndEnabled": None, "emailEnabled": None, "dndStartTime": None},
        ada,
    )
    assert cleared["dndEnabled"] is True and cleared["emailEnabled"] is True
    assert cleared["dndStartTime"] is None and cleared["dndEndTime"] == "07:00"
