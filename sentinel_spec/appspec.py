"""AppSpec: the checked, typed model of an application, the one model in the middle.

The analyzer produces it; the generator, the dev server and the CLI consume it.
It imports nothing from the parser, analyzer or generator. Every name here is
already resolved and valid: a consumer never re-checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeAlias, get_args

from sentinel_spec.contract.jobs import JobOptions as JobOptions
from sentinel_spec.contract.jobs import JobsConfig as JobsConfig
from sentinel_spec.contract.server import ServerLimits as ServerLimits

if TYPE_CHECKING:
    from sentinel_spec.contract.features import Declared
    from sentinel_spec.errors import SourceSpan

JsonValue: TypeAlias = bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"] | None


@dataclass(frozen=True)
class ExtImport:
    """A Python callable of the developer's: ``import { name as alias } from "@src/a/b"``.

    ``module`` is the dotted module (``src.a.b``); ``name`` the attribute it defines.
    """

    module: str
    name: str
    alias: str | None = None

    @property
    def local_name(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True)
class EnvValue:
    """``env("NAME", default)``: resolved from the environment (and ``.env``) at start-up."""

    name: str
    default: JsonValue = None
    required: bool = True  # False when a default was written


# A config value that may come from the environment at start-up.
Configurable: TypeAlias = EnvValue | JsonValue

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "ALL"]
RateLimitKey = Literal["user", "ip", "workspace"]
OnDelete = Literal["Cascade", "SetNull", "Restrict", "NoAction"]
EmailProvider = Literal["SMTP", "SendGrid", "Console"]
CrudOp = Literal["get", "getAll", "create", "update", "delete"]
JobExecutor = Literal["PgBoss"]
ScalarType = Literal[
    "String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"
]

# The same choices as tuples, for the analyzer's checks: derived, so they cannot drift.
HTTP_METHODS: tuple[str, ...] = get_args(HttpMethod)
RATE_LIMIT_KEYS: tuple[str, ...] = get_args(RateLimitKey)
ON_DELETE: tuple[str, ...] = get_args(OnDelete)
EMAIL_PROVIDERS: tuple[str, ...] = get_args(EmailProvider)
CRUD_OPS: tuple[str, ...] = get_args(CrudOp)
JOB_EXECUTORS: tuple[str, ...] = get_args(JobExecutor)
SCALAR_TYPES: tuple[str, ...] = get_args(ScalarType)


@dataclass(frozen=True)
class EmailAddress:
    email: str
    name: str | None = None


@dataclass(frozen=True)
class RateLimit:
    """``"5/hour"`` parsed: at most ``limit`` calls per ``per_seconds`` for each ``by`` key."""

    text: str
    limit: int
    per_seconds: int
    by: RateLimitKey = "ip"


# ---------------------------------------------------------------- app


@dataclass(frozen=True)
class EmailAuth:
    from_field: EmailAddress
    email_verification_route: str | None = None  # a route name
    password_reset_route: str | None = None  # a route name
    user_signup_fields: ExtImport | None = None
    # getEmailContentFn of emailVerification / passwordReset
    verification_email_fn: ExtImport | None = None
    reset_email_fn: ExtImport | None = None


@dataclass(frozen=True)
class GoogleAuth:
    config_fn: ExtImport | None = None
    user_signup_fields: ExtImport | None = None


@dataclass(frozen=True)
class AuthMethods:
    email: EmailAuth | None = None
    google: GoogleAuth | None = None


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 8
    require_upper: bool = False
    require_lower: bool = False
    require_digit: bool = False
    require_symbol: bool = False


@dataclass(frozen=True)
class TwoFactor:
    issuer: str
    backup_codes: int = 10


@dataclass(frozen=True)
class Sessions:
    idle_timeout_seconds: int = 30 * 60
    absolute_timeout_seconds: int = 12 * 3600
    refresh_ttl_seconds: int = 30 * 86400
    refresh_rotate: bool = True


@dataclass(frozen=True)
class Workspaces:
    """``auth.workspaces``: where memberships and workspace access rules live."""

    entity: str
    member_entity: str
    role_field: str = "role"
    user_field: str = "userId"
    workspace_field: str = "workspaceId"
    ip_allowlist_field: str | None = None
    session_timeout_field: str | None = None


@dataclass(frozen=True)
class Auth:
    user_entity: str
    on_auth_failed_redirect_to: str
    methods: AuthMethods = field(default_factory=AuthMethods)
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    two_factor: TwoFactor | None = None
    sessions: Sessions = field(default_factory=Sessions)
    on_auth_succeeded_redirect_to: str = "/"
    on_before_signup: ExtImport | None = None
    on_after_signup: ExtImport | None = None
    on_before_login: ExtImport | None = None
    on_after_login: ExtImport | None = None
    on_after_email_verified: ExtImport | None = None
    workspaces: Workspaces | None = None


@dataclass(frozen=True)
class BodyLimits:
    json_bytes: int = 1 * 1024 * 1024
    form_bytes: int = 1 * 1024 * 1024
    raw_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class ServerRateLimit:
    default: RateLimit | None = None
    storage: Configurable = "memory://"
    fail_open: bool = True
    # ``named``: limits user code counts with ``context.rate_limit(name)``, in spec order.
    named: tuple[tuple[str, RateLimit], ...] = ()


@dataclass(frozen=True)
class Hsts:
    max_age_seconds: int = 365 * 86400
    include_subdomains: bool = True
    preload: bool = False

    def header(self) -> str:
        value = f"max-age={self.max_age_seconds}"
        if self.include_subdomains:
            value += "; includeSubDomains"
        if self.preload:
            value += "; preload"
        return value


@dataclass(frozen=True)
class SecurityHeaders:
    """``server.securityHeaders``: None keeps the default, ``False`` drops the header, a
    string (or ``Hsts``) replaces it."""

    content_security_policy: str | bool | None = None
    hsts: Hsts | bool | None = None
    frame_options: str | bool | None = None
    referrer_policy: str | bool | None = None
    permissions_policy: str | bool | None = None

    def overrides(self) -> dict[str, str | None]:
        """Header name -> replacement value, or None to send no such header."""
        chosen: dict[str, str | bool | Hsts | None] = {
            "Content-Security-Policy": self.content_security_policy,
            "Strict-Transport-Security": self.hsts,
            "X-Frame-Options": self.frame_options,
            "Referrer-Policy": self.referrer_policy,
            "Permissions-Policy": self.permissions_policy,
        }
        result: dict[str, str | None] = {}
        for name, value in chosen.items():
            if value is False:
                result[name] = None
            elif isinstance(value, Hsts):
                result[name] = value.header()
            elif isinstance(value, str):
                result[name] = value
        return result


@dataclass(frozen=True)
class Sentry:
    dsn: Configurable
    traces_sample_rate: float = 0.0
    environment: Configurable = None
    release: Configurable = None


@dataclass(frozen=True)
class Server:
    setup_fn: ExtImport | None = None
    middleware_config_fn: ExtImport | None = None
    cors_origins: Configurable = None  # str (comma separated), list of str, or env
    # ``origins: { production: ..., development: ... }``: one list per SENTINEL_ENV name.
    cors_origins_by_env: dict[str, Configurable] = field(default_factory=dict)
    cors_credentials: bool = True
    cors_max_age_seconds: int = 600
    body_limits: BodyLimits = field(default_factory=BodyLimits)
    rate_limit: ServerRateLimit = field(default_factory=ServerRateLimit)
    trusted_proxies: Configurable = None  # str (comma separated), list of str, or env
    security_headers: SecurityHeaders = field(default_factory=SecurityHeaders)
    limits: ServerLimits = field(default_factory=ServerLimits)
    sentry: Sentry | None = None


@dataclass(frozen=True)
class Db:
    seeds: tuple[ExtImport, ...] = ()


@dataclass(frozen=True)
class SocketIO:
    """``app.webSocket``: a python-socketio server mounted at ``path``."""

    fn: ExtImport
    path: str = "/socket.io"


@dataclass(frozen=True)
class Realtime:
    """``app.realtime``: ``authorizeFn(user, channel, context)`` rules subscriptions."""

    authorize_fn: ExtImport | None = None


@dataclass(frozen=True)
class Uploads:
    """``app.uploads``: the framework's streaming upload endpoint."""

    path: str = "/api/upload"
    max_bytes: int = 50 << 20
    allowed_types: tuple[str, ...] = ()
    authorize_fn: ExtImport | None = None
    on_upload_fn: ExtImport | None = None
    auth: bool = True


