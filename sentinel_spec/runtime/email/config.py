"""From the spec's ``app.emailSender`` provider and the environment to a sender and its
retry policy.

Every environment variable email reads is here (docs/email.md lists them). Problems
are collected and raised together as one ``SettingsError``, like the spec's own
``env(...)`` values, so a deploy is fixed in one round trip.

In development (``SENTINEL_ENV=development``, which ``sentinel dev`` sets) an SMTP or
SendGrid app whose server or key is not configured gets the Console sender and one
warning, so a fresh checkout runs and shows its emails in the terminal. Anywhere
else the missing variable stops start-up: mail must not silently go nowhere.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from sentinel_spec.contract.declarations import EmailProvider
from sentinel_spec.runtime.email.retry import RetryPolicy
from sentinel_spec.runtime.email.sender import EmailSender
from sentinel_spec.runtime.settings import SettingsError

log = logging.getLogger("sentinel.email")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class DeliverySettings:
    policy: RetryPolicy
    shutdown_grace_seconds: float


class _Reader:
    """Typed reads of environment variables, collecting every problem."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def text(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def flag(self, name: str) -> bool:
        raw = self.environ.get(name, "").strip().lower()
        if raw in _TRUE:
            return True
        if raw not in _FALSE:
            self.problems.append(f"environment variable {name} must be true or false, got {raw!r}")
        return False

    def number(self, name: str, default: float, *, minimum: float = 0) -> float:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            self.problems.append(f"environment variable {name} must be a number >= {minimum:g}")
            return default
        return value

    def integer(self, name: str, default: int, *, minimum: int = 0) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            self.problems.append(f"environment variable {name} must be an integer >= {minimum}")
            return default
        return value

    def check(self) -> None:
        if self.problems:
            raise SettingsError(self.problems)


def is_development(environ: Mapping[str, str]) -> bool:
    return environ.get("SENTINEL_ENV", "").strip().lower() in ("development", "dev")


def missing_settings(provider: EmailProvider, environ: Mapping[str, str]) -> list[str]:
    """The variables a provider cannot work without that are not set."""
    needed = {"SMTP": ("SMTP_HOST",), "SendGrid": ("SENDGRID_API_KEY",), "Console": ()}
    return [name for name in needed[provider] if not environ.get(name, "").strip()]


def make_sender(provider: EmailProvider, environ: Mapping[str, str]) -> EmailSender:
    """The sender for ``provider``; ``SettingsError`` listing every bad or missing variable
    (outside development, where a missing server or key means the Console sender)."""
    missing = missing_settings(provider, environ)
    if missing:
        if is_development(environ):
            log.warning(
                "app.emailSender is %s but %s is not set: emails are printed to this log "
                "instead (Console sender; sentinel dev only)",
                provider,
                " and ".join(missing),
            )
            provider = "Console"
        else:
            raise SettingsError(
                f"missing environment variable {name} (app.emailSender: {provider})"
                for name in missing
            )
    if provider == "SMTP":
        return _smtp(environ)
    if provider == "SendGrid":
        return _sendgrid(environ)
    from sentinel_spec.runtime.email.console import ConsoleSender

    return ConsoleSender()


def _smtp(environ: Mapping[str, str]) -> EmailSender:
    from sentinel_spec.runtime.email.smtp import SmtpSender, SmtpSettings

    read = _Reader(environ)
    implicit_tls = read.flag("SMTP_TLS")
    username = read.text("SMTP_USERNAME")
    password = environ.get("SMTP_PASSWORD")
    if password is not None and username is None:
        read.problems.append("SMTP_PASSWORD is set but SMTP_USERNAME is not")
    settings = SmtpSettings(
        host=read.text("SMTP_HOST") or "",
        port=read.integer("SMTP_PORT", 465 if implicit_tls else 587, minimum=1),
        username=username,
        password=password,
        implicit_tls=implicit_tls,
        require_tls=read.flag("SMTP_REQUIRE_TLS"),
        ca_file=read.text("SMTP_CA_FILE"),
        timeout=read.number("SMTP_TIMEOUT", 30.0, minimum=1),
    )
    if settings.ca_file is not None:
        _check_ca_file(settings.ca_file, read)
    read.check()
    return SmtpSender(settings)


def _check_ca_file(path: str, read: _Reader) -> None:
    import ssl

    try:
        ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as error:
        read.problems.append(f"SMTP_CA_FILE {path!r} is not a readable PEM file: {error}")


def _sendgrid(environ: Mapping[str, str]) -> EmailSender:
    from sentinel_spec.runtime.email.sendgrid import (
        DEFAULT_API_URL,
        SendGridSender,
        SendGridSettings,
    )

    read = _Reader(environ)
    api_url = (read.text("SENDGRID_API_URL") or DEFAULT_API_URL).rstrip("/")
    parts = urlsplit(api_url)
    if parts.scheme != "https" and not (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        # The API key travels with every request: never in clear beyond this machine.
        read.problems.append(
            f"SENDGRID_API_URL must be an https:// URL (http:// only on loopback), got {api_url!r}"
        )
    settings = SendGridSettings(
        api_key=read.text("SENDGRID_API_KEY") or "",
        api_url=api_url,
        timeout=read.number("SENDGRID_TIMEOUT", 30.0, minimum=1),
    )
    read.check()
    return SendGridSender(settings)


def delivery_settings(environ: Mapping[str, str]) -> DeliverySettings:
    read = _Reader(environ)
    defaults = RetryPolicy()
    policy = RetryPolicy(
        max_attempts=read.integer("EMAIL_MAX_ATTEMPTS", defaults.max_attempts, minimum=1),
        max_elapsed=read.number("EMAIL_MAX_RETRY_SECONDS", defaults.max_elapsed),
        base_delay=read.number("EMAIL_RETRY_BASE_SECONDS", defaults.base_delay),
    )
    grace = read.number("EMAIL_SHUTDOWN_GRACE_SECONDS", 10.0)
    read.check()
    return DeliverySettings(policy, grace)
