"""Which sender an app gets from its spec and environment, and what stops start-up."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sentinel_spec.contract.declarations import EmailSenderDecl
from sentinel_spec.runtime.email.config import delivery_settings, make_sender
from sentinel_spec.runtime.email.console import ConsoleSender
from sentinel_spec.runtime.email.feature import build_mailer
from sentinel_spec.runtime.email.message import Address
from sentinel_spec.runtime.email.sendgrid import SendGridSender
from sentinel_spec.runtime.email.smtp import SmtpSender
from sentinel_spec.runtime.settings import SettingsError


def test_smtp_settings_come_from_the_environment() -> None:
    sender = make_sender(
        "SMTP",
        {
            "SMTP_HOST": "smtp.example.com",
            "SMTP_USERNAME": "apikey",
            "SMTP_PASSWORD": "s3cret",
            "SMTP_TIMEOUT": "12",
        },
    )
    assert isinstance(sender, SmtpSender)
    s = sender.settings
    assert (s.host, s.port, s.username, s.password, s.implicit_tls, s.timeout) == (
        "smtp.example.com",
        587,
        "apikey",
        "s3cret",
        False,
        12.0,
    )
    assert "s3cret" not in repr(s)


def test_implicit_tls_defaults_to_port_465() -> None:
    sender = make_sender("SMTP", {"SMTP_HOST": "h", "SMTP_TLS": "true"})
    assert isinstance(sender, SmtpSender)
    assert (sender.settings.port, sender.settings.implicit_tls) == (465, True)
    explicit = make_sender("SMTP", {"SMTP_HOST": "h", "SMTP_TLS": "1", "SMTP_PORT": "2465"})
    assert isinstance(explicit, SmtpSender) and explicit.settings.port == 2465


def test_every_bad_smtp_variable_is_reported_at_once(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        make_sender(
            "SMTP",
            {
                "SMTP_HOST": "h",
                "SMTP_PORT": "twenty-five",
                "SMTP_TLS": "maybe",
                "SMTP_PASSWORD": "p",
                "SMTP_CA_FILE": str(tmp_path / "missing.pem"),
            },
        )
    text = str(raised.value)
    for expected in ("SMTP_PORT", "SMTP_TLS", "SMTP_USERNAME is not", "SMTP_CA_FILE"):
        assert expected in text


@pytest.mark.parametrize(
    ("provider", "variable"), [("SMTP", "SMTP_HOST"), ("SendGrid", "SENDGRID_API_KEY")]
)
def test_a_missing_server_or_key_stops_start_up_outside_development(
    provider: str, variable: str
) -> None:
    for environment in ({}, {"SENTINEL_ENV": "production"}):
        with pytest.raises(SettingsError, match=f"missing environment variable {variable}"):
            make_sender(provider, environment)  # type: ignore[arg-type]


@pytest.mark.parametrize("provider", ["SMTP", "SendGrid"])
def test_in_development_a_missing_server_means_the_console_sender(
    provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, "sentinel.email"):
        sender = make_sender(provider, {"SENTINEL_ENV": "development"})  # type: ignore[arg-type]
    assert isinstance(sender, ConsoleSender)
    assert "printed to this log" in caplog.text


def test_sendgrid_settings_and_the_loopback_only_http_override() -> None:
    sender = make_sender("SendGrid", {"SENDGRID_API_KEY": "SG.key"})
    assert isinstance(sender, SendGridSender)
    assert sender.settings.api_url == "https://api.sendgrid.com"
    assert "SG.key" not in repr(sender.settings)
    local = make_sender(
        "SendGrid", {"SENDGRID_API_KEY": "k", "SENDGRID_API_URL": "http://127.0.0.1:8025/"}
    )
    assert isinstance(local, SendGridSender) and local.settings.api_url == "http://127.0.0.1:8025"
    with pytest.raises(SettingsError, match="https://"):
        make_sender("SendGrid", {"SENDGRID_API_KEY": "k", "SENDGRID_API_URL": "http://evil.test"})


def test_delivery_settings() -> None:
    settings = delivery_settings(
        {
            "EMAIL_MAX_ATTEMPTS": "3",
            "EMAIL_MAX_RETRY_SECONDS": "60",
            "EMAIL_SHUTDOWN_GRACE_SECONDS": "2",
        }
    )
    assert (settings.policy.max_attempts, settings.policy.max_elapsed) == (3, 60)
    assert settings.shutdown_grace_seconds == 2
    with pytest.raises(SettingsError, match="EMAIL_MAX_ATTEMPTS"):
        delivery_settings({"EMAIL_MAX_ATTEMPTS": "0"})


def test_build_mailer_reports_sender_and_delivery_problems_together(tmp_path: Path) -> None:
    with pytest.raises(SettingsError) as raised:
        build_mailer(EmailSenderDecl("SMTP"), {"EMAIL_MAX_ATTEMPTS": "x"}, templates_dir=tmp_path)
    assert "SMTP_HOST" in str(raised.value) and "EMAIL_MAX_ATTEMPTS" in str(raised.value)


def test_build_mailer_wires_default_from_and_warns_about_console_in_production(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = EmailSenderDecl("Console", "noreply@example.com", "Example")
    with caplog.at_level(logging.WARNING, "sentinel.email"):
        mailer = build_mailer(config, {"SENTINEL_ENV": "production"}, templates_dir=tmp_path)
    assert mailer.default_from == Address("noreply@example.com", "Example")
    assert "never sent" in caplog.text


def test_a_malformed_default_from_is_a_settings_problem(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"app\.emailSender\.defaultFrom"):
        build_mailer(EmailSenderDecl("Console", "not an address"), {}, templates_dir=tmp_path)
