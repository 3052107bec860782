"""GET/POST /workspaces/:workspaceId/settings: general, members and roles, invitations,
security (IP allowlist, session timeout, the 2FA policy and members' 2FA status), ownership and
deletion. Each form posts an ``action``; its arguments are checked with the operation's
own pydantic model and the change is made by the platform's service function, which
checks membership and role again (a control hidden from a viewer is also refused)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import component, error_text, form_fields, page, redirect, undo
from src.core.auth import ip_allowlist
from src.core.auth import operations as auth_ops
from src.core.workspace import members, ownership, service
from src.core.workspace import operations as ops

GRANTABLE = ("ADMIN", "MEMBER", "VIEWER")


async def _view(
    request: Any,
    context: Any,
    workspace_id: str,
    *,
    error: str | None = None,
    section: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    workspace = await service.workspace_by_id(context, workspace_id)  # 404 for a stranger
    role = workspace["role"]
    admin, owner = services.at_least(role, "ADMIN"), role == "OWNER"
    people = await members.list_members(context, workspace_id)
    me = context.user.id
    data: dict[str, Any] = {
        "workspace": workspace,
        "role": role,
        "admin": admin,
        "owner": owner,
        "members": people,
        "me": me,
        "grantable": GRANTABLE if owner else GRANTABLE[1:],
        "invitations": await members.list_invitations(context, workspace_id) if admin else [],
        "allowlist": await ip_allowlist.get_allowlist(context, workspace_id) if admin else None,
        "two_factor_on": sum(1 for m in people if m["twoFactorEnabled"]),
        "my_two_factor": any(
            m["twoFactorEnabled"] for m in people if m["userId"] == context.user.id
        ),
        # A section's error is drawn in that section; any other at the top (base.html).
        "error": None if section else error,
        "form_error": error if section else None,
        "error_section": section,
        "form": form or {},
    }
    return await page(request, context, "settings.html", data, status=status)


@component
async def settings_page(request: Any, context: Any) -> Any:
    return await _view(request, context, request.path_params["workspaceId"])


Handler = Callable[[Any, str, dict[str, str]], Awaitable[str]]


async def _general(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.UpdateWorkspaceArgs(
        workspaceId=ws, name=f.get("name", "").strip(), description=f.get("description") or None
    )
    await service.update_workspace(
        context, ws, {"name": args.name, "description": args.description}
    )
    return "saved"


async def _invite(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.InviteArgs(
        workspaceId=ws, email=f.get("email", "").strip(), role=f.get("role", "MEMBER")
    )
    await members.send_invitation(context, ws, args.email, args.role)
    return "invited"


async def _revoke(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.InvitationRef(workspaceId=ws, invitationId=f.get("invitationId", ""))
    await members.revoke_invitation(context, ws, args.invitationId)
    return "revoked"


async def _role(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.RoleArgs(workspaceId=ws, userId=f.get("userId", ""), role=f.get("role", ""))
    await members.update_member_role(context, ws, args.userId, args.role)
    return "role"


async def _remove(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.MemberRef(workspaceId=ws, userId=f.get("userId", ""))
    await members.remove_member(context, ws, args.userId)
    return "removed"


async def _allowlist(context: Any, ws: str, f: dict[str, str]) -> str:
    entries = [line.strip() for line in f.get("entries", "").splitlines() if line.strip()]
    args = auth_ops.AllowlistArgs(workspaceId=ws, entries=entries, enabled="enabled" in f)
    await ip_allowlist.set_allowlist(context, ws, entries=args.entries, enabled=args.enabled)
    return "saved"


async def _timeout(context: Any, ws: str, f: dict[str, str]) -> str:
    try:
        minutes = int(f.get("sessionTimeoutMins", ""))
    except ValueError:
        raise HttpError(
            400,
            "Session timeout: a whole number of minutes",
            [{"field": "sessionTimeoutMins", "message": "a whole number of minutes"}],
            code="validation_error",
        ) from None
    args = ops.SessionTimeoutArgs(workspaceId=ws, sessionTimeoutMins=minutes)
    await service.update_session_timeout(context, ws, args.sessionTimeoutMins)
    return "saved"


async def _two_factor(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.TwoFactorPolicyArgs(workspaceId=ws, requireTwoFactor="requireTwoFactor" in f)
    await service.update_two_factor_policy(context, ws, args.requireTwoFactor)
    return "saved"


async def _transfer(context: Any, ws: str, f: dict[str, str]) -> str:
    args = ops.TransferArgs(workspaceId=ws, newOwnerId=f.get("newOwnerId", ""))
    await ownership.request_transfer(context, ws, args.newOwnerId)
    return "transfer"


async def _leave(context: Any, ws: str, f: dict[str, str]) -> str:
    await members.leave_workspace(context, ws)
    return "left"


async def _delete(context: Any, ws: str, f: dict[str, str]) -> str:
    if f.get("confirm", "").strip() != "DELETE":
        raise HttpError(400, "Type DELETE to confirm.")
    await service.delete_workspace(context, ws)
    return "deleted"


HANDLERS: dict[str, tuple[str, Handler]] = {
    # action: (the section that shows its error, the handler)
    "general": ("general", _general),
    "invite": ("invitations", _invite),
    "revoke": ("invitations", _revoke),
    "role": ("members", _role),
    "remove": ("members", _remove),
    "allowlist": ("security", _allowlist),
    "timeout": ("security", _timeout),
    "two_factor": ("security", _two_factor),
    "transfer": ("ownership", _transfer),
    "leave": ("members", _leave),
    "delete": ("danger", _delete),
}
# After these the user is no longer in the workspace: back to the dashboard.
LEAVING = {"leave", "delete"}


@component
async def settings_form(request: Any, context: Any) -> Any:
    workspace_id = request.path_params["workspaceId"]
    fields = await form_fields(request)
    action = fields.pop("action", "")
    section, handler = HANDLERS.get(action, (None, None))
    try:
        if handler is None:
            raise HttpError(400, "Unknown action")
        done = await handler(context, workspace_id, fields)
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 404, 429):
            raise  # a stranger's 404, a timed-out session: the error page says it
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        return await _view(
            request,
            context,
            workspace_id,
            error=error_text(failed),
            section=section,
            form=dict(fields),
            status=status,
        )
    if action in LEAVING:
        services.forget(context)
        return redirect("/dashboard", done=done)
    return redirect(f"/workspaces/{workspace_id}/settings", done=done, _anchor=section)
