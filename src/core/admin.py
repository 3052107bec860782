"""Platform administrators (``User.isAdmin``): the operator's staff, not workspace roles."""

from __future__ import annotations

from typing import Any

from sentinel_spec.runtime import HttpError
from src.core.workspace.access import require_user


def require_admin(context: Any) -> Any:
    user = require_user(context)
    if not getattr(user, "isAdmin", False):
        raise HttpError(403, "Platform administrators only", {"reason": "admin"})
    return user
