"""GET/POST /workspaces/transfer/confirm?token=: the new owner confirms an ownership
transfer from the mailed link (see token_links.py for the link's rules)."""

from __future__ import annotations

from typing import Any

from src.client.pages.token_links import token_view, use_token
from src.client.web import component, redirect
from src.core.workspace import ownership

HERE = "/workspaces/transfer/confirm"
TEMPLATE = "transfer.html"


@component
async def transfer_page(request: Any, context: Any) -> Any:
    token = request.query_params.get("token", "")
    return await token_view(request, context, path=HERE, template=TEMPLATE, token=token)


@component
async def transfer_form(request: Any, context: Any) -> Any:
    async def confirmed(_: Any) -> Any:
        return redirect("/dashboard", done="owner")

    return await use_token(
        request,
        context,
        path=HERE,
        template=TEMPLATE,
        use=ownership.confirm_transfer,
        done=confirmed,
    )
