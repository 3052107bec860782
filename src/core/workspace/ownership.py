"""Ownership transfer in two steps: the OWNER names a member (verified address), who gets
a 24-hour single-use link by email and confirms while signed in. A stolen owner session
therefore cannot hand the workspace to a stranger, and nobody becomes owner unasked.
On confirmation the new owner is OWNER, the old one ADMIN, ``Workspace.ownerId`` follows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update

from sentinel_spec.runtime import HttpError, client_ip
from src.core.audit.record import audit
from src.core.entities import model
from src.core.links import app_link
from src.core.tokens import new_token, token_digest
from src.core.workspace.access import member_of, require_user, role_name
from src.core.workspace.events import publish

TRANSFER_TTL = dt.timedelta(hours=24)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def request_transfer(context: Any, workspace_id: str, new_owner_id: str) -> dict[str, Any]:
    await member_of(context, workspace_id, "OWNER")
    if new_owner_id == context.user.id:
        raise HttpError(400, "You already own this workspace")
    member, user, transfer = (
        model(context, "WorkspaceMember"),
        model(context, "User"),
        model(context, "OwnershipTransferConfirmation"),
    )
    row = (
        await context.session.execute(
            select(member, user)
            .join(user, user.id == member.userId)
            .where(member.workspaceId == workspace_id, member.userId == new_owner_id)
        )
    ).first()
    if row is None:
        raise HttpError(404, "The new owner must be a member of this workspace")
    new_owner = row[1]
    if not new_owner.isEmailVerified:
        raise HttpError(400, "The new owner must have a verified email address")
    await context.rate_limit("ownershipTransfer")
    # One pending transfer per workspace: a new request replaces the earlier link.
    await context.session.execute(
        delete(transfer).where(transfer.workspaceId == workspace_id, transfer.confirmedAt.is_(None))
    )
    token = new_token()
    request = context.request
    agent = request.headers.get("user-agent") if request is not None else None
    confirmation = transfer(
        workspaceId=workspace_id,
        currentOwnerId=context.user.id,
        newOwnerId=new_owner_id,
        tokenDigest=token_digest(token),
        expiresAt=_now() + TRANSFER_TTL,
        ipAddress=client_ip(request) if request is not None else None,
        userAgent=agent[:512] if agent else None,
    )
    context.session.add(confirmation)
    await context.session.flush()
    ws = await context.session.get(model(context, "Workspace"), workspace_id)
    await context.email.send(
        to=new_owner.email,
        template="ownership_transfer",
        data={
            "workspace": ws.name,
            "owner": context.user.displayName or context.user.email,
            "link": app_link(context, "/workspaces/transfer/confirm", token=token),
            "expires": confirmation.expiresAt.strftime("%Y-%m-%d %H:%M UTC"),
        },
    )
    await audit(
        context,
        workspace_id=workspace_id,
        action="OWNERSHIP_TRANSFER_REQUESTED",
        resource="workspace",
        resource_id=workspace_id,
        description=f"asked {new_owner.email} to take ownership",
        metadata={"newOwnerId": new_owner_id, "confirmationId": confirmation.id},
    )
    return {"pending": True, "newOwnerId": new_owner_id, "expiresAt": confirmation.expiresAt}


async def confirm_transfer(context: Any, token: str) -> dict[str, Any]:
    user = require_user(context)
    transfer, member, workspace = (
        model(context, "OwnershipTransferConfirmation"),
        model(context, "WorkspaceMember"),
        model(context, "Workspace"),
    )
    found = await context.session.scalar(
        select(transfer).where(transfer.tokenDigest == token_digest(token))
    )
    if found is None:
        raise HttpError(404, "Transfer not found")
    if found.confirmedAt is not None:
        raise HttpError(410, "This transfer was already confirmed", {"reason": "used"})
    if found.expiresAt <= _now():
        raise HttpError(410, "This link has expired; ask the owner again", {"reason": "expired"})
    if found.newOwnerId != user.id:
        raise HttpError(403, "This transfer is for another user", {"reason": "user"})
    ws = await context.session.get(workspace, found.workspaceId)
    if ws is None or ws.deletedAt is not None:
        raise HttpError(410, "This workspace was deleted", {"reason": "deleted"})
    old = await context.session.scalar(
        select(member).where(member.workspaceId == ws.id, member.userId == found.currentOwnerId)
    )
    new = await context.session.scalar(
        select(member).where(member.workspaceId == ws.id, member.userId == user.id)
    )
    if old is None or role_name(old.role) != "OWNER" or new is None:
        raise HttpError(409, "The workspace's members changed; the transfer no longer applies")
    claimed = await context.session.scalar(
        update(transfer)
        .where(transfer.id == found.id, transfer.confirmedAt.is_(None))
        .values(confirmedAt=_now())
        .returning(transfer.id)
    )
    if claimed is None:
        raise HttpError(410, "This transfer was already confirmed", {"reason": "used"})
    # The new owner's access is checked like any workspace call (allowlist, timeout).
    await member_of(context, ws.id)
    old.role, new.role, ws.ownerId = "ADMIN", "OWNER", user.id
    await audit(
        context,
        workspace_id=ws.id,
        action="OWNERSHIP_TRANSFERRED",
        resource="workspace",
        resource_id=ws.id,
        description=f"ownership passed to {user.email}",
        metadata={"from": found.currentOwnerId, "to": user.id},
    )
    await publish(
        context,
        "ownership.transferred",
        workspace_id=ws.id,
        title="Ownership transferred",
        message=f"{user.email} now owns {ws.name}.",
        data={"from": found.currentOwnerId, "to": user.id},
        severity="WARNING",
    )
    return {"workspaceId": ws.id, "ownerId": user.id, "previousOwnerId": found.currentOwnerId}
