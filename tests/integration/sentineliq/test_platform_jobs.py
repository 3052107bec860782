"""The platform's jobs, run by a real worker on the migrated database: expired
invitations and ownership transfers, the framework's expired tokens, workspace garbage
collection after 30 days, and system-log retention by level (7/30/90/180/365 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sentinel_spec.runtime.jobs.records import JobStatus
from sentinel_spec.runtime.jobs.runtime import JobRuntime
from tests.integration.jobs.conftest import running

from .test_jobs import execute, queue, run_job  # noqa: F401 (the fixture)

pytestmark = pytest.mark.postgres

NOW = dt.datetime.now(dt.UTC)


def ago(**delta: float) -> dt.datetime:
    return NOW - dt.timedelta(**delta)


async def _world(url: str) -> None:
    """Two users, a live workspace and two soft-deleted ones (31 and 10 days ago)."""
    await execute(
        url,
        text(
            """
            INSERT INTO users (id, email, "updatedAt")
              VALUES ('u1', 'a@x', now()), ('u2', 'b@x', now());
            INSERT INTO "Workspace" (id, name, slug, "ownerId", "updatedAt", "deletedAt") VALUES
              ('live', 'Live', 'live', 'u1', now(), NULL),
              ('old', 'Old', 'old', 'u1', now(), now()-interval '31 days'),
              ('recent', 'Recent', 'recent', 'u1', now(), now()-interval '10 days');
            INSERT INTO "WorkspaceMember" ("userId", "workspaceId", role) VALUES
              ('u1', 'old', 'OWNER'), ('u1', 'live', 'OWNER');
            INSERT INTO "AuditLog" ("workspaceId", "userId", action, resource)
              VALUES ('old', 'u1', 'WORKSPACE_DELETED', 'workspace');
            """
        ),
    )


async def test_invitation_and_transfer_cleanup(queue: JobRuntime, sentineliq_db: str) -> None:  # noqa: F811
    await _world(sentineliq_db)
    await execute(
        sentineliq_db,
        text(
            """
            INSERT INTO "WorkspaceInvitation"
              (id, email, "tokenDigest", "workspaceId", "invitedById", "expiresAt",
               "acceptedAt", "revokedAt")
            VALUES
              ('expired', 'a@x', 'd1', 'live', 'u1', now()-interval '1 day', NULL, NULL),
              ('accepted', 'b@x', 'd2', 'live', 'u1',
               now()-interval '1 day', now()-interval '2 days', NULL),
              ('pending', 'c@x', 'd3', 'live', 'u1', now()+interval '6 days', NULL, NULL),
              ('revoked-long-ago', 'd@x', 'd4', 'live', 'u1',
               now()+interval '6 days', NULL, now()-interval '31 days'),
              ('revoked-lately', 'e@x', 'd5', 'live', 'u1',
               now()+interval '6 days', NULL, now()-interval '1 day');
            INSERT INTO "OwnershipTransferConfirmation"
              (id, "workspaceId", "currentOwnerId", "newOwnerId", "tokenDigest",
               "expiresAt", "confirmedAt")
            VALUES
              ('t-expired', 'live', 'u1', 'u2', 'x1', now()-interval '1 hour', NULL),
              ('t-pending', 'live', 'u1', 'u2', 'x2', now()+interval '1 hour', NULL),
              ('t-done', 'live', 'u1', 'u2', 'x3',
               now()-interval '1 hour', now()-interval '2 hours');
            """
        ),
    )
    async with running(queue):
        for job in ("cleanupExpiredInvitations", "cleanupExpiredOwnershipTransfers"):
            assert (await run_job(queue, job)).status is JobStatus.SUCCEEDED, job
    invitations = await execute(
        sentineliq_db, text('SELECT id FROM "WorkspaceInvitation" ORDER BY id')
    )
    assert [r.id for r in invitations] == ["accepted", "pending", "revoked-lately"]
    transfers = await execute(
        sentineliq_db, text('SELECT id FROM "OwnershipTransferConfirmation" ORDER BY id')
    )
    assert [r.id for r in transfers] == ["t-done", "t-pending"]


async def test_workspaces_are_purged_30_days_after_deletion(
    queue: JobRuntime,  # noqa: F811
    sentineliq_db: str,
) -> None:
    await _world(sentineliq_db)
    async with running(queue):
        record = await run_job(queue, "garbageCollectWorkspaces")
    assert record.status is JobStatus.SUCCEEDED
    left = await execute(sentineliq_db, text('SELECT id FROM "Workspace" ORDER BY id'))
    assert [r.id for r in left] == ["live", "recent"]
    members = await execute(sentineliq_db, text('SELECT "workspaceId" FROM "WorkspaceMember"'))
    assert [r.workspaceId for r in members] == ["live"]
    # The audit trail outlives the workspace: its rows stay, unlinked, plus the purge.
    trail = await execute(
        sentineliq_db,
        text('SELECT action::text, "workspaceId", "resourceId" FROM "AuditLog" ORDER BY id'),
    )
    assert [(r.action, r.workspaceId, r.resourceId) for r in trail] == [
        ("WORKSPACE_DELETED", None, None),
        ("WORKSPACE_PURGED", None, "old"),
    ]


async def test_expired_framework_tokens_are_cleaned(queue: JobRuntime, sentineliq_db: str) -> None:  # noqa: F811
    await _world(sentineliq_db)
    await execute(
        sentineliq_db,
        text(
            """
            INSERT INTO auth_refresh_tokens (id, token_digest, family_id, user_id, expires_at)
            VALUES
              ('r-old', 'a', 'f', 'u1', now()-interval '8 days'),
              ('r-recent', 'b', 'f', 'u1', now()-interval '1 day'),
              ('r-live', 'c', 'f', 'u1', now()+interval '20 days');
            INSERT INTO auth_one_time_tokens (id, token_digest, user_id, purpose, expires_at) VALUES
              ('o-old', 'a', 'u1', 'verify-email', now()-interval '9 days'),
              ('o-live', 'b', 'u1', 'reset-password', now()+interval '1 hour');
            """
        ),
    )
    async with running(queue):
        record = await run_job(queue, "cleanupExpiredRefreshTokens")
    assert record.status is JobStatus.SUCCEEDED
    refresh = await execute(sentineliq_db, text("SELECT id FROM auth_refresh_tokens ORDER BY id"))
    assert [r.id for r in refresh] == ["r-live", "r-recent"]
    once = await execute(sentineliq_db, text("SELECT id FROM auth_one_time_tokens"))
    assert [r.id for r in once] == ["o-live"]


async def test_system_logs_are_kept_by_level(queue: JobRuntime, sentineliq_db: str) -> None:  # noqa: F811
    # For each level: one row just inside its window, one just outside.
    windows = {"DEBUG": 7, "INFO": 30, "WARN": 90, "ERROR": 180, "CRITICAL": 365}
    values = ", ".join(
        f"('{level}'::log_level, '{level} {tag}', 'test', now()-interval '{days + delta} days')"
        for level, days in windows.items()
        for tag, delta in (("kept", -1), ("gone", 1))
    )
    await execute(
        sentineliq_db,
        text(f'INSERT INTO "SystemLog" (level, message, component, "createdAt") VALUES {values}'),
    )
    async with running(queue):
        record = await run_job(queue, "cleanupOldLogs")
    assert record.status is JobStatus.SUCCEEDED
    rows = await execute(
        sentineliq_db,
        text("""SELECT message FROM "SystemLog" WHERE component = 'test' ORDER BY id"""),
    )
    assert [r.message for r in rows] == [f"{level} kept" for level in windows]
    summary = await execute(
        sentineliq_db,
        text("""SELECT metadata FROM "SystemLog" WHERE component = 'log-retention'"""),
    )
    assert summary[0].metadata == {level: 1 for level in windows}
