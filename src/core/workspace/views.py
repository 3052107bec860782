"""What clients see of workspaces, members and invitations: explicit fields, never a
token digest or a payment processor id."""

from __future__ import annotations

from typing import Any

from src.core.workspace.access import role_name
from src.core.workspace.quotas import member_limit, plan_name, quotas_of


def workspace_view(ws: Any, role: Any = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": ws.id,
        "name": ws.name,
        "slug": ws.slug,
        "description": ws.description,
        "ownerId": ws.ownerId,
        "plan": plan_name(ws.plan),
        "subscriptionStatus": ws.subscriptionStatus,
        "logoUrl": ws.logoUrl,
        "primaryColor": ws.primaryColor,
        "secondaryColor": ws.secondaryColor,
        "ipAllowlistEnabled": ws.ipAllowlistEnabled,
        "ipAllowlist": list(ws.ipAllowlistEntries or []),
        "sessionTimeoutMins": ws.sessionTimeoutMins,
        "requireTwoFactor": ws.requireTwoFactor,
        "storageUsedBytes": int(ws.storageUsedBytes or 0),
        "storageQuotaBytes": int(ws.storageQuotaBytes or 0),
        "maxMembers": member_limit(ws),
        "maxWorkspaces": quotas_of(ws.plan).max_workspaces,
        "isActive": ws.isActive,
        "deletedAt": ws.deletedAt,
        "createdAt": ws.createdAt,
        "updatedAt": ws.updatedAt,
    }
    if role is not None:
        view["role"] = role_name(role)
    return view


def member_view(member: Any, user: Any) -> dict[str, Any]:
    return {
        "id": member.id,
        "userId": user.id,
        "email": user.email,
        "displayName": user.displayName,
        "avatarUrl": user.avatarUrl,
        "role": role_name(member.role),
        "joinedAt": member.joinedAt,
        "twoFactorEnabled": user.twoFactorEnabled,
    }


def invitation_view(invitation: Any) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": role_name(invitation.role),
        "invitedById": invitation.invitedById,
        "expiresAt": invitation.expiresAt,
        "acceptedAt": invitation.acceptedAt,
        "revokedAt": invitation.revokedAt,
        "createdAt": invitation.createdAt,
    }
