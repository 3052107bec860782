"""Delivery to every channel but in-app: the ``deliverNotifications`` job (submitted by
``bus.emit``) and the ``processNotificationRetries`` cron job.

Each (notification, channel) or (event, workspace provider) pair gets one
NotificationDeliveryLog row, tried at once. A failure is retried with backoff: attempt 2
after 60 s, attempt 3 after 300 s more; when the third fails, or a failure can never
succeed (the endpoint said 4xx, the config is unusable), the row is ``DEAD_LETTER``,
kept with its payload and last error. Deliveries held by do-not-disturb wait as
``PENDING`` with ``nextRetryAt`` at the end of the quiet hours (CRITICAL ones do not
wait). Users with a digest frequency get no instant email: the digest job sends it.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import httpx
from sqlalchemy import select

from src.core.entities import model
from src.core.notifications import sealed_config, urls
from src.core.notifications.channels import discord, push, slack, teams, telegram, webhook
from src.core.notifications.channels.base import DeliveryError, Event, absolute_link
from src.core.notifications.schedule import dnd_until
from src.core.notifications.settings import current

log = logging.getLogger("sentineliq.notifications")

MAX_ATTEMPTS = 3
RETRY_DELAYS = (60, 300)  # seconds before attempts 2 and 3
RETRY_BATCH = 200
_CHAT_SENDERS = {"SLACK": slack.send, "DISCORD": discord.send, "TEAMS": teams.send}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _value(enum_or_str: Any) -> str:
    return str(getattr(enum_or_str, "value", enum_or_str))


def retry_delay(attempts: int) -> int:
    """Seconds to wait after ``attempts`` failed attempts (1 -> 60, 2 -> 300)."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


async def deliver_notifications(args: dict[str, Any], context: Any) -> dict[str, int]:
    now = _now()
    event = Event.from_payload(
        {
            **args["event"],
            "eventType": args["eventType"],
            "workspaceId": args["workspaceId"],
            "createdAt": now.isoformat(),
        }
    )
    session = context.session
    notification = model(context, "Notification")
    preference = model(context, "NotificationPreference")
    provider = model(context, "NotificationProvider")
    delivery = model(context, "NotificationDeliveryLog")
    subscription = model(context, "PushSubscription")

    ids = list(args.get("notificationIds") or [])
    rows = (await session.scalars(select(notification).where(notification.id.in_(ids)))).all()
    users = sorted({row.userId for row in rows})
    prefs = {
        p.userId: p
        for p in (await session.scalars(select(preference).where(preference.userId.in_(users))))
    }
    user = model(context, "User")
    rows_of_users = await session.execute(select(user.id, user.timezone).where(user.id.in_(users)))
    zones = {user_id: zone for user_id, zone in rows_of_users}
    push_users = [u for u in users if prefs.get(u) is not None and prefs[u].pushEnabled]
    devices: dict[str, list[Any]] = {}
    if push_users:
        for sub in await session.scalars(
            select(subscription).where(
                subscription.userId.in_(push_users),
                subscription.workspaceId == event.workspace_id,
            )
        ):
            devices.setdefault(sub.userId, []).append(sub)

    base = event.to_payload()
    logs: list[Any] = []

    def add(channel: str, **fields: Any) -> Any:
        row = delivery(
            channel=channel,
            eventType=event.event_type,
            workspaceId=event.workspace_id,
            status="PENDING",
            attempts=0,
            maxAttempts=MAX_ATTEMPTS,
            **fields,
        )
        logs.append(row)
        return row

    for row in rows:
        pref = prefs.get(row.userId)
        held = None if event.severity == "CRITICAL" else dnd_until(pref, now, zones.get(row.userId))
        personal = {**base, "notificationId": row.id}
        realtime_email = pref is None or _value(pref.digestFrequency) == "REALTIME"
        if (pref is None or pref.emailEnabled) and realtime_email:
            add(
                "EMAIL",
                userId=row.userId,
                notificationId=row.id,
                payload=personal,
                nextRetryAt=held,
            )
        for sub in devices.get(row.userId, []):
            add(
                "PUSH",
                userId=row.userId,
                notificationId=row.id,
                payload={**personal, "subscriptionId": sub.id},
                nextRetryAt=held,
            )

    for target in await session.scalars(
        select(provider).where(
            provider.workspaceId == event.workspace_id, provider.isEnabled.is_(True)
        )
    ):
        if target.eventTypes and event.event_type not in target.eventTypes:
            continue
        add(_value(target.provider), providerId=target.id, payload=base)

    session.add_all(logs)
    await session.flush()
    async with httpx.AsyncClient(follow_redirects=False) as client:
        for row in logs:
            if row.nextRetryAt is None:
                await attempt(context, client, row)
    return {"deliveries": len(logs)}


