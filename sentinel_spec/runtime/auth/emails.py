"""The emails auth sends: address verification, password reset, and "you already have an
account" (the answer to a signup for a taken address, which must look like any signup).

Each link is ``<APP_URL><client route path>?token=<token>`` (RUNTIME.md). The spec's
``getEmailContentFn`` replaces the default content: it is called with ``link`` (also
passed as ``verification_link`` / ``password_reset_link``, Wasp's names), ``user`` and
``email``, and returns ``{"subject", "text", "html"}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sentinel_spec.runtime.auth import hooks, templating
from sentinel_spec.runtime.auth.config import LOGIN_PAGE, AuthConfig, EmailMethod
from sentinel_spec.runtime.auth.one_time import LIFETIMES, RESET_PASSWORD, VERIFY_EMAIL


@dataclass(frozen=True)
class MailContent:
    subject: str
    text: str
    html: str

    @classmethod
    def from_mapping(cls, value: Any, where: str) -> MailContent:
        if not isinstance(value, Mapping) or not isinstance(value.get("subject"), str):
            raise TypeError(f"{where} must return a dict with subject, text and html")
        text, html = value.get("text"), value.get("html")
        if not isinstance(text, str) and not isinstance(html, str):
            raise TypeError(f"{where} must return text or html (or both)")
        return cls(value["subject"], text or "", html or "")


def link(config: AuthConfig, path: str, token: str) -> str:
    return f"{config.app_url}{path}?{urlencode({'token': token})}"


def sender(method: EmailMethod) -> str:
    if method.from_name:
        return f"{method.from_name} <{method.from_email}>"
    return method.from_email


def _default(config: AuthConfig, name: str, subject: str, **data: Any) -> MailContent:
    values = {"app_title": config.app_name, "subject": subject, **data}
    return MailContent(
        subject,
        templating.render(config.templates_dir, f"emails/{name}.txt", **values),
        templating.render(config.templates_dir, f"emails/{name}.html", **values),
    )


async def verification(
    config: AuthConfig, method: EmailMethod, user: Any, email: str, token: str
) -> MailContent:
    url = link(config, method.verification_path, token)
    if method.verification_email_fn is not None:
        produced = await hooks.call(
            method.verification_email_fn, link=url, verification_link=url, user=user, email=email
        )
        return MailContent.from_mapping(produced, "emailVerification.getEmailContentFn")
    hours = LIFETIMES[VERIFY_EMAIL] // 3600
    return _default(
        config, "verify-email", f"Confirm your email for {config.app_name}", link=url, hours=hours
    )


async def password_reset(
    config: AuthConfig, method: EmailMethod, user: Any, email: str, token: str
) -> MailContent:
    url = link(config, method.reset_path, token)
    if method.reset_email_fn is not None:
        produced = await hooks.call(
            method.reset_email_fn, link=url, password_reset_link=url, user=user, email=email
        )
        return MailContent.from_mapping(produced, "passwordReset.getEmailContentFn")
    hours = LIFETIMES[RESET_PASSWORD] // 3600
    return _default(
        config, "reset-password", f"Reset your {config.app_name} password", link=url, hours=hours
    )


def already_registered(config: AuthConfig) -> MailContent:
    from sentinel_spec.runtime.auth.config import FORGOT_PAGE

    return _default(
        config,
        "already-registered",
        f"Your {config.app_name} account",
        login_link=f"{config.app_url}{LOGIN_PAGE}",
        reset_link=f"{config.app_url}{FORGOT_PAGE}",
    )
