"""``sentinel email``: see what an email template gives, and check the provider settings.

- ``sentinel email preview NAME [--data JSON]`` renders ``emails/NAME.{txt,html}`` as
  the mailer would (subject, sender, both bodies) and prints it, sending nothing.
- ``sentinel email send --to ADDR (--template NAME [--data JSON] | --subject S --text T)``
  sends one message now through the spec's provider with the same settings as
  ``sentinel start`` (environment over ``.env``), without retries, and says how it went.

Registered lazily by ``sentinel_spec.cli`` as ``main.add_command(email)``.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from sentinel_spec.cli import load, project_option, spec_path


class NoEmailSender(click.UsageError):
    def __init__(self) -> None:
        super().__init__(
            "app.sq declares no emailSender: add "
            '`emailSender: { provider: SMTP, defaultFrom: { name: "...", email: "..." } }` '
            "to the app"
        )


def _data(raw: str | None) -> dict[str, Any]:
    if raw is None:
        return {}
    if raw.startswith("@"):
        raw = Path(raw[1:]).read_text(encoding="utf-8")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise click.BadParameter(f"not JSON: {error}", param_hint="--data") from None
    if not isinstance(value, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--data")
    return value


def _environ(project: Path) -> Mapping[str, str]:
    from sentinel_spec.runtime.settings import load_settings

    return load_settings((), dotenv=project / ".env").environ


def _mailer(project: Path, environ: Mapping[str, str], *, sender: Any = None) -> Any:
    """The app's mailer, as ``create_app`` builds it (``sender`` replaces the provider)."""
    from sentinel_spec.contract.declarations import EmailSenderDecl
    from sentinel_spec.runtime.email.feature import build_mailer
    from sentinel_spec.runtime.settings import SettingsError

    spec = load(project)
    declared = spec.app.email_sender
    if declared is None:
        raise NoEmailSender()
    default = declared.default_from
    decl = EmailSenderDecl(
        declared.provider,
        default_from_email=default.email if default else None,
        default_from_name=default.name if default else None,
    )
    templates = spec_path(project).parent / "src" / "client" / "templates"
    try:
        return build_mailer(
            decl, environ, templates_dir=templates, app_name=spec.app.title, sender=sender
        )
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def _compose(mailer: Any, **fields: Any) -> Any:
    import jinja2

    from sentinel_spec.runtime.email.message import InvalidEmail
    from sentinel_spec.runtime.email.rendering import EmailTemplateNotFound

    try:
        return mailer.compose(**fields)
    except (InvalidEmail, EmailTemplateNotFound, jinja2.TemplateError) as error:
        raise click.ClickException(f"{type(error).__name__}: {error}") from None


@click.group("email")
def email() -> None:
    """Preview email templates and check the email provider settings."""


@email.command("preview")
@project_option
@click.argument("template")
@click.option("--data", help="The template's data: a JSON object, or @file.json.")
@click.option("--to", "to", default="you@example.com", show_default=True, help="Recipient shown.")
def preview_command(project: Path, template: str, data: str | None, to: str) -> None:
    """Print the email TEMPLATE (emails/TEMPLATE.txt/.html) as it would be sent."""
    from sentinel_spec.runtime.email.console import ConsoleSender, render_readable

    mailer = _mailer(project, {**os.environ, "SENTINEL_ENV": "development"}, sender=ConsoleSender())
    message = _compose(mailer, to=to, template=template, data=_data(data))
    click.echo(render_readable(message))


@email.command("send")
@project_option
@click.option("--to", "to", required=True, multiple=True, help="Recipient (repeatable).")
@click.option("--template", help="A template under src/client/templates/emails/.")
@click.option("--data", help="The template's data: a JSON object, or @file.json.")
@click.option("--subject", help="Subject (default: the template's subject block).")
@click.option("--text", help="A plain-text body, instead of a template.")
def send_command(
    project: Path,
    to: tuple[str, ...],
    template: str | None,
    data: str | None,
    subject: str | None,
    text: str | None,
) -> None:
    """Send one email now through the configured provider and report the outcome."""
    if (template is None) == (text is None):
        raise click.UsageError("pass --template NAME or --text BODY (one of them)")
    import logging

    logging.basicConfig(level=logging.INFO, format="%(message)s")  # the Console sender's output
    environ = _environ(project)
    mailer = _mailer(project, environ)
    message = _compose(
        mailer,
        to=list(to),
        subject=subject,
        template=template,
        data=_data(data) if template else None,
        text=text,
    )
    sender = mailer.queue.sender
    (failure,) = asyncio.run(_deliver_once(sender, message))
    if failure is not None:
        kind = "temporary (would be retried)" if failure.retryable else "permanent"
        raise click.ClickException(f"not sent via {sender.name}, {kind}: {failure.reason}")
    click.echo(f"sent via {sender.name}: {message.describe()}")


async def _deliver_once(sender: Any, message: Any) -> list[Any]:
    try:
        return list(await sender.deliver([message]))
    finally:
        await sender.aclose()
