"""``app.uploads`` hooks for ``POST /api/upload``: who may upload where, and the storage
quota. The form names the workspace (``workspaceId``, before the file part); the caller
must be a MEMBER or stronger there (VIEWERs read only), and the file may be at most what
is left of the workspace's quota. The quota is charged with one conditional UPDATE in the
transaction that writes the file row, so concurrent uploads cannot overshoot it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from sentinel_spec.runtime import HttpError
from src.core.audit.record import audit
from src.core.entities import model
from src.core.workspace.access import member_of


async def authorize_upload(request: Any, fields: dict[str, str], context: Any) -> dict[str, Any]:
    workspace_id = (fields.get("workspaceId") or "").strip()
    if not workspace_id:
        raise HttpError(
            400,
            "workspaceId is required (a form field before the file)",
            [{"field": "workspaceId", "message": "required"}],
            code="validation_error",
        )
    await member_of(context, workspace_id, "MEMBER")
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    left = int(ws.storageQuotaBytes) - int(ws.storageUsedBytes)
    if left <= 0:
        raise HttpError(
            413,
            "This workspace's storage is full; delete files or upgrade",
            {"reason": "quota", "quota": "storage"},
        )
    return {"workspaceId": workspace_id, "maxBytes": left}


async def on_upload(file: dict[str, Any], context: Any) -> dict[str, Any]:
    attributes = file.get("attributes") or {}
    workspace_id = attributes.get("workspaceId")
    size = int(file["size"])
    workspace = model(context, "Workspace")
    charged = await context.session.scalar(
        update(workspace)
        .where(
            workspace.id == workspace_id,
            workspace.storageUsedBytes + size <= workspace.storageQuotaBytes,
        )
        .values(storageUsedBytes=workspace.storageUsedBytes + size)
        .returning(workspace.storageUsedBytes)
    )
    if charged is None:  # another upload took the room meanwhile: this one is refused
        raise HttpError(413, "This workspace's storage is full", {"reason": "quota"})
    await audit(
        context,
        workspace_id=workspace_id,
        action="FILE_UPLOADED",
        resource="file",
        resource_id=str(file.get("id")),
        metadata={"size": size, "contentType": file.get("contentType")},
    )
    return {"workspaceId": workspace_id, "storageUsedBytes": int(charged)}
