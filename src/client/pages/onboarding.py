"""GET/POST /onboarding: a new user names their first workspace (and anyone may add one)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import component, error_text, form_fields, page, redirect, undo


async def _onboarding(
    request: Any, context: Any, *, error: str | None = None, name: str = "", status: int = 200
) -> Any:
    first = not (await services.my_workspaces(context))
    return await page(
        request,
        context,
        "onboarding.html",
        {"first": first, "error": error, "form": {"name": name}},
        status=status,
    )


@component
async def onboarding_page(request: Any, context: Any) -> Any:
    return await _onboarding(request, context)


@component
async def onboarding_form(request: Any, context: Any) -> Any:
    fields = await form_fields(request)
    name = fields.get("name", "").strip()
    try:
        await services.create_workspace(context, name)
    except (HttpError, ValidationError) as error:
        if isinstance(error, HttpError) and error.status in (401, 404):
            raise
        await undo(context)
        status = error.status if isinstance(error, HttpError) else 400
        return await _onboarding(
            request, context, error=error_text(error), name=name, status=status
        )
    return redirect("/dashboard", done="created")
