"""A user's notification preferences (one row, made on first read) and devices."""

from __future__ import annotations

import base64
import binascii
import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, field_validator
from sqlalchemy import delete, func, select

from sentinel_spec.runtime import HttpError
from src.core.entities import model
from src.core.notifications import urls
from src.core.notifications.inbox import require_user
from src.core.notifications.serialize import preference_json, push_subscription_json
from src.core.workspace.access import current_workspace_id, member_of

HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class UpdatePreferencesArgs(BaseModel):
    inAppEnabled: bool | None = None
    emailEnabled: bool | None = None
    pushEnabled: bool | None = None
    disabledEventTypes: list[str] | None = Field(default=None, max_length=100)
    digestFrequency: Literal["REALTIME", "HOURLY", "DAILY", "WEEKLY"] | None = None
    digestTime: str | None = Field(default=None, pattern=HHMM)
    dndEnabled: bool | None = None
    dndStartTime: str | None = Field(default=None, pattern=HHMM)
    dndEndTime: str | None = Field(default=None, pattern=HHMM)
    timezone: str | None = Field(default=None, max_length=64)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA timezone name, e.g. Europe/Paris") from None
        return value

    @field_validator("disabledEventTypes")
    @classmethod
    def _events(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and any(not item or len(item) > 100 for item in value):
            raise ValueError("each event type is 1 to 100 characters")
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
        if value is None and name not in ("dndStartTime", "dndEndTime"):
            raise HttpError(
                400, "validation failed", [{"field": name, "message": "may not be null"}]
            )
        setattr(row, name, value)
    if row.dndEnabled and not (row.dndStartTime and row.dndEndTime):
        raise HttpError(
            400,
            "do-not-disturb needs a start and an end time",
            [{"field": "dndStartTime", "message": "required when dndEnabled is true"}],
        )
    await context.session.flush()
    await context.session.refresh(row)
    return preference_json(row)


# ---------------------------------------------------------------- push subscriptions


def _b64url(value: str, size: int, what: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not base64url") from None
    if len(raw) != size or (what == "p256dh" and raw[0] != 4):
        raise ValueError(
            f"{what} must be {size} bytes"
            + (" (an uncompressed P-256 point)" if what == "p256dh" else "")
        )
    return value


class PushKeys(BaseModel):
    p256dh: str = Field(max_length=200)
    auth: str = Field(max_length=100)

    @field_validator("p256dh")
    @classmethod
    def _p256dh(cls, value: str) -> str:
        return _b64url(value, 65, "p256dh")

    @field_validator("auth")
    @classmethod
    def _auth(cls, value: str) -> str:
        return _b64url(value, 16, "auth")


class PushSubscriptionInfo(BaseModel):
    endpoint: str = Field(max_length=2048)
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
    if current is None:
        raise HttpError(
            400, "no workspace: pass workspaceId", [{"field": "workspaceId", "message": "required"}]
        )
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
