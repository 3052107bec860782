"""getSystemLogs: the administrators' reader of system logs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from src.core.logs.service import system_logs


class SystemLogArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: Literal["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"] | None = None
    component: str | None = Field(default=None, max_length=64)
    search: str | None = Field(default=None, max_length=200)
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = Field(default=50, ge=1, le=200)
    beforeId: int | None = Field(default=None, ge=1)


async def get_system_logs(args: SystemLogArgs, context: Any) -> dict[str, Any]:
    return await system_logs(
        context,
        level=args.level,
        component=args.component,
        search=args.search,
        since=args.since,
        until=args.until,
        limit=args.limit,
        before_id=args.beforeId,
    )
