# Generated from app.sq by sentinel; do not edit.
"""The app's entities as SQLAlchemy models and its enums as Python and PostgreSQL enums.

Relationships are ``lazy="raise"``: load them explicitly, e.g.
``select(Workspace).options(selectinload(Workspace.members))``.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


def _new_uuid() -> str:
    return str(uuid.uuid4())


class Priority(enum.Enum):
    LOW = "LOW"
    NORMAL = "NORMAL"
    HIGH = "HIGH"


PRIORITY_TYPE = sa.Enum(Priority, name="priority")


class User(Base):
    __tablename__ = "User"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    email: Mapped[str] = mapped_column(sa.String(), unique=True)
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="owner",
        passive_deletes="all",
        lazy="raise",
    )


class Task(Base):
    __tablename__ = "Task"

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String())
    done: Mapped[bool] = mapped_column(sa.Boolean(), default=False, server_default=sa.text("false"))
    priority: Mapped[Priority] = mapped_column(
        PRIORITY_TYPE,
        default=Priority.NORMAL,
        server_default="NORMAL",
    )
    owner: Mapped[User | None] = relationship(back_populates="tasks", lazy="raise")
    ownerId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("User.id", ondelete="SET NULL"),
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


MODELS: dict[str, type[Base]] = {
    "User": User,
    "Task": Task,
}


def _realtime_tables() -> Any:
    # Imported here, like new_cuid above, for the same reason.
    from sentinel_spec.runtime.realtime.tables import define_realtime_tables

    return define_realtime_tables(Base.metadata)


# The realtime feature's tables (message replay, uploaded files): migrated like any entity.
REALTIME_TABLES = _realtime_tables()


def _auth_tables() -> Any:
    # Imported here, like new_cuid above, for the same reason.
    from sentinel_spec.runtime.auth.tables import define_auth_tables

    return define_auth_tables(Base.metadata, User.__table__)


# The tables app.auth adds beside User (sessions, identities, refresh tokens, 2FA
# secrets, backup codes, one-time tokens): migrated like any entity (docs/auth.md, "Tables").
AUTH_TABLES = _auth_tables()
