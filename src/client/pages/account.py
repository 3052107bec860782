"""GET/POST /account: the user's profile, their workspaces, and the way to the
framework's security page (two-factor authentication, sessions, sign out everywhere)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client.web import component, error_text, form_fields, page, redirect, undo
from src.core.user import operations as user_ops
from src.core.user import service as users

PROFILE_FIELDS = ("displayName", "jobTitle", "timezone", "locale")


async def _view(
    request: Any,
    context: Any,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    me = await context.session.get(context.entities.User, context.user.id)
    profile = users.user_view(me)
    return await page(
        request,
        context,
        "account.html",
        {"profile": {**profile, **(form or {})}, "error": error},
        status=status,
    )


@component
async def account_page(request: Any, context: Any) -> Any:
    return await _view(request, context)


@component
async def account_form(request: Any, context: Any) -> Any:
    fields = await form_fields(request)
    # A blank optional field is left as it is (ProfileArgs refuses empty names).
    changes = {k: fields[k].strip() for k in PROFILE_FIELDS if fields.get(k, "").strip()}
    try:
        args = user_ops.ProfileArgs(**changes)
        await users.update_profile(context, args.model_dump(exclude_unset=True))
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 404, 429):
            raise
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        form = {k: fields.get(k, "") for k in PROFILE_FIELDS}
        return await _view(request, context, error=error_text(failed), form=form, status=status)
    return redirect("/account", done="profile")
