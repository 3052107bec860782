"""Failed deliveries: retried after 60 s and then 300 s (the processNotificationRetries
job), dead-lettered after the third failure with the last error kept; a refusal that
cannot change (4xx) is dead at once; a push service's 410 forgets the device."""

from __future__ import annotations

import datetime as dt

import pytest

from .notify_support import WEBHOOK_SECRET, Notify, notify_fixture  # noqa: F401

pytestmark = pytest.mark.postgres


def value(enum_or_str: object) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


async def make_due(n: Notify) -> None:
    """Time passes: every waiting retry is due now."""
    await n.sql(
        'UPDATE "NotificationDeliveryLog" SET "nextRetryAt" = now() - interval \'1 second\' '
        'WHERE "nextRetryAt" IS NOT NULL'
    )


async def webhook_workspace(n: Notify) -> tuple[dict[str, str], str]:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    await n.ok(
        "update-notification-preferences", {"emailEnabled": False}, ada
    )  # only the webhook delivers
    await n.ok(
        "save-notification-provider",
        {
            "workspaceId": ws,
            "provider": "WEBHOOK",
            "config": {"url": f"{n.stub.base}/webhook/flaky", "signingSecret": WEBHOOK_SECRET},
        },
        ada,
    )
    return ada, ws


async def test_three_failures_back_off_60_then_300_seconds_then_dead_letter(n: Notify) -> None:
    ada, ws = await webhook_workspace(n)
    n.stub.fail("/webhook/flaky", 500, 503, 502)
    await n.ok("create-alert", {"workspaceId": ws, "title": "flaky", "source": "s"}, ada)
    await n.settled()

    (log,) = await n.deliveries(channel="WEBHOOK")
    assert value(log.status) == "RETRYING" and log.attempts == 1
    assert log.responseStatus == 500 and "HTTP 500" in log.lastError
    assert log.nextRetryAt - log.lastAttemptAt == dt.timedelta(seconds=60)

    # Not due yet: the retry job leaves it alone.
    record = await n.run_job("processNotificationRetries")
    assert value(record.status) == "succeeded"
    assert (await n.deliveries(channel="WEBHOOK"))[0].attempts == 1

    await make_due(n)
    await n.run_job("processNotificationRetries")
    (log,) = await n.deliveries(channel="WEBHOOK")
    assert value(log.status) == "RETRYING" and log.attempts == 2 and log.responseStatus == 503
    assert log.nextRetryAt - log.lastAttemptAt == dt.timedelta(seconds=300)

    await make_due(n)
    await n.run_job("processNotificationRetries")
    (log,) = await n.deliveries(channel="WEBHOOK")
    assert value(log.status) == "DEAD_LETTER" and log.attempts == 3
    assert log.nextRetryAt is None and log.responseStatus == 502
    assert log.payload["title"] == "New medium alert: flaky"  # kept for a replay

    # Every attempt was the same delivery, signed again each time.
    attempts = n.stub.of("webhook")
    assert len(attempts) == 3 and {r.problem for r in attempts} == {None}
    assert len({r.body["id"] for r in attempts}) == 1

    dead = await n.ok(
        "get-notification-delivery-logs", {"workspaceId": ws, "status": "DEAD_LETTER"}, ada
    )
    assert [entry["id"] for entry in dead["logs"]] == [log.id]


async def test_a_retry_that_succeeds_is_sent(n: Notify) -> None:
    ada, ws = await webhook_workspace(n)
    n.stub.fail("/webhook/flaky", 500)
    await n.ok("create-alert", {"workspaceId": ws, "title": "once", "source": "s"}, ada)
    await n.settled()
    await make_due(n)
    await n.run_job("processNotificationRetries")
    (log,) = await n.deliveries(channel="WEBHOOK")
    assert value(log.status) == "SENT" and log.attempts == 2 and log.lastError is None
    assert len(n.stub.accepted("webhook")) == 1


async def test_a_4xx_answer_is_dead_at_once(n: Notify) -> None:
    ada, ws = await webhook_workspace(n)
    n.stub.fail("/webhook/flaky", 404)
    await n.ok("create-alert", {"workspaceId": ws, "title": "gone", "source": "s"}, ada)
    await n.settled()
    (log,) = await n.deliveries(channel="WEBHOOK")
    assert value(log.status) == "DEAD_LETTER" and log.attempts == 1 and log.responseStatus == 404


async def test_a_push_service_410_forgets_the_device(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    await n.ok("update-notification-preferences", {"emailEnabled": False}, ada)
    device = n.stub.device("old-phone")
    await n.ok(
        "save-push-subscription",
        {"subscription": device.subscription(n.stub.base), "workspaceId": ws},
        ada,
    )
    n.stub.gone.add("old-phone")
    await n.ok("create-alert", {"workspaceId": ws, "title": "x", "source": "s"}, ada)
    await n.settled()
    (log,) = await n.deliveries(channel="PUSH")
    assert value(log.status) == "DEAD_LETTER" and log.responseStatus == 410
    assert await n.ok("get-push-subscriptions", None, ada) == []
