"""The email feature's entry point: a ``Mailer`` built from ``app.emailSender`` and the
environment, and what ``context.email`` is when the spec declares no sender.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from sentinel_spec.runtime.context import FeatureNotAvailable
from sentinel_spec.runtime.email.config import (
    EmailSenderConfig,
    delivery_settings,
    is_development,
    make_sender,
)
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.mailer import Mailer
from sentinel_spec.runtime.email.rendering import EmailTemplates
from sentinel_spec.runtime.email.sender import EmailSender
from sentinel_spec.runtime.settings import SettingsError

log = logging.getLogger("sentinel.email")


def build_mailer(
    config: EmailSenderConfig,
    environ: Mapping[str, str],
    *,
    templates_dir: str | Path | None,
    app_name: str = "",
    sender: EmailSender | None = None,
) -> Mailer:
    """The app's mailer: sender from ``config.provider`` (or ``sender``, for tests),
    in-process delivery with the retry policy from the environment, and templates from
    ``templates_dir``. Raises ``SettingsError`` listing every bad or missing variable."""
    problems: list[str] = []
    if sender is None:
        try:
            sender = make_sender(config.provider, environ)
        except SettingsError as error:
            problems.extend(error.problems)
    try:
        delivery = delivery_settings(environ)
    except SettingsError as error:
        problems.extend(error.problems)
    if problems:
        raise SettingsError(problems)
    assert sender is not None
    if config.provider == "Console" and not is_development(environ):
        log.warning(
            "app.emailSender is Console: emails are written to the log, bodies and sign-in "
            "links included, and never sent; use SMTP or SendGrid in production"
        )
    templates = EmailTemplates(
        templates_dir,
        globals={"app_name": app_name, "app_url": environ.get("APP_URL", "").rstrip("/")},
    )
    return Mailer(
        InProcessDeliveryQueue(sender, policy=delivery.policy),
        default_from=config.default_from,
        templates=templates,
        shutdown_grace_seconds=delivery.shutdown_grace_seconds,
    )


class EmailNotConfigured:
    """``context.email`` in an app whose spec has no ``emailSender``: any use says what to add."""

    __slots__ = ()

    def __getattr__(self, name: str) -> NoReturn:
        raise FeatureNotAvailable(
            f"context.email.{name}: this app declares no email sender; add "
            '`emailSender: { provider: SMTP, defaultFrom: { name: "...", email: "..." } }` '
            "to the app in app.sq (provider SMTP, SendGrid or Console)"
        )

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "EmailNotConfigured()"


NOT_CONFIGURED: Any = EmailNotConfigured()
