"""Expired auth rows pruned on a timer, in every app (with or without jobs).

What goes, once it has been over for ``keep`` (``AUTH_PRUNE_KEEP``, one day: a security
review still sees yesterday's revocations):

- sessions past their absolute expiry, or revoked;
- refresh tokens past their expiry. A rotated (used) or revoked token is kept until it
  expires: presenting it again must still trip reuse detection and revoke its family;
- verification and reset tokens past their expiry, or used.

Every instance runs the timer (``AUTH_PRUNE_EVERY`` seconds, one hour; ``0`` turns it
off); a transaction-level advisory lock makes one of them do a round at a time. Backup
codes stay (their count is what the security page shows) and go with their user.
Docs: docs/auth.md, "Tables".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from sentinel_spec.runtime.auth.clock import Clock, utc_now
from sentinel_spec.runtime.auth.host import Host
from sentinel_spec.runtime.auth.tables import AuthTables
from sentinel_spec.runtime.env_numbers import env_seconds

log = logging.getLogger("sentinel.auth")

# hashtext() is computed by the server, so every instance asks for the same lock.
_LOCK = sa.text("SELECT pg_try_advisory_xact_lock(hashtext('sentinel.auth.prune'))")


class PruneConfigError(ValueError):
    """AUTH_PRUNE_EVERY / AUTH_PRUNE_KEEP is not a number of seconds."""


@dataclass(frozen=True)
class PruneSettings:
    every_seconds: float = 3600.0
    keep_seconds: float = 86400.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> PruneSettings:
        default = cls()
        return cls(
            env_seconds(environ, "AUTH_PRUNE_EVERY", default.every_seconds, error=PruneConfigError),
            env_seconds(environ, "AUTH_PRUNE_KEEP", default.keep_seconds, error=PruneConfigError),
        )


@dataclass(frozen=True)
class Pruned:
    sessions: int
    refresh_tokens: int
    one_time_tokens: int


async def prune_expired(db: Any, tables: AuthTables, now: datetime, keep: timedelta) -> Pruned:
    """Delete what ended before ``now - keep`` (in ``db``'s transaction)."""
    cutoff = now - keep
    s, r, o = tables.sessions, tables.refresh_tokens, tables.one_time_tokens
    sessions = await db.execute(
        sa.delete(s).where(sa.or_(s.c.expires_at < cutoff, s.c.revoked_at < cutoff))
    )
    refresh = await db.execute(sa.delete(r).where(r.c.expires_at < cutoff))
    one_time = await db.execute(
        sa.delete(o).where(sa.or_(o.c.expires_at < cutoff, o.c.used_at < cutoff))
    )
    return Pruned(sessions.rowcount or 0, refresh.rowcount or 0, one_time.rowcount or 0)


class AuthPruner:
    """The timer: ``start``/``stop`` with the app; ``run_once`` is one round."""

    def __init__(
        self, host: Host, tables: AuthTables, settings: PruneSettings, clock: Clock = utc_now
    ) -> None:
        self.host = host
        self.tables = tables
        self.settings = settings
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> Pruned | None:
        """One round; None when another instance holds the lock."""
        async with self.host.unit_of_work() as scope:
            db = scope.session
            if not (await db.execute(_LOCK)).scalar():
                return None
            keep = timedelta(seconds=self.settings.keep_seconds)
            pruned = await prune_expired(db, self.tables, self.clock(), keep)
        if pruned.sessions or pruned.refresh_tokens or pruned.one_time_tokens:
            log.info(
                "auth: pruned %d session(s), %d refresh token(s), %d one-time token(s)",
                pruned.sessions,
                pruned.refresh_tokens,
                pruned.one_time_tokens,
                extra={"event": "auth.pruned"},
            )
        return pruned

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.every_seconds)
            try:
                await self.run_once()
            except Exception:  # the database may be away for a while: try next round
                log.exception("auth: pruning expired sessions and tokens failed")

    async def start(self) -> None:
        if self.settings.every_seconds > 0 and self._task is None:
            self._task = asyncio.create_task(self._loop(), name="sentinel-auth-prune")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
