"""Auth hooks: sign-ins land in the audit log, new accounts in the log."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("sentineliq.auth")


async def on_after_signup(user: Any, provider_id: Any, context: Any) -> None:
    log.info(
        "new user signed up",
        extra={"user_id": getattr(user, "id", None), "provider": provider_id.provider_name},
    )


async def on_after_login(user: Any, provider_id: Any, session_id: str, context: Any) -> None:
    from generated.models import AuditLog

    request = context.request
    context.session.add(
        AuditLog(
            userId=user.id,
            action="auth.login",
            target=session_id,
            metadata_={"provider": provider_id.provider_name},  # `metadata` is SQLAlchemy's
            ip=request.client.host if request is not None and request.client else None,
        )
    )
