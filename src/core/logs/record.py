"""System logs: technical events (jobs, apis, webhooks) worth keeping in the database for
the admin console, kept by level (retention.py). Written in the caller's session."""

from __future__ import annotations

from typing import Any

from src.core.entities import model

LEVELS = ("DEBUG", "INFO", "WARN", "ERROR", "CRITICAL")


async def system_log(
    context: Any, level: str, component: str, message: str, metadata: dict[str, Any] | None = None
) -> None:
    if level not in LEVELS:
        raise ValueError(f"{level!r} is not a LogLevel ({', '.join(LEVELS)})")
    context.session.add(
        model(context, "SystemLog")(
            level=level, component=component[:64], message=message, metadata_=metadata
        )
    )
