"""The database of a generated app: one async engine, one session per call.

``Database.scope()`` gives each operation, api or job its ``AsyncSession``: opened on
first use, committed when the call returns, rolled back when it raises. When the
server cannot be reached the scope raises ``ServiceUnavailable`` (a 503) instead of a
500 with a driver traceback; SQLAlchemy's pool invalidation on a lost connection (and
``pool_pre_ping`` when ``DB_POOL_PRE_PING`` is set) makes the app recover on its own
once the server is back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Mapping

import psycopg
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from sentinel_spec.runtime.errors import ServiceUnavailable

log = logging.getLogger("sentinel.db")

DRIVER = "postgresql+psycopg"
_ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
# SQLSTATEs that mean "the server is going away / not accepting connections".
_UNAVAILABLE_SQLSTATES = ("57P01", "57P02", "57P03")


class DatabaseConfigError(ValueError):
    """DATABASE_URL or a DB_* variable is missing or malformed; the message names it."""


def normalize_url(url: str) -> str:
    """Any accepted PostgreSQL URL as ``postgresql+psycopg://...`` (unix sockets kept)."""
    try:
        parsed = make_url(url.strip())
    except sa_exc.ArgumentError as error:
        raise DatabaseConfigError(f"DATABASE_URL is not a valid URL: {url!r}") from error
    if parsed.drivername not in _ACCEPTED_SCHEMES:
        raise DatabaseConfigError(
            f"DATABASE_URL must start with postgresql:// (got {parsed.drivername}://)"
        )
    # Swap the scheme textually: rendering the parsed URL would percent-encode ?host=/path.
    rest = url.strip().split("://", 1)[1]
    return f"{DRIVER}://{rest}"


def libpq_url(url: str) -> str:
    """Any accepted PostgreSQL URL as ``postgresql://...``, the form libpq tools (psql,
    ``psycopg.connect``) understand; unix sockets kept as ``?host=/dir``."""
    return "postgresql://" + normalize_url(url).split("://", 1)[1]


def is_connection_failure(error: BaseException) -> bool:
    """True when ``error`` means the database cannot be reached (not a bad query)."""
    if isinstance(error, sa_exc.TimeoutError):  # pool exhausted / checkout timed out
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        return error.orig is not None and is_connection_failure(error.orig)
    if isinstance(error, psycopg.errors.QueryCanceled):  # statement_timeout: a query error
        return False
    if isinstance(error, psycopg.InterfaceError):
        return True
    if isinstance(error, psycopg.OperationalError):
        sqlstate = error.sqlstate
        # No SQLSTATE: libpq failed to connect or lost the socket.
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
    # Only driver errors count: an OSError from the user's own code is not an outage.
    return False


def _unavailable(error: BaseException) -> ServiceUnavailable:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    log.warning("database unavailable: %s", reason[0] if reason else type(error).__name__)
    return ServiceUnavailable("database unavailable")


class SessionScope:
    """One unit of work, as an async context manager: ``session`` opens lazily (calls
    that never query cost nothing), and leaving the block commits it, or rolls it back
    when the block raised. Connection failures leave as ``ServiceUnavailable``.

    A plain class rather than ``@asynccontextmanager``: it runs on every request.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = AsyncSession(self._engine, expire_on_commit=False)
        return self._session

    @property
    def opened(self) -> bool:
        return self._session is not None

    async def __aenter__(self) -> SessionScope:
        return self

    async def __aexit__(
        self, error_type: object, error: BaseException | None, traceback: object
    ) -> None:
        if error is None:
            try:
                await self._finish(None)
            except Exception as failure:
                if is_connection_failure(failure):
                    raise _unavailable(failure) from failure
                raise
            return
        try:
            await self._finish(error)
        except Exception as cleanup_error:  # only non-connection errors reach here
            raise cleanup_error from error
        if isinstance(error, Exception) and is_connection_failure(error):
            raise _unavailable(error) from error
        # Returning None lets the original error go on.

    async def _finish(self, error: BaseException | None) -> None:
        session = self._session
        if session is None:
            return
        try:
            if error is None:
                await session.commit()
            else:
                await _quietly(session.rollback())
        finally:
            await _quietly(session.close())


async def _quietly(step: Awaitable[object]) -> None:
    """Await a rollback/close that may itself fail on a dead connection."""
    try:
        await step
    except Exception as error:
        if not is_connection_failure(error):
            raise


class Database:
    """The app's engine and its session scopes (RUNTIME.md: ``context.session``)."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int = 10,
        pool_timeout: float = 5.0,
        statement_timeout_ms: int | None = 30_000,
        connect_timeout_s: float = 5.0,
        pre_ping: bool = False,
    ) -> None:
        self.url = normalize_url(url)
        self.connect_timeout_s = connect_timeout_s
        connect_args: dict[str, object] = {
            # libpq takes whole seconds and treats anything under 2 as 2.
            "connect_timeout": max(1, round(connect_timeout_s)),
        }
        if statement_timeout_ms is not None:
            connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
            # Off by default: a ping is one more round trip on every request. Without it a
            # connection the server dropped fails once (503), SQLAlchemy invalidates the
            # whole pool, and the next request reconnects.
            pool_pre_ping=pre_ping,
            connect_args=connect_args,
        )

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Database:
        url = environ.get("DATABASE_URL", "").strip()
        if not url:
            raise DatabaseConfigError(
                "DATABASE_URL is not set: set it to postgresql://user:password@host:5432/db "
                "(`sentinel dev` starts an embedded PostgreSQL when it is unset)"
            )
        return cls(
            url,
            pool_size=_int_env(environ, "DB_POOL_SIZE", 10),
            max_overflow=_int_env(environ, "DB_MAX_OVERFLOW", 10),
            pool_timeout=_float_env(environ, "DB_POOL_TIMEOUT", 5.0),
            statement_timeout_ms=_timeout_env(environ, "DB_STATEMENT_TIMEOUT_MS", 30_000),
            pre_ping=environ.get("DB_POOL_PRE_PING", "").lower() in ("1", "true", "yes"),
        )

    def scope(self) -> SessionScope:
        """``async with db.scope() as s: s.session...``: commit on exit, rollback on error."""
        return SessionScope(self.engine)

    async def ping(self) -> bool:
        """True when a ``SELECT 1`` succeeds within the connect timeout."""
        try:
            async with asyncio.timeout(self.connect_timeout_s + 1):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except (TimeoutError, sa_exc.SQLAlchemyError, psycopg.Error, OSError):
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


def _int_env(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise DatabaseConfigError(f"{name} must be an integer, got {raw!r}") from None


def _float_env(environ: Mapping[str, str], name: str, default: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise DatabaseConfigError(f"{name} must be a number of seconds, got {raw!r}") from None


def _timeout_env(environ: Mapping[str, str], name: str, default: int) -> int | None:
    """``0`` or ``none`` turns the statement timeout off."""
    raw = environ.get(name, "").strip().lower()
    if raw in ("0", "none", "off"):
        return None
    return _int_env(environ, name, default)
