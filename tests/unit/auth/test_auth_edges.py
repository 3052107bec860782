"""The auth feature's small pure parts: limits, hook calling, signup fields, workspace
checks, CSRF helpers, settings parsing, mail content."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.requests import HTTPConnection

from sentinel_spec.analyzer.auth_rules import AUTH_TABLES
from sentinel_spec.contract.routes import AUTH_PAGES, auth_routes
from sentinel_spec.runtime.auth import hooks
from sentinel_spec.runtime.auth.authenticator import cross_site, origin_of, presented_token
from sentinel_spec.runtime.auth.config import AuthConfigError, Rule, app_url_from
from sentinel_spec.runtime.auth.emails import MailContent
from sentinel_spec.runtime.auth.limits import Guard, MemoryRateLimiter, subject_key
from sentinel_spec.runtime.auth.pages import safe_next
from sentinel_spec.runtime.auth.tables import TABLE_NAMES
from sentinel_spec.runtime.auth.users import email_problem, normalize_email
from sentinel_spec.runtime.auth.workspaces import has_role, ip_allowed, role_rank
from sentinel_spec.runtime.errors import HttpError


def connection(
    headers: dict[str, str] | None = None,
    kind: str = "http",
    query: bytes = b"",
    method: str = "POST",
) -> HTTPConnection:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope: dict[str, Any] = {"type": kind, "headers": raw, "query_string": query, "path": "/"}
    if kind == "http":
        scope["method"] = method
    return HTTPConnection(scope)


def test_the_compiler_and_the_runtime_reserve_the_same_tables_and_paths() -> None:
    assert AUTH_TABLES == TABLE_NAMES
    paths = [r.path for r in auth_routes(email=True, google=True, two_factor=True)]
    assert all(p.startswith("/auth/") for p in paths)  # the namespace analyzer/routes.py keeps
    assert set(AUTH_PAGES.values()) <= set(paths)


def test_memory_rate_limiter_moving_window() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(monotonic=lambda: now[0])
    rule = Rule(2, 60)

    async def hit() -> Any:
        return await limiter.hit(rule, "k")

    assert asyncio.run(hit()).allowed and asyncio.run(hit()).allowed
    blocked = asyncio.run(hit())
    assert not blocked.allowed and blocked.reset_after == 60
    now[0] = 60.0
    assert asyncio.run(hit()).allowed


def test_guard_answers_429_with_retry_after_and_never_fails_open() -> None:
    @dataclass
    class DegradedResult:
        allowed: bool = True
        degraded: bool = True
        reset_after: float = 0.0

    class Degraded:
        """A shared limiter that lost Redis and fails open: allowed, but degraded."""

        async def hit(self, rule: Any, key: str) -> DegradedResult:
            return DegradedResult()

    guard = Guard(lambda: Degraded())

    async def attempts() -> list[int]:
        statuses = []
        for _ in range(3):
            try:
                await guard.hit(Rule(2, 900), "login-account", "a@b.c")
                statuses.append(200)
            except HttpError as error:
                statuses.append(error.status)
                assert error.headers is not None and int(error.headers["Retry-After"]) > 0
        return statuses

    assert asyncio.run(attempts()) == [200, 200, 429]


def test_limiter_keys_hold_no_address() -> None:
    key = subject_key("login-account", "ana@example.com")
    assert key.startswith("auth:login-account:") and "ana" not in key


def test_hooks_get_only_the_arguments_they_declare() -> None:
    seen: dict[str, Any] = {}

    def narrow(user: Any) -> str:
        seen["narrow"] = user
        return "sync"

    async def wide(**kwargs: Any) -> str:
        seen["wide"] = sorted(kwargs)
        return "async"

    def needs_more(user: Any, missing: Any) -> None: ...

    assert asyncio.run(hooks.call(narrow, user=1, context=2)) == "sync"
    assert asyncio.run(hooks.call(wide, user=1, context=2)) == "async"
    assert seen == {"narrow": 1, "wide": ["context", "user"]}
    assert asyncio.run(hooks.call(None, user=1)) is None
    with pytest.raises(TypeError, match="asks for missing"):
        asyncio.run(hooks.call(needs_more, user=1))


def test_signup_fields_mapping_and_function_forms() -> None:
    mapping = {"name": lambda data: data["name"].strip(), "plan": "FREE"}
    assert asyncio.run(hooks.signup_fields(mapping, {"name": " Ana "})) == {
        "name": "Ana",
        "plan": "FREE",
    }

    def bad(data: Any) -> Any:
        raise ValueError("name is required")

    with pytest.raises(HttpError) as refused:
        asyncio.run(hooks.signup_fields({"name": bad}, {}))
    assert refused.value.status == 400 and refused.value.data == [
        {"field": "name", "message": "name is required"}
    ]
    assert asyncio.run(hooks.signup_fields(lambda data: {"x": 1}, {})) == {"x": 1}
    with pytest.raises(TypeError, match="must return a dict"):
        asyncio.run(hooks.signup_fields(lambda data: 3, {}))
    assert asyncio.run(hooks.signup_fields(None, {})) == {}


def test_email_addresses() -> None:
    assert normalize_email("  Ana@Example.COM ") == "ana@example.com"
    assert email_problem("ana@example.com") is None
    for bad in ("", "ana", "ana@", "@example.com", "a b@example.com", "ana@example", None, 3):
        assert email_problem(bad) is not None, bad
    assert email_problem("a" * 250 + "@example.com") is not None


def test_roles_rank_strongest_first() -> None:
    from sentinel_spec.runtime.auth.config import WorkspaceRules

    rules = WorkspaceRules(workspace_model=object, member_model=object)
    assert has_role(rules, "OWNER", "ADMIN") and has_role(rules, "ADMIN", "ADMIN")
    assert not has_role(rules, "MEMBER", "ADMIN") and not has_role(rules, "bogus", "VIEWER")
    assert role_rank(rules, "viewer") == 3
    with pytest.raises(ValueError, match="unknown role"):
        has_role(rules, "OWNER", "SUPERUSER")


def test_ip_allowlists() -> None:
    assert ip_allowed("203.0.113.9", [])
    assert ip_allowed("203.0.113.9", None)
    assert ip_allowed("10.1.2.3", ["10.0.0.0/8"])
    assert ip_allowed("::ffff:10.1.2.3", ["10.0.0.0/8"])  # IPv4 behind a dual-stack socket
    assert ip_allowed("2001:db8::5", ["2001:db8::/32"])
    assert not ip_allowed("11.0.0.1", ["10.0.0.0/8", "not-a-network"])
    assert not ip_allowed(None, ["10.0.0.0/8"])
    assert not ip_allowed("garbage", ["10.0.0.0/8"])


def test_where_the_session_id_is_read_from() -> None:
    assert presented_token(connection({"Authorization": "Bearer abc"})) == ("abc", "bearer")
    assert (
        presented_token(connection({"Authorization": "Basic abc", "Cookie": "sentinel_session=c"}))
        is None
    )
    assert presented_token(connection({"Cookie": "sentinel_session=c"})) == ("c", "cookie")
    # ?token= only on websockets (a URL ends up in logs and Referers)
    assert presented_token(connection(query=b"token=q")) is None
    assert presented_token(connection(kind="websocket", query=b"token=q")) == ("q", "query")
    ws = connection(
        {"Authorization": "Bearer h", "Cookie": "sentinel_session=c"},
        kind="websocket",
        query=b"token=q",
    )
    assert presented_token(ws) == ("h", "bearer")


def test_cross_site_checks() -> None:
    trusted = frozenset({"https://app.example"})
    assert not cross_site(
        connection({"Host": "api.example"}), trusted
    )  # no Origin: not a browser form
    assert not cross_site(
        connection({"Host": "api.example", "Origin": "https://api.example"}), trusted
    )
    assert not cross_site(
        connection({"Host": "api.example", "Origin": "https://app.example"}), trusted
    )
    assert cross_site(
        connection({"Host": "api.example", "Origin": "https://evil.example"}), trusted
    )
    assert cross_site(connection({"Host": "api.example", "Origin": "null"}), trusted)
    assert cross_site(
        connection({"Host": "api.example", "Referer": "https://evil.example/x"}), trusted
    )
    assert not cross_site(
        connection({"Host": "api.example", "Referer": "https://api.example/p"}), trusted
    )
    assert origin_of("https://App.Example:8443/path") == "https://app.example:8443"
    assert origin_of("not a url") is None


def test_next_paths_stay_on_this_site() -> None:
    assert safe_next("/dashboard?tab=1", "/") == "/dashboard?tab=1"
    for bad in ("//evil.example", "https://evil.example", "/\\evil.example", "", None, 3):
        assert safe_next(bad, "/home") == "/home"


def test_settings_parsing() -> None:
    assert Rule.parse("10/15minutes", "X") == Rule(10, 900)
    assert Rule.parse("5 / hour", "X") == Rule(5, 3600)
    with pytest.raises(AuthConfigError, match="AUTH_LOGIN_LIMIT_IP must look like"):
        Rule.parse("lots", "AUTH_LOGIN_LIMIT_IP")
    assert app_url_from({}) == "http://localhost:3001"
    assert app_url_from({"PORT": "8000"}) == "http://localhost:8000"
    assert app_url_from({"APP_URL": "https://app.example/"}) == "https://app.example"
    with pytest.raises(AuthConfigError, match="APP_URL must be an origin"):
        app_url_from({"APP_URL": "app.example/path"})


def test_mail_content_from_get_email_content_fn() -> None:
    content = MailContent.from_mapping({"subject": "S", "html": "<p>x</p>"}, "fn")
    assert (content.subject, content.text, content.html) == ("S", "", "<p>x</p>")
    with pytest.raises(TypeError, match="subject"):
        MailContent.from_mapping({"text": "t"}, "fn")
    with pytest.raises(TypeError, match="text or html"):
        MailContent.from_mapping({"subject": "S"}, "fn")


def test_an_address_the_mailer_refuses_is_not_a_valid_address() -> None:
    # Found by schemathesis: this passed signup's check, then the verification mail could
    # not be built (a 500, after the user row was made).
    assert email_problem("55@EjwL1DM`T.S#") == "Email is not a valid address"
    assert email_problem("ops.lead+soc@Example.COM") is None
    assert email_problem("\u00e9lodie@exemple.fr") is None  # UTF-8 local parts are fine
