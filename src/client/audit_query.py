"""The audit log page's query: one workspace's rows, newest first, 50 at a time by keyset
(``createdAt``, ``id``) on the ``(workspaceId, createdAt, id)`` index, with filters.

A keyset page costs the same on row 100,000 as on row 1 (an OFFSET would read and throw
away every row before the page). The cursor is the last row's ``createdAt`` and ``id``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select, tuple_

PAGE_SIZE = 50


class AuditFilters(BaseModel):
    """What the filter form sends (all optional; blanks mean "any")."""

    model_config = ConfigDict(extra="ignore")

    action: str | None = Field(default=None, max_length=64)
    user: str | None = Field(default=None, max_length=64)  # a member's user id
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


def parse_cursor(value: str | None) -> tuple[dt.datetime, int] | None:
    """``<iso createdAt>_<id>``; anything else is the first page."""
    if not value or "_" not in value:
        return None
    stamp, _, row_id = value.rpartition("_")
    try:
        return dt.datetime.fromisoformat(stamp), int(row_id)
    except ValueError:
        return None


def cursor_of(row: Any) -> str:
    return f"{row.createdAt.isoformat()}_{row.id}"


def audit_query(e: Any, workspace_id: str, filters: AuditFilters) -> Any:
    """The filtered rows of one workspace, newest first, with the actor's address."""
    log = e.AuditLog
    query = (
        select(log, e.User.email)
        .outerjoin(e.User, e.User.id == log.userId)
        .where(log.workspaceId == workspace_id)
    )
    if filters.action:
        query = query.where(log.action == filters.action)
    if filters.user:
        query = query.where(log.userId == filters.user)
    if filters.resource:
        query = query.where(log.resource == filters.resource)
    if filters.since:
        query = query.where(log.createdAt >= _midnight(filters.since))
    if filters.until:
        query = query.where(log.createdAt < _midnight(filters.until + dt.timedelta(days=1)))
    return query.order_by(log.createdAt.desc(), log.id.desc())


async def audit_page(
    context: Any,
    workspace_id: str,
    filters: AuditFilters,
    cursor: tuple[dt.datetime, int] | None,
    size: int = PAGE_SIZE,
) -> tuple[list[Any], str | None]:
    """One page of rows ``(AuditLog, actor email)`` and the cursor of the next, if any."""
    log = context.entities.AuditLog
    query = audit_query(context.entities, workspace_id, filters)
    if cursor is not None:
        stamp, row_id = cursor
        # Row-value comparison: PostgreSQL walks the index from the cursor on.
        query = query.where(tuple_(log.createdAt, log.id) < tuple_(stamp, row_id))
    rows = (await context.session.execute(query.limit(size + 1))).all()
    more = len(rows) > size
    rows = rows[:size]
    return rows, (cursor_of(rows[-1][0]) if more and rows else None)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
