"""GET/POST /invitations/accept?token=: the page an invitation mail links to.

The GET never uses the token up (mail scanners follow links); the button POSTs it. A
visitor is asked to sign in or create an account first and comes back here after, since
the platform only lets the invited, verified address accept.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import component, error_text, form_fields, page, redirect, undo
from src.core.workspace import members
from src.core.workspace import operations as ops


async def _view(
    request: Any, context: Any, token: str, *, error: str | None = None, status: int = 200
) -> Any:
    here = "/invitations/accept?" + urlencode({"token": token})
    return await page(
        request,
        context,
        "invitation.html",
        {"token": token, "next": quote(here, safe=""), "error": error},
        status=status,
    )


@component
async def invitation_page(request: Any, context: Any) -> Any:
    return await _view(request, context, request.query_params.get("token", ""))


@component
async def invitation_form(request: Any, context: Any) -> Any:
    fields = await form_fields(request)
    token = fields.get("token", "")
    if context.user is None:
        return redirect("/login", next=f"/invitations/accept?{urlencode({'token': token})}")
    try:
        args = ops.TokenArgs(token=token)
        joined = await members.accept_invitation(context, args.token)
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 429):
            raise
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        return await _view(request, context, token, error=error_text(failed), status=status)
    await services.switch_workspace(context, joined["workspaceId"])
    return redirect("/dashboard", done="joined")
