from __future__ import annotations

from typing import Any


async def send_digest(args: Any, context: Any) -> dict[str, Any]:
    return {"sent": True, "full": bool(args and args.get("full"))}