@dataclass(frozen=True)
class EmailSender:
    provider: EmailProvider
    default_from: EmailAddress | None = None


@dataclass(frozen=True)
class App:
    name: str
    title: str
    auth: Auth | None = None
    server: Server = field(default_factory=Server)
    db: Db = field(default_factory=Db)
    web_socket: SocketIO | None = None
    email_sender: EmailSender | None = None
    jobs: JobsConfig = field(default_factory=JobsConfig)
    realtime: Realtime | None = None
    uploads: Uploads | None = None


# ---------------------------------------------------------------- data model


@dataclass(frozen=True)
class Default:
    """``@default(...)``: a function (autoincrement/now/uuid/cuid), a literal, or an enum member."""

    kind: Literal["autoincrement", "now", "uuid", "cuid", "literal", "enum"]
    value: JsonValue = None


@dataclass(frozen=True)
class DbType:
    """``@db.VarChar(255)`` is ``DbType("VarChar", (255,))``."""

    name: str
    args: tuple[int, ...] = ()


@dataclass(frozen=True)
class Relation:
    """The relation of a field whose type is an entity.

    The owning side (the one with the foreign key) has ``fields``/``references``;
    the other side has them empty and ``back_populates`` naming the owning field.
    """

    target: str
    name: str | None = None
    fields: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    on_delete: OnDelete | None = None
    back_populates: str | None = None

    @property
    def is_owner(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a scalar type, an enum name, or an entity name
    kind: Literal["scalar", "enum", "relation"]
    optional: bool = False
    is_list: bool = False
    is_id: bool = False
    is_unique: bool = False
    default: Default | None = None
    updated_at: bool = False
    column_name: str | None = None  # @map
    db_type: DbType | None = None
    relation: Relation | None = None

    @property
    def column(self) -> str:
        return self.column_name or self.name


@dataclass(frozen=True)
class Entity:
    name: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]  # field names; one for @id, several for @@id
    table_name: str  # @@map, or the entity name
    uniques: tuple[tuple[str, ...], ...] = ()  # @@unique
    indexes: tuple[tuple[str, ...], ...] = ()  # @@index

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def scalar_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.kind != "relation")


