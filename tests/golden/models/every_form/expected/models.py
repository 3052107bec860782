# Generated from app.sq by sentinel; do not edit.
"""The app's entities as SQLAlchemy models and its enums as Python and PostgreSQL enums.

Relationships are ``lazy="raise"``: load them explicitly, e.g.
``select(Workspace).options(selectinload(Workspace.members))``.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import uuid
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


def _new_uuid() -> str:
    return str(uuid.uuid4())


def _new_cuid() -> str:
    # Imported here so this module's import sections do not depend on whether
    # sentinel_spec counts as first- or third-party where ruff runs.
    from sentinel_spec.runtime.ids import new_cuid

    return new_cuid()


class Role(enum.Enum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"


ROLE_TYPE = sa.Enum(Role, name="role")


class IncidentSeverity(enum.Enum):
    LOW = "LOW"
    HIGH = "HIGH"


INCIDENT_SEVERITY_TYPE = sa.Enum(IncidentSeverity, name="incident_severity")


class Kitchen(Base):
    __tablename__ = "kitchen_sink"
    __table_args__ = (
        sa.UniqueConstraint("text", "short"),
        sa.Index(None, "createdAt"),
        sa.Index(None, "text", "count"),
    )

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    text: Mapped[str] = mapped_column(sa.String())
    maybeText: Mapped[str | None] = mapped_column(sa.String())
    short: Mapped[str] = mapped_column(sa.String(20))
    long: Mapped[str | None] = mapped_column(sa.Text())
    count: Mapped[int] = mapped_column(sa.Integer(), default=7, server_default=sa.text("7"))
    big: Mapped[int] = mapped_column(sa.BigInteger(), default=0, server_default=sa.text("0"))
    small: Mapped[int | None] = mapped_column(sa.SmallInteger())
    ratio: Mapped[float] = mapped_column(sa.Double(), default=0.5, server_default=sa.text("0.5"))
    amount: Mapped[decimal.Decimal | None] = mapped_column(sa.Numeric())
    price: Mapped[decimal.Decimal] = mapped_column(sa.Numeric(10, 2))
    flag: Mapped[bool] = mapped_column(sa.Boolean(), default=False, server_default=sa.text("false"))
    label: Mapped[str] = mapped_column(sa.String(), default="free", server_default="free")
    happenedAt: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    day: Mapped[datetime.date | None] = mapped_column(sa.Date())
    stamp: Mapped[datetime.datetime | None] = mapped_column(
        postgresql.TIMESTAMP(timezone=False, precision=3),
    )
    payload: Mapped[Any] = mapped_column(postgresql.JSONB(none_as_null=True), nullable=True)
    metadata_: Mapped[Any] = mapped_column(
        "metadata",
        postgresql.JSONB(none_as_null=True),
        nullable=True,
    )
    settings: Mapped[Any] = mapped_column(
        postgresql.JSONB(none_as_null=True),
        nullable=False,
        default=lambda: {"a": 1},
        server_default=sa.literal_column("'{\"a\":1}'::jsonb"),
    )
    blob: Mapped[bytes | None] = mapped_column(sa.LargeBinary())
    tags: Mapped[list[str]] = mapped_column(
        postgresql.ARRAY(sa.String()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    scores: Mapped[list[int]] = mapped_column(
        postgresql.ARRAY(sa.Integer()),
        default=list,
        server_default=sa.text("'{}'"),
    )
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.MEMBER, server_default="MEMBER")
    maybeRole: Mapped[Role | None] = mapped_column(ROLE_TYPE)
    roles: Mapped[list[Role]] = mapped_column(
        postgresql.ARRAY(ROLE_TYPE),
        default=list,
        server_default=sa.text("'{}'"),
    )
    severity: Mapped[IncidentSeverity] = mapped_column(
        INCIDENT_SEVERITY_TYPE,
        default=IncidentSeverity.LOW,
        server_default="LOW",
    )
    code: Mapped[str] = mapped_column("kitchen_code", sa.String(), unique=True)
    token: Mapped[str] = mapped_column(sa.String(), default=_new_cuid)
    ref: Mapped[str] = mapped_column(
        sa.Uuid(as_uuid=False),
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()"),
    )
    createdAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )
    updatedAt: Mapped[datetime.datetime] = mapped_column(
        "updated_at",
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
        onupdate=sa.func.now(),
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    email: Mapped[str] = mapped_column(sa.String(), unique=True)
    profile: Mapped[Profile | None] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )
    posts: Mapped[list[Post]] = relationship(
        back_populates="author",
        foreign_keys="[Post.authorId]",
        passive_deletes="all",
        lazy="raise",
    )
    reviewed: Mapped[list[Post]] = relationship(
        back_populates="reviewer",
        foreign_keys="[Post.reviewerId]",
        passive_deletes="all",
        lazy="raise",
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user",
        passive_deletes="all",
        lazy="raise",
    )


class Profile(Base):
    __tablename__ = "Profile"

    id: Mapped[str] = mapped_column(sa.String(), primary_key=True, default=_new_cuid)
    bio: Mapped[str | None] = mapped_column(sa.String())
    user: Mapped[User] = relationship(back_populates="profile", lazy="raise")
    userId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        unique=True,
    )


class Post(Base):
    __tablename__ = "Post"

    id: Mapped[int] = mapped_column(sa.Integer(), sa.Identity(), primary_key=True)
    title: Mapped[str] = mapped_column(sa.String())
    author: Mapped[User] = relationship(
        back_populates="posts",
        foreign_keys="[Post.authorId]",
        lazy="raise",
    )
    authorId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
    )
    reviewer: Mapped[User | None] = relationship(
        back_populates="reviewed",
        foreign_keys="[Post.reviewerId]",
        lazy="raise",
    )
    reviewerId: Mapped[str | None] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="SET NULL"),
    )
    parent: Mapped[Post | None] = relationship(
        back_populates="replies",
        remote_side="[Post.id]",
        lazy="raise",
    )
    parentId: Mapped[int | None] = mapped_column(
        sa.Integer(),
        sa.ForeignKey("Post.id", ondelete="NO ACTION"),
    )
    replies: Mapped[list[Post]] = relationship(
        back_populates="parent",
        passive_deletes="all",
        lazy="raise",
    )
    tags: Mapped[list[PostTag]] = relationship(
        back_populates="post",
        passive_deletes="all",
        lazy="raise",
    )


class Tag(Base):
    __tablename__ = "Tag"

    name: Mapped[str] = mapped_column(sa.String(), primary_key=True)
    posts: Mapped[list[PostTag]] = relationship(
        back_populates="tag",
        passive_deletes="all",
        lazy="raise",
    )


class PostTag(Base):
    __tablename__ = "PostTag"

    post: Mapped[Post] = relationship(back_populates="tags", lazy="raise")
    postId: Mapped[int] = mapped_column(
        sa.Integer(),
        sa.ForeignKey("Post.id", ondelete="CASCADE"),
        primary_key=True,
    )
    tag: Mapped[Tag] = relationship(back_populates="posts", lazy="raise")
    tagName: Mapped[str] = mapped_column(
        "tag_name",
        sa.String(),
        sa.ForeignKey("Tag.name", ondelete="RESTRICT"),
        primary_key=True,
    )
    addedAt: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime(timezone=True),
        server_default=sa.func.now(),
    )


class Workspace(Base):
    __tablename__ = "Workspace"

    id: Mapped[str] = mapped_column(
        sa.String(),
        primary_key=True,
        default=_new_uuid,
        server_default=sa.text("gen_random_uuid()::text"),
    )
    name: Mapped[str] = mapped_column(sa.String())
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace",
        passive_deletes="all",
        lazy="raise",
    )


class Membership(Base):
    __tablename__ = "Membership"

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    userId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
    )
    workspace: Mapped[Workspace] = relationship(back_populates="memberships", lazy="raise")
    workspaceId: Mapped[str] = mapped_column(
        sa.String(),
        sa.ForeignKey("Workspace.id", ondelete="CASCADE"),
        primary_key=True,
    )
    role: Mapped[Role] = mapped_column(ROLE_TYPE, default=Role.MEMBER, server_default="MEMBER")
    grants: Mapped[list[Grant]] = relationship(
        back_populates="membership",
        passive_deletes="all",
        lazy="raise",
    )


class Grant(Base):
    __tablename__ = "grants"
    __table_args__ = (
        sa.ForeignKeyConstraint(
            ["memberUserId", "memberWorkspaceId"],
            ["Membership.userId", "Membership.workspaceId"],
            ondelete="SET NULL",
        ),
    )

    id: Mapped[int] = mapped_column(sa.BigInteger(), sa.Identity(), primary_key=True)
    permission: Mapped[str] = mapped_column(sa.String())
    membership: Mapped[Membership | None] = relationship(back_populates="grants", lazy="raise")
    memberUserId: Mapped[str | None] = mapped_column(sa.String())
    memberWorkspaceId: Mapped[str | None] = mapped_column(sa.String())


MODELS: dict[str, type[Base]] = {
    "Kitchen": Kitchen,
    "User": User,
    "Profile": Profile,
    "Post": Post,
    "Tag": Tag,
    "PostTag": PostTag,
    "Workspace": Workspace,
    "Membership": Membership,
    "Grant": Grant,
}
