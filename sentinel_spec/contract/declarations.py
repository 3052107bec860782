"""What a generated app hands to the runtime: literal, already-imported declarations.

``generated/server.py`` builds one ``AppDecl`` out of these (with the developer's
functions and the generated model classes already imported) and calls
``sentinel_spec.runtime.app.create_app(decl)``. The runtime never imports the
compiler and the compiler never imports the runtime for these: this module (standard
library only) is the contract between the two.

Values that come from ``env(...)`` in the spec are ``Env`` markers here and are
resolved by ``sentinel_spec.runtime.settings`` at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sentinel_spec.contract.jobs import JobOptions as JobOptions
from sentinel_spec.contract.jobs import JobsConfig as JobsConfig
from sentinel_spec.contract.server import ServerLimits as ServerLimits

UserFn = Callable[..., Any]


@dataclass(frozen=True)
class Env:
    """``env("NAME", default)`` from the spec; ``required`` when no default was written."""

    name: str
    default: Any = None
    required: bool = True
    # Where the spec uses it (``app.server.sentry.dsn``), named in start-up errors.
    where: str = ""


@dataclass(frozen=True)
class RateLimit:
    limit: int
    per_seconds: int
    by: Literal["user", "ip", "workspace"] = "ip"


@dataclass(frozen=True)
class Operation:
    """A query or action, served at ``/operations/<route_name>`` (``contract.routes``)."""

    name: str  # camelCase name from the spec: getCases
    route_name: str  # kebab-case: get-cases
    kind: Literal["query", "action"]
    fn: UserFn
    entities: Mapping[str, type] = field(default_factory=dict)  # name -> model class
    auth: bool = False
    rate_limit: RateLimit | None = None
    # The type args are validated against; None means "read fn's first annotation".
    args_type: Any = None
    # Where it is served; None means /operations/<route_name>.
    path: str | None = None


@dataclass(frozen=True)
class Api:
    name: str
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "ALL"]
    path: str  # Starlette form: /api/screenshot/{alertId}
    fn: UserFn
    entities: Mapping[str, type] = field(default_factory=dict)
    auth: bool = False
    middleware_config_fn: UserFn | None = None
    rate_limit: RateLimit | None = None


@dataclass(frozen=True)
class ApiNamespace:
    name: str
    path: str
    middleware_config_fn: UserFn


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # Starlette form
    component: UserFn
    auth_required: bool = False


@dataclass(frozen=True)
class CrudOperation:
    op: Literal["get", "getAll", "create", "update", "delete"]
    is_public: bool = False
    override_fn: UserFn | None = None


@dataclass(frozen=True)
class Crud:
    """Served at ``/crud/<route_name>/<segment>`` (see ``contract.routes.crud``)."""

    name: str
    route_name: str
    model: type
    operations: tuple[CrudOperation, ...]


@dataclass(frozen=True)
class Job:
    name: str
    fn: UserFn
    options: JobOptions = field(default_factory=JobOptions)
    cron: str | None = None
    cron_args: Any = None
    timezone: str = "UTC"
    entities: Mapping[str, type] = field(default_factory=dict)


@dataclass(frozen=True)
class WebSocket:
    name: str
    path: str
    fn: UserFn
    auth: bool = False


@dataclass(frozen=True)
class BodyLimits:
    json_bytes: int
    form_bytes: int
    raw_bytes: int


@dataclass(frozen=True)
class Sentry:
    dsn: Env | str
    traces_sample_rate: float = 0.0
    environment: Env | str | None = None  # default: SENTINEL_ENV
    release: Env | str | None = None  # default: SENTRY_RELEASE, else sentry-sdk's guess (git)


# ---------------------------------------------------------------- auth (``app.auth``)
# Typed, field for field what the spec says; the auth feature (runtime/auth/) reads these.


@dataclass(frozen=True)
class PasswordPolicyDecl:
    min_length: int = 8
    require_upper: bool = False
    require_lower: bool = False
    require_digit: bool = False
    require_symbol: bool = False


@dataclass(frozen=True)
class SessionsDecl:
    idle_timeout_seconds: int = 30 * 60
    absolute_timeout_seconds: int = 12 * 3600
    refresh_ttl_seconds: int = 30 * 86400
    refresh_rotate: bool = True


@dataclass(frozen=True)
class TwoFactorDecl:
    issuer: str
    backup_codes: int = 10


@dataclass(frozen=True)
class EmailAuthDecl:
    """``auth.methods.email``; the paths are the client routes the emails link to."""

    from_email: str
    from_name: str | None = None
    email_verification_path: str | None = None
    password_reset_path: str | None = None
    user_signup_fields: UserFn | Any = None  # a function, or a dict of field -> function
    verification_email_fn: UserFn | None = None  # emailVerification.getEmailContentFn
    reset_email_fn: UserFn | None = None  # passwordReset.getEmailContentFn


@dataclass(frozen=True)
class GoogleAuthDecl:
    config_fn: UserFn | None = None
    user_signup_fields: UserFn | Any = None


@dataclass(frozen=True)
class WorkspacesDecl:
    """``auth.workspaces``: the generated classes and field names ``require_role`` reads."""

    workspace_model: type
    member_model: type
    role_field: str = "role"
    user_field: str = "userId"
    workspace_field: str = "workspaceId"
    ip_allowlist_field: str | None = None
    session_timeout_field: str | None = None


@dataclass(frozen=True)
class AuthDecl:
    """``app.auth``; ``user_model`` is the generated class of ``userEntity`` (None only in
    apps without entities, which the analyzer refuses for auth)."""

    user_model: type | None
    on_auth_failed_redirect_to: str
    on_auth_succeeded_redirect_to: str = "/"
    email: EmailAuthDecl | None = None
    google: GoogleAuthDecl | None = None
    password_policy: PasswordPolicyDecl = PasswordPolicyDecl()
    sessions: SessionsDecl = SessionsDecl()
    two_factor: TwoFactorDecl | None = None
    on_before_signup: UserFn | None = None
    on_after_signup: UserFn | None = None
    on_before_login: UserFn | None = None
    on_after_login: UserFn | None = None
    on_after_email_verified: UserFn | None = None
    workspaces: WorkspacesDecl | None = None


# ---------------------------------------------------------------- email, socket.io


EmailProvider = Literal["SMTP", "SendGrid", "Console"]


@dataclass(frozen=True)
class EmailSenderDecl:
    """``app.emailSender``; the provider's credentials come from the environment."""

    provider: EmailProvider
    default_from_email: str | None = None
    default_from_name: str | None = None


