"""Shared by the Sentry tests: a loopback Sentry receiving real envelopes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sentinel_spec.runtime.observability import sentry
from tests.loopback import SentryStub


@pytest.fixture
def stub() -> Iterator[SentryStub]:
    """The loopback Sentry; the SDK is shut down after the test (it is process-global)."""
    with SentryStub() as stub:
        try:
            yield stub
        finally:
            sentry.shutdown_sentry()
