"""``cleanupOldNotifications`` (daily): notifications and delivery logs older than 90
days are deleted (the original's retention), unread ones too."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import delete

from src.core.entities import model

RETENTION = datetime.timedelta(days=90)


async def cleanup_old_notifications(args: Any, context: Any) -> dict[str, int]:
    cutoff = datetime.datetime.now(datetime.UTC) - RETENTION
    notification = model(context, "Notification")
    delivery = model(context, "NotificationDeliveryLog")
    removed = await context.session.execute(
        delete(notification).where(notification.createdAt < cutoff)
    )
    logs = await context.session.execute(delete(delivery).where(delivery.createdAt < cutoff))
    return {"notifications": removed.rowcount or 0, "deliveryLogs": logs.rowcount or 0}
