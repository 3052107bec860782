"""cleanupOldNotifications: notifications and delivery logs past 90 days go, the rest stay."""

from __future__ import annotations

import pytest

from .notify_support import Notify, notify_fixture  # noqa: F401

pytestmark = pytest.mark.postgres


async def test_rows_older_than_90_days_are_deleted(n: Notify) -> None:
    ada = await n.users.create("ada@example.com")
    ws = await n.workspace(ada)
    for title in ("old", "new"):
        await n.ok("create-alert", {"workspaceId": ws, "title": title, "source": "s"}, ada)
    await n.settled()
    await n.sql(
        """UPDATE "Notification" SET "createdAt" = now() - interval '91 days'
           WHERE title = 'New medium alert: old'"""
    )
    await n.sql(
        """UPDATE "NotificationDeliveryLog" SET "createdAt" = now() - interval '91 days'
           WHERE payload->>'title' = 'New medium alert: old'"""
    )
    record = await n.run_job("cleanupOldNotifications")
    assert str(getattr(record.status, "value", record.status)) == "succeeded"
    kept = await n.ok("get-notifications", None, ada)
    assert [x["title"] for x in kept["notifications"]] == ["New medium alert: new"]
    assert [log.payload["title"] for log in await n.deliveries()] == ["New medium alert: new"]
