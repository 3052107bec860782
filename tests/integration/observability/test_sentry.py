"""Sentry: real envelopes from sentry-sdk, received by a loopback ingest endpoint.

The scrubbing is asserted on the raw bytes that left the process: no password, token,
secret, bearer session or cookie value may appear anywhere in them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest

from sentinel_spec.contract.declarations import AppDecl, Operation, Sentry
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.context import Context
from sentinel_spec.runtime.observability import sentry
from tests.loopback import SentryStub, wait_for
from tests.stand_ins import authenticate_with

# Built at run time: sentry-sdk sends source lines around each frame as context, so a
# literal secret in this file would appear in the envelope without being a leak.
PASSWORD, TOKEN, SECRET = "-".join(("hunter", "2")), "-".join(("tok", "123")), "s3" + "cr3t"
SESSION, COOKIE, OTP = "sess" + "-abc", "cookie" + "-xyz", "otp" + "-654321"
SECRETS = (PASSWORD, TOKEN, SECRET, SESSION, COOKIE, OTP)


async def explode(args: Any, context: Context) -> None:
    raise ValueError("exploded while handling the call")


async def report(args: Any, context: Context) -> dict[str, str | None]:
    message_id = sentry.capture_message("quota nearly used", level="warning", used=95)
    try:
        raise KeyError("missing")
    except KeyError:
        error_id = sentry.capture_exception(plan="pro")
    return {"message": message_id, "error": error_id}


def decl(dsn: str, traces: float = 0.0) -> AppDecl:
    return AppDecl(
        name="Obs",
        title="Obs",
        operations=(
            Operation(name="explode", route_name="explode", kind="action", fn=explode),
            Operation(name="report", route_name="report", kind="action", fn=report),
        ),
        sentry=Sentry(
            dsn=dsn, traces_sample_rate=traces, environment="staging", release="obs@1.2.3"
        ),
    )


@dataclasses.dataclass
class User:
    id: str


async def call(app: Any, path: str, **kwargs: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://obs.test") as client:
        return await client.post(path, **kwargs)


async def test_an_unhandled_error_arrives_scrubbed_with_request_user_and_workspace(
    stub: SentryStub,
) -> None:
    async def as_user(request: object) -> User:
        return User("u-9")

    app = create_app(decl(stub.dsn), environ={}, dotenv=None, features=[authenticate_with(as_user)])
    response = await call(
        app,
        # No query string: operations refuse unknown query parameters (400) before they
        # run; the query-string scrubbing is test_scrub_handles_header_pairs_query_strings...
        "/operations/explode",
        json={
            "name": "visible",
            "workspaceId": "ws-1",
            "password": PASSWORD,
            "apiToken": TOKEN,
            "nested": {"clientSecret": SECRET, "otp": OTP},
        },
        headers={
            "Authorization": f"Bearer {SESSION}",
            "Cookie": f"sid={COOKIE}",
            "X-Request-ID": "req-sentry-1",
        },
    )
    assert response.status_code == 500
    assert response.json()["error"]["requestId"] == "req-sentry-1"
    sentry.flush()
    events = wait_for(lambda: stub.events(), what="the error event")
    raw = b"".join(stub.raw)
    for secret in SECRETS:
        assert secret.encode() not in raw, f"{secret} left the process"
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["environment"] == "staging" and event["release"] == "obs@1.2.3"
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["tags"]["workspace_id"] == "ws-1"
    assert event["user"] == {"id": "u-9"}
    assert event["transaction"] == "POST /operations/explode"
    data = event["request"]["data"]
    assert data["name"] == "visible"
    assert data["password"] == "[Filtered]" and data["apiToken"] == "[Filtered]"
    assert data["nested"] == {"clientSecret": "[Filtered]", "otp": "[Filtered]"}
    headers = {k.lower(): v for k, v in event["request"]["headers"].items()}
    assert SESSION not in str(headers) and COOKIE not in str(headers)


async def test_the_user_is_cleared_after_the_request(stub: SentryStub) -> None:
    signed_in = True

    async def maybe_user(request: object) -> User | None:
        return User("u-1") if signed_in else None

    app = create_app(
        decl(stub.dsn), environ={}, dotenv=None, features=[authenticate_with(maybe_user)]
    )
    await call(app, "/operations/explode", json={})
    signed_in = False
    await call(app, "/operations/explode", json={})
    sentry.flush()
    events = wait_for(lambda: len(stub.events()) >= 2 and stub.events(), what="two events")
    assert events[0]["user"] == {"id": "u-1"}
    assert "id" not in (events[1].get("user") or {})


async def test_user_code_reports_messages_and_exceptions(stub: SentryStub) -> None:
    app = create_app(decl(stub.dsn), environ={}, dotenv=None)
    response = await call(app, "/operations/report", json={})
    assert response.status_code == 200
    ids = response.json()
    assert ids["message"] and ids["error"]
    sentry.flush()
    events = wait_for(lambda: len(stub.events()) >= 2 and stub.events(), what="two events")
    by_id = {event["event_id"]: event for event in events}
    message = by_id[ids["message"]]
    assert message["level"] == "warning"
    assert message["extra"]["used"] == 95
    assert message["tags"]["request_id"] == response.headers["x-request-id"]
    error = by_id[ids["error"]]
    assert error["exception"]["values"][-1]["type"] == "KeyError"
    assert error["extra"]["plan"] == "pro"


async def test_traces_are_sampled_and_scrubbed_too(stub: SentryStub) -> None:
    app = create_app(decl(stub.dsn, traces=1.0), environ={}, dotenv=None)
    await call(
        app, "/operations/report", json={"password": PASSWORD}, headers={"Cookie": f"a={COOKIE}"}
    )
    sentry.flush()
    transactions = wait_for(lambda: stub.events("transaction"), what="a transaction")
    assert transactions[0]["transaction"] == "POST /operations/report"
    raw = b"".join(stub.raw)
    assert PASSWORD.encode() not in raw and COOKIE.encode() not in raw


def test_monitored_runs_report_jobs_in_their_own_scope(stub: SentryStub) -> None:
    from sentinel_spec.runtime.observability import context as request_context

    sentry.init_sentry(stub.dsn, environment="test")
    with pytest.raises(RuntimeError), sentry.monitored("job", "sendDigest", run_id="job-77"):
        assert request_context.current_request_id() == "job-77"
        raise RuntimeError("job failed token=abc")
    assert request_context.current_request_id() is None
    sentry.flush()
    event = wait_for(lambda: stub.events(), what="the job's event")[0]
    assert event["tags"]["kind"] == "job" and event["tags"]["request_id"] == "job-77"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"


def test_scrub_handles_header_pairs_query_strings_and_bearer_text() -> None:
    event = {
        "request": {
            "headers": [["Authorization", "Bearer abc"], ["Accept", "text/html"]],
            "query_string": "args=%7B%22password%22%3A%22x%22%7D&page=2&token=t",
            "cookies": {"sid": "1"},
        },
        "message": "login with Bearer eyJhbGciOi.abc failed",
    }
    scrubbed = sentry.scrub_event(event)
    assert scrubbed["request"]["headers"] == [
        ["Authorization", "[Filtered]"],
        ["Accept", "text/html"],
    ]
    assert "password%22%3A+%22%5BFiltered%5D" in scrubbed["request"]["query_string"]
    assert "token=%5BFiltered%5D" in scrubbed["request"]["query_string"]
    assert "page=2" in scrubbed["request"]["query_string"]
    assert scrubbed["request"]["cookies"] == "[Filtered]"
    assert scrubbed["message"] == "login with Bearer [Filtered] failed"
