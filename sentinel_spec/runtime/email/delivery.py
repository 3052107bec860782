"""``DeliveryQueue``: what the mailer hands messages to, and the one place that decides
when they are delivered and how failures are retried.

Two implementations are planned: ``InProcessDeliveryQueue`` (here now: an asyncio task
in the server process, bounded retries, lost if the process dies) and a durable one on
the job queue (jobs feature: a job per batch, inserted in the caller's transaction,
retried by the worker). Both share the log lines below, so operators read the same
thing whichever runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.sender import DeliveryFailure

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import SessionScopeLike

log = logging.getLogger("sentinel.email")


class DeliveryQueue(Protocol):
    async def enqueue(
        self, messages: Sequence[EmailMessage], *, unit_of_work: SessionScopeLike | None = None
    ) -> None:
        """Take charge of delivering ``messages`` (complete: ``from_`` and ``message_id``
        set). With ``unit_of_work`` they belong to that transaction: nothing is sent
        unless it commits (the in-process queue waits for ``on_commit``; a durable queue
        inserts its job on ``unit_of_work.session``). Never raises because a delivery
        failed or will fail."""
        ...

    async def aclose(self, grace_seconds: float) -> None:
        """Shutting down: deliver what can be within ``grace_seconds``, then log (ERROR)
        every message left undelivered, and release the sender."""
        ...


def log_extra(message: EmailMessage, request_id: str | None, **more: Any) -> dict[str, Any]:
    """Structured fields of every delivery log line (never a body)."""
    return {
        "request_id": request_id,
        "email_message_id": message.message_id,
        "email_to": [a.email for a in message.to],
        "email_template": message.template,
        **more,
    }


def log_sent(
    message: EmailMessage, sender: str, attempts: int, request_id: str | None = None
) -> None:
    log.info(
        "email sent via %s: %s (attempt %d)",
        sender,
        message.describe(),
        attempts,
        extra=log_extra(message, request_id, email_attempts=attempts),
    )


def log_retrying(
    message: EmailMessage,
    failure: DeliveryFailure,
    attempts: int,
    delay: float,
    request_id: str | None = None,
) -> None:
    log.warning(
        "email delivery failed (attempt %d), retrying in %.1fs: %s: %s",
        attempts,
        delay,
        message.describe(),
        failure.reason,
        extra=log_extra(message, request_id, email_attempts=attempts),
    )


def log_undeliverable(
    message: EmailMessage,
    failure: DeliveryFailure | None,
    attempts: int,
    why: str,
    request_id: str | None = None,
) -> None:
    """The loud line: this message will never arrive (ERROR, so alerts fire)."""
    reason = failure.reason if failure is not None else "not attempted"
    log.error(
        "email NOT delivered (%s, %d attempt%s): %s: %s",
        why,
        attempts,
        "" if attempts == 1 else "s",
        message.describe(),
        reason,
        extra=log_extra(message, request_id, email_attempts=attempts, email_failure=reason),
    )
