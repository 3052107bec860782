"""Generated models on a real PostgreSQL: create_all, insert, read back, onDelete, updatedAt."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import selectinload

from tests.golden_files import GOLDEN
from tests.model_specs import every_form, import_models, sessions_on

pytestmark = pytest.mark.postgres


@pytest.fixture
def models(tmp_path: Path) -> ModuleType:
    return import_models(every_form(), tmp_path, f"models_{uuid.uuid4().hex[:8]}")


@pytest.fixture(params=["asyncpg", "psycopg"])  # the app engine's two drivers
async def session_factory(
    database_url: str, models: ModuleType, request: pytest.FixtureRequest
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with sessions_on(database_url, models, request.param) as factory:
        yield factory


def kitchen_values(models: ModuleType) -> dict[str, Any]:
    return {
        "text": "hello",
        "maybeText": None,
        "short": "x" * 20,
        "long": "long " * 100,
        "small": 7,
        "amount": decimal.Decimal("12345678901234567890.123456789"),
        "price": decimal.Decimal("19.99"),
        "happenedAt": datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.UTC),
        "day": datetime.date(2024, 2, 29),
        "stamp": datetime.datetime(2024, 1, 1, 12, 0, 0, 123000),
        "payload": {"nested": [1, 2, {"k": None}], "ok": True},
        "metadata_": ["json", "list"],
        "blob": b"\x00\x01binary\xff",
        "tags": ["a", "b"],
        "maybeRole": models.Role.ADMIN,
        "roles": [models.Role.OWNER, models.Role.MEMBER],
        "code": "K-1",
    }


async def test_every_scalar_form_round_trips(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    values = kitchen_values(models)
    async with session_factory.begin() as session:
        session.add(models.Kitchen(**values))
    async with session_factory() as session:
        row = (await session.execute(sa.select(models.Kitchen))).scalar_one()
    for name, expected in values.items():
        assert getattr(row, name) == expected, name
    # defaults: identity, literals, enum members, now(), uuid(), cuid(), updatedAt
    assert row.id == 1
    assert (row.count, row.big, row.ratio, row.flag, row.label) == (7, 0, 0.5, False, "free")
    assert row.settings == {"a": 1}
    assert row.scores == []
    assert row.role is models.Role.MEMBER
    assert row.severity is models.IncidentSeverity.LOW
    assert row.token.startswith("c") and len(row.token) == 25
    assert str(uuid.UUID(row.ref)) == row.ref
    assert row.createdAt.tzinfo is not None
    assert row.updatedAt == row.createdAt


async def test_server_defaults_apply_outside_the_orm(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    """Rows inserted by raw SQL (migrations, seeds) get the same defaults."""
    async with session_factory.begin() as session:
        await session.execute(
            sa.text(
                "INSERT INTO kitchen_sink (text, short, price, tags, roles, kitchen_code, token)"
                " VALUES ('t', 's', 1, '{}', '{}', 'K-2', 'tok')"
            )
        )
        row = (await session.execute(sa.select(models.Kitchen))).scalar_one()
    assert (row.count, row.big, row.flag, row.label, row.settings) == (
        7,
        0,
        False,
        "free",
        {"a": 1},
    )
    assert row.role is models.Role.MEMBER and row.scores == []
    assert uuid.UUID(row.ref)
    assert row.createdAt is not None and row.updatedAt is not None


async def test_schema_names_types_and_constraints(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session:
        columns = dict(
            (
                await session.execute(
                    sa.text(
                        "SELECT column_name, data_type FROM information_schema.columns"
                        " WHERE table_name = 'kitchen_sink'"
                    )
                )
            ).all()
        )
        constraints = set(
            (
                await session.execute(
                    sa.text("SELECT conname FROM pg_constraint WHERE conrelid = 'grants'::regclass")
                )
            ).scalars()
        )
        indexes = set(
            (
                await session.execute(
                    sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'kitchen_sink'")
                )
            ).scalars()
        )
        enum_types = set(
            (await session.execute(sa.text("SELECT typname FROM pg_type WHERE typtype = 'e'")))
            .scalars()
            .all()
        )
    assert columns["kitchen_code"] == "character varying"
    assert columns["updated_at"] == "timestamp with time zone"
    assert columns["long"] == "text"
    assert columns["payload"] == columns["metadata"] == "jsonb"
    assert columns["tags"] == "ARRAY"
    assert columns["day"] == "date"
    assert columns["stamp"] == "timestamp without time zone"
    assert columns["ref"] == "uuid"
    assert columns["small"] == "smallint"
    assert columns["amount"] == "numeric"
    assert columns["blob"] == "bytea"
    assert columns["role"] == "USER-DEFINED"
    assert {"pk_grants", "fk_grants_memberUserId_memberWorkspaceId_Membership"} <= constraints
    assert {"ix_kitchen_sink_createdAt", "ix_kitchen_sink_text_count"} <= indexes
    assert {"role", "incident_severity"} <= enum_types


async def test_unique_constraints_hold(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    async with session_factory.begin() as session:
        session.add(models.Kitchen(**kitchen_values(models)))
    duplicate = kitchen_values(models) | {"code": "other"}  # same (text, short): @@unique
    with pytest.raises(sa.exc.IntegrityError, match="uq_kitchen_sink_text_short"):
        async with session_factory.begin() as session:
            session.add(models.Kitchen(**duplicate))


async def seed_graph(session: AsyncSession, m: ModuleType) -> None:
    alice = m.User(id="alice", email="alice@example.com")
    bob = m.User(id="bob", email="bob@example.com")
    workspace = m.Workspace(id="w1", name="Acme")
    post = m.Post(title="Root", author=alice, reviewer=bob)
    reply = m.Post(title="Reply", author=bob, parent=post)
    tag = m.Tag(name="news")
    membership = m.Membership(user=alice, workspace=workspace, role=m.Role.OWNER)
    session.add_all(
        [
            alice,
            bob,
            workspace,
            post,
            reply,
            tag,
            m.Profile(user=alice, bio="hi"),
            m.PostTag(post=post, tag=tag),
            membership,
            m.Grant(permission="read", membership=membership),
        ]
    )


async def test_relations_both_sides_navigable(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    m = models
    async with session_factory.begin() as session:
        await seed_graph(session, m)
    async with session_factory() as session:
        alice = (
            await session.execute(
                sa.select(m.User)
                .where(m.User.id == "alice")
                .options(
                    selectinload(m.User.profile),
                    selectinload(m.User.posts)
                    .selectinload(m.Post.tags)
                    .selectinload(m.PostTag.tag),
                    selectinload(m.User.posts).selectinload(m.Post.replies),
                    selectinload(m.User.reviewed),
                    selectinload(m.User.memberships).selectinload(m.Membership.grants),
                )
            )
        ).scalar_one()
        assert alice.profile.bio == "hi"
        assert [p.title for p in alice.posts] == ["Root"]
        assert alice.reviewed == []
        assert [r.title for r in alice.posts[0].replies] == ["Reply"]
        assert [t.tag.name for t in alice.posts[0].tags] == ["news"]
        assert [g.permission for g in alice.memberships[0].grants] == ["read"]
        assert alice.memberships[0].role is m.Role.OWNER
        # lazy="raise": an unloaded relationship is an error, not a hidden query
        with pytest.raises(sa.exc.InvalidRequestError):
            _ = alice.memberships[0].workspace
        bob_posts = await session.execute(
            sa.select(m.Post)
            .where(m.Post.reviewerId == "bob")
            .options(selectinload(m.Post.reviewer))
        )
        assert [p.reviewer.email for p in bob_posts.scalars()] == ["bob@example.com"]


async def test_on_delete_cascade_set_null_and_restrict(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    m = models
    async with session_factory.begin() as session:
        await seed_graph(session, m)
    # Restrict: a tag still used by a post cannot go.
    with pytest.raises(sa.exc.IntegrityError):
        async with session_factory.begin() as session:
            await session.delete(await session.get(m.Tag, "news"))
    # SetNull: deleting bob (the reviewer) keeps the post with reviewerId NULL,
    # Cascade: and bob's own reply goes with him.
    async with session_factory.begin() as session:
        await session.delete(await session.get(m.User, "bob"))
    async with session_factory() as session:
        posts = (await session.execute(sa.select(m.Post))).scalars().all()
        assert [(p.title, p.reviewerId) for p in posts] == [("Root", None)]
    # Cascade through the graph: alice's profile, posts, post tags, memberships;
    # SetNull on a composite foreign key: the grant stays, detached from its membership.
    async with session_factory.begin() as session:
        await session.delete(await session.get(m.User, "alice"))
    async with session_factory() as session:
        for model in (m.Profile, m.Post, m.PostTag, m.Membership):
            count = await session.scalar(sa.select(sa.func.count()).select_from(model))
            assert count == 0, model.__name__
        grant = (await session.execute(sa.select(m.Grant))).scalar_one()
        assert (grant.memberUserId, grant.memberWorkspaceId) == (None, None)


async def test_updated_at_changes_on_update(
    session_factory: async_sessionmaker[AsyncSession], models: ModuleType
) -> None:
    async with session_factory.begin() as session:
        row = models.Kitchen(**kitchen_values(models))
        session.add(row)
    created, first_updated = row.createdAt, row.updatedAt
    await asyncio.sleep(0.01)
    async with session_factory.begin() as session:
        row = await session.get(models.Kitchen, row.id)
        row.text = "changed"
    # eager_defaults: the new value came back with RETURNING, no lazy load needed
    assert row.updatedAt > first_updated
    assert row.createdAt == created


async def test_models_compiled_from_app_sq(database_url: str, tmp_path: Path) -> None:
    """The parser -> analyzer -> generator path yields models PostgreSQL accepts."""
    from sentinel_spec import load_spec

    spec = load_spec(GOLDEN / "models" / "from_sq" / "app.sq")
    m = import_models(spec, tmp_path, f"sq_models_{uuid.uuid4().hex[:8]}")
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(m.Base.metadata.create_all)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        async with sessions.begin() as session:
            author = m.Author(email="a@example.com")
            session.add(m.Note(title="t", body="b", metadata_={"k": 1}, author=author))
        async with sessions() as session:
            note = (await session.execute(sa.select(m.Note))).scalar_one()
            raw = await session.scalar(sa.text('SELECT metadata FROM "Note"'))
        assert (note.authorId, note.visibility, raw) == (author.id, m.Visibility.PRIVATE, {"k": 1})
    finally:
        await engine.dispose()
