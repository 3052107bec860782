"""The email feature's entry point: a ``Mailer`` built from ``app.emailSender`` and the
environment, installed as ``services.mailer`` (so ``context.email`` works) and closed at
shutdown. Without ``emailSender`` nothing is installed and ``context.email`` raises
``FeatureNotAvailable`` saying to declare one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from sentinel_spec.contract.declarations import EmailSenderDecl
from sentinel_spec.runtime.email.config import delivery_settings, is_development, make_sender
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue
from sentinel_spec.runtime.email.mailer import Mailer
from sentinel_spec.runtime.email.message import Address, InvalidEmail
from sentinel_spec.runtime.email.rendering import EmailTemplates
from sentinel_spec.runtime.email.sender import EmailSender
from sentinel_spec.runtime.settings import SettingsError

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder

log = logging.getLogger("sentinel.email")


def install(builder: AppBuilder) -> None:
    declared = builder.decl.email_sender
    if declared is None:
        return
    mailer = build_mailer(
        declared,
        builder.settings.environ,
        templates_dir=builder.decl.templates_dir,
        app_name=builder.decl.title,
    )
    builder.services.mailer = mailer
    builder.on_shutdown(mailer.aclose)


def _default_from(declared: EmailSenderDecl) -> Address | None:
    if declared.default_from_email is None:
        return None
    try:
        return Address(declared.default_from_email, declared.default_from_name)
    except InvalidEmail as error:
        raise SettingsError([f"app.emailSender.defaultFrom: {error}"]) from None


def build_mailer(
    declared: EmailSenderDecl,
    environ: Mapping[str, str],
    *,
    templates_dir: str | Path | None,
    app_name: str = "",
    sender: EmailSender | None = None,
) -> Mailer:
    """The app's mailer: sender from ``declared.provider`` (or ``sender``, for tests and
    previews), in-process delivery with the retry policy from the environment, templates
    from ``templates_dir``. Raises ``SettingsError`` listing every bad or missing setting."""
    problems: list[str] = []
    default_from = None
    try:
        default_from = _default_from(declared)
    except SettingsError as error:
        problems.extend(error.problems)
    if sender is None:
        try:
            sender = make_sender(declared.provider, environ)
        except SettingsError as error:
            problems.extend(error.problems)
    try:
        delivery = delivery_settings(environ)
    except SettingsError as error:
        problems.extend(error.problems)
    if problems:
        raise SettingsError(problems)
    assert sender is not None
    if declared.provider == "Console" and not is_development(environ):
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
        default_from=default_from,
        templates=templates,
        shutdown_grace_seconds=delivery.shutdown_grace_seconds,
    )
