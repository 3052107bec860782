"""``DATABASE_URL`` forms: the driver URLs SQLAlchemy uses and the libpq URL tools use.

Users write one URL (``postgresql://...``, libpq's form). The app's async engine runs it
on asyncpg when that is installed (about twice as fast per row as psycopg); migrations,
the job queue (procrastinate), realtime's LISTEN and the CLI's tools keep psycopg/libpq.
``DB_DRIVER=psycopg`` keeps the app's engine on psycopg too. libpq query parameters that
asyncpg has no counterpart for make the engine stay on psycopg rather than refuse the URL.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

log = logging.getLogger("sentinel.db")

DRIVER = "postgresql+psycopg"
ASYNCPG = "postgresql+asyncpg"
_ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+asyncpg")

# libpq URL parameters asyncpg (through SQLAlchemy) takes as they are.
_ASYNCPG_SAME = ("host", "port", "prepared_statement_cache_size")
_SSLMODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class DatabaseConfigError(ValueError):
    """DATABASE_URL or a DB_* variable is missing or malformed; the message names it."""


def normalize_url(url: str) -> str:
    """Any accepted PostgreSQL URL as ``postgresql+psycopg://...`` (unix sockets kept): the
    synchronous form (migrations, seeds' tools) and the psycopg engine's."""
    return f"{DRIVER}://{_rest(url)}"


def libpq_url(url: str) -> str:
    """Any accepted PostgreSQL URL as ``postgresql://...``, the form libpq tools (psql,
    ``psycopg.connect``) understand; unix sockets kept as ``?host=/dir``."""
    return "postgresql://" + _rest(url)


def _rest(url: str) -> str:
    """What follows ``scheme://``, after checking the URL is a PostgreSQL one."""
    try:
        parsed = make_url(url.strip())
    except sa_exc.ArgumentError as error:
        raise DatabaseConfigError(f"DATABASE_URL is not a valid URL: {url!r}") from error
    if parsed.drivername not in _ACCEPTED_SCHEMES:
        raise DatabaseConfigError(
            f"DATABASE_URL must start with postgresql:// (got {parsed.drivername}://)"
        )
    # Swap the scheme textually: rendering the parsed URL would percent-encode ?host=/path.
    return url.strip().split("://", 1)[1]


@dataclass(frozen=True)
class EngineUrl:
    """What the app's async engine is made from: its URL, its driver's connect arguments
    (the libpq parameters asyncpg spells differently) and the driver's name."""

    url: str
    driver: str  # "asyncpg" or "psycopg"
    connect_args: dict[str, object] = field(default_factory=dict)
    server_settings: dict[str, str] = field(default_factory=dict)


def asyncpg_available() -> bool:
    return importlib.util.find_spec("asyncpg") is not None


def engine_url(url: str, driver: str | None = None) -> EngineUrl:
    """The app engine's URL: asyncpg unless ``driver`` (``DB_DRIVER``) is ``psycopg``,
    asyncpg is missing, or the URL carries a libpq parameter asyncpg cannot take (then
    psycopg, and a log line)."""
    wanted = (driver or "").strip().lower() or "asyncpg"
    if wanted not in ("asyncpg", "psycopg"):
        raise DatabaseConfigError(f"DB_DRIVER must be asyncpg or psycopg, got {wanted!r}")
    rest = _rest(url)
    # ``postgresql+psycopg://`` is not a choice of driver: it is what the embedded server
    # and earlier versions hand out; DB_DRIVER is the choice.
    if wanted == "psycopg" or not asyncpg_available():
        return EngineUrl(f"{DRIVER}://{rest}", "psycopg")
    base, _, query = rest.partition("?")
    kept: list[tuple[str, str]] = []
    connect_args: dict[str, object] = {}
    server_settings: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in _ASYNCPG_SAME:
            kept.append((key, value))
        elif (key == "sslmode" and value in _SSLMODES) or key == "ssl":
            connect_args["ssl"] = value
        elif key == "connect_timeout" and value.isdigit():
            connect_args["timeout"] = float(value)
        elif key == "application_name":
            server_settings["application_name"] = value
        else:
            log.info("DATABASE_URL has %s=, which asyncpg does not take: using psycopg", key)
            return EngineUrl(f"{DRIVER}://{rest}", "psycopg")
    # `?host=/dir` stays unencoded: asyncpg reads a directory as a unix socket's.
    query_text = urlencode(kept, safe="/")
    target = f"{ASYNCPG}://{base}" + (f"?{query_text}" if query_text else "")
    return EngineUrl(target, "asyncpg", connect_args, server_settings)
