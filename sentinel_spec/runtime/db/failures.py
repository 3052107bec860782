"""What a database error means for the client: the database cannot be reached (503), the
client's values do not fit (4xx), or neither (a bug: 500)."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from sqlalchemy import exc as sa_exc

from sentinel_spec.runtime.errors import HttpError, ServiceUnavailable

log = logging.getLogger("sentinel.db")

# SQLSTATEs that mean "the server is going away / not accepting connections".
_UNAVAILABLE_SQLSTATES = ("57P01", "57P02", "57P03")


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
    if not isinstance(orig, psycopg.Error) or is_connection_failure(error):
        return None
    sqlstate = orig.sqlstate
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    details = {"constraint": constraint} if constraint else None
    if sqlstate in _CONFLICTS:
        return ClientDataError(409, _CONFLICTS[sqlstate], details, error)
    if sqlstate in _CONSTRAINTS:
        return ClientDataError(400, "The values break a constraint of the table", details, error)
    if sqlstate is not None and sqlstate.startswith("22"):
        column = getattr(diag, "column_name", None)
        where = {"column": column} if column else None
        return ClientDataError(400, "A value does not fit its column", where, error)
    if sqlstate == "54000":
        return ClientDataError(400, "A value is too large to store", None, error)
    if sqlstate is None and isinstance(orig, psycopg.DataError):
        message = "A value cannot be stored (text may not contain NUL characters)"
        return ClientDataError(400, message, None, error)
    return None
