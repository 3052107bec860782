"""AST -> AppSpec. Runs only on a module that passed every check, so it trusts shapes.

Each ``_kind`` function turns one declaration into its AppSpec dataclass; defaults
live in ``appspec.py`` and are used by leaving arguments out. ``BUILDERS`` maps each
kind of ``kinds.py`` to its function; ``build_appspec`` fills ``AppSpec`` from the table.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any, NamedTuple, cast

from sentinel_spec import appspec as a
from sentinel_spec import ast, kinds
from sentinel_spec.analyzer.context import Context, entry
from sentinel_spec.analyzer.model import EntityInfo, FieldInfo, RelationPairs
from sentinel_spec.analyzer.resolve import ImportResolver, decl_kind
from sentinel_spec.analyzer.schema import JOB_OPTIONS
from sentinel_spec.analyzer.units import parse_duration, parse_rate, parse_size
from sentinel_spec.literals import read_json


class _Body:
    """Typed reads of a checked dict body; absent keys give None."""

    def __init__(self, body: ast.DictExpr | None) -> None:
        self.body = body

    def get(self, key: str) -> ast.Expr | None:
        if self.body is None:
            return None
        found = entry(self.body, key)
        return None if found is None else found.value

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def sub(self, key: str) -> _Body:
        found = self.get(key)
        return _Body(found if isinstance(found, ast.DictExpr) else None)

    def string(self, key: str) -> str | None:
        found = self.get(key)
        return found.value if isinstance(found, ast.StringLit) else None

    def number(self, key: str) -> int | float | None:
        found = self.get(key)
        return found.value if isinstance(found, ast.NumberLit) else None

    def boolean(self, key: str) -> bool | None:
        found = self.get(key)
        return found.value if isinstance(found, ast.BoolLit) else None

    def ref(self, key: str) -> str | None:
        found = self.get(key)
        return found.name if isinstance(found, ast.Ref) else None

    def refs(self, key: str) -> tuple[str, ...]:
        found = self.get(key)
        if not isinstance(found, ast.ListExpr):
            return ()
        return tuple(item.name for item in found.items if isinstance(item, ast.Ref))

    def imp(self, key: str) -> a.ExtImport | None:
        found = self.get(key)
        return ext_import(found) if isinstance(found, ast.ImportExpr) else None

    def duration(self, key: str) -> int | None:
        text = self.string(key)
        return None if text is None else parse_duration(text)

    def size(self, key: str) -> int | None:
        text = self.string(key)
        return None if text is None else parse_size(text)

    def configurable(self, key: str) -> a.Configurable:
        return configurable(self.get(key))

    def json(self, key: str) -> a.JsonValue:
        found = self.get(key)
        return cast(a.JsonValue, found.value) if isinstance(found, ast.JsonExpr) else None


def _strings(node: ast.Expr | None) -> tuple[str, ...] | None:
    if not isinstance(node, ast.ListExpr):
        return None
    return tuple(i.value for i in node.items if isinstance(i, ast.StringLit))


def _kwargs(**values: object) -> dict[str, Any]:
    """Keyword arguments without the absent ones, so the AppSpec defaults apply."""
    return {k: v for k, v in values.items() if v is not None}


def ext_import(node: ast.ImportExpr) -> a.ExtImport:
    module = ImportResolver.module_of(node.path.value)
    assert module is not None
    return a.ExtImport(module, node.name.name, node.alias.name if node.alias else None)


def literal(node: ast.Expr | None) -> a.JsonValue:
    if isinstance(node, ast.StringLit | ast.NumberLit | ast.BoolLit):
        return node.value
    if isinstance(node, ast.ListExpr):
        return [literal(item) for item in node.items]
    if isinstance(node, ast.JsonExpr):
        return cast(a.JsonValue, node.value)
    return None


def configurable(node: ast.Expr | None) -> a.Configurable:
    if isinstance(node, ast.EnvExpr):
        if node.default is None:
            return a.EnvValue(node.name.value)
        return a.EnvValue(node.name.value, literal(node.default), required=False)
    return literal(node)


def rate_limit(text: str, by: str | None = None) -> a.RateLimit:
    parsed = parse_rate(text)
    assert parsed is not None
    return a.RateLimit(text, parsed[0], parsed[1], **_kwargs(by=by))


# ---------------------------------------------------------------- app


def _email_address(body: _Body) -> a.EmailAddress:
    return a.EmailAddress(body.string("email") or "", body.string("name"))


def _auth(body: _Body) -> a.Auth | None:
    if body.body is None:
        return None
    methods = body.sub("methods")
    email = methods.sub("email")
    google = methods.sub("google")
    policy = body.sub("passwordPolicy")
    two_factor = body.sub("twoFactor")
    sessions = body.sub("sessions")
    refresh = sessions.sub("refreshTokens")
    return a.Auth(
        user_entity=body.ref("userEntity") or "",
        on_auth_failed_redirect_to=body.string("onAuthFailedRedirectTo") or "",
        methods=a.AuthMethods(
            email=a.EmailAuth(
                from_field=_email_address(email.sub("fromField")),
                email_verification_route=email.sub("emailVerification").ref("clientRoute"),
                password_reset_route=email.sub("passwordReset").ref("clientRoute"),
                user_signup_fields=email.imp("userSignupFields"),
                verification_email_fn=email.sub("emailVerification").imp("getEmailContentFn"),
                reset_email_fn=email.sub("passwordReset").imp("getEmailContentFn"),
            )
            if email.body is not None
            else None,
            google=a.GoogleAuth(
                config_fn=google.imp("configFn"),
                user_signup_fields=google.imp("userSignupFields"),
            )
            if google.body is not None
            else None,
        ),
        password_policy=a.PasswordPolicy(
            **_kwargs(
                min_length=policy.number("minLength"),
                require_upper=policy.boolean("requireUpper"),
                require_lower=policy.boolean("requireLower"),
                require_digit=policy.boolean("requireDigit"),
                require_symbol=policy.boolean("requireSymbol"),
            )
        ),
        two_factor=a.TwoFactor(
            two_factor.string("issuer") or "",
            **_kwargs(backup_codes=two_factor.number("backupCodes")),
        )
        if two_factor.body is not None
        else None,
        sessions=a.Sessions(
            **_kwargs(
                idle_timeout_seconds=sessions.duration("idleTimeout"),
                absolute_timeout_seconds=sessions.duration("absoluteTimeout"),
                refresh_ttl_seconds=refresh.duration("ttl"),
                refresh_rotate=refresh.boolean("rotate"),
            )
        ),
        workspaces=_workspaces(body.sub("workspaces")),
        **_kwargs(
            on_auth_succeeded_redirect_to=body.string("onAuthSucceededRedirectTo"),
            on_before_signup=body.imp("onBeforeSignup"),
            on_after_signup=body.imp("onAfterSignup"),
            on_before_login=body.imp("onBeforeLogin"),
            on_after_login=body.imp("onAfterLogin"),
            on_after_email_verified=body.imp("onAfterEmailVerified"),
        ),
    )


def _workspaces(body: _Body) -> a.Workspaces | None:
    if body.body is None:
        return None
    return a.Workspaces(
        entity=body.ref("entity") or "",
        member_entity=body.ref("memberEntity") or "",
        **_kwargs(
            role_field=body.string("roleField"),
            user_field=body.string("userField"),
            workspace_field=body.string("workspaceField"),
            ip_allowlist_field=body.string("ipAllowlistField"),
            session_timeout_field=body.string("sessionTimeoutField"),
        ),
    )


def _named_limits(body: _Body) -> tuple[tuple[str, a.RateLimit], ...]:
    if body.body is None:
        return ()
    named: list[tuple[str, a.RateLimit]] = []
    for item in body.body.entries:
        limit = _Body(item.value if isinstance(item.value, ast.DictExpr) else None)
        text = limit.string("limit")
        if text is not None:
            named.append((item.key.name, rate_limit(text, limit.ref("by"))))
    return tuple(named)


def _header_choice(body: _Body, key: str) -> str | bool | None:
    text = body.string(key)
    return text if text is not None else body.boolean(key)


def _security_headers(body: _Body) -> a.SecurityHeaders:
    hsts_body = body.sub("hsts")
    hsts: a.Hsts | bool | None = body.boolean("hsts")
    if hsts_body.body is not None:
        hsts = a.Hsts(
            **_kwargs(
                max_age_seconds=hsts_body.duration("maxAge"),
                include_subdomains=hsts_body.boolean("includeSubDomains"),
                preload=hsts_body.boolean("preload"),
            )
        )
    return a.SecurityHeaders(
        content_security_policy=_header_choice(body, "contentSecurityPolicy"),
        hsts=hsts,
        frame_options=_header_choice(body, "frameOptions"),
        referrer_policy=_header_choice(body, "referrerPolicy"),
        permissions_policy=_header_choice(body, "permissionsPolicy"),
    )


def _server_limits(body: _Body) -> a.ServerLimits:
    number = body.number("maxHeaders")
    return a.ServerLimits(
        **_kwargs(
            max_url_bytes=body.size("maxUrlBytes"),
            max_header_bytes=body.size("maxHeaderBytes"),
            max_headers=int(number) if number is not None else None,
            headers_timeout=_float(body.duration("headersTimeout")),
            body_timeout=_float(body.duration("bodyTimeout")),
            request_timeout=_float(body.duration("requestTimeout")),
            idle_timeout=_float(body.duration("idleTimeout")),
        )
    )


def _cors(body: _Body) -> dict[str, Any]:
    origins = body.get("origins")
    fields: dict[str, Any] = _kwargs(
        cors_credentials=body.boolean("credentials"),
        cors_max_age_seconds=body.duration("maxAge"),
    )
    if isinstance(origins, ast.DictExpr):
        fields["cors_origins_by_env"] = {
            item.key.name: configurable(item.value) for item in origins.entries
        }
    else:
        fields["cors_origins"] = configurable(origins)
    return fields


def _server(body: _Body) -> a.Server:
    limits = body.sub("bodyLimits")
    rate = body.sub("rateLimit")
    sentry = body.sub("sentry")
    default_rate = rate.string("default")
    return a.Server(
        setup_fn=body.imp("setupFn"),
        middleware_config_fn=body.imp("middlewareConfigFn"),
        **_cors(body.sub("cors")),
        body_limits=a.BodyLimits(
            **_kwargs(
                json_bytes=limits.size("json"),
                form_bytes=limits.size("form"),
                raw_bytes=limits.size("raw"),
            )
        ),
        rate_limit=a.ServerRateLimit(
            default=rate_limit(default_rate) if default_rate is not None else None,
            **_kwargs(
                storage=rate.configurable("storage") if rate.has("storage") else None,
                fail_open=rate.boolean("failOpen"),
            ),
            named=_named_limits(rate.sub("named")),
        ),
        trusted_proxies=body.configurable("trustedProxies"),
        security_headers=_security_headers(body.sub("securityHeaders")),
        limits=_server_limits(body.sub("limits")),
        sentry=a.Sentry(
            dsn=sentry.configurable("dsn"),
            environment=sentry.configurable("environment"),
            release=sentry.configurable("release"),
            **_kwargs(traces_sample_rate=_float(sentry.number("tracesSampleRate"))),
        )
        if sentry.body is not None
        else None,
    )


def _float(number: int | float | None) -> float | None:
    return None if number is None else float(number)


def _app(decl: ast.Decl) -> a.App:
    body = _Body(decl.body)
    socket = body.sub("webSocket")
    realtime = body.sub("realtime")
    uploads = body.sub("uploads")
    sender = body.sub("emailSender")
    seeds = body.sub("db").get("seeds")
    return a.App(
        name=decl.name.name,
        title=body.string("title") or "",
        auth=_auth(body.sub("auth")),
        server=_server(body.sub("server")),
        db=a.Db(
            tuple(ext_import(i) for i in seeds.items if isinstance(i, ast.ImportExpr))
            if isinstance(seeds, ast.ListExpr)
            else ()
        ),
        web_socket=a.SocketIO(
            fn=cast(a.ExtImport, socket.imp("fn")), **_kwargs(path=socket.string("path"))
        )
        if socket.body is not None
        else None,
        realtime=a.Realtime(authorize_fn=realtime.imp("authorizeFn"))
        if realtime.body is not None
        else None,
        uploads=a.Uploads(
            **_kwargs(
                path=uploads.string("path"),
                max_bytes=uploads.size("maxSize"),
                allowed_types=_strings(uploads.get("allowedTypes")),
                authorize_fn=uploads.imp("authorizeFn"),
                on_upload_fn=uploads.imp("onUploadFn"),
                auth=uploads.boolean("auth"),
            )
        )
        if uploads.body is not None
        else None,
        email_sender=a.EmailSender(
            provider=cast(a.EmailProvider, sender.ref("provider")),
            default_from=_email_address(sender.sub("defaultFrom"))
            if sender.has("defaultFrom")
            else None,
        )
        if sender.body is not None
        else None,
        jobs=_jobs_config(body.sub("jobs")),
    )


def _jobs_config(body: _Body) -> a.JobsConfig:
    return a.JobsConfig(
        **_kwargs(
            retention_seconds=body.duration("retention"),
            failed_retention_seconds=body.duration("failedRetention"),
        )
    )


# ---------------------------------------------------------------- entities


def _default(f: FieldInfo) -> a.Default | None:
    if f.default is None:
        return None
    arg = f.default.args[0].value
    if isinstance(arg, ast.FuncCall):
        kind = cast(Any, arg.name.name)
        return a.Default(kind)
    if isinstance(arg, ast.Ref):
        return a.Default("enum", arg.name)
    if isinstance(arg, ast.AttrList):
        return a.Default("literal", [])
    if f.type_name == "Json" and isinstance(arg, ast.StringLit):
        return a.Default("literal", cast(a.JsonValue, read_json(arg.value)))  # JSON text
    return a.Default("literal", arg.value)


def _relation(info: EntityInfo, f: FieldInfo, pairs: RelationPairs) -> a.Relation | None:
    if f.kind != "relation":
        return None
    rel = f.relation
    return a.Relation(
        target=f.type_name,
        name=rel.name if rel else None,
        fields=tuple(r.name for r in rel.fields) if rel else (),
        references=tuple(r.name for r in rel.references) if rel else (),
        on_delete=cast(a.OnDelete, rel.on_delete.name) if rel and rel.on_delete else None,
        back_populates=pairs.get((info.name, f.name)),
    )


def _entity(info: EntityInfo, pairs: RelationPairs) -> a.Entity:
    primary_key = info.primary_key
    fields = tuple(
        a.Field(
            name=f.name,
            type=f.type_name,
            kind=f.kind or "scalar",
            optional=f.node.type.optional,
            is_list=f.node.type.is_list,
            is_id=f.name in primary_key,
            is_unique=f.is_unique,
            default=_default(f),
            updated_at=f.updated_at is not None,
            column_name=f.column,
            db_type=a.DbType(*f.db_type) if f.db_type else None,
            relation=_relation(info, f, pairs),
        )
        for f in info.fields
    )
    return a.Entity(
        name=info.name,
        fields=fields,
        primary_key=primary_key,
        table_name=info.table or info.name,
        uniques=tuple(tuple(r.name for r in u.names) for u in info.uniques),
        indexes=tuple(tuple(r.name for r in i.names) for i in info.indexes),
    )


# ---------------------------------------------------------------- other declarations


def _rate_limit_of(body: _Body) -> a.RateLimit | None:
    limit = body.sub("rateLimit")
    text = limit.string("limit")
    return rate_limit(text, limit.ref("by")) if text is not None else None


def _operation(decl: ast.Decl, default_auth: bool) -> a.Operation:
    body = _Body(decl.body)
    return a.Operation(
        name=decl.name.name,
        kind=cast(Any, decl.kind.name),
        fn=cast(a.ExtImport, body.imp("fn")),
        entities=body.refs("entities"),
        auth=_auth_flag(body, "auth", default_auth),
        rate_limit=_rate_limit_of(body),
    )


def _auth_flag(body: _Body, key: str, default: bool) -> bool:
    flag = body.boolean(key)
    return default if flag is None else flag


def _api(decl: ast.Decl, default_auth: bool) -> a.Api:
    body = _Body(decl.body)
    route = body.get("httpRoute")
    assert isinstance(route, ast.TupleExpr)
    method, path = route.items
    assert isinstance(method, ast.Ref) and isinstance(path, ast.StringLit)
    return a.Api(
        name=decl.name.name,
        fn=cast(a.ExtImport, body.imp("fn")),
        method=cast(a.HttpMethod, method.name),
        path=path.value,
        entities=body.refs("entities"),
        auth=_auth_flag(body, "auth", default_auth),
        middleware_config_fn=body.imp("middlewareConfigFn"),
        rate_limit=_rate_limit_of(body),
    )


def _api_namespace(decl: ast.Decl) -> a.ApiNamespace:
    body = _Body(decl.body)
    return a.ApiNamespace(
        decl.name.name, body.string("path") or "", cast(a.ExtImport, body.imp("middlewareConfigFn"))
    )


def _job_options(options: a.JsonValue) -> dict[str, Any]:
    if not isinstance(options, dict):
        return {}
    fields = {JOB_OPTIONS[key].field: option for key, option in options.items()}
    if isinstance(options.get("startAfter"), str):  # an ISO date rather than seconds
        fields["start_after_date"] = fields.pop("start_after_seconds")
    return fields


def _job(decl: ast.Decl) -> a.Job:
    body = _Body(decl.body)
    perform = body.sub("perform")
    options = perform.sub("executorOptions").json("pgBoss")
    schedule = body.sub("schedule")
    cron = schedule.string("cron")
    return a.Job(
        name=decl.name.name,
        executor="PgBoss",
        fn=cast(a.ExtImport, perform.imp("fn")),
        options=a.JobOptions(**_job_options(options)),
        schedule=a.Schedule(
            cron, schedule.json("args"), **_kwargs(timezone=schedule.string("timezone"))
        )
        if cron is not None
        else None,
        entities=body.refs("entities"),
    )


def _crud(decl: ast.Decl) -> a.Crud:
    body = _Body(decl.body)
    operations = body.get("operations")
    assert isinstance(operations, ast.DictExpr)
    ops = []
    for op in operations.entries:
        op_body = _Body(op.value if isinstance(op.value, ast.DictExpr) else None)
        ops.append(
            a.CrudOperation(
                op=cast(a.CrudOp, op.key.name),
                is_public=bool(op_body.boolean("isPublic")),
                override_fn=op_body.imp("overrideFn"),
            )
        )
    return a.Crud(decl.name.name, body.ref("entity") or "", tuple(ops))


def _websocket(decl: ast.Decl, default_auth: bool) -> a.WebSocket:
    body = _Body(decl.body)
    return a.WebSocket(
        decl.name.name,
        body.string("path") or "",
        cast(a.ExtImport, body.imp("fn")),
        _auth_flag(body, "auth", default_auth),
    )


def _route(decl: ast.Decl) -> a.Route:
    body = _Body(decl.body)
    return a.Route(decl.name.name, body.string("path") or "", body.ref("to") or "")


def _page(decl: ast.Decl) -> a.Page:
    body = _Body(decl.body)
    return a.Page(
        decl.name.name, cast(a.ExtImport, body.imp("component")), bool(body.boolean("authRequired"))
    )


class BuildContext(NamedTuple):
    """What a builder may need beyond its declaration."""

    default_auth: bool  # `auth` defaults to true when the app declares auth


Builder = Callable[[ast.Decl, BuildContext], Any]

# One builder per ``dict`` kind of ``kinds.py`` (but ``app``, the spec itself): its
# declaration -> the value appended to ``AppSpec.<kind.field>``.
BUILDERS: dict[str, Builder] = {
    "page": lambda d, b: _page(d),
    "route": lambda d, b: _route(d),
    "query": lambda d, b: _operation(d, b.default_auth),
    "action": lambda d, b: _operation(d, b.default_auth),
    "api": lambda d, b: _api(d, b.default_auth),
    "apiNamespace": lambda d, b: _api_namespace(d),
    "job": lambda d, b: _job(d),
    "crud": lambda d, b: _crud(d),
    "websocket": lambda d, b: _websocket(d, b.default_auth),
}


# Built values by declaration object, for a caller that builds again after a small edit
# (the language server): a builder reads only its declaration and ``BuildContext``.
BuiltCache = MutableMapping[int, tuple[ast.Decl, BuildContext, Any]]


def build_appspec(ctx: Context, built: BuiltCache | None = None) -> a.AppSpec:
    app_decl = ctx.app
    assert app_decl is not None
    app = _app(app_decl)
    build = BuildContext(default_auth=app.auth is not None)
    pairs, _ = ctx.relation_pairs()
    fields: dict[str, list[Any]] = {}
    for kind in kinds.dict_kinds():
        if kind.name == "app":
            continue
        builder = BUILDERS[kind.name]
        values = fields.setdefault(kind.field, [])
        for d in ctx.of_kind(kind.name):
            hit = built.get(id(d)) if built is not None else None
            if hit is None or hit[0] is not d or hit[1] != build:
                hit = (d, build, builder(d, build))
                if built is not None:
                    built[id(d)] = hit
            values.append(hit[2])
    positions = {
        (decl_kind(decl), decl.name.name): decl.name.span for decl in ctx.module.declarations
    }
    return a.AppSpec(
        app=app,
        entities=tuple(_entity(info, pairs) for info in ctx.entities.values()),
        enums=tuple(
            a.Enum(e.name.name, tuple(m.name for m in e.members)) for e in ctx.enums.values()
        ),
        positions=positions,
        # Each field gets the declarations of the kinds the table maps to it.
        **{name: tuple(values) for name, values in fields.items()},  # type: ignore[arg-type]
    )