@dataclass(frozen=True)
class Enum:
    name: str
    members: tuple[str, ...]


# ---------------------------------------------------------------- operations, apis, jobs


@dataclass(frozen=True)
class Operation:
    """A query or an action."""

    name: str
    kind: Literal["query", "action"]
    fn: ExtImport
    entities: tuple[str, ...] = ()
    auth: bool = False
    rate_limit: RateLimit | None = None


@dataclass(frozen=True)
class Api:
    name: str
    fn: ExtImport
    method: HttpMethod
    path: str  # as written, with :param segments
    entities: tuple[str, ...] = ()
    auth: bool = False
    middleware_config_fn: ExtImport | None = None
    rate_limit: RateLimit | None = None


@dataclass(frozen=True)
class ApiNamespace:
    name: str
    path: str
    middleware_config_fn: ExtImport


@dataclass(frozen=True)
class Schedule:
    cron: str
    args: JsonValue = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class Job:
    name: str
    executor: JobExecutor
    fn: ExtImport
    options: JobOptions = field(default_factory=JobOptions)
    schedule: Schedule | None = None
    entities: tuple[str, ...] = ()


# ---------------------------------------------------------------- pages


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    to: str  # a page name


@dataclass(frozen=True)
class Page:
    name: str
    component: ExtImport
    auth_required: bool = False


