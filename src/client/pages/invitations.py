"""GET/POST /invitations/accept?token=: the page an invitation mail links to.

The platform only lets the invited, verified address accept, so a visitor signs in or
creates an account first (see token_links.py for the link's rules).
"""

from __future__ import annotations

from typing import Any

from src.client import services
from src.client.pages.token_links import token_view, use_token
from src.client.web import component, redirect
from src.core.workspace import members

HERE = "/invitations/accept"
TEMPLATE = "invitation.html"


@component
async def invitation_page(request: Any, context: Any) -> Any:
    token = request.query_params.get("token", "")
    return await token_view(request, context, path=HERE, template=TEMPLATE, token=token)


@component
async def invitation_form(request: Any, context: Any) -> Any:
    async def joined(membership: Any) -> Any:
        await services.switch_workspace(context, membership["workspaceId"])
        return redirect("/dashboard", done="joined")

    return await use_token(
        request, context, path=HERE, template=TEMPLATE, use=members.accept_invitation, done=joined
    )
