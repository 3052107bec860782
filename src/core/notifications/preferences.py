"""A user's notification preferences (one row, made on first read) and devices."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete, func, select

from sentinel_spec.runtime import HttpError
from src.core.entities import model
from src.core.notifications import urls
from src.core.notifications.inbox import require_user
from src.core.notifications.serialize import preference_json, push_subscription_json
from src.core.workspace.access import current_workspace_id, member_of

HourMinute = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]  # HH:mm
EventType = Annotated[str, Field(min_length=1, max_length=100)]
DigestFrequency = Literal["REALTIME", "HOURLY", "DAILY", "WEEKLY"]
# What the schema says is exactly what is accepted: base64url of a 65-byte uncompressed
# P-256 point (0x04 first, so "B" then A-P) and of a 16-byte auth secret.
P256dh = Annotated[str, Field(pattern=r"^B[A-P][A-Za-z0-9_-]{85}=?$")]
AuthSecret = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{22}(==)?$")]
# Fields a null leaves unchanged (the do-not-disturb times: null clears them).
CLEARABLE = ("dndStartTime", "dndEndTime")


class UpdatePreferencesArgs(BaseModel):
    inAppEnabled: bool | None = None
    emailEnabled: bool | None = None
    pushEnabled: bool | None = None
    disabledEventTypes: list[EventType] | None = Field(default=None, max_length=100)
    digestFrequency: DigestFrequency | None = None
    digestTime: HourMinute | None = None
    dndEnabled: bool | None = None
    dndStartTime: HourMinute | None = None
    dndEndTime: HourMinute | None = None

    @field_validator("disabledEventTypes")
    @classmethod
    def _events(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else sorted(set(value))


async def own_preferences(context: Any) -> Any:
    user = require_user(context)
    preference = model(context, "NotificationPreference")
    row = await context.session.scalar(select(preference).where(preference.userId == user.id))
    if row is None:
        row = preference(userId=user.id, disabledEventTypes=[])
        context.session.add(row)
        await context.session.flush()
        await context.session.refresh(row)
    return row


async def get_preferences(context: Any) -> dict[str, Any]:
    return preference_json(await own_preferences(context))


async def update_preferences(context: Any, args: UpdatePreferencesArgs) -> dict[str, Any]:
    row = await own_preferences(context)
    for name, value in args.model_dump(exclude_unset=True).items():
        if value is not None or name in CLEARABLE:
            setattr(row, name, value)
    await context.session.flush()
    await context.session.refresh(row)
    return preference_json(row)


# ---------------------------------------------------------------- push subscriptions


class PushKeys(BaseModel):
    p256dh: P256dh
    auth: AuthSecret


class PushSubscriptionInfo(BaseModel):
    endpoint: str = Field(min_length=1, max_length=2048)
    keys: PushKeys
    expirationTime: int | None = None  # what PushSubscription.toJSON() includes


class SavePushSubscriptionArgs(BaseModel):
    subscription: PushSubscriptionInfo
    workspaceId: str | None = Field(default=None, max_length=64)
    userAgent: str | None = Field(default=None, max_length=500)
    deviceName: str | None = Field(default=None, max_length=120)


class EndpointRef(BaseModel):
    endpoint: str = Field(min_length=1, max_length=2048)


async def _workspace_for_device(context: Any, requested: str | None) -> str:
    if requested is not None:
        return requested
    current = await current_workspace_id(context)
    if current is None:  # nothing to subscribe in: like a workspace that does not exist
        raise HttpError(404, "No current workspace: pass workspaceId", {"field": "workspaceId"})
    return str(current)


async def _set_push_enabled(context: Any, enabled: bool) -> None:
    row = await own_preferences(context)
    row.pushEnabled = enabled


async def save_push_subscription(context: Any, args: SavePushSubscriptionArgs) -> dict[str, Any]:
    user = require_user(context)
    workspace_id = await _workspace_for_device(context, args.workspaceId)
    await member_of(context, workspace_id, "VIEWER")
    try:
        await urls.check_target(args.subscription.endpoint)
    except urls.UnsafeUrl as error:
        raise HttpError(
            400,
            "invalid push endpoint",
            [{"field": "subscription.endpoint", "message": str(error)}],
        ) from None
    subscription = model(context, "PushSubscription")
    row = await context.session.scalar(
        select(subscription).where(subscription.endpoint == args.subscription.endpoint)
    )
    now = datetime.datetime.now(datetime.UTC)
    if row is None:
        row = subscription(endpoint=args.subscription.endpoint)
        context.session.add(row)
    # One browser profile, one endpoint: whoever subscribed last on it receives its pushes.
    row.userId = user.id
    row.workspaceId = workspace_id
    row.p256dh = args.subscription.keys.p256dh
    row.auth = args.subscription.keys.auth
    row.userAgent = args.userAgent or row.userAgent
    row.deviceName = args.deviceName or row.deviceName
    row.lastUsedAt = now
    await _set_push_enabled(context, True)
    await context.session.flush()
    await context.session.refresh(row)
    return push_subscription_json(row)


async def list_push_subscriptions(context: Any) -> list[dict[str, Any]]:
    subscription = model(context, "PushSubscription")
    rows = await context.session.scalars(
        select(subscription)
        .where(subscription.userId == require_user(context).id)
        .order_by(subscription.createdAt.desc())
    )
    return [push_subscription_json(row) for row in rows]


async def remove_push_subscription(context: Any, endpoint: str) -> dict[str, bool]:
    user = require_user(context)
    subscription = model(context, "PushSubscription")
    row = await context.session.scalar(
        select(subscription).where(
            subscription.endpoint == endpoint, subscription.userId == user.id
        )
    )
    if row is None:
        raise HttpError(404, "Subscription not found")
    await context.session.delete(row)
    await context.session.flush()
    remaining = await context.session.scalar(
        select(func.count()).select_from(subscription).where(subscription.userId == user.id)
    )
    if not remaining:
        await _set_push_enabled(context, False)
    return {"success": True}


async def remove_all_push_subscriptions(context: Any) -> dict[str, int]:
    user = require_user(context)
    subscription = model(context, "PushSubscription")
    result = await context.session.execute(
        delete(subscription).where(subscription.userId == user.id)
    )
    await _set_push_enabled(context, False)
    return {"removed": result.rowcount or 0}
