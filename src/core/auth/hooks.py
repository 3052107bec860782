"""Auth hooks: sign-ins land in the audit log (and the user's last sign-in address), new
accounts in the log."""

from __future__ import annotations

import logging
from typing import Any

from sentinel_spec.runtime import HttpError
from src.core.audit.record import audit

log = logging.getLogger("sentineliq.auth")


async def on_after_signup(user: Any, provider_id: Any, context: Any) -> None:
    log.info(
        "new user signed up",
        extra={"user_id": getattr(user, "id", None), "provider": provider_id.provider_name},
    )


async def on_before_login(user: Any, provider_id: Any, context: Any) -> None:
    """A suspended account does not sign in (its sessions ended when it was suspended)."""
    if getattr(user, "isSuspended", False):
        raise HttpError(403, "This account is suspended", {"reason": "suspended"})


async def on_after_login(user: Any, provider_id: Any, session_id: str, context: Any) -> None:
    request = getattr(context, "request", None)
    if request is not None and request.client:
        user.lastLoginIp = request.client.host
    await audit(
        context,
        workspace_id=None,
        action="USER_LOGIN",
        resource="session",
        resource_id=session_id,
        metadata={"provider": provider_id.provider_name},
        user_id=user.id,
    )