async def process_notification_retries(args: Any, context: Any) -> dict[str, int]:
    """Every minute: the deliveries whose retry (or quiet-hours end) is due."""
    delivery = model(context, "NotificationDeliveryLog")
    due = (
        await context.session.scalars(
            select(delivery)
            .where(
                delivery.status.in_(["RETRYING", "PENDING"]),
                delivery.nextRetryAt <= _now(),
            )
            .order_by(delivery.nextRetryAt)
            .limit(RETRY_BATCH)
            .with_for_update(skip_locked=True)
        )
    ).all()
    async with httpx.AsyncClient(follow_redirects=False) as client:
        for row in due:
            await attempt(context, client, row)
    return {"retried": len(due)}


async def attempt(context: Any, client: httpx.AsyncClient, row: Any) -> None:
    """One try of one delivery; updates the row (committed with the job)."""
    now = _now()
    row.attempts += 1
    row.lastAttemptAt = now
    try:
        status = await _send(context, client, row)
    except DeliveryError as error:
        row.lastError = str(error)[:2000]
        row.responseStatus = error.status
        if isinstance(error, push.SubscriptionGone):
            await _forget_subscription(context, row)
        if error.permanent or row.attempts >= row.maxAttempts:
            row.status = "DEAD_LETTER"
            row.nextRetryAt = None
            log.warning(
                "notification delivery %s (%s) dead-lettered after %d attempt(s): %s",
                row.id,
                _value(row.channel),
                row.attempts,
                row.lastError,
            )
        else:
            row.status = "RETRYING"
            row.nextRetryAt = now + datetime.timedelta(seconds=retry_delay(row.attempts))
        return
    except _Skipped as skipped:
        row.status = "SKIPPED"
        row.lastError = str(skipped)
        row.nextRetryAt = None
        return
    row.status = "SENT"
    row.responseStatus = status
    row.deliveredAt = now
    row.nextRetryAt = None
    row.lastError = None


class _Skipped(Exception):
    """Nothing to deliver any more (provider deleted or disabled, device removed)."""


async def _send(context: Any, client: httpx.AsyncClient, row: Any) -> int | None:
    settings = current()
    event = Event.from_payload(row.payload)
    channel = _value(row.channel)
    session = context.session
    if channel == "PUSH":
        sub = await session.get(model(context, "PushSubscription"), row.payload["subscriptionId"])
        if sub is None:
            raise _Skipped("the device's subscription was removed")
        status = await push.send(
            client,
            event,
            sub,
            app_url=settings.app_url,
            vapid_private_key=settings.vapid_private_key,
            vapid_subject=settings.vapid_subject,
        )
        sub.lastUsedAt = _now()
        return status
    if channel == "EMAIL" and row.userId is not None:
        user = await session.get(model(context, "User"), row.userId)
        if user is None:
            raise _Skipped("the user no longer exists")
        await _email(context, [user.email], event, settings.app_url)
        return None

    target = await session.get(model(context, "NotificationProvider"), row.providerId)
    if target is None or not target.isEnabled:
        raise _Skipped("the provider was deleted or disabled")
    public = dict(target.publicConfig or {})
    if channel == "EMAIL":
        await _email(context, list(public.get("recipients") or []), event, settings.app_url)
        return None
    try:
        secret = sealed_config.open_sealed(target.id, target.secretConfig)
    except Exception as error:
        raise DeliveryError(
            f"the provider's secrets do not open: {error}", permanent=True
        ) from error
    if channel == "TELEGRAM":
        return await telegram.send(
            client, event, public, secret, settings.app_url, settings.telegram_api_url
        )
    url = secret["url"] if channel == "WEBHOOK" else secret["webhookUrl"]
    try:
        await urls.check_target(url)
    except urls.UnsafeUrl as error:
        raise DeliveryError(f"refused target: {error}", permanent=True) from error
    if channel == "WEBHOOK":
        return await webhook.send(client, event, public, secret, row.id)
    return await _CHAT_SENDERS[channel](client, event, public, secret, settings.app_url)


async def _email(context: Any, to: list[str], event: Event, app_url: str) -> None:
    """Hand the message to the runtime's mail queue (which retries SMTP on its own)."""
    from sentinel_spec.runtime.email import InvalidEmail

    if not to:
        raise DeliveryError("no recipients", permanent=True)
    try:
        await context.email.send(
            to=to,
            template="notification",
            data={
                "title": event.title,
                "message": event.message,
                "severity": event.severity,
                "event_type": event.event_type,
                "link": absolute_link(event, app_url),
                "preferences_url": f"{app_url}/notifications/preferences",
            },
        )
    except InvalidEmail as error:
        raise DeliveryError(f"invalid email: {error}", permanent=True) from error


async def _forget_subscription(context: Any, row: Any) -> None:
    sub = await context.session.get(
        model(context, "PushSubscription"), row.payload["subscriptionId"]
    )
    if sub is not None:
        await context.session.delete(sub)