@dataclass(frozen=True)
class SocketIODecl:
    """``app.webSocket``: a python-socketio server mounted at ``path``."""

    fn: UserFn
    path: str = "/socket.io"


@dataclass(frozen=True)
class RealtimeDecl:
    """``app.realtime``: ``authorize_fn(user, channel, context) -> bool`` decides every
    subscription other than a socket's own ``user:<id>`` channel."""

    authorize_fn: UserFn | None = None


@dataclass(frozen=True)
class UploadsDecl:
    """``app.uploads``: the framework's ``POST <path>`` upload endpoint."""

    path: str = "/api/upload"
    max_bytes: int = 50 << 20
    allowed_types: tuple[str, ...] = ()  # empty: runtime.realtime.uploads.sniff.DEFAULT_ALLOWED
    # authorize_fn(request, fields, context) -> dict | None, before any byte is stored;
    # on_upload_fn(file, context) after the file row is written, in the same transaction.
    authorize_fn: UserFn | None = None
    on_upload_fn: UserFn | None = None
    auth: bool = True


@dataclass(frozen=True)
class AppDecl:
    name: str
    title: str
    operations: tuple[Operation, ...] = ()
    apis: tuple[Api, ...] = ()
    api_namespaces: tuple[ApiNamespace, ...] = ()
    pages: tuple[Page, ...] = ()
    cruds: tuple[Crud, ...] = ()
    jobs: tuple[Job, ...] = ()
    jobs_config: JobsConfig = field(default_factory=JobsConfig)  # app.jobs
    websockets: tuple[WebSocket, ...] = ()
    setup_fn: UserFn | None = None
    middleware_config_fn: UserFn | None = None
    cors_origins: Env | str | tuple[str, ...] | None = None
    # One origin list per SENTINEL_ENV name (production, development, ...), if the spec
    # gives them so; the entry for the running environment is used.
    cors_origins_by_env: Mapping[str, Env | str | tuple[str, ...]] = field(default_factory=dict)
    cors_credentials: bool = True
    cors_max_age: int = 600  # seconds a browser may cache a preflight answer
    body_limits: BodyLimits = BodyLimits(1 << 20, 1 << 20, 10 << 20)
    default_rate_limit: RateLimit | None = None
    rate_limit_storage: Env | str = "memory://"
    rate_limit_fail_open: bool = True
    # server.rateLimit.named: limits user code counts with rate_limit(context, name).
    named_rate_limits: Mapping[str, RateLimit] = field(default_factory=dict)
    # server.trustedProxies; None: FORWARDED_ALLOW_IPS, else loopback (middleware/proxies.py).
    trusted_proxies: Env | str | tuple[str, ...] | None = None
    # server.securityHeaders: header name -> value replacing the default, or None to drop it.
    security_headers: Mapping[str, str | None] = field(default_factory=dict)
    # server.limits: what uvicorn and the protocol guard accept (runtime/serving/).
    server_limits: ServerLimits = field(default_factory=ServerLimits)
    sentry: Sentry | None = None
    auth: AuthDecl | None = None
    email_sender: EmailSenderDecl | None = None
    socket_io: SocketIODecl | None = None
    realtime: RealtimeDecl | None = None
    uploads: UploadsDecl | None = None
    # Every env(...) the spec mentions, checked together at start-up.
    env: tuple[Env, ...] = ()
    # The generated models' metadata; None when the spec declares no entity.
    metadata: Any = None
    templates_dir: str | None = None  # src/client/templates
    openapi_path: str | None = None  # generated/openapi.json
