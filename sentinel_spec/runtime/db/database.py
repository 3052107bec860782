"""The database of a generated app: one async engine, one session per call.

``Database.scope()`` gives each operation, api or job its ``AsyncSession``: opened on
first use, committed when the call returns, rolled back when it raises.
``Database.read_scope()`` (queries) is the same unit of work without the cost of a
transaction for what only reads: its plain ``SELECT``s run in autocommit (no ``BEGIN``
and no ``COMMIT``: two round trips fewer), and the first statement that is anything else
(an ``INSERT``/``UPDATE``/``DELETE``, a flush, ``SELECT ... FOR UPDATE``, text SQL, a
savepoint) begins a real transaction just before it runs, so a query that writes still
commits on return and still rolls back on error. Under READ COMMITTED (PostgreSQL's
default) a statement sees the same snapshot either way: each takes its own. When the
server cannot be reached the scope raises ``ServiceUnavailable`` (a 503) instead of a
500 with a driver traceback; SQLAlchemy's pool invalidation on a lost connection (and
``pool_pre_ping`` when ``DB_POOL_PRE_PING`` is set) makes the app recover on its own
once the server is back.

The engine runs on asyncpg when it is installed (``urls.engine_url``; ``DB_DRIVER=psycopg``
keeps psycopg): the same SQLAlchemy API, with rows decoded in C (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Mapping
from typing import Any

import psycopg
from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.sql import Select

from sentinel_spec.runtime.db.after_commit import AfterCommit
from sentinel_spec.runtime.db.failures import (
    client_error,
    connect_or_unreachable,
    is_connection_failure,
    unavailable,
)
from sentinel_spec.runtime.db.pool import FairAsyncQueuePool
from sentinel_spec.runtime.db.urls import DatabaseConfigError, engine_url, normalize_url

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
                if not _nothing_to_commit(session):
                    await session.commit()
            else:
                await _quietly(session.rollback())
        except sa_exc.PendingRollbackError as pending:
            # Read what rolled it back before close() forgets it.
            self._pending_cause = self._rolled_back_by()
            raise pending
        finally:
            await _quietly(session.close())


def _nothing_to_commit(session: AsyncSession) -> bool:
    """True when a commit would send nothing and run nothing: a read scope that only read
    (its connections are still in autocommit), with no pending object, no listener of
    the commit (realtime's Redis publishes, a user's event) and nothing in ``info``.
    ``close()`` alone then ends it: the commit's bookkeeping cost about as much as
    building the 20 rows of a query."""
    sync = session.sync_session
    if sync._new or sync._deleted or sync.identity_map.check_modified() or sync.info:
        return False
    dispatch = sync.dispatch
    if dispatch.before_commit or dispatch.after_commit or dispatch.after_transaction_end:
        return False
    transaction = sync._transaction
    if transaction is None:
        return True
    if not transaction.is_active or transaction.nested:
        # A failed flush the code swallowed: the commit must raise (a 503 or the 4xx).
        return False
    for connection, *_ in transaction._connections.values():
        dbapi_connection = connection.connection.dbapi_connection
        if dbapi_connection is None or not dbapi_connection.autocommit:
            return False
    return True


async def _quietly(step: Awaitable[object]) -> None:
    """Await a rollback/close that may itself fail on a dead connection."""
    try:
        await step
    except Exception as error:
        if not is_connection_failure(error):
            raise


def is_plain_read(context: ExecutionContext | None) -> bool:
    """A compiled ``SELECT`` without ``FOR UPDATE``/``FOR SHARE``: what may run outside a
    transaction. Text SQL is never taken for a read (it may be anything)."""
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    return isinstance(statement, Select) and statement._for_update_arg is None


def begin_before_writes(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: ExecutionContext | None,
    executemany: bool,
) -> None:
    """``before_cursor_execute`` of the read engine: leave autocommit (so the driver sends
    ``BEGIN`` first) before the first statement that is not a plain read."""
    if not is_plain_read(context):
        begin_transaction(conn.connection.dbapi_connection)


# The read engine's execution option (asyncpg): its statements run in autocommit until
# one is not a plain read.
READ_SCOPE_OPTION = "sentinel_read_scope"


def _read_scope_context(base: type[Any]) -> type[Any]:
    """``base`` (the dialect's execution context) switching a read scope's connection:
    into autocommit for a plain read on a connection in no transaction, out of it
    (``begin_transaction``) before anything else; ``ReadScopePool`` switches it back."""

    class ReadScopeExecutionContext(base):  # type: ignore[misc]
        def pre_exec(self) -> None:
            super().pre_exec()
            if not self.execution_options.get(READ_SCOPE_OPTION):
                return
            dbapi_connection = self.root_connection.connection.dbapi_connection
            if not is_plain_read(self):
                begin_transaction(dbapi_connection)
            elif not dbapi_connection.autocommit and not _asyncpg_in_transaction(dbapi_connection):
                dbapi_connection.autocommit = True

    ReadScopeExecutionContext.__name__ = f"ReadScope{base.__name__}"
    return ReadScopeExecutionContext


def _asyncpg_in_transaction(dbapi_connection: Any) -> bool:
    """Whether SQLAlchemy's asyncpg adapter has begun a transaction (BEGIN sent)."""
    return bool(dbapi_connection._transaction is not None)


class ReadScopePool(FairAsyncQueuePool):
    """The asyncpg engine's pool: a connection a read scope left in autocommit goes back
    transactional (its adapter's flag only; nothing is sent). SQLAlchemy has already
    reset any isolation level set through its own options by then."""

    def _do_return_conn(self, record: Any) -> None:
        dbapi_connection = record.dbapi_connection
        if dbapi_connection is not None and dbapi_connection.autocommit:
            dbapi_connection.autocommit = False
        super()._do_return_conn(record)


def begin_transaction(dbapi_connection: Any) -> None:
    """Make the next statement on this connection open a transaction (a no-op when one is
    open or the connection never left transactional mode)."""
    if dbapi_connection is None or not dbapi_connection.autocommit:
        return
    dbapi_connection.autocommit = False
    if dbapi_connection.autocommit:
        # SQLAlchemy's asyncpg adapter: AUTOCOMMIT is its isolation setting, which the
        # setter restores. Without one its next statement sends BEGIN (the server's
        # default isolation); the pool resets the level when the connection comes back.
        dbapi_connection.isolation_level = None


async def in_transaction(driver_connection: Any) -> Any:
    """``driver_connection`` (psycopg's, from a scope) with its next statement opening a
    transaction: for SQL sent on it directly, which no SQLAlchemy event sees."""
    if driver_connection.autocommit:
        await driver_connection.set_autocommit(False)
    return driver_connection


class Database:
    """The app's engine and its session scopes (RUNTIME.md: ``context.session``)."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 20,
        max_overflow: int = 0,
        pool_timeout: float = 5.0,
        statement_timeout_ms: int | None = 30_000,
        connect_timeout_s: float = 5.0,
        pre_ping: bool = False,
        driver: str | None = None,
        pgbouncer: bool = False,
    ) -> None:
        # The psycopg form (realtime's LISTEN and the job queue derive libpq URLs from it).
        self.url = normalize_url(url)
        target = engine_url(url, driver)
        self.driver = target.driver
        self.engine_url = target.url
        self.connect_timeout_s = connect_timeout_s
        connect_args: dict[str, object]
        if target.driver == "asyncpg":
            settings = dict(target.server_settings)
            if statement_timeout_ms is not None:
                settings["statement_timeout"] = str(int(statement_timeout_ms))
            connect_args = {
                "async_creator_fn": connect_or_unreachable,  # connect failures: 503s
                "timeout": connect_timeout_s,
                "server_settings": settings,
                **target.connect_args,
            }
            if pgbouncer:
                # PgBouncer in transaction mode hands each transaction any server
                # connection: no cached prepared statements, and unique names for the
                # ones asyncpg still prepares.
                connect_args["statement_cache_size"] = 0
                connect_args["prepared_statement_cache_size"] = 0
                connect_args["prepared_statement_name_func"] = _unique_statement_name
        else:
            connect_args = {
                # libpq takes whole seconds and treats anything under 2 as 2.
                "connect_timeout": max(1, round(connect_timeout_s)),
            }
            if statement_timeout_ms is not None:
                connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
            if pgbouncer:
                connect_args["prepare_threshold"] = None  # psycopg: never prepare
        self.engine: AsyncEngine = create_async_engine(
            target.url,
            # Waiting callers get connections in the order they asked (runtime/db/pool.py).
            poolclass=ReadScopePool if target.driver == "asyncpg" else FairAsyncQueuePool,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
            # Off by default: a ping is one more round trip on every request. Without it a
            # connection the server dropped fails once (503), SQLAlchemy invalidates the
            # whole pool, and the next request reconnects.
            pool_pre_ping=pre_ping,
            connect_args=connect_args,
        )
        # The same pool, each checkout in autocommit until a statement needs a transaction.
        self.read_engine: AsyncEngine
        if target.driver == "asyncpg":
            # Without a single event listener: SQLAlchemy sends every statement of an
            # engine that has one (an ``isolation_level`` option is one) through its
            # event dispatch, ~180 Python calls a unit of work. The dialect's execution
            # context switches autocommit instead, and the pool switches it back.
            self.read_engine = self.engine.execution_options(**{READ_SCOPE_OPTION: True})
            dialect = self.engine.sync_engine.dialect
            dialect.execution_ctx_cls = _read_scope_context(dialect.execution_ctx_cls)
        else:
            # psycopg's autocommit switch talks to the driver: SQLAlchemy's own isolation
            # option and a listener (the level is reset when the connection goes back).
            self.read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            event.listen(self.read_engine.sync_engine, "before_cursor_execute", begin_before_writes)

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
            # 20 kept and no overflow: overflow connections are closed as soon as they
            # are returned to a full pool, so a steady load above the pool's size opened
            # and closed connections all the time (8% of a query's CPU in the profile).
            pool_size=_int_env(environ, "DB_POOL_SIZE", 20),
            max_overflow=_int_env(environ, "DB_MAX_OVERFLOW", 0),
            pool_timeout=_float_env(environ, "DB_POOL_TIMEOUT", 5.0),
            statement_timeout_ms=_timeout_env(environ, "DB_STATEMENT_TIMEOUT_MS", 30_000),
            pre_ping=_flag_env(environ, "DB_POOL_PRE_PING"),
            driver=environ.get("DB_DRIVER"),
            pgbouncer=_flag_env(environ, "DB_PGBOUNCER"),
        )

    def scope(self) -> SessionScope:
        """``async with db.scope() as s: s.session...``: commit on exit, rollback on error."""
        return SessionScope(self.engine)

    def read_scope(self) -> SessionScope:
        """A unit of work for what mostly reads (queries): no transaction until a statement
        other than a plain ``SELECT``; then commit on exit, rollback on error, as ``scope``."""
        return SessionScope(self.read_engine)

    async def ping(self) -> bool:
        """True when a ``SELECT 1`` succeeds within the connect timeout."""
        try:
            async with asyncio.timeout(self.connect_timeout_s + 1):
                async with self.engine.connect() as conn:
                    await conn.execute(text("SELECT 1"))
            return True
        except (TimeoutError, sa_exc.SQLAlchemyError, psycopg.Error, OSError):
            return False  # DatabaseUnreachable (asyncpg's failed connect) is an OSError

    async def dispose(self) -> None:
        await self.engine.dispose()


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid.uuid4()}__"


def _flag_env(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in ("1", "true", "yes")


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
