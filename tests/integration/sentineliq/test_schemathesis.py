"""schemathesis over SentinelIQ's openapi.json against ``sentinel start``: every check.

Positive and negative data for every operation: no 5xx, no status, content type, header
or body outside the documented schema, valid data accepted, invalid data refused. Twice:
anonymous, and signed in with a session from the real auth routes (sign-up, the
verification link the SMTP server received, ``POST /auth/email/login``).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks

from tests.mail_servers import SmtpServer, smtp_server
from tests.servers import Server, free_port, running

from .conftest import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def mail() -> Iterator[SmtpServer]:
    with smtp_server() as server:  # `start` refuses SentinelIQ without SMTP_HOST
        yield server


@pytest.fixture(scope="module")
def served(
    migrated_template: str,
    pg_server_url: str,
    tmp_path_factory: pytest.TempPathFactory,
    mail: SmtpServer,
) -> Iterator[Server]:
    import uuid

    from tests.conftest import SENTINELIQ_TEST_ENV, _admin, with_database

    name = f"sentineliq_st_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{migrated_template}"', pg_server_url)
    port = free_port()
    logs = tmp_path_factory.mktemp("schemathesis-server")
    env = {
        **SENTINELIQ_TEST_ENV,
        "DATABASE_URL": with_database(pg_server_url, name),
        "REDIS_URL": "",  # memory storage: this server's budgets are its own
        "SENTRY_DSN": "",
        "SENTINEL_NOT_SERVED_REPORTED": "1",
    }
    try:
        # cwd outside the repository: the server's log file is written there.
        with running(
            "start",
            "--project",
            str(ROOT),
            "--port",
            str(port),
            cwd=logs,
            port=port,
            env={**env, **mail.env()},
        ) as server:
            server.wait_for("/api/health", timeout=90)
            yield server
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', pg_server_url)


@pytest.fixture(scope="module")
def api_schema(served: Server) -> schemathesis.schemas.BaseSchema:
    schema = schemathesis.openapi.from_url(served.base + "/openapi.json")
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=30,
        # Every route refuses NUL in strings on purpose (PostgreSQL cannot store it; see
        # docs/runtime.md, Arguments), a rule the schema does not spell out per string.
        allow_x00=False,
    )
    return schema


@pytest.fixture(scope="module")
def session(served: Server, mail: SmtpServer) -> str:
    """A session id from the real auth routes: sign up, follow the emailed link, log in."""
    email, password = "schemathesis@example.com", "Correct-Horse-9battery"
    signup = httpx.post(
        served.base + "/auth/email/signup",
        json={"email": email, "password": password},
        timeout=10,
    )
    assert signup.status_code == 201, signup.text
    deadline = time.monotonic() + 15
    token = None
    while token is None and time.monotonic() < deadline:
        for received in list(mail.inbox.received):
            if email in received.rcpt_tos:
                text = received.message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(r"token=([A-Za-z0-9_\-%]+)", text)
                token = found.group(1) if found else None
        time.sleep(0.1)
    assert token, "no verification mail arrived"
    verified = httpx.post(
        served.base + "/auth/email/verify-email", json={"token": token}, timeout=10
    )
    assert verified.status_code == 200, verified.text
    login = httpx.post(
        served.base + "/auth/email/login", json={"email": email, "password": password}, timeout=10
    )
    assert login.status_code == 200, login.text
    session_id: str = login.json()["sessionId"]
    return session_id


# The auth routes are left out for now: their schemas (issue 8's) do not say yet what
# their bodies must be (an email address, the password policy), a token is checked against
# stored state (an unknown one is a 400 no schema can foresee) and Google's sign-in needs
# Google. Every other route is run, anonymous and signed in.
# The pages' form posts (/forms/, docs/sentineliq-pages.md) are left out for the same
# reason: each needs the CSRF cookie a page sets and its signed token, which no schema can
# express, and answers with HTML pages; tests/browser/test_sentineliq_pages.py posts them.
schema = schemathesis.pytest.from_fixture("api_schema").exclude(path_regex="^/(auth|forms)/")
load_all_checks()
# Every check schemathesis has, not only the default set (the stateful ones among them
# have nothing to compare against in a stateless run and pass through).
EVERY_CHECK = CHECKS.get_all()


@pytest.mark.timeout(1200)  # one test over every operation (the platform has ~70)
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_the_app_keeps_every_promise_of_its_schema(case: schemathesis.Case) -> None:
    """Anonymous."""
    # Each case comes from its own address (the loopback client is a trusted proxy), so
    # the server-wide per-IP limit never answers 429 in place of the operation.
    # (os.urandom: hypothesis seeds the random module, which would repeat one address.)
    a, b = os.urandom(2)
    client_ip = f"198.51.{a}.{b}"
    case.call_and_validate(headers={"X-Forwarded-For": client_ip}, checks=EVERY_CHECK)


@pytest.mark.timeout(1200)  # one test over every operation (the platform has ~70)
@schema.parametrize()
@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_and_keeps_them_signed_in(case: schemathesis.Case, session: str) -> None:
    a, b = os.urandom(2)
    headers = {"X-Forwarded-For": f"198.18.{a}.{b}", "Authorization": f"Bearer {session}"}
    case.call_and_validate(headers=headers, checks=EVERY_CHECK)
