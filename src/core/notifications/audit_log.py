"""Audit rows for notification changes, through platform's ``audit`` (INTERFACES.md)."""

from __future__ import annotations

from typing import Any


async def record(
    context: Any,
    *,
    workspace_id: str | None,
    action: str,
    resource: str,
    resource_id: str | None = None,
    description: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    try:
        from src.core.audit.record import audit
    except ModuleNotFoundError:  # before platform's audit module is merged
        from sentinel_spec.runtime import client_ip
        from src.core.notifications.models import model

        entry = model(context, "AuditLog")
        context.session.add(
            entry(
                workspaceId=workspace_id,
                userId=getattr(context.user, "id", None),
                action=action,
                target=f"{resource}:{resource_id}" if resource_id else resource,
                metadata_={"description": description, **(metadata or {})},
                ip=client_ip(context.request) if context.request is not None else None,
            )
        )
        return
    await audit(
        context,
        workspace_id=workspace_id,
        action=action,
        resource=resource,
        resource_id=resource_id,
        description=description,
        metadata=metadata,
    )
