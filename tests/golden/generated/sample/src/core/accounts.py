"""Auth hooks."""

from __future__ import annotations

from typing import Any


async def on_after_signup(user: Any, context: Any) -> None:
    return None
