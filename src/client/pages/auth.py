"""Sign-in, sign-up, email verification, password reset and the 2FA step: Sentinel's
built-in auth pages (their forms post to /auth/...), served at SentinelIQ's own routes
and drawn in its layout (templates/auth/pages/base.html replaces the built-in one)."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import auth_page


async def login_page(request: Any, context: Any) -> Any:
    return await auth_page("login", request, context)


async def signup_page(request: Any, context: Any) -> Any:
    return await auth_page("signup", request, context)


async def email_verification_page(request: Any, context: Any) -> Any:
    return await auth_page("verify-email", request, context)


async def forgot_password_page(request: Any, context: Any) -> Any:
    return await auth_page("forgot-password", request, context)


async def password_reset_page(request: Any, context: Any) -> Any:
    return await auth_page("reset-password", request, context)


async def two_factor_page(request: Any, context: Any) -> Any:
    return await auth_page("two-factor", request, context)
