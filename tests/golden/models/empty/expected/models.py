# Generated from app.sq by sentinel; do not edit.
"""The app's entities as SQLAlchemy models and its enums as Python and PostgreSQL enums.

Relationships are ``lazy="raise"``: load them explicitly, e.g.
``select(Workspace).options(selectinload(Workspace.members))``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so alembic autogenerate produces stable diffs.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    # Fetch server-generated values (now(), updatedAt) with RETURNING at flush:
    # an async session cannot load them lazily afterwards.
    __mapper_args__ = {"eager_defaults": True}


MODELS: dict[str, type[Base]] = {}
