"""The tables realtime adds beside the app's entities (as auth adds its own).

``generated/models.py`` calls ``define_realtime_tables(Base.metadata)`` when the spec
declares a ``websocket``, ``app.webSocket`` or ``app.uploads``, so the tables are part of
the app's metadata: ``sentinel db migrate`` autogenerates them and ``sentinel db
upgrade`` creates them like any entity's table. See docs/realtime.md, "Tables".
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

MESSAGES_TABLE = "sentinel_realtime_messages"
FILES_TABLE = "sentinel_files"
# Names the analyzer reserves: an entity may not map to one of these tables.
TABLE_NAMES = (MESSAGES_TABLE, FILES_TABLE)


@dataclass(frozen=True)
class RealtimeTables:
    messages: sa.Table
    files: sa.Table


def define_realtime_tables(metadata: sa.MetaData) -> RealtimeTables:
    """Add the realtime tables to ``metadata`` (once; a second call returns the same)."""
    if MESSAGES_TABLE in metadata.tables:
        return RealtimeTables(metadata.tables[MESSAGES_TABLE], metadata.tables[FILES_TABLE])
    messages = sa.Table(
        MESSAGES_TABLE,
        metadata,
        # The message id clients see and resume from: one sequence for every channel.
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),  # the JSON text, byte for byte
        # clock_timestamp(), not now(): the insert's own time, which the replay overlap
        # and the retention cut-off compare against (now() is the transaction's start).
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("clock_timestamp()"),
        ),
        sa.Index(f"ix_{MESSAGES_TABLE}_channel_id", "channel", "id"),
        sa.Index(f"ix_{MESSAGES_TABLE}_created_at", "created_at"),
    )
    files = sa.Table(
        FILES_TABLE,
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),  # str(uuid4())
        sa.Column("owner_id", sa.String(64), nullable=True, index=True),  # the uploader's id
        sa.Column("filename", sa.String(255), nullable=False),  # sanitised client name
        sa.Column("content_type", sa.String(127), nullable=False),  # sniffed, not declared
        sa.Column("declared_type", sa.String(127), nullable=True),  # what the client said
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),  # hex digest of the bytes stored
        sa.Column("storage", sa.String(16), nullable=False),  # local | s3
        sa.Column("storage_key", sa.String(512), nullable=False, unique=True),
        sa.Column("attributes", sa.JSON(), nullable=True),  # what the upload hook returned
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
    )
    return RealtimeTables(messages=messages, files=files)
