"""This instance's subscriptions: which local subscribers listen to which channel.

``deliver`` is synchronous and never waits on a subscriber: each one takes the message
into its own bounded queue (``Subscriber.offer``) or drops itself, so one slow socket
cannot hold up the fan-out to the others.
"""

from __future__ import annotations

from collections import deque
from typing import Protocol

from sentinel_spec.runtime.realtime.channels import Message


class Subscriber(Protocol):
    def offer(self, message: Message) -> None:
        """Take ``message`` without blocking (queue it, or drop the subscriber)."""


class RecentIds:
    """The last ``size`` ids seen, to deliver a message once when it arrives twice
    (a listener's catch-up after a reconnect overlaps what it already got)."""

    __slots__ = ("_order", "_seen", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._order: deque[int] = deque()
        self._seen: set[int] = set()

    def add(self, message_id: int) -> bool:
        """Record ``message_id``; False when it was already there."""
        if message_id in self._seen:
            return False
        self._seen.add(message_id)
        self._order.append(message_id)
        if len(self._order) > self._size:
            self._seen.discard(self._order.popleft())
        return True

    def __contains__(self, message_id: int) -> bool:
        return message_id in self._seen


class Hub:
    def __init__(self, recent: int = 8192) -> None:
        self._channels: dict[str, set[Subscriber]] = {}
        self._by_subscriber: dict[Subscriber, set[str]] = {}
        self._recent = RecentIds(recent)
        self.delivered = 0  # messages handed to subscribers, for metrics and tests

    def subscribe(self, channel: str, subscriber: Subscriber) -> None:
        self._channels.setdefault(channel, set()).add(subscriber)
        self._by_subscriber.setdefault(subscriber, set()).add(channel)

    def unsubscribe(self, channel: str, subscriber: Subscriber) -> None:
        members = self._channels.get(channel)
        if members is not None:
            members.discard(subscriber)
            if not members:
                del self._channels[channel]
        channels = self._by_subscriber.get(subscriber)
        if channels is not None:
            channels.discard(channel)
            if not channels:
                del self._by_subscriber[subscriber]

    def drop(self, subscriber: Subscriber) -> None:
        """Remove ``subscriber`` from every channel."""
        for channel in list(self._by_subscriber.get(subscriber, ())):
            self.unsubscribe(channel, subscriber)

    def channels_of(self, subscriber: Subscriber) -> set[str]:
        return set(self._by_subscriber.get(subscriber, ()))

    def subscribers(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    @property
    def subscriber_count(self) -> int:
        return len(self._by_subscriber)

    def deliver(self, message: Message) -> int:
        """Hand ``message`` to every local subscriber of its channel, once per id;
        returns how many took it."""
        if not self._recent.add(message.id):
            return 0
        members = self._channels.get(message.channel)
        if not members:
            return 0
        # A copy: a subscriber that overflows drops itself from the set while we iterate.
        targets = tuple(members)
        for subscriber in targets:
            subscriber.offer(message)
        self.delivered += len(targets)
        return len(targets)
