"""Which errors mean "the database cannot be reached" (a 503), not "the query is wrong"."""

from __future__ import annotations

import logging

import psycopg
from sqlalchemy import exc as sa_exc

from sentinel_spec.runtime.errors import ServiceUnavailable

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
