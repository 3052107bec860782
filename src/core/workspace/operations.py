"""The workspace queries and actions (app.sq, ``// ---- workspaces``): validated arguments,
then one service call. The rules live in service.py, members.py, ownership.py and
admin.py, where pages call them too."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from src.core.workspace import admin, members, ownership, service


class Args(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkspaceRef(Args):
    workspaceId: str = Field(min_length=1, max_length=64)


class SlugArgs(Args):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")


class CreateWorkspaceArgs(Args):
    name: str = Field(min_length=1, max_length=120, pattern=r"\S")  # not only blanks
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    description: str | None = Field(default=None, max_length=2000)


class UpdateWorkspaceArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    name: str | None = Field(default=None, min_length=1, max_length=120, pattern=r"\S")
    description: str | None = Field(default=None, max_length=2000)
    settings: dict[str, Any] | None = None


class InviteArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    # Control characters and U+FEFF spelled out: ``\s`` differs between JSON Schema's
    # regexes and pydantic's (U+0085, U+001C-U+001F, U+FEFF), and the schema must agree.
    email: str = Field(
        max_length=254,
        pattern=r"^[^@\s\x00-\x1f\x7f-\x9f\ufeff]+@[^@\s\x00-\x1f\x7f-\x9f\ufeff]+\.[^@\s\x00-\x1f\x7f-\x9f\ufeff]+$",
    )
    role: Literal["ADMIN", "MEMBER", "VIEWER"] = "MEMBER"


class MemberRef(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    userId: str = Field(min_length=1, max_length=64)


class RoleArgs(MemberRef):
    role: Literal["ADMIN", "MEMBER", "VIEWER"]


class TransferArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    newOwnerId: str = Field(min_length=1, max_length=64)


class TokenArgs(Args):
    token: str = Field(min_length=20, max_length=128)


class InvitationRef(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    invitationId: str = Field(min_length=1, max_length=64)


class BrandingArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    logoUrl: str | None = Field(default=None, max_length=2000, pattern=r"^https://\S+$")
    primaryColor: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    secondaryColor: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")


class SessionTimeoutArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    sessionTimeoutMins: int = Field(ge=5, le=24 * 60)


class TwoFactorPolicyArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    requireTwoFactor: bool


class AdminListArgs(Args):
    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=25, ge=1, le=100)
    search: str | None = Field(default=None, max_length=120)
    includeDeleted: bool = False


class SuspendWorkspaceArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    suspended: bool = True
    reason: str | None = Field(default=None, max_length=500)


class QuotaArgs(Args):
    workspaceId: str = Field(min_length=1, max_length=64)
    plan: Literal["FREE", "HOBBY", "PRO", "ENTERPRISE"] | None = None
    maxMembersOverride: int | None = Field(default=None, ge=1, le=100_000)
    storageQuotaBytes: int | None = Field(default=None, ge=0, le=10 * 1024**4)


def _set(args: BaseModel, *skip: str) -> dict[str, Any]:
    return args.model_dump(exclude_unset=True, exclude=set(skip))


# ------------------------------------------------------------------ reads


async def get_user_workspaces(args: None, context: Any) -> list[dict[str, Any]]:
    return await service.list_workspaces(context)


async def get_current_workspace(args: None, context: Any) -> dict[str, Any] | None:
    return await service.current_workspace(context)


async def get_workspace_by_id(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.workspace_by_id(context, args.workspaceId)


async def get_workspace_members(args: WorkspaceRef, context: Any) -> list[dict[str, Any]]:
    return await members.list_members(context, args.workspaceId)


async def check_slug_availability(args: SlugArgs, context: Any) -> dict[str, Any]:
    return await service.slug_available(context, args.slug)


async def get_workspace_invitations(args: WorkspaceRef, context: Any) -> list[dict[str, Any]]:
    return await members.list_invitations(context, args.workspaceId)


async def get_workspace_usage(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.usage(context, args.workspaceId)


async def get_storage_stats(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.storage_stats(context, args.workspaceId)


async def export_workspace_data(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.export_workspace_data(context, args.workspaceId)


# ------------------------------------------------------------------ workspace changes


async def create_workspace(args: CreateWorkspaceArgs, context: Any) -> dict[str, Any]:
    return await service.create_workspace(
        context, name=args.name, slug=args.slug, description=args.description
    )


async def update_workspace(args: UpdateWorkspaceArgs, context: Any) -> dict[str, Any]:
    return await service.update_workspace(context, args.workspaceId, _set(args, "workspaceId"))


async def delete_workspace(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.delete_workspace(context, args.workspaceId)


async def restore_workspace(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.restore_workspace(context, args.workspaceId)


async def switch_workspace(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await service.switch_workspace(context, args.workspaceId)


async def complete_onboarding(args: None, context: Any) -> dict[str, Any]:
    return await service.complete_onboarding(context)


async def update_workspace_branding(args: BrandingArgs, context: Any) -> dict[str, Any]:
    return await service.update_branding(context, args.workspaceId, _set(args, "workspaceId"))


async def update_workspace_session_timeout(
    args: SessionTimeoutArgs, context: Any
) -> dict[str, Any]:
    return await service.update_session_timeout(context, args.workspaceId, args.sessionTimeoutMins)


async def update_workspace_two_factor_policy(
    args: TwoFactorPolicyArgs, context: Any
) -> dict[str, Any]:
    return await service.update_two_factor_policy(context, args.workspaceId, args.requireTwoFactor)


# ------------------------------------------------------------------ members and invitations


async def invite_member_to_workspace(args: InviteArgs, context: Any) -> dict[str, Any]:
    """The original added an existing account at once (and said 404 for an unknown
    address); ours always sends an invitation, so nobody joins unasked and the answer
    says nothing about which addresses have accounts."""
    return await members.send_invitation(context, args.workspaceId, args.email, args.role)


async def send_workspace_invitation(args: InviteArgs, context: Any) -> dict[str, Any]:
    return await members.send_invitation(context, args.workspaceId, args.email, args.role)


async def accept_workspace_invitation(args: TokenArgs, context: Any) -> dict[str, Any]:
    return await members.accept_invitation(context, args.token)


async def revoke_workspace_invitation(args: InvitationRef, context: Any) -> dict[str, Any]:
    return await members.revoke_invitation(context, args.workspaceId, args.invitationId)


async def remove_member_from_workspace(args: MemberRef, context: Any) -> dict[str, Any]:
    return await members.remove_member(context, args.workspaceId, args.userId)


async def update_member_role(args: RoleArgs, context: Any) -> dict[str, Any]:
    return await members.update_member_role(context, args.workspaceId, args.userId, args.role)


async def leave_workspace(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await members.leave_workspace(context, args.workspaceId)


async def transfer_workspace_ownership(args: TransferArgs, context: Any) -> dict[str, Any]:
    return await ownership.request_transfer(context, args.workspaceId, args.newOwnerId)


async def confirm_ownership_transfer(args: TokenArgs, context: Any) -> dict[str, Any]:
    return await ownership.confirm_transfer(context, args.token)


# ------------------------------------------------------------------ platform administrators


async def get_all_workspaces_for_admin(args: AdminListArgs, context: Any) -> dict[str, Any]:
    return await admin.all_workspaces(
        context,
        page=args.page,
        page_size=args.pageSize,
        search=args.search,
        include_deleted=args.includeDeleted,
    )


async def get_workspace_count(args: None, context: Any) -> dict[str, int]:
    return await admin.workspace_count(context)


async def get_system_log_count(args: None, context: Any) -> dict[str, Any]:
    return await admin.system_log_count(context)


async def get_notification_count(args: None, context: Any) -> dict[str, int]:
    return await admin.notification_count(context)


async def get_contact_messages_count(args: None, context: Any) -> dict[str, int]:
    return await admin.contact_message_count(context)


async def get_workspace_details(args: WorkspaceRef, context: Any) -> dict[str, Any]:
    return await admin.workspace_details(context, args.workspaceId)


async def suspend_workspace(args: SuspendWorkspaceArgs, context: Any) -> dict[str, Any]:
    return await admin.suspend_workspace(
        context, args.workspaceId, suspended=args.suspended, reason=args.reason
    )


async def update_workspace_quotas(args: QuotaArgs, context: Any) -> dict[str, Any]:
    return await admin.update_quotas(context, args.workspaceId, _set(args, "workspaceId"))
