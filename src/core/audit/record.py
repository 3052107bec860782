"""One audit row per change: who (the signed-in user), what (an ``AuditAction``), on
what (resource and id), from where (client IP, user agent) and in which request.

The row is added to the caller's session, so it commits with the change it describes
and vanishes with it when the change is rolled back.
"""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import client_ip
from src.core.entities import model

USER_AGENT_MAX = 512


def _request_of(context: Any) -> Any:
    return getattr(context, "request", None) or getattr(context, "websocket", None)


async def audit(
    context: Any,
    *,
    workspace_id: str | None,
    action: str,
    resource: str,
    resource_id: str | None = None,
    description: str | None = None,
    metadata: dict[str, Any] | None = None,
    user_id: str | None = None,
) -> None:
    """Add an AuditLog row in ``context.session``. ``user_id`` overrides the actor for
    jobs and sign-in hooks, where ``context.user`` is not (yet) the actor."""
    from generated.models import AuditAction

    if action not in AuditAction.__members__:
        raise ValueError(f"{action!r} is not an AuditAction (app.sq)")
    request = _request_of(context)
    ip = client_ip(request) if request is not None else None
    agent = request.headers.get("user-agent") if request is not None else None
    actor = user_id if user_id is not None else getattr(getattr(context, "user", None), "id", None)
    context.session.add(
        model(context, "AuditLog")(
            workspaceId=workspace_id,
            userId=actor,
            action=action,
            resource=resource,
            resourceId=resource_id,
            description=description,
            metadata_=metadata,  # `metadata` is SQLAlchemy's own attribute
            ipAddress=None if ip in (None, "unknown") else ip,
            userAgent=agent[:USER_AGENT_MAX] if agent else None,
            requestId=getattr(context, "request_id", None),
        )
    )
