"""AppSpecs built in Python for the models generator tests (no parser needed).

``every_form()`` holds every field form of LANGUAGE.md; ``minimal()`` is a tiny app.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from sentinel_spec.appspec import (
    App,
    AppSpec,
    DbType,
    Default,
    Entity,
    Enum,
    Field,
    Relation,
)
from sentinel_spec.generator import models as models_generator


def _id_uuid() -> Field:
    return Field("id", "String", "scalar", is_id=True, default=Default("uuid"))


def every_form() -> AppSpec:
    role = Enum("Role", ("OWNER", "ADMIN", "MEMBER"))
    severity = Enum("IncidentSeverity", ("LOW", "HIGH"))
    kitchen = Entity(
        name="Kitchen",
        table_name="kitchen_sink",
        primary_key=("id",),
        fields=(
            Field("id", "Int", "scalar", is_id=True, default=Default("autoincrement")),
            Field("text", "String", "scalar"),
            Field("maybeText", "String", "scalar", optional=True),
            Field("short", "String", "scalar", db_type=DbType("VarChar", (20,))),
            Field("long", "String", "scalar", optional=True, db_type=DbType("Text")),
            Field("count", "Int", "scalar", default=Default("literal", 7)),
            Field("big", "BigInt", "scalar", default=Default("literal", 0)),
            Field("small", "Int", "scalar", optional=True, db_type=DbType("SmallInt")),
            Field("ratio", "Float", "scalar", default=Default("literal", 0.5)),
            Field("amount", "Decimal", "scalar", optional=True),
            Field("price", "Decimal", "scalar", db_type=DbType("Decimal", (10, 2))),
            Field("flag", "Boolean", "scalar", default=Default("literal", False)),
            Field("label", "String", "scalar", default=Default("literal", "free")),
            Field("happenedAt", "DateTime", "scalar", optional=True),
            Field("day", "DateTime", "scalar", optional=True, db_type=DbType("Date")),
            Field("stamp", "DateTime", "scalar", optional=True, db_type=DbType("Timestamp", (3,))),
            Field("payload", "Json", "scalar", optional=True),
            Field("metadata", "Json", "scalar", optional=True),  # reserved by Declarative
            Field("settings", "Json", "scalar", default=Default("literal", {"a": 1})),
            Field("blob", "Bytes", "scalar", optional=True),
            Field("tags", "String", "scalar", is_list=True),
            Field("scores", "Int", "scalar", is_list=True, default=Default("literal", [])),
            Field("role", "Role", "enum", default=Default("enum", "MEMBER")),
            Field("maybeRole", "Role", "enum", optional=True),
            Field("roles", "Role", "enum", is_list=True),
            Field("severity", "IncidentSeverity", "enum", default=Default("enum", "LOW")),
            Field("code", "String", "scalar", is_unique=True, column_name="kitchen_code"),
            Field("token", "String", "scalar", default=Default("cuid")),
            Field("ref", "String", "scalar", default=Default("uuid"), db_type=DbType("Uuid")),
            Field("createdAt", "DateTime", "scalar", default=Default("now")),
            Field("updatedAt", "DateTime", "scalar", updated_at=True, column_name="updated_at"),
        ),
        uniques=(("text", "short"),),
        indexes=(("createdAt",), ("text", "count")),
    )
    user = Entity(
        name="User",
        table_name="users",
        primary_key=("id",),
        fields=(
            _id_uuid(),
            Field("email", "String", "scalar", is_unique=True),
            Field(
                "profile",
                "Profile",
                "relation",
                optional=True,
                relation=Relation("Profile", back_populates="user"),
            ),
            Field(
                "posts",
                "Post",
                "relation",
                is_list=True,
                relation=Relation("Post", back_populates="author"),
            ),
            Field(
                "reviewed",
                "Post",
                "relation",
                is_list=True,
                relation=Relation("Post", back_populates="reviewer"),
            ),
            Field(
                "memberships",
                "Membership",
                "relation",
                is_list=True,
                relation=Relation("Membership", back_populates="user"),
            ),
        ),
    )
    profile = Entity(  # one-to-one: the FK column is unique
        name="Profile",
        table_name="Profile",
        primary_key=("id",),
        fields=(
            Field("id", "String", "scalar", is_id=True, default=Default("cuid")),
            Field("bio", "String", "scalar", optional=True),
            Field(
                "user",
                "User",
                "relation",
                relation=Relation(
                    "User", fields=("userId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("userId", "String", "scalar", is_unique=True),
        ),
    )
    post = Entity(  # one-to-many twice to User (ambiguous joins), a self relation, SetNull
        name="Post",
        table_name="Post",
        primary_key=("id",),
        fields=(
            Field("id", "Int", "scalar", is_id=True, default=Default("autoincrement")),
            Field("title", "String", "scalar"),
            Field(
                "author",
                "User",
                "relation",
                relation=Relation(
                    "User", fields=("authorId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("authorId", "String", "scalar"),
            Field(
                "reviewer",
                "User",
                "relation",
                optional=True,
                relation=Relation(
                    "User", fields=("reviewerId",), references=("id",), on_delete="SetNull"
                ),
            ),
            Field("reviewerId", "String", "scalar", optional=True),
            Field(
                "parent",
                "Post",
                "relation",
                optional=True,
                relation=Relation(
                    "Post", fields=("parentId",), references=("id",), on_delete="NoAction"
                ),
            ),
            Field("parentId", "Int", "scalar", optional=True),
            Field(
                "replies",
                "Post",
                "relation",
                is_list=True,
                relation=Relation("Post", back_populates="parent"),
            ),
            Field(
                "tags",
                "PostTag",
                "relation",
                is_list=True,
                relation=Relation("PostTag", back_populates="post"),
            ),
        ),
    )
    tag = Entity(
        name="Tag",
        table_name="Tag",
        primary_key=("name",),
        fields=(
            Field("name", "String", "scalar", is_id=True),
            Field(
                "posts",
                "PostTag",
                "relation",
                is_list=True,
                relation=Relation("PostTag", back_populates="tag"),
            ),
        ),
    )
    post_tag = Entity(  # many-to-many through a join entity with a composite id
        name="PostTag",
        table_name="PostTag",
        primary_key=("postId", "tagName"),
        fields=(
            Field(
                "post",
                "Post",
                "relation",
                relation=Relation(
                    "Post", fields=("postId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("postId", "Int", "scalar", is_id=True),
            Field(
                "tag",
                "Tag",
                "relation",
                relation=Relation(
                    "Tag", fields=("tagName",), references=("name",), on_delete="Restrict"
                ),
            ),
            Field("tagName", "String", "scalar", is_id=True, column_name="tag_name"),
            Field("addedAt", "DateTime", "scalar", default=Default("now")),
        ),
    )
    workspace = Entity(
        name="Workspace",
        table_name="Workspace",
        primary_key=("id",),
        fields=(
            _id_uuid(),
            Field("name", "String", "scalar"),
            Field(
                "memberships",
                "Membership",
                "relation",
                is_list=True,
                relation=Relation("Membership", back_populates="workspace"),
            ),
        ),
    )
    membership = Entity(  # composite id referenced by a composite foreign key
        name="Membership",
        table_name="Membership",
        primary_key=("userId", "workspaceId"),
        fields=(
            Field(
                "user",
                "User",
                "relation",
                relation=Relation(
                    "User", fields=("userId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("userId", "String", "scalar", is_id=True),
            Field(
                "workspace",
                "Workspace",
                "relation",
                relation=Relation(
                    "Workspace", fields=("workspaceId",), references=("id",), on_delete="Cascade"
                ),
            ),
            Field("workspaceId", "String", "scalar", is_id=True),
            Field("role", "Role", "enum", default=Default("enum", "MEMBER")),
            Field(
                "grants",
                "Grant",
                "relation",
                is_list=True,
                relation=Relation("Grant", back_populates="membership"),
            ),
        ),
    )
    grant = Entity(
        name="Grant",
        table_name="grants",
        primary_key=("id",),
        fields=(
            Field("id", "BigInt", "scalar", is_id=True, default=Default("autoincrement")),
            Field("permission", "String", "scalar"),
            Field(
                "membership",
                "Membership",
                "relation",
                optional=True,
                relation=Relation(
                    "Membership",
                    fields=("memberUserId", "memberWorkspaceId"),
                    references=("userId", "workspaceId"),
                    on_delete="SetNull",
                ),
            ),
            Field("memberUserId", "String", "scalar", optional=True),
            Field("memberWorkspaceId", "String", "scalar", optional=True),
        ),
    )
    return AppSpec(
        app=App(name="Every", title="Every form"),
        entities=(kitchen, user, profile, post, tag, post_tag, workspace, membership, grant),
        enums=(role, severity),
    )


def minimal() -> AppSpec:
    task = Entity(
        name="Task",
        table_name="Task",
        primary_key=("id",),
        fields=(
            Field("id", "Int", "scalar", is_id=True, default=Default("autoincrement")),
            Field("description", "String", "scalar"),
            Field("isDone", "Boolean", "scalar", default=Default("literal", False)),
        ),
    )
    return AppSpec(app=App(name="Todo", title="Todo"), entities=(task,))


def empty() -> AppSpec:
    return AppSpec(app=App(name="Empty", title="Empty"))


CASES = {"every_form": every_form, "minimal": minimal, "empty": empty}


def models_source(spec: AppSpec) -> str:
    (draft,) = models_generator.generate(spec)
    assert draft.path == "models.py"
    return draft.content


def import_models(spec: AppSpec, folder: Path, module_name: str) -> ModuleType:
    """Write the generated models.py to ``folder`` and import it as ``module_name``."""
    path = folder / f"{module_name}.py"
    path.write_text(models_source(spec), encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    # SQLAlchemy resolves the string annotations in sys.modules[cls.__module__].
    sys.modules[module_name] = module
    module_spec.loader.exec_module(module)
    return module


@asynccontextmanager
async def sessions_on(
    database_url: str, models: ModuleType, driver: str | None = None
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """The models' tables created on ``database_url``; a session factory for them, on
    the driver the app's engine uses (asyncpg when installed: urls.engine_url)."""
    from sentinel_spec.runtime.db.urls import engine_url

    engine = create_async_engine(engine_url(database_url, driver).url)
    async with engine.begin() as conn:
        await conn.run_sync(models.Base.metadata.create_all)
    try:
        yield async_sessionmaker(engine, expire_on_commit=False)
    finally:
        await engine.dispose()
