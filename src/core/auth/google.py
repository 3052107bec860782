"""Google sign-in configuration."""

from __future__ import annotations

from typing import Any


def google_config() -> dict[str, Any]:
    return {"scopes": ["openid", "email", "profile"]}
