"""GET /workspaces/:workspaceId/audit: the workspace's audit log, filtered, 50 rows a
page (keyset), with links to export the same filtered rows as CSV or JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pydantic import ValidationError
from sqlalchemy import select

from src.client import services
from src.client.audit_query import AuditFilters, audit_page, parse_cursor
from src.client.web import component, error_text, page

# Who may read the log: it names every member's actions and addresses.
AUDIT_ROLE = "ADMIN"


@component
async def audit_log_page(request: Any, context: Any) -> Any:
    workspace_id = request.path_params["workspaceId"]
    await services.member_of(context, workspace_id, AUDIT_ROLE)
    error = None
    try:
        filters = AuditFilters.model_validate(dict(request.query_params))
    except ValidationError as invalid:
        error, filters = error_text(invalid), AuditFilters()
    actions = [a.name for a in context.entities.AuditLog.action.type.enum_class]
    if filters.action is not None and filters.action not in actions:
        error, filters = "Pick an action from the list.", AuditFilters()
    cursor = parse_cursor(request.query_params.get("after"))
    rows, next_cursor = await audit_page(context, workspace_id, filters, cursor)
    e = context.entities
    workspace = await context.session.get(e.Workspace, workspace_id)
    members = (
        await context.session.execute(
            select(e.User.id, e.User.email)
            .join(e.WorkspaceMember, e.WorkspaceMember.userId == e.User.id)
            .where(e.WorkspaceMember.workspaceId == workspace_id)
            .order_by(e.User.email)
        )
    ).all()
    query = filters.query()
    return await page(
        request,
        context,
        "audit.html",
        {
            "workspace": workspace,
            "events": [services.audit_event(row, email) for row, email in rows],
            "filters": query,
            "actions": actions,
            "members": [{"id": uid, "email": email} for uid, email in members],
            "next_url": f"?{urlencode({**query, 'after': next_cursor})}" if next_cursor else None,
            "first_url": f"?{urlencode(query)}" if cursor else None,
            "export_query": urlencode(query),
            "error": error,
        },
        status=400 if error else 200,
    )
