"""Everything the auth feature runs on, resolved once at start-up: the spec's ``app.auth``
(typed declaration) and the environment's settings (``APP_URL``, ``AUTH_SECRET_KEY``,
Google credentials, Argon2 parameters, limits).

Environment variables (docs/auth.md, "Settings"):

| variable | default |
|---|---|
| ``APP_URL`` | ``http://localhost:<PORT or 3001>``: the origin email links point at |
| ``AUTH_SECRET_KEY`` / ``AUTH_SECRET_KEY_PREVIOUS`` | required outside development (keys.py) |
| ``GOOGLE_CLIENT_ID`` / ``GOOGLE_CLIENT_SECRET`` | required when Google login is declared |
| ``GOOGLE_DISCOVERY_URL`` | Google's; tests point it at a loopback provider |
| ``AUTH_ARGON2_MEMORY_KIB`` / ``_TIME_COST`` / ``_PARALLELISM`` | 19456 / 2 / 1 |
| ``AUTH_SESSION_CACHE_SECONDS`` | 5 (0 turns the cache off) |
| ``AUTH_LOGIN_LIMIT_ACCOUNT`` / ``AUTH_LOGIN_LIMIT_IP`` | ``10/15minutes`` / ``100/15minutes`` |
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentinel_spec.contract.routes import AUTH_PAGES
from sentinel_spec.runtime.auth.keys import SecretKeys, is_development, load_secret_keys
from sentinel_spec.runtime.auth.passwords import Argon2Params
from sentinel_spec.runtime.auth.policy import PasswordPolicy
from sentinel_spec.runtime.auth.sessions import SessionTimeouts
from sentinel_spec.runtime.auth.tables import AuthTables

UserFn = Any

GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"
GOOGLE_ISSUER_ALIASES = ("https://accounts.google.com", "accounts.google.com")

# The built-in pages (pages.py); the emails link to these when the spec names no route.
LOGIN_PAGE = AUTH_PAGES["login"]
SIGNUP_PAGE = AUTH_PAGES["signup"]
VERIFY_PAGE = AUTH_PAGES["verify-email"]
FORGOT_PAGE = AUTH_PAGES["forgot-password"]
RESET_PAGE = AUTH_PAGES["reset-password"]
TWO_FACTOR_PAGE = AUTH_PAGES["two-factor"]
SECURITY_PAGE = AUTH_PAGES["security"]


class AuthConfigError(ValueError):
    """A setting auth needs is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Rule:
    """A limit such as ``10/15minutes``: ``limit`` hits per ``per_seconds``."""

    limit: int
    per_seconds: int

    @classmethod
    def parse(cls, text: str, name: str) -> Rule:
        match = re.fullmatch(
            r"\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?\s*", text, re.IGNORECASE
        )
        if match is None:
            raise AuthConfigError(f"{name} must look like 10/15minutes, got {text!r}")
        count, amount, unit = match.groups()
        seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[unit.lower()]
        return cls(int(count), int(amount or 1) * seconds)


@dataclass(frozen=True)
class Limits:
    """Brute-force limits (limits.py): failed-login budget per account and per IP, and the
    budgets of the other routes that send mail or check a secret."""

    login_per_account: Rule = Rule(10, 900)
    login_per_ip: Rule = Rule(100, 900)
    signup_per_ip: Rule = Rule(20, 3600)
    mail_per_account: Rule = Rule(5, 3600)  # verification resends and reset requests
    token_per_ip: Rule = Rule(30, 900)  # verify-email / reset-password / refresh attempts
    code_per_account: Rule = Rule(10, 900)  # 2FA codes outside login


@dataclass(frozen=True)
class EmailMethod:
    from_email: str
    from_name: str | None = None
    verification_path: str = VERIFY_PAGE
    reset_path: str = RESET_PAGE
    user_signup_fields: UserFn | None = None
    verification_email_fn: UserFn | None = None  # getEmailContentFn of emailVerification
    reset_email_fn: UserFn | None = None  # getEmailContentFn of passwordReset


@dataclass(frozen=True)
class GoogleMethod:
    client_id: str
    client_secret: str
    discovery_url: str = GOOGLE_DISCOVERY_URL
    config_fn: UserFn | None = None
    user_signup_fields: UserFn | None = None


@dataclass(frozen=True)
class Hooks:
    on_before_signup: UserFn | None = None
    on_after_signup: UserFn | None = None
    on_before_login: UserFn | None = None
    on_after_login: UserFn | None = None
    on_after_email_verified: UserFn | None = None


