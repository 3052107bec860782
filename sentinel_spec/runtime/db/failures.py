"""What a database error means for the client: the database cannot be reached (503), the
client's values do not fit (4xx), or neither (a bug: 500).

Both drivers are read: psycopg's errors, and asyncpg's (SQLAlchemy wraps those in its
adapter's ``Error``, which carries the ``sqlstate``; the asyncpg exception, with the
constraint and column names, is its ``__cause__``). asyncpg's connect raises plain
``OSError``s, which would look like the user's own; ``connect_or_unreachable`` turns
every failure to connect into ``DatabaseUnreachable`` so that only those count.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from sqlalchemy import exc as sa_exc

from sentinel_spec.runtime.errors import HttpError, ServiceUnavailable

log = logging.getLogger("sentinel.db")

# SQLSTATEs that mean "the server is going away / not accepting connections".
_UNAVAILABLE_SQLSTATES = ("57P01", "57P02", "57P03")


class DatabaseUnreachable(ConnectionError):
    """asyncpg could not open a connection (refused, timed out, refused by the server)."""


async def connect_or_unreachable(**kwargs: Any) -> Any:
    """``asyncpg.connect`` for SQLAlchemy's adapter (its ``async_creator_fn``), with every
    failure to connect raised as ``DatabaseUnreachable``: libpq reports all of them as an
    ``OperationalError``, asyncpg as ``OSError``, ``TimeoutError`` or a server error."""
    import asyncpg

    try:
        return await asyncpg.connect(**kwargs)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise DatabaseUnreachable(f"cannot connect to PostgreSQL: {error}") from error


def _sqlstate(error: BaseException) -> str | None:
    value = getattr(error, "sqlstate", None)
    return value if isinstance(value, str) else None


def _is_asyncpg_error(error: BaseException) -> bool:
    """An error of SQLAlchemy's asyncpg adapter (its module is the dialect's)."""
    return type(error).__module__.startswith("sqlalchemy.dialects.postgresql.asyncpg")


def is_connection_failure(error: BaseException) -> bool:
    """True when ``error`` means the database cannot be reached (not a bad query)."""
    if isinstance(error, sa_exc.TimeoutError | DatabaseUnreachable):
        return True  # pool exhausted / checkout timed out; asyncpg could not connect
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        return error.orig is not None and is_connection_failure(error.orig)
    if _is_asyncpg_error(error):
        sqlstate = _sqlstate(error)
        if sqlstate is not None:
            return sqlstate.startswith("08") or sqlstate in _UNAVAILABLE_SQLSTATES
        # No SQLSTATE: the client side; InterfaceError is asyncpg's "connection is closed".
        return type(error).__name__ == "InterfaceError" and _connection_closed(error)
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


def _connection_closed(error: BaseException) -> bool:
    import asyncpg

    cause = error.__cause__
    return isinstance(cause, asyncpg.ConnectionDoesNotExistError) or (
        "connection is closed" in str(error)
    )


def unavailable(error: BaseException) -> ServiceUnavailable:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    log.warning("database unavailable: %s", reason[0] if reason else type(error).__name__)
    return ServiceUnavailable("database unavailable")


# SQLSTATEs caused by the values a client sent, answered 4xx instead of 500.
_CONFLICTS = {
    "23505": "A row with these values already exists",
    "23503": "The change breaks a relation to another row",
}
_CONSTRAINTS = ("23502", "23514", "23P01")  # not null, check, exclusion


class ClientDataError(HttpError):
    """A 4xx the client's values caused in the database. The HTTP answer says what kind of
    problem (never the value); ``str()`` adds the database's own words for logs and for
    callers outside HTTP (seeds, jobs)."""

    def __init__(self, status: int, message: str, data: Any, original: BaseException) -> None:
        super().__init__(status, message, data)
        self.original = original

    def __str__(self) -> str:
        detail = str(getattr(self.original, "orig", None) or self.original).strip()
        return (
            f"{self.message}: {detail.splitlines()[0] if detail else type(self.original).__name__}"
        )


def client_error(error: BaseException) -> ClientDataError | None:
    """The 4xx for a database error the client's values caused, else None.

    Constraint violations (409 for unique / foreign keys, 400 for the others), data
    exceptions (SQLSTATE class 22: a string longer than its column, a number out of its
    column's range such as an ``offset`` past bigint, a malformed value), values too large
    to index (54000: a 600 KB key), and values the driver cannot send (a NUL character).
    The answer names the constraint or the kind of problem, never the value.
    """
    orig = error.orig if isinstance(error, sa_exc.DBAPIError) else error
    if orig is None or is_connection_failure(error):
        return None
    if isinstance(orig, psycopg.Error):
        sqlstate = orig.sqlstate
        diag: Any = getattr(orig, "diag", None)
    elif _is_asyncpg_error(orig):
        sqlstate = _sqlstate(orig)
        diag = orig.__cause__  # asyncpg's exception: constraint_name, column_name
    else:
        return None
    constraint = getattr(diag, "constraint_name", None)
    details = {"constraint": constraint} if constraint else None
    if sqlstate in _CONFLICTS:
        return ClientDataError(409, _CONFLICTS[sqlstate], details, error)
    if sqlstate in _CONSTRAINTS:
        return ClientDataError(400, "The values break a constraint of the table", details, error)
    if sqlstate == "22021" or (sqlstate is None and isinstance(orig, psycopg.DataError)):
        # asyncpg sends text as it is and the server refuses a NUL; psycopg refuses it
        # itself (no SQLSTATE).
        message = "A value cannot be stored (text may not contain NUL characters)"
        return ClientDataError(400, message, None, error)
    if sqlstate is not None and sqlstate.startswith("22"):
        column = getattr(diag, "column_name", None)
        where = {"column": column} if column else None
        return ClientDataError(400, "A value does not fit its column", where, error)
    if sqlstate == "54000":
        return ClientDataError(400, "A value is too large to store", None, error)
    return None
