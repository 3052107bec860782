from __future__ import annotations

from typing import Any


def handler(request: Any, context: Any) -> dict[str, bool]:
    return {"pong": True}
