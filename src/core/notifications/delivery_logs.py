"""What was delivered where: a workspace's delivery log, for its admins."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from src.core.entities import model
from src.core.notifications.serialize import delivery_log_json
from src.core.workspace.access import member_of


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    RETRYING = "RETRYING"
    DEAD_LETTER = "DEAD_LETTER"
    SKIPPED = "SKIPPED"


class DeliveryChannel(StrEnum):
    EMAIL = "EMAIL"
    PUSH = "PUSH"
    SLACK = "SLACK"
    DISCORD = "DISCORD"
    WEBHOOK = "WEBHOOK"
    TELEGRAM = "TELEGRAM"
    TEAMS = "TEAMS"


class DeliveryLogFilter(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)
    status: DeliveryStatus | None = None
    channel: DeliveryChannel | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=100_000)


async def list_delivery_logs(context: Any, args: DeliveryLogFilter) -> dict[str, Any]:
    await member_of(context, args.workspaceId, "ADMIN")
    delivery = model(context, "NotificationDeliveryLog")
    where = [delivery.workspaceId == args.workspaceId]
    if args.status:
        where.append(delivery.status == args.status.value)
    if args.channel:
        where.append(delivery.channel == args.channel.value)
    rows = await context.session.scalars(
        select(delivery)
        .where(*where)
        .order_by(delivery.createdAt.desc(), delivery.id)
        .limit(args.limit)
        .offset(args.offset)
    )
    total = await context.session.scalar(select(func.count()).select_from(delivery).where(*where))
    return {"logs": [delivery_log_json(row) for row in rows], "total": int(total or 0)}
