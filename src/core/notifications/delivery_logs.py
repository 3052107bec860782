"""What was delivered where: a workspace's delivery log, for its admins."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from sentinel_spec.runtime import require_role
from src.core.notifications.models import model
from src.core.notifications.serialize import delivery_log_json


class DeliveryLogFilter(BaseModel):
    workspaceId: str = Field(min_length=1, max_length=64)
    status: Literal["PENDING", "SENT", "RETRYING", "DEAD_LETTER", "SKIPPED"] | None = None
    channel: Literal["EMAIL", "PUSH", "SLACK", "DISCORD", "WEBHOOK", "TELEGRAM", "TEAMS"] | None = (
        None
    )
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=100_000)


async def list_delivery_logs(context: Any, args: DeliveryLogFilter) -> dict[str, Any]:
    await require_role(context, args.workspaceId, "ADMIN")
    delivery = model(context, "NotificationDeliveryLog")
    where = [delivery.workspaceId == args.workspaceId]
    if args.status:
        where.append(delivery.status == args.status)
    if args.channel:
        where.append(delivery.channel == args.channel)
    rows = await context.session.scalars(
        select(delivery)
        .where(*where)
        .order_by(delivery.createdAt.desc(), delivery.id)
        .limit(args.limit)
        .offset(args.offset)
    )
    total = await context.session.scalar(select(func.count()).select_from(delivery).where(*where))
    return {"logs": [delivery_log_json(row) for row in rows], "total": int(total or 0)}
