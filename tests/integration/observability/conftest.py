"""Shared by the Sentry tests: a loopback Sentry receiving real envelopes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.loopback import SentryStub, sentry_stub


@pytest.fixture
def stub() -> Iterator[SentryStub]:
    with sentry_stub() as stub:
        yield stub