@dataclass(frozen=True)
class WorkspaceRules:
    """Where memberships and allowlists live (``app.auth.workspaces``), for ``require_role``."""

    workspace_model: type
    member_model: type
    role_field: str = "role"
    user_field: str = "userId"
    workspace_field: str = "workspaceId"
    ip_allowlist_field: str | None = "ipAllowlist"
    session_timeout_field: str | None = None  # minutes; None: the app's timeouts only
    roles: tuple[str, ...] = ("OWNER", "ADMIN", "MEMBER", "VIEWER")  # strongest first


@dataclass(frozen=True)
class TwoFactorOptions:
    issuer: str
    backup_codes: int = 10


@dataclass(frozen=True)
class AuthConfig:
    app_name: str
    user_model: type
    tables: AuthTables
    on_auth_failed_redirect_to: str
    on_auth_succeeded_redirect_to: str
    app_url: str
    keys: SecretKeys
    development: bool
    email: EmailMethod | None = None
    google: GoogleMethod | None = None
    policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    timeouts: SessionTimeouts = field(default_factory=SessionTimeouts)
    refresh_ttl_seconds: int = 30 * 86400
    refresh_rotate: bool = True
    two_factor: TwoFactorOptions | None = None
    hooks: Hooks = field(default_factory=Hooks)
    workspaces: WorkspaceRules | None = None
    argon2: Argon2Params = field(default_factory=Argon2Params)
    session_cache_seconds: float = 5.0
    limits: Limits = field(default_factory=Limits)
    # Origins whose form posts and cookie-carrying requests are accepted besides our own.
    trusted_origins: tuple[str, ...] = ()
    templates_dir: str | None = None  # the app's templates: auth/*.html there override ours

    @property
    def cookie_secure(self) -> bool:
        return not self.development


def app_url_from(environ: Mapping[str, str]) -> str:
    raw = environ.get("APP_URL", "").strip().rstrip("/")
    if raw:
        if not re.match(r"^https?://[^/\s]+$", raw):
            raise AuthConfigError(
                f"APP_URL must be an origin like https://app.example.com, got {raw!r}"
            )
        return raw
    port = environ.get("PORT", "").strip() or "3001"
    return f"http://localhost:{port}"


def environment_settings(
    environ: Mapping[str, str], dev_dir: Path | None
) -> tuple[str, SecretKeys, bool, Argon2Params, float, Limits]:
    """The environment's part of the config; every problem raises ``AuthConfigError``."""
    try:
        keys = load_secret_keys(environ, dev_dir)
        argon2 = Argon2Params.from_env(environ)
    except ValueError as error:
        raise AuthConfigError(str(error)) from None
    raw_ttl = environ.get("AUTH_SESSION_CACHE_SECONDS", "").strip()
    try:
        cache_ttl = float(raw_ttl) if raw_ttl else 5.0
    except ValueError:
        raise AuthConfigError(
            f"AUTH_SESSION_CACHE_SECONDS must be a number of seconds, got {raw_ttl!r}"
        ) from None
    base = Limits()
    limits = Limits(
        login_per_account=_rule(environ, "AUTH_LOGIN_LIMIT_ACCOUNT", base.login_per_account),
        login_per_ip=_rule(environ, "AUTH_LOGIN_LIMIT_IP", base.login_per_ip),
        signup_per_ip=base.signup_per_ip,
        mail_per_account=base.mail_per_account,
        token_per_ip=base.token_per_ip,
        code_per_account=base.code_per_account,
    )
    return app_url_from(environ), keys, is_development(environ), argon2, cache_ttl, limits


def _rule(environ: Mapping[str, str], name: str, default: Rule) -> Rule:
    raw = environ.get(name, "").strip()
    return Rule.parse(raw, name) if raw else default


def google_credentials(environ: Mapping[str, str]) -> tuple[str, str, str]:
    missing = [n for n in ("GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET") if not environ.get(n)]
    if missing:
        raise AuthConfigError(
            " and ".join(f"missing environment variable {n}" for n in missing)
            + " (app.auth.methods.google: the OAuth client of your Google Cloud project)"
        )
    discovery = environ.get("GOOGLE_DISCOVERY_URL", "").strip() or GOOGLE_DISCOVERY_URL
    return environ["GOOGLE_CLIENT_ID"], environ["GOOGLE_CLIENT_SECRET"], discovery
