"""The replay table: every published message, kept for a bounded time, so a socket that
reconnects with the last id it saw gets what it missed.

Ids come from one sequence, so they grow, but transactions can commit in another order
than they took their ids: a replay therefore also resends messages a little *older*
than the id the client names (``overlap``) and lets the socket drop the ones it already
has by id. See docs/realtime.md, "Replay".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from sentinel_spec.runtime.realtime.channels import Message
from sentinel_spec.runtime.realtime.tables import MESSAGES_TABLE

# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; keep a margin for the id.
NOTIFY_LIMIT = 7900
NOTIFY_TOPIC = "sentinel_realtime"

_INSERT = f"INSERT INTO {MESSAGES_TABLE} (channel, payload) VALUES (:channel, :payload)"
# One round trip: store the message and queue its notification, both in the caller's
# transaction, so a rollback drops both and a commit delivers both.
_INSERT_AND_NOTIFY = sa.text(
    f"WITH m AS ({_INSERT} RETURNING id) "
    f"SELECT id, pg_notify('{NOTIFY_TOPIC}', id::text || ' ' || :tail) FROM m"
)
_INSERT_ONLY = sa.text(f"{_INSERT} RETURNING id")


def notify_tail(channel: str, payload: str) -> str:
    """What follows the id in a NOTIFY: ``channel\\npayload``, or only the channel when
    the whole would pass PostgreSQL's limit (listeners then read the row by id)."""
    inline = f"{channel}\n{payload}"
    if len(inline.encode()) <= NOTIFY_LIMIT:
        return inline
    return channel


def parse_notification(text: str) -> tuple[int, str, str | None]:
    """``(id, channel, payload or None when it must be read from the table)``."""
    head, _, payload = text.partition("\n")
    raw_id, _, channel = head.partition(" ")
    return int(raw_id), channel, (payload if "\n" in text else None)


async def insert(conn: Any, channel: str, payload: str, *, notify: bool) -> int:
    """Store a message on ``conn`` (an ``AsyncSession`` or ``AsyncConnection``, inside
    the caller's transaction) and, with ``notify``, queue its NOTIFY; return its id."""
    if notify:
        params = {"channel": channel, "payload": payload, "tail": notify_tail(channel, payload)}
        row = (await conn.execute(_INSERT_AND_NOTIFY, params)).one()
    else:
        row = (await conn.execute(_INSERT_ONLY, {"channel": channel, "payload": payload})).one()
    return int(row[0])


async def fetch(conn: Any, ids: Sequence[int]) -> list[Message]:
    rows = await conn.execute(
        sa.text(
            f"SELECT id, channel, payload FROM {MESSAGES_TABLE} WHERE id = ANY(:ids) ORDER BY id"
        ),
        {"ids": list(ids)},
    )
    return [Message(int(r[0]), r[1], r[2]) for r in rows]


@dataclass(frozen=True)
class Replay:
    messages: list[Message]
    complete: bool  # False: something after ``since`` may be gone (pruned, or over the limit)


async def since(
    conn: Any, channels: Sequence[str], last_id: int, *, limit: int, overlap_seconds: float
) -> Replay:
    """Messages of ``channels`` after ``last_id``, plus those stored up to
    ``overlap_seconds`` before it (late committers), oldest first, at most ``limit``."""
    rows = (
        await conn.execute(
            sa.text(
                f"SELECT id, channel, payload FROM {MESSAGES_TABLE} "
                "WHERE channel = ANY(:channels) AND (id > :last OR created_at >= "
                f"(SELECT created_at FROM {MESSAGES_TABLE} WHERE id = :last) "
                "- make_interval(secs => :overlap)) "
                "ORDER BY id LIMIT :limit"
            ),
            {
                "channels": list(channels),
                "last": last_id,
                "overlap": overlap_seconds,
                "limit": limit + 1,
            },
        )
    ).all()
    messages = [Message(int(r[0]), r[1], r[2]) for r in rows[:limit] if int(r[0]) != last_id]
    complete = len(rows) <= limit and await _retained_since(conn, last_id)
    return Replay(messages, complete)


async def _retained_since(conn: Any, last_id: int) -> bool:
    """True when no message after ``last_id`` has been pruned: the oldest row kept (or,
    with none kept, the next id the sequence gives) is at most ``last_id + 1``."""
    oldest = (await conn.execute(sa.text(f"SELECT min(id) FROM {MESSAGES_TABLE}"))).scalar()
    if oldest is None:
        sequence = (
            await conn.execute(sa.text(f"SELECT pg_get_serial_sequence('{MESSAGES_TABLE}', 'id')"))
        ).scalar_one()
        row = (await conn.execute(sa.text(f"SELECT last_value, is_called FROM {sequence}"))).one()
        next_id = int(row[0]) + 1 if row[1] else int(row[0])
        return next_id <= last_id + 1
    return int(oldest) <= last_id + 1


async def after(conn: Any, last_id: int, *, overlap_seconds: float, limit: int) -> list[Message]:
    """Every message after ``last_id`` (and the overlap before it), for a listener that
    was disconnected and catches up; oldest first."""
    rows = await conn.execute(
        sa.text(
            f"SELECT id, channel, payload FROM {MESSAGES_TABLE} "
            "WHERE id > :last OR created_at >= clock_timestamp() - make_interval(secs => :overlap) "
            "ORDER BY id LIMIT :limit"
        ),
        {"last": last_id, "overlap": overlap_seconds, "limit": limit},
    )
    return [Message(int(r[0]), r[1], r[2]) for r in rows]


async def prune(conn: Any, *, ttl_seconds: float, max_rows: int) -> int:
    """Drop messages older than ``ttl_seconds`` and all but the newest ``max_rows``."""
    aged = await conn.execute(
        sa.text(
            f"DELETE FROM {MESSAGES_TABLE} "
            "WHERE created_at < clock_timestamp() - make_interval(secs => :ttl)"
        ),
        {"ttl": ttl_seconds},
    )
    capped = await conn.execute(
        sa.text(
            f"DELETE FROM {MESSAGES_TABLE} WHERE id < (SELECT id FROM {MESSAGES_TABLE} "
            "ORDER BY id DESC OFFSET :keep LIMIT 1)"
        ),
        {"keep": max_rows - 1},
    )
    return int(aged.rowcount or 0) + int(capped.rowcount or 0)
