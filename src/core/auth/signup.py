"""What a signup puts on the User row besides its address (``userSignupFields``)."""

from __future__ import annotations

import re
from typing import Any

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{2,31}$")


def _display_name(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 120:
        raise ValueError("displayName must be 1 to 120 characters")
    return value.strip()


def _username(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not USERNAME.match(value):
        raise ValueError("username must be 3 to 32 lowercase letters, digits, '.', '_' or '-'")
    return value


# Email signup: both optional, checked here (a ValueError becomes a 400 naming the field).
email_signup_fields = {
    "displayName": lambda data: _display_name(data.get("displayName")),
    "username": lambda data: _username(data.get("username")),
}


def google_signup_fields(data: dict[str, Any]) -> dict[str, Any]:
    """From Google's verified profile: the person's name, trimmed to the column."""
    name = data["profile"].get("name")
    return {"displayName": name.strip()[:120] if isinstance(name, str) and name.strip() else None}
