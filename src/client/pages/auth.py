"""Sign-in, email verification and password reset pages."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import render


def login_page(request: Any, context: Any) -> Any:
    return render("auth.html", {"title": "Sign in", "form": "login"})


def email_verification_page(request: Any, context: Any) -> Any:
    return render("auth.html", {"title": "Verify your email", "form": "verify"})


def password_reset_page(request: Any, context: Any) -> Any:
    return render("auth.html", {"title": "Reset your password", "form": "reset"})
