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
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from sentinel_spec.runtime.db.after_commit import AfterCommit
from sentinel_spec.runtime.db.failures import client_error, is_connection_failure, unavailable
from sentinel_spec.runtime.db.urls import DatabaseConfigError, normalize_url

log = logging.getLogger("sentinel.db")


class SessionScope(AfterCommit):
    """One unit of work, as an async context manager: ``session`` opens lazily (calls
    that never query cost nothing), and leaving the block commits it, or rolls it back
    when the block raised. Connection failures leave as ``ServiceUnavailable``.
    ``on_commit`` callbacks run after the commit, never after a rollback.

    A plain class rather than ``@asynccontextmanager``: it runs on every request.
    """

    __slots__ = ("_engine", "_pending_cause", "_session")

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__()
        self._engine = engine
        self._session: AsyncSession | None = None
        self._pending_cause: BaseException | None = None

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
                self.discard_callbacks()  # the commit failed: nothing happened
                self._raise_mapped(failure)
                raise
            await self.run_callbacks()
            return
        self.discard_callbacks()
        cause = self._rolled_back_by() if isinstance(error, sa_exc.PendingRollbackError) else None
        try:
            await self._finish(error)
        except Exception as cleanup_error:  # only non-connection errors reach here
            raise cleanup_error from error
        if isinstance(error, Exception):
            self._raise_mapped(error, cause)
        # Returning None lets the original error go on.

    def _raise_mapped(self, error: Exception, cause: BaseException | None = None) -> None:
        """Raise the 503 or 4xx ``error`` means, if it means one. A PendingRollbackError
        (code that went on after a failed flush) means what the flush's error meant."""
        if isinstance(error, sa_exc.PendingRollbackError):
            cause = cause or self._pending_cause or self._rolled_back_by()
            if cause is not None:
                error = cause  # type: ignore[assignment]
        if is_connection_failure(error):
            raise unavailable(error) from error
        mapped = client_error(error)
        if mapped is not None:
            raise mapped from error

    def _rolled_back_by(self) -> BaseException | None:
        """The error that rolled the session's transaction back (for PendingRollbackError);
        SQLAlchemy keeps it on the transaction but gives no public accessor."""
        session = self._session
        transaction = session.sync_session._transaction if session is not None else None
        cause = getattr(transaction, "_rollback_exception", None)
        return cause if isinstance(cause, BaseException) else None

    async def _finish(self, error: BaseException | None) -> None:
        session = self._session
        if session is None:
            return
        try:
            if error is None:
                await session.commit()
            else:
                await _quietly(session.rollback())
        except sa_exc.PendingRollbackError as pending:
            # Read what rolled it back before close() forgets it.
            self._pending_cause = self._rolled_back_by()
            raise pending
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
