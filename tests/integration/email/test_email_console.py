"""The Console sender through the whole mailer: each message whole in the log."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from sentinel_spec.contract.declarations import EmailSenderDecl
from sentinel_spec.runtime.email.feature import build_mailer
from sentinel_spec.runtime.email.inprocess import InProcessDeliveryQueue


async def test_console_logs_headers_and_both_bodies(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = EmailSenderDecl("Console", "noreply@sentineliq.dev", "SentinelIQ")
    mailer = build_mailer(config, {"SENTINEL_ENV": "development"}, templates_dir=tmp_path)
    with caplog.at_level(logging.INFO, "sentinel.email"):
        await mailer.send(
            to=["Ada <ada@example.com>", "bob@example.com"],
            subject="Verify your email",
            text="Open http://localhost:3001/verify?token=abc",
            html='<a href="http://localhost:3001/verify?token=abc">Verify</a>',
            reply_to="help@sentineliq.dev",
            headers={"X-Flow": "signup"},
        )
        assert isinstance(mailer.queue, InProcessDeliveryQueue)
        await asyncio.wait_for(mailer.queue.wait_idle(), 5)
    await mailer.aclose()
    (record,) = [r for r in caplog.records if r.name == "sentinel.email.console"]
    text = record.getMessage()
    for line in (
        "From: SentinelIQ <noreply@sentineliq.dev>",
        "To: Ada <ada@example.com>, bob@example.com",
        "Reply-To: help@sentineliq.dev",
        "Subject: Verify your email",
        "X-Flow: signup",
        "----- text/plain -----\nOpen http://localhost:3001/verify?token=abc",
        '----- text/html -----\n<a href="http://localhost:3001/verify?token=abc">Verify</a>',
    ):
        assert line in text
    assert "Message-ID: <" in text
    assert "email sent via console" in caplog.text
