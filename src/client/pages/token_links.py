"""The pages a mailed token link opens (an invitation, an ownership transfer).

The GET never uses the token up (mail scanners follow links); the page's button POSTs it.
A visitor who is signed out is sent to sign in first and comes back to the same link.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client.web import error_text, form_fields, page, redirect, undo
from src.core.workspace import operations as ops


def _link(path: str, token: str) -> str:
    return f"{path}?{urlencode({'token': token})}"


async def token_view(
    request: Any,
    context: Any,
    *,
    path: str,
    template: str,
    token: str,
    error: str | None = None,
    status: int = 200,
) -> Any:
    return await page(
        request,
        context,
        template,
        {"token": token, "next": quote(_link(path, token), safe=""), "error": error},
        status=status,
    )


async def use_token(
    request: Any,
    context: Any,
    *,
    path: str,
    template: str,
    use: Callable[[Any, str], Awaitable[Any]],
    done: Callable[[Any], Awaitable[Any]],
) -> Any:
    """POST: ``use(context, token)``, then ``done(result)``; a refusal shows the page again
    with the error, and whatever the refused call wrote or queued is undone."""
    token = (await form_fields(request)).get("token", "")
    if context.user is None:
        return redirect("/login", next=_link(path, token))
    try:
        result = await use(context, ops.TokenArgs(token=token).token)
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 429):
            raise
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        return await token_view(
            request,
            context,
            path=path,
            template=template,
            token=token,
            error=error_text(failed),
            status=status,
        )
    return await done(result)
