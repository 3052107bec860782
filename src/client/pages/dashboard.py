"""GET /dashboard: the current workspace at a glance (members, open work, recent audit
events); a user without a workspace is sent to onboarding."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, func, select

from src.client import services
from src.client.web import component, form_fields, page, redirect

OPEN_INCIDENT_STATES = ("OPEN", "INVESTIGATING", "CONTAINED")
RECENT_EVENTS = 10
MEMBERS_SHOWN = 8


@component
async def dashboard_page(request: Any, context: Any) -> Any:
    workspaces = await services.my_workspaces(context)
    workspace_id = await services.current_workspace(context, workspaces)
    if workspace_id is None:
        return redirect("/onboarding")
    workspace = next(w for w in workspaces if w["id"] == workspace_id)
    admin = services.at_least(workspace["role"], "ADMIN")
    # The door (membership, IP allowlist, session timeout) is checked once: by the audit
    # read for an admin (it asks for ADMIN), by member_of for everyone else.
    events = await services.recent_audit(context, workspace_id, RECENT_EVENTS) if admin else None
    membership = None if admin else await services.member_of(context, workspace_id)
    role = workspace["role"] if membership is None else services.role_name(membership)
    summary = await workspace_summary(context, workspace_id)
    return await page(
        request,
        context,
        "dashboard.html",
        {"role": role, "workspace": workspace, "events": events, **summary},
    )


async def workspace_summary(context: Any, workspace_id: str) -> dict[str, Any]:
    """The counts and first members; the caller has checked membership already."""
    e, db = context.entities, context.session
    summary, counts = _summary_queries(e.WorkspaceMember, e.User, e.Incident, e.Alert)
    params = {"workspace_id": workspace_id}
    rows = (await db.execute(summary, params)).all()
    if rows:
        member_count, open_incidents, open_alerts = rows[0][3:]
    else:  # the last member left meanwhile
        member_count, open_incidents, open_alerts = (await db.execute(counts, params)).one()
    members = [row[:3] for row in rows]
    return {
        "member_count": member_count or 0,
        "members": [
            {"role": services.role_name(role), "email": email, "name": name}
            for role, email, name in members
        ],
        "open_incidents": open_incidents or 0,
        "open_alerts": open_alerts or 0,
    }


@functools.cache
def _summary_queries(member: Any, user: Any, incident: Any, alert: Any) -> tuple[Any, Any]:
    """The members with the three counts, and the counts alone; built once per set of
    models (building them cost about what sending them does), the workspace a bind
    parameter. The counts ride along as columns of each member row: one round trip,
    and the viewer is a member, so there is a row. An alert nobody has attached to an
    incident yet is still waiting for triage."""
    workspace_id = bindparam("workspace_id")

    def count(model: Any, *where: Any) -> Any:
        return select(func.count()).select_from(model).where(*where).scalar_subquery()

    counts = (
        count(member, member.workspaceId == workspace_id).label("members"),
        count(
            incident,
            incident.workspaceId == workspace_id,
            incident.status.in_(OPEN_INCIDENT_STATES),
        ).label("incidents"),
        count(alert, alert.workspaceId == workspace_id, alert.incidentId.is_(None)).label("alerts"),
    )
    summary = (
        select(member.role, user.email, user.displayName, *counts)
        .join(user, user.id == member.userId)
        .where(member.workspaceId == workspace_id)
        .order_by(member.joinedAt, member.id)
        .limit(MEMBERS_SHOWN)
    )
    return summary, select(*counts)


@component
async def switch_workspace_form(request: Any, context: Any) -> Any:
    """POST /workspace/switch: the header's workspace picker (404 for a stranger's id)."""
    fields = await form_fields(request)
    await services.switch_workspace(context, fields.get("workspaceId", ""))
    return redirect("/dashboard", done="switched")
