"""``app.server``: named limits, security headers, server limits, trusted proxies, CORS
per environment, Sentry's release; what they build and the errors they give."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.appspec import AppSpec, Hsts, ServerLimits
from sentinel_spec.errors import SpecErrors


def spec_with(tmp_path: Path, server: str) -> Path:
    path = tmp_path / "app.sq"
    path.write_text(f'app A {{\n  title: "A",\n  server: {{\n{server}\n  }},\n}}\n')
    return path


def load(tmp_path: Path, server: str) -> AppSpec:
    return load_spec(spec_with(tmp_path, server))


def errors_of(tmp_path: Path, server: str) -> list[str]:
    with pytest.raises(SpecErrors) as raised:
        load(tmp_path, server)
    return [f"{e.span.line}:{e.span.column} {e.message}" for e in raised.value.errors]


def test_everything_the_server_block_declares_is_built(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        """
    cors: { origins: { production: env("ORIGINS", "https://a.example"),
                       development: ["http://localhost:3000"] },
            credentials: false, maxAge: "1h" },
    rateLimit: { default: "100/minute",
                 named: { invite: { limit: "20/hour", by: workspace },
                          export: { limit: "2/day" } } },
    trustedProxies: ["10.0.0.0/8", "127.0.0.1"],
    securityHeaders: { contentSecurityPolicy: "default-src 'none'",
                       hsts: { maxAge: "180d", preload: true },
                       frameOptions: "SAMEORIGIN", permissionsPolicy: false },
    limits: { maxHeaderBytes: "16kb", maxUrlBytes: "4kb", maxHeaders: 50,
              headersTimeout: "5s", bodyTimeout: "20s", requestTimeout: "2m",
              idleTimeout: "15s" },
    sentry: { dsn: env("SENTRY_DSN", ""), release: env("SENTRY_RELEASE", "a@1") },""",
    )
    server = spec.app.server
    assert set(server.cors_origins_by_env) == {"production", "development"}
    assert server.cors_origins_by_env["development"] == ["http://localhost:3000"]
    assert server.cors_credentials is False and server.cors_max_age_seconds == 3600
    named = dict(server.rate_limit.named)
    assert (named["invite"].limit, named["invite"].per_seconds, named["invite"].by) == (
        20,
        3600,
        "workspace",
    )
    assert named["export"].by == "ip"
    assert server.trusted_proxies == ["10.0.0.0/8", "127.0.0.1"]
    headers = server.security_headers
    assert headers.hsts == Hsts(max_age_seconds=180 * 86400, include_subdomains=True, preload=True)
    assert headers.overrides() == {
        "Content-Security-Policy": "default-src 'none'",
        "Strict-Transport-Security": "max-age=15552000; includeSubDomains; preload",
        "X-Frame-Options": "SAMEORIGIN",
        "Permissions-Policy": None,
    }
    assert server.limits == ServerLimits(
        max_url_bytes=4096,
        max_header_bytes=16384,
        max_headers=50,
        headers_timeout=5.0,
        body_timeout=20.0,
        request_timeout=120.0,
        idle_timeout=15.0,
    )
    assert server.sentry is not None and server.sentry.release is not None


def test_defaults_when_the_block_says_nothing(tmp_path: Path) -> None:
    server = load(tmp_path, "").app.server
    assert server.limits == ServerLimits()
    assert server.security_headers.overrides() == {}
    assert server.rate_limit.named == ()
    assert server.trusted_proxies is None


def test_mistakes_are_positioned_errors(tmp_path: Path) -> None:
    found = errors_of(
        tmp_path,
        """
    rateLimit: { named: { invite: { limit: "twenty" }, other: "5/hour" } },
    trustedProxies: "10.0.0.0/8, proxy.internal",
    securityHeaders: { contentSecurityPolicy: true, frameOptions: "ALLOW-FROM x",
                       referrerPolicy: "" },
    limits: { maxHeaderBytes: "1kb", maxHeaders: 5, headersTimeout: "soon" },""",
    )
    joined = "\n".join(found)
    assert "invalid rate limit `twenty` for `limit`" in joined
    assert "expected a dict for `other`, got a string" in joined
    assert "trusted proxy `proxy.internal` is not an IP address" in joined
    assert "`contentSecurityPolicy: true` is the default" in joined
    assert '`frameOptions` is "DENY" or "SAMEORIGIN"' in joined
    assert "`referrerPolicy` is empty; use `false`" in joined
    assert "`maxHeaderBytes` below 4kb would refuse ordinary requests" in joined
    assert "`maxHeaders` is a count from 10 to 10000" in joined
    assert "invalid duration `soon` for `headersTimeout`" in joined
    assert all(line.split(" ", 1)[0].count(":") == 1 for line in found)  # line:col each
