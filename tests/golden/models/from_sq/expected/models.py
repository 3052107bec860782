# Generated from app.sq by sentinel; do not edit.
"""The app's entities as SQLAlchemy models and its enums as Python and PostgreSQL enums.

Relationships are ``lazy="raise"``: load them explicitly, e.g.
``select(Workspace).options(selectinload(Workspace.members))``.
"""

from __future__ import annotations

import datetime
import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
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


def _new_cuid() -> str:
    # Imported here so this module's import sections do not depend on whether
    # sentinel_spec counts as first- or third-party where ruff runs.
    from sentinel_spec.runtime.ids import new_cuid

    return new_cuid()


class Visibility(enum.Enum):
    PRIVATE = "PRIVATE"
    SHARED = "SHARED"
    PUBLIC = "PUBLIC"


VISIBILITY_TYPE = sa.Enum(Visibility, name="visibility")


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[str] = mapped_column(sa.String(), primary_key=True, default=_new_cuid)
    email: Mapped[str] = mapped_column(sa.String(), unique=True)
    name: Mapped[str | None] = mapped_column(sa.String(80))
    notes: Mapped[list[Note]] = relationship(
        back_populates="author",
        passive_deletes="all",
        lazy="raise",
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Note(Base):
    __tablename__ = "Note"
    __table_args__ = (sa.Index(None, "author_id"),)

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String())
    body: Mapped[str] = mapped_column(sa.Text())
    visibility: Mapped[Visibility] = mapped_column(
        VISIBILITY_TYPE,
        default=Visibility.PRIVATE,
        server_default="PRIVATE",
    )
    metadata_: Mapped[Any] = mapped_column(
        "metadata",
        postgresql.JSONB(none_as_null=True),
        nullable=True,
    )
    pinned: Mapped[bool] = mapped_column(
        sa.Boolean(),
        default=False,
        server_default=sa.text("false"),
    )
    author: Mapped[Author] = relationship(back_populates="notes", lazy="raise")
    authorId: Mapped[str] = mapped_column(
        "author_id",
        sa.String(),
        sa.ForeignKey("authors.id", ondelete="CASCADE"),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


MODELS: dict[str, type[Base]] = {
    "Author": Author,
    "Note": Note,
}
