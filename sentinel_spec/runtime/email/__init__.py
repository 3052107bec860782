"""``app.emailSender``: ``context.email.send(...)``, SMTP / SendGrid / Console senders,
Jinja2 templates and delivery that retries and never fails the request that sent
(RUNTIME.md, Email; docs/email.md).

``install`` fills ``builder.services.mailer`` (a ``Mailer``, bound per call to the unit of
work so sends wait for its commit) and closes it at shutdown. Names load on first use,
so an app without ``emailSender`` never imports the senders or Jinja2.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentinel_spec.runtime.email.delivery import DeliveryQueue
    from sentinel_spec.runtime.email.feature import build_mailer
    from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
    from sentinel_spec.runtime.email.mailer import Mailer
    from sentinel_spec.runtime.email.message import Address, EmailMessage, InvalidEmail
    from sentinel_spec.runtime.email.rendering import (
        EmailTemplateNotFound,
        EmailTemplates,
        RenderedEmail,
    )
    from sentinel_spec.runtime.email.retry import Clock, RetryPolicy
    from sentinel_spec.runtime.email.sender import DeliveryFailure, EmailSender
    from sentinel_spec.runtime.state import AppBuilder

_HOMES = {
    "Address": "message",
    "Clock": "retry",
    "DeliveryFailure": "sender",
    "DeliveryQueue": "delivery",
    "EmailMessage": "message",
    "EmailSender": "sender",
    "EmailTemplateNotFound": "rendering",
    "EmailTemplates": "rendering",
    "InProcessDeliveryQueue": "inprocess",
    "InvalidEmail": "message",
    "Mailer": "mailer",
    "RenderedEmail": "rendering",
    "RetryPolicy": "retry",
    "build_mailer": "feature",
}

__all__ = [
    "Address",
    "Clock",
    "DeliveryFailure",
    "DeliveryQueue",
    "EmailMessage",
    "EmailSender",
    "EmailTemplateNotFound",
    "EmailTemplates",
    "InProcessDeliveryQueue",
    "InvalidEmail",
    "Mailer",
    "RenderedEmail",
    "RetryPolicy",
    "build_mailer",
    "install",
]


def install(builder: AppBuilder) -> None:
    """See ``feature.install``; imported only when the spec declares ``emailSender``."""
    if builder.decl.email_sender is not None:
        from sentinel_spec.runtime.email.feature import install as install_email

        install_email(builder)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
