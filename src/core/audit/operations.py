"""Audit-log queries: a workspace's page of entries, one resource's history, the export
(CSV or JSON), and the administrators' view across workspaces."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from src.core.audit.service import (
    AuditFilter,
    all_entries,
    export_entries,
    workspace_entries,
)

Id = Annotated[str, Field(min_length=1, max_length=64)]


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: str | None = Field(default=None, pattern=r"^[A-Z0-9_]{2,64}$")
    resource: str | None = Field(default=None, max_length=64)
    userId: Id | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None

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
    workspaceId: Id
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=80)


class ResourceArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspaceId: Id
    resource: str = Field(min_length=1, max_length=64)
    resourceId: str = Field(min_length=1, max_length=128)
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=80)


class ExportArgs(Filters):
    workspaceId: Id
    format: Literal["csv", "json"] = "csv"


class AdminAuditArgs(Filters):
    workspaceId: Id | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: str | None = Field(default=None, max_length=80)


def _check_action(action: str | None) -> None:
    from generated.models import AuditAction
    from sentinel_spec.runtime import HttpError

    if action is not None and action not in AuditAction.__members__:
        raise HttpError(
            400,
            "Unknown audit action",
            [{"field": "action", "message": f"not an AuditAction: {action}"}],
            code="validation_error",
        )


async def get_audit_logs(args: AuditLogArgs, context: Any) -> dict[str, Any]:
    _check_action(args.action)
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
    _check_action(args.action)
    return await export_entries(context, args.workspaceId, args.audit_filter(), args.format)


async def get_all_audit_logs_for_admin(args: AdminAuditArgs, context: Any) -> dict[str, Any]:
    _check_action(args.action)
    return await all_entries(
        context,
        args.audit_filter(),
        workspace_id=args.workspaceId,
        limit=args.limit,
        cursor=args.cursor,
    )
