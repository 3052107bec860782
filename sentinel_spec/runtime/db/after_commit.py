"""``on_commit(callback)``: work that must happen only once a unit of work has committed.

Email sends, realtime publishes and anything else "after the transaction" hang off it:
callbacks run in registration order after a successful commit (also when the call never
touched the database), never after a rollback. A failing callback is logged and the
others still run: the transaction is already committed, so the call has succeeded.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("sentinel.db")

CommitCallback = Callable[[], Awaitable[None] | None]


class AfterCommit:
    """The callbacks of one unit of work; a base of every scope the runtime hands out."""

    __slots__ = ("_after_commit",)

    def __init__(self) -> None:
        self._after_commit: list[CommitCallback] | None = None  # most calls register none

    def on_commit(self, callback: CommitCallback) -> None:
        """Run ``callback()`` (sync or async) after this unit of work commits."""
        if self._after_commit is None:
            self._after_commit = []
        self._after_commit.append(callback)

    def discard_callbacks(self) -> None:
        """Rolled back: nothing registered may run."""
        self._after_commit = None

    async def run_callbacks(self) -> None:
        callbacks, self._after_commit = self._after_commit, None
        for callback in callbacks or ():
            try:
                outcome = callback()
                if inspect.isawaitable(outcome):
                    await outcome
            except Exception:
                log.exception("an on_commit callback failed after the commit")


class PlainScope(AfterCommit):
    """The unit of work of an app without a database: only ``on_commit``."""

    __slots__ = ()

    @property
    def session(self) -> object:
        from sentinel_spec.runtime.context import NoDatabase

        raise NoDatabase("context.session: this app has no database (the spec declares no entity)")

    async def __aenter__(self) -> PlainScope:
        return self

    async def __aexit__(
        self, error_type: object, error: BaseException | None, traceback: object
    ) -> None:
        if error is None:
            await self.run_callbacks()
        else:
            self.discard_callbacks()
