"""The administrators' system queries: health, database metrics, infrastructure."""

from __future__ import annotations

from typing import Any

from src.core.system import service


async def get_system_health(args: None, context: Any) -> dict[str, Any]:
    return await service.system_health(context)


async def get_database_metrics(args: None, context: Any) -> dict[str, Any]:
    return await service.database_metrics(context)


async def get_infrastructure_status(args: None, context: Any) -> dict[str, Any]:
    return await service.infrastructure_status(context)
