"""Pages: the app's own routes serve Sentinel's built-in auth pages."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import auth_page


def home_page(request: Any, context: Any) -> str:
    return f"<h1 id='home'>Welcome {context.user.email}</h1>"


async def login_page(request: Any, context: Any) -> Any:
    return await auth_page("login", request, context)


async def verify_page(request: Any, context: Any) -> Any:
    return await auth_page("verify-email", request, context)


async def reset_page(request: Any, context: Any) -> Any:
    return await auth_page("reset-password", request, context)
