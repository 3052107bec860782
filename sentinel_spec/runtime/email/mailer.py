"""``Mailer``: what ``context.email`` and other features send with.

``send`` builds one message (rendering its template), checks it, fills in the default
sender and a Message-ID, and hands it to the delivery queue; it returns as soon as the
message is queued. It raises only for a message that can never be sent as written (a
bad address, a line break in a header, an unknown template, an undefined template
variable): a programming error, reported where it was made. A failed *delivery* never
reaches the caller; the queue retries it and logs the outcome.

A mailer bound to a unit of work (``bind``) queues its messages only when that unit
of work commits: an action that fails sends nothing. ``context.email`` is bound to the
call's unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sentinel_spec.runtime.email.delivery import DeliveryQueue
from sentinel_spec.runtime.email.message import (
    Address,
    AddressesInput,
    AddressInput,
    EmailMessage,
    InvalidEmail,
)
from sentinel_spec.runtime.email.mime import make_message_id
from sentinel_spec.runtime.email.rendering import EmailTemplates, RenderedEmail

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import SessionScopeLike


class Mailer:
    # bind() makes one per call that has a context: keep it small.
    __slots__ = ("default_from", "queue", "shutdown_grace_seconds", "templates", "unit_of_work")

    def __init__(
        self,
        queue: DeliveryQueue,
        *,
        default_from: Address | None = None,
        templates: EmailTemplates | None = None,
        unit_of_work: SessionScopeLike | None = None,
        shutdown_grace_seconds: float = 10.0,
    ) -> None:
        self.queue = queue
        self.default_from = default_from
        self.templates = templates or EmailTemplates()
        self.unit_of_work = unit_of_work
        self.shutdown_grace_seconds = shutdown_grace_seconds

    def bind(self, unit_of_work: SessionScopeLike | None) -> Mailer:
        """This mailer, releasing its messages only when ``unit_of_work`` commits."""
        if unit_of_work is self.unit_of_work:
            return self
        return Mailer(
            self.queue,
            default_from=self.default_from,
            templates=self.templates,
            unit_of_work=unit_of_work,
            shutdown_grace_seconds=self.shutdown_grace_seconds,
        )

    def use_queue(self, queue: DeliveryQueue) -> DeliveryQueue:
        """Deliver through ``queue`` from now on (the jobs feature installs its durable
        queue this way, after email); the previous queue is returned for the caller to
        take its sender from and close. Mailers bound later share the new queue."""
        previous, self.queue = self.queue, queue
        return previous

    def render(self, template: str, data: Mapping[str, Any] | None = None) -> RenderedEmail:
        """Subject, text and HTML of a template, without sending (previews)."""
        return self.templates.render(template, data)

    def compose(
        self,
        *,
        to: AddressesInput,
        subject: str | None = None,
        template: str | None = None,
        data: Mapping[str, Any] | None = None,
        text: str | None = None,
        html: str | None = None,
        from_: AddressInput | None = None,
        reply_to: AddressesInput = (),
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> EmailMessage:
        """The complete message ``send`` would queue (for ``send_batch``, tests, previews)."""
        if template is not None:
            if text is not None or html is not None:
                raise InvalidEmail("pass either template= or text=/html=, not both")
            rendered = self.templates.render(template, data)
            text, html = rendered.text, rendered.html
            subject = subject if subject is not None else rendered.subject
        elif data is not None:
            raise InvalidEmail("data= is for templates: pass template= too")
        if subject is None:
            where = f"emails/{template}" if template else "the call"
            raise InvalidEmail(f"no subject: pass subject= or add {{% block subject %}} to {where}")
        message = EmailMessage(
            to=to,
            subject=subject,
            text=text,
            html=html,
            from_=from_,
            reply_to=reply_to,
            headers=headers,
            template=template,
        )
        return self.complete(message)

    def complete(self, message: EmailMessage) -> EmailMessage:
        """``message`` with the default sender and a Message-ID filled in when missing."""
        sender = message.from_ or self.default_from
        if sender is None:
            raise InvalidEmail(
                "no sender: pass from_= or set app.emailSender.defaultFrom in the spec"
            )
        if message.from_ is not None and message.message_id is not None:
            return message
        return message.replace(
            from_=sender, message_id=message.message_id or make_message_id(sender.domain)
        )

    async def send(
        self,
        *,
        to: AddressesInput,
        subject: str | None = None,
        template: str | None = None,
        data: Mapping[str, Any] | None = None,
        text: str | None = None,
        html: str | None = None,
        from_: AddressInput | None = None,
        reply_to: AddressesInput = (),
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """Queue one message. ``to`` is an address or a list (``"Ada <ada@x.io>"`` forms
        allowed); give ``template`` (+ ``data``) or ``text`` and/or ``html``. ``subject``
        may come from the template's ``subject`` block."""
        message = self.compose(
            to=to,
            subject=subject,
            template=template,
            data=data,
            text=text,
            html=html,
            from_=from_,
            reply_to=reply_to,
            headers=headers,
        )
        await self.queue.enqueue([message], unit_of_work=self.unit_of_work)

    async def send_batch(self, messages: Sequence[EmailMessage]) -> None:
        """Queue many messages at once; they are delivered together where the provider
        allows (one SMTP connection). Every message is checked before any is queued."""
        completed = [self.complete(message) for message in messages]
        await self.queue.enqueue(completed, unit_of_work=self.unit_of_work)

    async def aclose(self, grace_seconds: float | None = None) -> None:
        """Shutdown (the app's lifespan calls it): see ``DeliveryQueue.aclose``."""
        grace = self.shutdown_grace_seconds if grace_seconds is None else grace_seconds
        await self.queue.aclose(grace)
