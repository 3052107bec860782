"""Channel names, message ids and the frame a socket receives.

A channel is a short name of letters, digits and ``: _ - .`` (``user:<id>``,
``workspace:<id>``, ``case:42``). Names are checked where they enter (publish,
subscribe) so a bad one fails at the caller, not in another instance's listener.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_CHANNEL_LENGTH = 200
_CHANNEL = re.compile(rf"[A-Za-z0-9_\-.:]{{1,{MAX_CHANNEL_LENGTH}}}")
USER_PREFIX = "user:"
WORKSPACE_PREFIX = "workspace:"
# Channels the runtime itself uses (Socket.IO fan-out); user code cannot subscribe to them.
INTERNAL_PREFIX = "sentinel."


class InvalidChannel(ValueError):
    """A channel name that is empty, too long or has a character outside ``[A-Za-z0-9_-.:]``."""


def check_channel(channel: object) -> str:
    if not isinstance(channel, str) or _CHANNEL.fullmatch(channel) is None:
        raise InvalidChannel(
            f"invalid realtime channel {channel!r}: use 1-{MAX_CHANNEL_LENGTH} characters "
            "of letters, digits and `: _ - .` (e.g. `workspace:<id>`)"
        )
    return channel


def user_channel(user_id: object) -> str:
    return f"{USER_PREFIX}{user_id}"


def workspace_channel(workspace_id: object) -> str:
    return f"{WORKSPACE_PREFIX}{workspace_id}"


@dataclass(frozen=True, slots=True)
class Message:
    """One published message: ``payload`` is the JSON text of what was published."""

    id: int
    channel: str
    payload: str
    # The text frame, built on first use and shared by every socket of this instance.
    _frame: str | None = field(default=None, init=False, repr=False, compare=False)

    def frame(self) -> str:
        """The text frame of RUNTIME.md: ``{"id", "channel", "message"}`` (id as a string).

        Built by concatenation (the payload is already JSON) once per message: the hub
        hands the same ``Message`` to every local subscriber, so a fan-out to a thousand
        sockets frames it once, not a thousand times.
        """
        text = self._frame
        if text is None:
            text = (
                f'{{"id":"{self.id}","channel":{json.dumps(self.channel)},'
                f'"message":{self.payload}}}'
            )
            object.__setattr__(self, "_frame", text)  # a cache: the value never changes
        return text


def gap_frame(channel: str) -> str:
    """Sent instead of a replay that cannot be complete (the last id seen is older than
    the retention window, or more was missed than one replay sends): refetch state."""
    return json.dumps({"id": None, "channel": channel, "message": None, "gap": True})


def parse_message_id(raw: Any) -> int | None:
    """A client's ``lastId``: a positive decimal id, else None."""
    if isinstance(raw, str) and raw.isdigit() and len(raw) <= 19:
        return int(raw)
    return None
