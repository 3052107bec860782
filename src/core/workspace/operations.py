"""Workspace queries and actions: every change goes through ``require_role``, which checks
the caller's membership and role, the workspace's IP allowlist and its session timeout."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from sentinel_spec.runtime import HttpError, require_role
from src.core.audit.record import audit


class CreateWorkspaceArgs(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")


class UpdateWorkspaceArgs(BaseModel):
    id: str
    name: str | None = Field(default=None, min_length=1, max_length=120)
    ipAllowlist: list[str] | None = None
    sessionTimeoutMins: int | None = Field(default=None, ge=5, le=24 * 60)


class WorkspaceRef(BaseModel):
    id: str


def _require_user(context: Any) -> Any:
    if context.user is None:
        raise HttpError(401, "sign in first")
    return context.user


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:63] or "workspace"


async def _audit(context: Any, workspace_id: str | None, action: str, target: str) -> None:
    await audit(
        context, workspace_id=workspace_id, action=action, resource="workspace", resource_id=target
    )


async def get_workspaces(args: None, context: Any) -> list[dict[str, Any]]:
    """The caller's workspaces with their role, newest first."""
    user = _require_user(context)
    workspace, member = context.entities.Workspace, context.entities.WorkspaceMember
    rows = await context.session.execute(
        select(workspace, member.role)
        .join(member, member.workspaceId == workspace.id)
        .where(member.userId == user.id)
        .order_by(workspace.createdAt.desc(), workspace.id)
    )
    return [
        {"id": ws.id, "name": ws.name, "slug": ws.slug, "plan": ws.plan, "role": role}
        for ws, role in rows
    ]


async def create_workspace(args: CreateWorkspaceArgs, context: Any) -> Any:
    """Create a workspace; the caller becomes its owner."""
    user = _require_user(context)
    await context.rate_limit("workspaceCreate")  # 5/hour per user (app.sq)
    workspace, member = context.entities.Workspace, context.entities.WorkspaceMember
    slug = args.slug or slugify(args.name)
    taken = await context.session.scalar(
        select(func.count()).select_from(workspace).where(workspace.slug == slug)
    )
    if taken:
        raise HttpError(409, f"the slug {slug!r} is taken", {"field": "slug"})
    ws = workspace(name=args.name, slug=slug, ownerId=user.id)
    context.session.add(ws)
    await context.session.flush()
    context.session.add(member(userId=user.id, workspaceId=ws.id, role="OWNER"))
    await _audit(context, ws.id, "WORKSPACE_CREATED", ws.id)
    return ws


async def update_workspace(args: UpdateWorkspaceArgs, context: Any) -> Any:
    """Owners and admins change a workspace (its allowlist too: checked from where they are)."""
    await require_role(context, args.id, "ADMIN")
    await context.rate_limit("workspaceUpdate")  # 30/minute per user (app.sq)
    ws = await context.session.get(context.entities.Workspace, args.id)
    changes = args.model_dump(exclude_unset=True, exclude={"id"})
    for key, value in changes.items():
        setattr(ws, key, value)
    await _audit(context, args.id, "WORKSPACE_UPDATED", args.id)
    return ws


async def delete_workspace(args: WorkspaceRef, context: Any) -> dict[str, str]:
    """Only the owner deletes a workspace."""
    await require_role(context, args.id, "OWNER")
    ws = await context.session.get(context.entities.Workspace, args.id)
    await context.session.delete(ws)
    await _audit(context, None, "WORKSPACE_DELETED", args.id)
    return {"deleted": args.id}
