"""GET/POST /workspaces/transfer/confirm?token=: the new owner confirms an ownership
transfer from the mailed link (the GET never uses the token up; the button POSTs it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client.web import component, error_text, form_fields, page, redirect, undo
from src.core.workspace import operations as ops
from src.core.workspace import ownership

HERE = "/workspaces/transfer/confirm"


async def _view(
    request: Any, context: Any, token: str, *, error: str | None = None, status: int = 200
) -> Any:
    here = f"{HERE}?{urlencode({'token': token})}"
    return await page(
        request,
        context,
        "transfer.html",
        {"token": token, "next": quote(here, safe=""), "error": error},
        status=status,
    )


@component
async def transfer_page(request: Any, context: Any) -> Any:
    return await _view(request, context, request.query_params.get("token", ""))


@component
async def transfer_form(request: Any, context: Any) -> Any:
    fields = await form_fields(request)
    token = fields.get("token", "")
    if context.user is None:
        return redirect("/login", next=f"{HERE}?{urlencode({'token': token})}")
    try:
        await ownership.confirm_transfer(context, ops.TokenArgs(token=token).token)
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 429):
            raise
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        return await _view(request, context, token, error=error_text(failed), status=status)
    return redirect("/dashboard", done="owner")