# ---------------------------------------------------------------- crud, websockets


@dataclass(frozen=True)
class CrudOperation:
    op: CrudOp
    is_public: bool = False
    override_fn: ExtImport | None = None


@dataclass(frozen=True)
class Crud:
    name: str
    entity: str
    operations: tuple[CrudOperation, ...]


@dataclass(frozen=True)
class WebSocket:
    name: str
    path: str
    fn: ExtImport
    auth: bool = False


# ---------------------------------------------------------------- the whole


@dataclass(frozen=True)
class AppSpec:
    app: App
    entities: tuple[Entity, ...] = ()
    enums: tuple[Enum, ...] = ()
    queries: tuple[Operation, ...] = ()
    actions: tuple[Operation, ...] = ()
    apis: tuple[Api, ...] = ()
    api_namespaces: tuple[ApiNamespace, ...] = ()
    jobs: tuple[Job, ...] = ()
    routes: tuple[Route, ...] = ()
    pages: tuple[Page, ...] = ()
    cruds: tuple[Crud, ...] = ()
    websockets: tuple[WebSocket, ...] = ()
    # The folder holding app.sq (and src/); lets generators read user modules statically.
    source_dir: str | None = None
    # Where each declaration's name is written, by (kind, name): for the language server
    # and messages that point into app.sq. Not part of equality: same spec, same AppSpec.
    positions: Mapping[tuple[str, str], SourceSpan] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def operations(self) -> tuple[Operation, ...]:
        return self.queries + self.actions

    @property
    def needs_database(self) -> bool:
        """Entities live in PostgreSQL and so do jobs: either needs ``DATABASE_URL``."""
        return bool(self.entities or self.jobs)

    def position(self, kind: str, name: str) -> SourceSpan | None:
        """Where ``<kind> <name>`` is declared (``("query", "getCases")``), if known."""
        return self.positions.get((kind, name))

    def declared_features(self) -> list[Declared]:
        """The features this spec declares (``contract.features``; twin of ``declared``)."""
        from sentinel_spec.contract.features import declared_feature

        app, server = self.app, self.app.server
        found = declared_feature("auth", ["app.auth"] if app.auth is not None else [])
        found += declared_feature("email", ["app.emailSender"] if app.email_sender else [])
        found += declared_feature("jobs", (f"job {j.name}" for j in self.jobs))
        found += declared_feature("cron", (f"job {j.name}" for j in self.jobs if j.schedule))
        found += declared_feature("websockets", (f"websocket {w.name}" for w in self.websockets))
        found += declared_feature("socketio", ["app.webSocket"] if app.web_socket else [])
        limited = ["app.server.rateLimit"] if server.rate_limit.default is not None else []
        limited += ["app.server.rateLimit.named"] if server.rate_limit.named else []
        limited += [f"{op.kind} {op.name}" for op in self.operations if op.rate_limit]
        limited += [f"api {api.name}" for api in self.apis if api.rate_limit]
        found += declared_feature("rateLimit", limited)
        found += declared_feature("sentry", ["app.server.sentry"] if server.sentry else [])
        return found

    def entity(self, name: str) -> Entity:
        return self._entities_by_name[name]

    def page(self, name: str) -> Page:
        return self._pages_by_name[name]

    # Indexes built on first use (cached_property writes the instance dict directly, so
    # it works on a frozen dataclass); generators look entities up once per relation.
    @cached_property
    def _entities_by_name(self) -> dict[str, Entity]:
        return {e.name: e for e in self.entities}

    @cached_property
    def _pages_by_name(self) -> dict[str, Page]:
        return {p.name: p for p in self.pages}
