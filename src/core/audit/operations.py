"""Audit-log queries: a workspace's page of entries, one resource's history, the export
(CSV or JSON), and the administrators' view across workspaces."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from src.core.admin import require_admin
from src.core.audit.service import (
    AuditFilter,
    all_entries,
    export_entries,
    workspace_entries,
)
from src.core.instants import Instant
from src.core.workspace.access import member_of


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str | None = Field(default=None, pattern=r"^[A-Z0-9_]{2,64}$")
    resource: str | None = Field(default=None, max_length=64)
    userId: str | None = Field(default=None, min_length=1, max_length=64)
    since: Instant | None = None
    until: Instant | None = None

    def audit_filter(self, resource_id: str | None = None) -> AuditFilter:
        return AuditFilter(
            action=self.action,
            resource=self.resource,
            resource_id=resource_id,
            user_id=self.userId,
            since=self.since,
            until=self.until,
        )


class AuditLogArgs(Filters):
    workspaceId: str = Field(min_length=1, max_length=64)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, pattern=r"^[0-9]{1,16}~[0-9]{1,18}$")


class ResourceArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspaceId: str = Field(min_length=1, max_length=64)
    resource: str = Field(min_length=1, max_length=64)
    resourceId: str = Field(min_length=1, max_length=128)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, pattern=r"^[0-9]{1,16}~[0-9]{1,18}$")


class ExportArgs(Filters):
    workspaceId: str = Field(min_length=1, max_length=64)
    format: Literal["csv", "json"] = "csv"


class AdminAuditArgs(Filters):
    workspaceId: str | None = Field(default=None, min_length=1, max_length=64)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, pattern=r"^[0-9]{1,16}~[0-9]{1,18}$")


def _known(action: str | None) -> bool:
    """An action the enum does not have matches no entry (an empty page, not an error:
    the schema cannot list the enum, and no such entry exists)."""
    from generated.models import AuditAction

    return action is None or action in AuditAction.__members__


EMPTY: dict[str, Any] = {"items": [], "nextCursor": None}


async def get_audit_logs(args: AuditLogArgs, context: Any) -> dict[str, Any]:
    if not _known(args.action):
        await member_of(context, args.workspaceId, "ADMIN")
        return EMPTY
    return await workspace_entries(
        context, args.workspaceId, args.audit_filter(), limit=args.limit, cursor=args.cursor
    )


async def get_audit_logs_by_resource(args: ResourceArgs, context: Any) -> dict[str, Any]:
    return await workspace_entries(
        context,
        args.workspaceId,
        AuditFilter(resource=args.resource, resource_id=args.resourceId),
        limit=args.limit,
        cursor=args.cursor,
    )


async def export_audit_logs(args: ExportArgs, context: Any) -> dict[str, Any]:
    if not _known(args.action):
        args = args.model_copy(
            update={"action": None, "until": dt.datetime(1970, 1, 1, tzinfo=dt.UTC)}
        )
    return await export_entries(context, args.workspaceId, args.audit_filter(), args.format)


async def get_all_audit_logs_for_admin(args: AdminAuditArgs, context: Any) -> dict[str, Any]:
    if not _known(args.action):
        require_admin(context)
        return EMPTY
    return await all_entries(
        context,
        args.audit_filter(),
        workspace_id=args.workspaceId,
        limit=args.limit,
        cursor=args.cursor,
    )
