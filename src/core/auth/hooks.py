"""Auth hooks."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("sentineliq.auth")


async def on_after_signup(user: Any, context: Any) -> None:
    log.info("new user signed up", extra={"user_id": getattr(user, "id", None)})
