"""The one small interface every provider implements: deliver these messages, say how
each went. SMTP, SendGrid and Console are ``EmailSender``s; so is a test's fake.

A sender never raises for a delivery failure: it answers, per message, ``None``
(accepted by the provider) or a ``DeliveryFailure`` saying whether trying again can
help. Retrying is the delivery queue's business, not the sender's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sentinel_spec.runtime.email.message import EmailMessage


@dataclass(frozen=True)
class DeliveryFailure:
    """Why one message was not accepted. ``retryable``: a later attempt may succeed
    (timeouts, 4xx SMTP replies, HTTP 429/5xx); otherwise it never will (bad address,
    bad credentials, 5xx SMTP replies, other HTTP 4xx). ``retry_after``: the provider
    asked to wait this many seconds."""

    reason: str
    retryable: bool
    retry_after: float | None = None

    @classmethod
    def temporary(cls, reason: str, retry_after: float | None = None) -> DeliveryFailure:
        return cls(reason, True, retry_after)

    @classmethod
    def permanent(cls, reason: str) -> DeliveryFailure:
        return cls(reason, False)


Outcomes = list[DeliveryFailure | None]


class EmailSender(Protocol):
    """Delivers messages whose ``from_`` is set. ``name`` appears in log lines."""

    name: str

    async def deliver(self, messages: Sequence[EmailMessage]) -> Outcomes:
        """One outcome per message, in order: ``None`` when sent. Many messages share
        what they can (one SMTP connection, one HTTP connection pool)."""
        ...

    async def aclose(self) -> None:
        """Release connections; the sender is not used afterwards."""
        ...
