"""Sentry, with sentry-sdk: initialised from ``app.server.sentry`` before anything else.

- ``init_sentry(...)``: DSN, release, environment, traces sample rate; nothing happens
  (and nothing is imported) when the DSN is empty.
- Every event is scrubbed by ``scrub_event`` before it leaves the process: the
  Authorization and Cookie headers, any key that names a password, token, secret, API key,
  session, OTP or backup code (request bodies, query strings, extras, breadcrumbs, local
  variables of stack frames included), and ``Bearer ...`` inside any string.
- Per request, ``SentryMiddleware`` (sentry-sdk's ASGI middleware, which gives each request
  its own isolation scope and transaction) adds the request id, the route, the user id
  (bound when authentication finds one; gone with the request's scope) and the workspace
  id, and the operation's JSON arguments as the request body (scrubbed).
- ``capture_exception`` / ``capture_message``: for user code (``sentinel_spec.runtime``).
- ``monitored(kind, name)``: the one hook jobs and websockets use to run a unit of work
  in its own scope (request context + Sentry scope + transaction; an escaping exception
  is reported, then re-raised).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Receive, Scope, Send

from sentinel_spec.runtime.observability import context as request_context

if TYPE_CHECKING:
    from sentinel_spec.contract.declarations import AppDecl
    from sentinel_spec.runtime.settings import Settings

log = logging.getLogger("sentinel.sentry")

FILTERED = "[Filtered]"
# Keys whose values never leave the process (matched anywhere in the key, any case).
_KEY = (
    r"authorization|cookie|passw|secret|token|api[-_]?key|apikey|session|csrf|xsrf|"
    r"otp|backup[-_]?code|private[-_]?key|signature|credential|bearer|"
    r"card[-_]?number|cvv|cvc|iban|ssn"
)
SENSITIVE_KEY = re.compile(_KEY, re.IGNORECASE)
# The same keys inside text (a frame variable's repr, a log message): "Bearer x",
# "password=x" (query strings, forms) and "'password': 'x'" (reprs of dicts, JSON).
BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+")
PAIR_EQUALS = re.compile(rf"(?i)\b([\w.\-]*(?:{_KEY})[\w.\-]*)=([^&\s'\";,]+)")
PAIR_COLON = re.compile(
    rf"""(?i)(['"])([\w.\-]*(?:{_KEY})[\w.\-]*)\1(\s*:\s*)(['"])(?:\\.|(?!\4).)*\4"""
)
MAX_DEPTH = 20
MAX_BODY_BYTES = 10_000

_enabled = False


def enabled() -> bool:
    return _enabled


# ---------------------------------------------------------------- scrubbing


def _scrub_text(text: str) -> str:
    text = BEARER.sub(lambda m: f"{m.group(1)} {FILTERED}", text)
    text = PAIR_EQUALS.sub(lambda m: f"{m.group(1)}={FILTERED}", text)
    return PAIR_COLON.sub(lambda m: f"{m[1]}{m[2]}{m[1]}{m[3]}{m[4]}{FILTERED}{m[4]}", text)


def scrub(value: Any, depth: int = 0) -> Any:
    """A copy of ``value`` with sensitive keys filtered and bearer tokens cut from text."""
    if depth > MAX_DEPTH:
        return FILTERED
    if isinstance(value, Mapping):
        return {
            key: FILTERED
            if isinstance(key, str) and SENSITIVE_KEY.search(key)
            else scrub(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        # Header lists are [name, value] pairs: filter by the name.
        if len(value) == 2 and isinstance(value[0], str) and SENSITIVE_KEY.search(value[0]):
            return [value[0], FILTERED]
        return [scrub(item, depth + 1) for item in value]
    if isinstance(value, str):
        return _scrub_text(value)
    return value


def _scrub_query(query: Any) -> Any:
    if not isinstance(query, str) or not query:
        return scrub(query)
    pairs = []
    for key, item in parse_qsl(query, keep_blank_values=True):
        if SENSITIVE_KEY.search(key):
            item = FILTERED
        elif key == "args":  # GET /operations/x?args=<json>
            item = _scrub_json_text(item)
        pairs.append((key, _scrub_text(item)))
    return urlencode(pairs)


def _scrub_json_text(text: str) -> str:
    try:
        return json.dumps(scrub(json.loads(text)))
    except ValueError:
        return _scrub_text(text)


def scrub_event(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """sentry-sdk's ``before_send`` (and ``before_send_transaction``)."""
    request = event.get("request")
    if isinstance(request, dict):
        if "cookies" in request:
            request["cookies"] = FILTERED
        for key in ("headers", "data", "env"):
            if key in request:
                data = request[key]
                if isinstance(data, str) and key == "data":
                    request[key] = _scrub_json_text(data)
                else:
                    request[key] = scrub(data)
        if "query_string" in request:
            request["query_string"] = _scrub_query(request["query_string"])
        if isinstance(request.get("url"), str) and "?" in request["url"]:
            base, _, query = request["url"].partition("?")
            request["url"] = base + "?" + _scrub_query(query)
    for key in ("extra", "contexts", "tags"):
        if key in event:
            event[key] = scrub(event[key])
    user = event.get("user")
    if isinstance(user, dict):  # the id only: no e-mail, IP or name leaves the process
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for crumb in (event.get("breadcrumbs") or {}).get("values", []):
        _scrub_breadcrumb(crumb)
    for exception in (event.get("exception") or {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = _scrub_text(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            if "vars" in frame:
                frame["vars"] = scrub(frame["vars"])
    if isinstance(event.get("logentry"), dict):
        entry = event["logentry"]
        for key in ("message", "formatted"):
            if isinstance(entry.get(key), str):
                entry[key] = _scrub_text(entry[key])
        if "params" in entry:
            entry["params"] = scrub(entry["params"])
    if isinstance(event.get("message"), str):
        event["message"] = _scrub_text(event["message"])
    return event


def _scrub_breadcrumb(crumb: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    if "data" in crumb:
        crumb["data"] = scrub(crumb["data"])
    if isinstance(crumb.get("message"), str):
        crumb["message"] = _scrub_text(crumb["message"])
    return crumb


# ---------------------------------------------------------------- set-up


def init_sentry(
    dsn: str | None,
    *,
    environment: str | None = None,
    release: str | None = None,
    traces_sample_rate: float = 0.0,
    service: str | None = None,
) -> bool:
    """Initialise sentry-sdk once for this process; False (and a no-op) without a DSN."""
    global _enabled
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger

    from sentinel_spec.runtime import errors

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or os.environ.get("SENTINEL_ENV") or "production",
        release=release or os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=traces_sample_rate if traces_sample_rate > 0 else None,
        # No automatic user identity (IP addresses): the user id is set per request.
        data_collection={"user_info": False},
        before_send=scrub_event,  # type: ignore[arg-type]
        before_send_transaction=scrub_event,  # type: ignore[arg-type]
        before_breadcrumb=_scrub_breadcrumb,
        # Only what we wire ourselves: no monkey-patching of Starlette, SQLAlchemy, httpx...
        auto_enabling_integrations=False,
        integrations=[LoggingIntegration(level=logging.INFO, event_level=logging.ERROR)],
        server_name=service or None,
    )
    # The 500 path reports its exception itself (errors.report_exception); its log line
    # would be a second event. Access lines are noise as breadcrumbs.
    ignore_logger("sentinel.runtime")
    ignore_logger("sentinel.access")
    # A failed job attempt is reported by report_job_failure (tagged); the runner's line
    # and procrastinate's own "ended with status: Error" would be two more events.
    ignore_logger("sentinel.jobs.failures")
    ignore_logger("procrastinate.worker")
    request_context.on_user_bound(_set_user)
    errors.add_error_reporter(_report)
    _enabled = True
    log.info("sentry: reporting to %s", _dsn_host(dsn))
    return True


def init_from_decl(decl: AppDecl, settings: Settings) -> bool:
    """``init_sentry`` from ``app.server.sentry`` (env markers resolved); False without a DSN."""
    if decl.sentry is None:
        return False
    dsn = settings.resolve(decl.sentry.dsn)
    if not dsn:
        return False
    return init_sentry(
        str(dsn),
        environment=settings.resolve(decl.sentry.environment) or settings.get("SENTINEL_ENV"),
        release=settings.resolve(decl.sentry.release) or settings.get("SENTRY_RELEASE"),
        traces_sample_rate=decl.sentry.traces_sample_rate,
        service=decl.name,
    )


def flush(timeout: float = 2.0) -> None:
    """Send what is queued (the app's shutdown calls it)."""
    if _enabled:
        import sentry_sdk

        sentry_sdk.flush(timeout=timeout)


def shutdown_sentry() -> None:
    """Flush and close the client; later events go nowhere (tests, a re-created app)."""
    global _enabled
    if not _enabled:
        return
    import sentry_sdk

    from sentinel_spec.runtime import errors

    sentry_sdk.get_client().close(timeout=2.0)
    errors.remove_error_reporter(_report)
    request_context.remove_user_listener(_set_user)
    _enabled = False


def _dsn_host(dsn: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(dsn).hostname or "?"


def _set_user(info: request_context.RequestInfo) -> None:
    import sentry_sdk

    sentry_sdk.get_isolation_scope().set_user({"id": info.user_id} if info.user_id else None)


def _report(error: BaseException) -> None:
    import sentry_sdk

    sentry_sdk.capture_exception(error)


# ---------------------------------------------------------------- per request


class SentryMiddleware:
    """sentry-sdk's ASGI middleware (isolation scope, transaction) + Sentinel's context."""

    def __init__(self, app: ASGIApp) -> None:
        from sentry_sdk.integrations.asgi import SentryAsgiMiddleware

        self.app = app
        self.sentry = SentryAsgiMiddleware(
            self._with_context, transaction_style="url", asgi_version=3
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        await self.sentry(scope, receive, send)

    async def _with_context(self, scope: Scope, receive: Receive, send: Send) -> None:
        import sentry_sdk

        isolation = sentry_sdk.get_isolation_scope()
        isolation.add_event_processor(partial(_add_context, asgi_scope=scope))  # type: ignore[arg-type]
        request_id = request_context.current_request_id()
        if request_id:
            isolation.set_tag("request_id", request_id)
        await self.app(scope, receive, send)


def _add_context(event: dict[str, Any], hint: Any, asgi_scope: Scope) -> dict[str, Any]:
    info = request_context.current()
    if info is not None:
        tags = event.setdefault("tags", {})
        if info.request_id:
            tags["request_id"] = info.request_id
        if info.workspace_id:
            tags["workspace_id"] = info.workspace_id
        if info.user_id and not event.get("user"):
            event["user"] = {"id": info.user_id}
    route_path = getattr(asgi_scope.get("route"), "path", None)
    if route_path:
        event["transaction"] = f"{asgi_scope.get('method', '')} {route_path}".strip()
        event["transaction_info"] = {"source": "route"}
    body = asgi_scope.get("state", {}).get("body")
    if isinstance(body, (bytes, bytearray)) and body:
        text = bytes(body[:MAX_BODY_BYTES]).decode("utf-8", "replace")
        try:
            data: Any = json.loads(text)
        except ValueError:
            data = text if len(body) <= MAX_BODY_BYTES else text + "…"
        event.setdefault("request", {})["data"] = data
    return event


# ---------------------------------------------------------------- helpers for user code


def capture_exception(error: BaseException | None = None, **extra: Any) -> str | None:
    """Report ``error`` (default: the one being handled) with ``extra`` data; the event id."""
    if not _enabled:
        return None
    import sentry_sdk

    with sentry_sdk.new_scope() as scope:
        for key, value in extra.items():
            scope.set_extra(key, value)
        return sentry_sdk.capture_exception(error)


def capture_message(message: str, level: str = "info", **extra: Any) -> str | None:
    """Report a message (``level``: debug, info, warning, error, fatal); the event id."""
    if not _enabled:
        return None
    import sentry_sdk

    with sentry_sdk.new_scope() as scope:
        for key, value in extra.items():
            scope.set_extra(key, value)
        return sentry_sdk.capture_message(message, level=level)  # type: ignore[arg-type]


def report_job_failure(error: BaseException, job: Any) -> None:
    """``JobRuntime``'s error reporter (installed by the jobs feature): one failed attempt
    of a job as an event, tagged ``kind=job``, the job's name, id and attempt, and its
    ``job-<id>`` request id (the one its log lines carry). Nothing without a DSN."""
    if not _enabled:
        return
    import sentry_sdk

    with sentry_sdk.new_scope() as scope:
        scope.set_tag("kind", "job")
        scope.set_tag("job_name", job.name)
        scope.set_tag("job_id", str(job.id))
        scope.set_tag("attempt", str(job.attempt))
        scope.set_tag("request_id", f"job-{job.id}")
        scope.set_context("job", {"id": job.id, "name": job.name, "attempt": job.attempt})
        scope.transaction = job.name
        sentry_sdk.capture_exception(error)


@contextmanager
def monitored(kind: str, name: str, *, run_id: str | None = None, **tags: Any) -> Iterator[None]:
    """Run one job or websocket session in its own context: a request id (``run_id`` or a
    new one) on its log lines, its own Sentry scope and transaction, and any exception
    that escapes reported, then re-raised. Jobs: ``with monitored("job", "sendDigest",
    run_id=f"job-{job.id}"):``; websockets: ``with monitored("websocket", path):``."""
    token = request_context.begin(run_id or os.urandom(16).hex())
    try:
        if not _enabled:
            yield
            return
        import sentry_sdk

        with sentry_sdk.isolation_scope() as scope:
            scope.set_tag("kind", kind)
            scope.set_tag("request_id", request_context.current_request_id())
            for key, value in tags.items():
                scope.set_tag(key, value)
            op = "queue.task" if kind == "job" else f"{kind}.server"
            with sentry_sdk.start_transaction(op=op, name=name, source="task"):
                try:
                    yield
                except Exception as error:
                    sentry_sdk.capture_exception(error)
                    raise
    finally:
        request_context.end(token)
