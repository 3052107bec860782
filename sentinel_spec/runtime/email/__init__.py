"""Email: ``context.email.send(...)``, SMTP / SendGrid / Console senders, Jinja2 templates
and delivery that retries and never fails the request that sent (docs/email.md).

Names load on first use, so an app without ``emailSender`` never imports the senders.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentinel_spec.runtime.email.config import EmailSenderConfig
    from sentinel_spec.runtime.email.delivery import DeliveryQueue, UnitOfWork
    from sentinel_spec.runtime.email.feature import EmailNotConfigured, build_mailer
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
    "EmailNotConfigured": "feature",
    "EmailSender": "sender",
    "EmailSenderConfig": "config",
    "EmailTemplateNotFound": "rendering",
    "EmailTemplates": "rendering",
    "InProcessDeliveryQueue": "inprocess",
    "InvalidEmail": "message",
    "Mailer": "mailer",
    "RenderedEmail": "rendering",
    "RetryPolicy": "retry",
    "UnitOfWork": "delivery",
    "build_mailer": "feature",
}

__all__ = [
    "Address",
    "Clock",
    "DeliveryFailure",
    "DeliveryQueue",
    "EmailMessage",
    "EmailNotConfigured",
    "EmailSender",
    "EmailSenderConfig",
    "EmailTemplateNotFound",
    "EmailTemplates",
    "InProcessDeliveryQueue",
    "InvalidEmail",
    "Mailer",
    "RenderedEmail",
    "RetryPolicy",
    "UnitOfWork",
    "build_mailer",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)


def install(builder: AppBuilder) -> None:
    """Nothing to install yet: the mailer is wired into create_app in the next step."""
