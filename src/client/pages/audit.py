"""GET /workspaces/:workspaceId/audit: the workspace's audit log, filtered, 50 rows a
page (the platform's keyset query on the (workspaceId, createdAt, id) index), with links
to export the same filtered rows; GET .../audit/export: that export as a download."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import bindparam, select
from starlette.responses import Response

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import component, error_text, options, page, with_models
from src.core.audit import operations as audit_ops

PAGE_SIZE = 50


class FilterForm(BaseModel):
    """The filter form as the browser sends it: blanks for "any", days for the dates."""

    model_config = ConfigDict(extra="ignore")

    action: str | None = Field(default=None, max_length=64)
    user: str | None = Field(default=None, max_length=64)
    resource: str | None = Field(default=None, max_length=64)
    since: dt.date | None = None
    until: dt.date | None = None

    @field_validator("*", mode="before")
    @classmethod
    def blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (for the pager and the export links)."""
        return {k: str(v) for k, v in self.model_dump().items() if v is not None}

    def service_filters(self) -> dict[str, Any]:
        """The operation's arguments: ``until`` is the whole day, so the next midnight."""
        return {
            "action": self.action,
            "resource": self.resource,
            "userId": self.user,
            "since": _midnight(self.since) if self.since else None,
            "until": _midnight(self.until + dt.timedelta(days=1)) if self.until else None,
        }


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


@functools.lru_cache(maxsize=128)
def _action_options(actions: Any, selected: str | None) -> Markup:
    """The action filter's 74 ``<option>``s: fixed by the enum, so each selection's list is
    built once (a few tenths of a millisecond a page otherwise). An unknown ``selected``
    from the URL selects nothing; the cache is bounded all the same."""
    return options([(a.name, a.name) for a in actions], selected)


@functools.cache
def _people_query(user: Any, member: Any) -> Any:
    """The member filter's people; built once per set of models (the workspace a bind
    parameter): building a statement costs about what sending it does."""
    return (
        select(user.id, user.email)
        .join(member, member.userId == user.id)
        .where(member.workspaceId == bindparam("workspace_id"))
        .order_by(user.email)
    )


def _filters(request: Any) -> tuple[FilterForm, str | None]:
    try:
        return FilterForm.model_validate(dict(request.query_params)), None
    except ValidationError as invalid:
        return FilterForm(), error_text(invalid)


@component
async def audit_log_page(request: Any, context: Any) -> Any:
    workspace_id = request.path_params["workspaceId"]
    form, error = _filters(request)
    cursor = request.query_params.get("after") or None
    try:
        args = audit_ops.AuditLogArgs(
            workspaceId=workspace_id, limit=PAGE_SIZE, cursor=cursor, **form.service_filters()
        )
        entries = await audit_ops.get_audit_logs(args, context)  # OWNER and ADMIN
    except (ValidationError, HttpError) as invalid:
        if isinstance(invalid, HttpError) and invalid.status != 400:
            raise
        error, form, cursor = error_text(invalid), FilterForm(), None
        args = audit_ops.AuditLogArgs(workspaceId=workspace_id, limit=PAGE_SIZE)
        entries = await audit_ops.get_audit_logs(args, context)
    e = context.entities
    # Checked by the audit read above; the name comes from the user's own list.
    mine = await services.my_workspaces(context)
    workspace = next(w for w in mine if w["id"] == workspace_id)
    people = (
        await context.session.execute(
            _people_query(e.User, e.WorkspaceMember), {"workspace_id": workspace_id}
        )
    ).all()
    query = form.query()
    next_cursor = entries["nextCursor"]
    return await page(
        request,
        context,
        "audit.html",
        {
            "workspace": workspace,
            "events": [services.audit_entry(item) for item in entries["items"]],
            "filters": query,
            "action_options": _action_options(e.AuditLog.action.type.enum_class, form.action),
            "member_options": options([(uid, email) for uid, email in people], form.user),
            "next_url": f"?{urlencode({**query, 'after': next_cursor})}" if next_cursor else None,
            "first_url": f"?{urlencode(query)}" if cursor else None,
            "export_query": urlencode(query),
            "error": error,
        },
        status=400 if error else 200,
    )


async def audit_export(request: Any, context: Any) -> Response:
    """The filtered log as a CSV or JSON download (the export is itself audited). A file,
    not a page: its refusals are the runtime's JSON errors, as for any api."""
    with_models(context)
    workspace_id = request.path_params["workspaceId"]
    form, error = _filters(request)
    if error is not None:
        raise HttpError(400, error, code="validation_error")
    try:
        args = audit_ops.ExportArgs(
            workspaceId=workspace_id,
            format=request.query_params.get("format", "csv"),
            **form.service_filters(),
        )
    except ValidationError as invalid:
        raise HttpError(400, error_text(invalid), code="validation_error") from None
    export = await audit_ops.export_audit_logs(args, context)
    return Response(
        export["content"],
        media_type=export["contentType"],
        headers={
            "Content-Disposition": f'attachment; filename="{export["filename"]}"',
            "Cache-Control": "no-store",
        },
    )
