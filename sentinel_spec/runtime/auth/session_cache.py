"""A short in-process cache of validated sessions, so a signed-in request does not
pay a database round trip each time.

An entry lives ``ttl`` seconds (``AUTH_SESSION_CACHE_SECONDS``, default 5; 0 turns the
cache off). Revocation done by this process (logout, reset, reuse detection) drops
the entries at once; revocation done by another process takes effect here within
``ttl`` seconds at the latest. Only valid sessions are cached, bounded to
``max_entries`` (oldest dropped first).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sentinel_spec.runtime.auth.sessions import SessionRecord

DEFAULT_TTL = 5.0
DEFAULT_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class CachedSession:
    record: SessionRecord
    user: Any  # the userEntity instance, detached from any database session
    stored_at: float


class SessionCache:
    def __init__(
        self,
        ttl: float = DEFAULT_TTL,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, CachedSession] = OrderedDict()  # by token digest

    def get(self, digest: str, wall_now: float) -> CachedSession | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if (
            self._monotonic() - entry.stored_at >= self.ttl
            or entry.record.expires_at.timestamp() <= wall_now
        ):
            del self._entries[digest]
            return None
        return entry

    def put(self, digest: str, record: SessionRecord, user: Any) -> None:
        if self.ttl <= 0:
            return
        self._entries[digest] = CachedSession(record, user, self._monotonic())
        self._entries.move_to_end(digest)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget_sessions(self, session_ids: set[str] | list[str] | tuple[str, ...]) -> None:
        wanted = set(session_ids)
        if not wanted:
            return
        for digest in [d for d, e in self._entries.items() if e.record.id in wanted]:
            del self._entries[digest]

    def forget_user(self, user_id: Any) -> None:
        for digest in [d for d, e in self._entries.items() if e.record.user_id == user_id]:
            del self._entries[digest]

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
