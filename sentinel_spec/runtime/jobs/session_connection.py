"""procrastinate's SQL on a unit of work's own SQLAlchemy connection, whatever its driver.

procrastinate (psycopg) runs a query "with a connection" on a psycopg connection. When
the app's engine runs on asyncpg, a unit of work's connection is asyncpg's, so
``SessionConnection`` wraps the SQLAlchemy ``AsyncConnection`` instead, and
``SessionAwareConnector`` (the queue's connector) runs those queries through it: the same
transaction (a job submitted by a call that fails is rolled back with it), with psycopg's
``%(name)s`` placeholders numbered as asyncpg's ``$n`` and dicts sent as JSON text.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

import procrastinate
from procrastinate import exceptions as pexc
from procrastinate import manager as pmanager
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncConnection

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")
_DETAIL_KEY = re.compile(r"Key \((.*?)\)=\((.*?)\)")


class SessionConnection:
    """A unit of work's SQLAlchemy connection, handed to procrastinate as its connection."""

    __slots__ = ("connection",)

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def fetch_all(self, query: str, arguments: dict[str, Any]) -> list[dict[str, Any]]:
        sql, names = numbered(query)
        values = tuple(_as_json_text(arguments[name]) for name in names)
        try:
            result = await self.connection.exec_driver_sql(sql, values)
        except sa_exc.IntegrityError as error:
            raise _unique_violation(error) from error
        return [dict(row) for row in result.mappings()]


@functools.lru_cache(maxsize=64)
def numbered(query: str) -> tuple[str, tuple[str, ...]]:
    """``query`` with each ``%(name)s`` as ``$n`` (one number per name) and ``%%`` as
    ``%``; and the names in their numbers' order."""
    names: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    return _PLACEHOLDER.sub(replace, query), tuple(names)


def _as_json_text(value: Any) -> Any:
    """psycopg's connector sends dicts as ``Jsonb``; SQLAlchemy's asyncpg codec takes text."""
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, list):
        return [_as_json_text(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_as_json_text(item) for item in value)
    return value


def _unique_violation(error: sa_exc.IntegrityError) -> Exception:
    """procrastinate's ``UniqueViolation`` (what its manager turns into AlreadyEnqueued) for
    a unique violation; other integrity errors as procrastinate's connector error."""
    cause = getattr(error.orig, "__cause__", None)
    if getattr(error.orig, "sqlstate", None) != "23505":
        return pexc.ConnectorException(str(error))
    constraint = getattr(cause, "constraint_name", None)
    queueing_lock = None
    if constraint == pmanager.QUEUEING_LOCK_CONSTRAINT:
        match = _DETAIL_KEY.search(getattr(cause, "detail", None) or "")
        queueing_lock = match.group(2) if match else None
    return pexc.UniqueViolation(constraint_name=constraint, queueing_lock=queueing_lock)


class SessionAwareConnector(procrastinate.PsycopgConnector):
    """procrastinate's psycopg connector (its own pool for the worker, LISTEN and the CLI)
    that also runs "with a connection" queries on a ``SessionConnection``."""

    async def execute_query_one_async_with_connection(
        self, connection: Any, query: Any, **arguments: Any
    ) -> dict[str, Any]:
        if not isinstance(connection, SessionConnection):
            row: dict[str, Any] = await super().execute_query_one_async_with_connection(
                connection, query, **arguments
            )
            return row
        rows = await connection.fetch_all(query, arguments)
        if not rows:
            raise pexc.NoResult
        return rows[0]

    async def execute_query_all_async_with_connection(
        self, connection: Any, query: Any, **arguments: Any
    ) -> list[dict[str, Any]]:
        if not isinstance(connection, SessionConnection):
            rows: list[dict[str, Any]] = await super().execute_query_all_async_with_connection(
                connection, query, **arguments
            )
            return rows
        return await connection.fetch_all(query, arguments)
