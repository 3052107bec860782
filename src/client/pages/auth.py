"""Sign-in, email verification and password reset: Sentinel's built-in auth pages,
served at SentinelIQ's own routes (restyle them with templates/auth/pages/*.html)."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import auth_page


async def login_page(request: Any, context: Any) -> Any:
    return await auth_page("login", request, context)


async def email_verification_page(request: Any, context: Any) -> Any:
    return await auth_page("verify-email", request, context)


async def password_reset_page(request: Any, context: Any) -> Any:
    return await auth_page("reset-password", request, context)
