"""``DATABASE_URL`` forms: the driver URL SQLAlchemy uses and the libpq URL tools use."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

DRIVER = "postgresql+psycopg"
_ACCEPTED_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


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
