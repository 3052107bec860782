"""One audit row per change: who (the signed-in user), what (an ``AuditAction``), on
what (resource and id), from where (client IP, user agent) and in which request.

The row is added to the caller's session, so it commits with the change it describes
and vanishes with it when the change is rolled back.
"""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import client_ip

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
    request = _request_of(context)
    ip = client_ip(request) if request is not None else None
    agent = request.headers.get("user-agent") if request is not None else None
    actor = user_id if user_id is not None else getattr(getattr(context, "user", None), "id", None)
    model = _audit_model(context)
    context.session.add(
        model(
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


def _audit_model(context: Any) -> Any:
    """The AuditLog model: from the declaration's entities when it lists it, else the
    generated one (hooks and jobs that do not list AuditLog still audit)."""
    try:
        return context.entities.AuditLog
    except AttributeError:
        from generated.models import AuditLog

        return AuditLog
