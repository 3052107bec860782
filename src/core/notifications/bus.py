"""The notification event bus: ``emit`` is how operations, apis and jobs notify people.

What one call does, all inside the caller's unit of work (so an action that fails
notifies nobody, and a job that is retried does not notify twice):

1. picks the recipients: every member of the workspace, or exactly ``user_ids`` (server
   code chooses them, e.g. the member just removed, who is no longer a member: never
   pass ids a client sent without checking them), minus those who turned this event
   type off;
2. writes one Notification row per recipient;
3. publishes each row on its recipient's own realtime channel (``user:<id>``), which
   the runtime sends only after the commit (``context.realtime`` is transactional);
4. submits the ``deliverNotifications`` job (also transactional) for email, push and
   the workspace's providers (Slack, webhooks, ...): slow and failing channels never
   slow or fail the caller.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from src.core.entities import model
from src.core.notifications.serialize import notification_json

SEVERITIES = ("INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL")
MAX_TITLE = 200


async def emit(
    context: Any,
    event_type: str,
    *,
    workspace_id: str,
    title: str,
    message: str,
    data: dict[str, Any] | None = None,
    severity: str = "INFO",
    user_ids: list[str] | None = None,
    link: str | None = None,
) -> list[str]:
    """Notify ``user_ids`` (default: every member) of ``workspace_id``; returns the ids
    of the Notification rows written."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, got {severity!r}")
    if not event_type or len(event_type) > 100:
        raise ValueError("event_type must be 1 to 100 characters")
    session = context.session
    member = model(context, "WorkspaceMember")
    preference = model(context, "NotificationPreference")
    notification = model(context, "Notification")

    if user_ids is None:
        query = select(member.userId).where(member.workspaceId == workspace_id)
    elif not user_ids:
        return []
    else:
        user = model(context, "User")
        query = select(user.id).where(user.id.in_(user_ids))  # only users that exist
    recipients = sorted(set((await session.scalars(query)).all()))
    prefs = (
        {
            pref.userId: pref
            for pref in (
                await session.scalars(select(preference).where(preference.userId.in_(recipients)))
            ).all()
        }
        if recipients
        else {}
    )

    rows: list[Any] = []
    for user_id in recipients:
        pref = prefs.get(user_id)
        if pref is not None and event_type in (pref.disabledEventTypes or []):
            continue
        rows.append(
            notification(
                id=str(uuid.uuid4()),
                userId=user_id,
                workspaceId=workspace_id,
                type=severity,
                eventType=event_type,
                title=title[:MAX_TITLE],
                message=message,
                link=link,
                metadata_=data,
            )
        )
    session.add_all(rows)
    await session.flush()

    for row in rows:
        pref = prefs.get(row.userId)
        if pref is None or pref.inAppEnabled:
            await context.realtime.publish(
                f"user:{row.userId}",
                {"type": "notification", "notification": notification_json(row)},
            )
    await context.jobs.deliverNotifications.submit(
        {
            "workspaceId": workspace_id,
            "eventType": event_type,
            "notificationIds": [row.id for row in rows],
            "event": {
                "title": title[:MAX_TITLE],
                "message": message,
                "severity": severity,
                "link": link,
                "data": data or {},
            },
        }
    )
    return [row.id for row in rows]
