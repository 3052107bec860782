"""``sendNotificationDigests`` (hourly): one email per user whose digest is due, listing
the notifications not yet put in a digest; the rows are then marked ``digestedAt``.

Users with ``digestFrequency`` HOURLY, DAILY or WEEKLY get no instant email (see
delivery.py), so every notification reaches them exactly once, here."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import select, update

from src.core.entities import model
from src.core.notifications.schedule import digest_due
from src.core.notifications.settings import current

MAX_ITEMS = 50


async def send_digests(args: Any, context: Any) -> dict[str, int]:
    now = context.job.scheduled_for if getattr(context, "job", None) else None
    now = now or datetime.datetime.now(datetime.UTC)
    preference = model(context, "NotificationPreference")
    notification = model(context, "Notification")
    user = model(context, "User")
    session = context.session
    app_url = current().app_url
    sent = 0
    prefs = await session.scalars(
        select(preference).where(
            preference.digestFrequency != "REALTIME", preference.emailEnabled.is_(True)
        )
    )
    for pref in prefs.all():
        owner = await session.get(user, pref.userId)
        if owner is None or not digest_due(pref, now, owner.timezone):
            continue
        pending = (
            await session.scalars(
                select(notification)
                .where(
                    notification.userId == pref.userId,
                    notification.digestedAt.is_(None),
                    notification.createdAt <= now,
                )
                .order_by(notification.createdAt.desc())
            )
        ).all()
        if not pending:
            continue
        since = pref.lastDigestSentAt or min(n.createdAt for n in pending)
        await context.email.send(
            to=owner.email,
            template="notification_digest",
            data={
                "count": len(pending),
                "items": [
                    {
                        "type": getattr(n.type, "value", n.type),
                        "title": n.title,
                        "message": n.message,
                        "createdAt": n.createdAt.strftime("%Y-%m-%d %H:%M UTC"),
                    }
                    for n in pending[:MAX_ITEMS]
                ],
                "more": max(0, len(pending) - MAX_ITEMS),
                "since": since.strftime("%Y-%m-%d %H:%M UTC"),
                "frequency": getattr(pref.digestFrequency, "value", pref.digestFrequency).lower(),
                "notifications_url": f"{app_url}/notifications",
                "preferences_url": f"{app_url}/notifications/preferences",
            },
        )
        await session.execute(
            update(notification)
            .where(notification.id.in_([n.id for n in pending]))
            .values(digestedAt=now)
        )
        pref.lastDigestSentAt = now
        sent += 1
    return {"digests": sent}
