from __future__ import annotations

from typing import Any


def login_page(request: Any, context: Any) -> str:
    return "<h1>Log in</h1>"


def verify_email_page(request: Any, context: Any) -> str:
    return "<h1>Verify your email</h1>"


def reset_password_page(request: Any, context: Any) -> str:
    return "<h1>Reset your password</h1>"
