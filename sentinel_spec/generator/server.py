"""``generated/server.py``: one literal ``AppDecl`` wiring every declaration to its function.

The module only imports the developer's functions and builds plain dataclasses, so
importing it stays cheap; the runtime (Starlette, SQLAlchemy, ...) loads in ``create_app``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from sentinel_spec.appspec import (
    Api,
    ApiNamespace,
    AppSpec,
    Auth,
    Configurable,
    Crud,
    EmailSender,
    EnvValue,
    ExtImport,
    Job,
    Operation,
    RateLimit,
    Server,
    SocketIO,
    WebSocket,
    Workspaces,
)
from sentinel_spec.contract.names import kebab, starlette_path
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.drafts import HEADER, FileDraft
from sentinel_spec.generator.imports import ImportTable
from sentinel_spec.generator.settings import env_call, env_uses
from sentinel_spec.generator.templating import render

# Names server.py defines or imports itself; a user function may not shadow them.
RESERVED = ("APP", "TYPE_CHECKING", "Path", "Starlette", "ROOT", "annotations", "create_app")
RESERVED_MODULES = ("d", "models", "settings")

Kwargs = list[tuple[str, px.Expr]]


def generate(spec: AppSpec) -> list[FileDraft]:
    table = ImportTable(user_functions(spec), (*RESERVED, *RESERVED_MODULES))
    decl = _Decl(spec, table).app()
    content = render(
        "server.py.jinja",
        header=HEADER,
        has_models=bool(spec.entities),
        imports=table.lines(),
        app=px.render(decl, prefix=len("APP = ")),
    )
    return [FileDraft("server.py", content)]


def user_functions(spec: AppSpec) -> Iterator[ExtImport]:
    """Every developer function server.py references (and so imports)."""
    server = spec.app.server
    yield from _present(server.setup_fn, server.middleware_config_fn)
    for op in spec.operations:
        yield op.fn
    for api in spec.apis:
        yield from _present(api.fn, api.middleware_config_fn)
    for ns in spec.api_namespaces:
        yield ns.middleware_config_fn
    for route in spec.routes:
        yield spec.page(route.to).component
    for crud in spec.cruds:
        yield from _present(*(op.override_fn for op in crud.operations))
    for job in spec.jobs:
        yield job.fn
    for ws in spec.websockets:
        yield ws.fn
    if spec.app.web_socket is not None:
        yield spec.app.web_socket.fn
    auth = spec.app.auth
    if auth is not None:
        google = auth.methods.google
        email = auth.methods.email
        yield from _present(
            auth.on_before_signup,
            auth.on_after_signup,
            auth.on_before_login,
            auth.on_after_login,
            auth.on_after_email_verified,
        )
        if google is not None:
            yield from _present(google.config_fn, google.user_signup_fields)
        if email is not None:
            yield from _present(
                email.user_signup_fields, email.verification_email_fn, email.reset_email_fn
            )


def _present(*fns: ExtImport | None) -> Iterator[ExtImport]:
    return (fn for fn in fns if fn is not None)


class _Decl:
    """Builds the ``d.AppDecl(...)`` expression; one method per declaration kind."""

    def __init__(self, spec: AppSpec, table: ImportTable) -> None:
        self.spec = spec
        self.table = table
        self.where = {id(env): path for path, env in env_uses(spec)}

    def fn(self, fn: ExtImport | None) -> px.Expr:
        return px.Code(self.table.local(fn)) if fn is not None else px.lit(None)

    def configurable(self, value: Configurable) -> px.Expr:
        if isinstance(value, EnvValue):
            return env_call("d.Env", value, self.where.get(id(value), ""))
        if isinstance(value, list):
            return px.Tuple(tuple(px.lit(v) for v in value))
        return px.literal(value)

    def entities(self, names: tuple[str, ...]) -> Kwargs:
        if not names:
            return []
        items = tuple((px.lit(n), px.Code(f"models.{n}")) for n in names)
        return [("entities", px.Dict(items))]

    def app(self) -> px.Call:
        spec = self.spec
        app = spec.app
        kwargs: Kwargs = [("name", px.lit(app.name)), ("title", px.lit(app.title))]
        groups: list[tuple[str, list[px.Expr]]] = [
            ("operations", [self.operation(op) for op in spec.operations]),
            ("apis", [self.api(api) for api in spec.apis]),
            ("api_namespaces", [self.namespace(ns) for ns in spec.api_namespaces]),
            ("pages", [self.page(r.name, r.path, r.to) for r in spec.routes]),
            ("cruds", [self.crud(crud) for crud in spec.cruds]),
            ("jobs", [self.job(job) for job in spec.jobs]),
            ("websockets", [self.websocket(ws) for ws in spec.websockets]),
        ]
        kwargs += [(key, px.Tuple(tuple(items))) for key, items in groups if items]
        kwargs += self.server(app.server)
        if app.auth is not None:
            kwargs.append(("auth", self.auth(app.auth)))
        if app.email_sender is not None:
            kwargs.append(("email_sender", self.email_sender(app.email_sender)))
        if app.web_socket is not None:
            kwargs.append(("socket_io", self.socket_io(app.web_socket)))
        kwargs.append(("env", px.Code("settings.ENV")))
        if spec.entities:
            kwargs.append(("metadata", px.Code("models.Base.metadata")))
        kwargs.append(("templates_dir", px.Code('str(ROOT / "src" / "client" / "templates")')))
        kwargs.append(("openapi_path", px.Code('str(ROOT / "generated" / "openapi.json")')))
        return px.Call("d.AppDecl", kwargs=tuple(kwargs), explode=True)

    def rate_limit(self, limit: RateLimit | None) -> Kwargs:
        if limit is None:
            return []
        call = px.Call(
            "d.RateLimit",
            kwargs=(
                ("limit", px.lit(limit.limit)),
                ("per_seconds", px.lit(limit.per_seconds)),
                ("by", px.lit(limit.by)),
            ),
        )
        return [("rate_limit", call)]

    def operation(self, op: Operation) -> px.Call:
        kwargs: Kwargs = [
            ("name", px.lit(op.name)),
            ("route_name", px.lit(kebab(op.name))),
            ("kind", px.lit(op.kind)),
            ("fn", self.fn(op.fn)),
            *self.entities(op.entities),
            ("auth", px.lit(op.auth)),
            *self.rate_limit(op.rate_limit),
        ]
        return px.Call("d.Operation", kwargs=tuple(kwargs), explode=True)

    def api(self, api: Api) -> px.Call:
        kwargs: Kwargs = [
            ("name", px.lit(api.name)),
            ("method", px.lit(api.method)),
            ("path", px.lit(starlette_path(api.path))),
            ("fn", self.fn(api.fn)),
            *self.entities(api.entities),
            ("auth", px.lit(api.auth)),
        ]
        if api.middleware_config_fn is not None:
            kwargs.append(("middleware_config_fn", self.fn(api.middleware_config_fn)))
        kwargs += self.rate_limit(api.rate_limit)
        return px.Call("d.Api", kwargs=tuple(kwargs), explode=True)

    def namespace(self, ns: ApiNamespace) -> px.Call:
        kwargs: Kwargs = [
            ("name", px.lit(ns.name)),
            ("path", px.lit(ns.path)),
            ("middleware_config_fn", self.fn(ns.middleware_config_fn)),
        ]
        return px.Call("d.ApiNamespace", kwargs=tuple(kwargs), explode=True)

    def page(self, route_name: str, path: str, page_name: str) -> px.Call:
        page = self.spec.page(page_name)
        kwargs: Kwargs = [
            ("name", px.lit(page.name)),
            ("path", px.lit(starlette_path(path))),
            ("component", self.fn(page.component)),
            ("auth_required", px.lit(page.auth_required)),
        ]
        return px.Call("d.Page", kwargs=tuple(kwargs), explode=True)

    def crud(self, crud: Crud) -> px.Call:
        ops: list[px.Expr] = []
        for op in crud.operations:
            op_kwargs: Kwargs = [("op", px.lit(op.op)), ("is_public", px.lit(op.is_public))]
            if op.override_fn is not None:
                op_kwargs.append(("override_fn", self.fn(op.override_fn)))
            ops.append(px.Call("d.CrudOperation", kwargs=tuple(op_kwargs)))
        kwargs: Kwargs = [
            ("name", px.lit(crud.name)),
            ("route_name", px.lit(kebab(crud.name))),
            ("model", px.Code(f"models.{crud.entity}")),
            ("operations", px.Tuple(tuple(ops))),
        ]
        return px.Call("d.Crud", kwargs=tuple(kwargs), explode=True)

    def job(self, job: Job) -> px.Call:
        options = _call("d.JobOptions", _fields_of(job.options))
        kwargs: Kwargs = [("name", px.lit(job.name)), ("fn", self.fn(job.fn))]
        kwargs.append(("options", options))
        if job.schedule is not None:
            kwargs.append(("cron", px.lit(job.schedule.cron)))
            kwargs.append(("cron_args", px.literal(job.schedule.args)))
            kwargs.append(("timezone", px.lit(job.schedule.timezone)))
        kwargs += self.entities(job.entities)
        return px.Call("d.Job", kwargs=tuple(kwargs), explode=True)

    def websocket(self, ws: WebSocket) -> px.Call:
        kwargs: Kwargs = [
            ("name", px.lit(ws.name)),
            ("path", px.lit(starlette_path(ws.path))),
            ("fn", self.fn(ws.fn)),
            ("auth", px.lit(ws.auth)),
        ]
        return px.Call("d.WebSocket", kwargs=tuple(kwargs), explode=True)

    def server(self, server: Server) -> Kwargs:
        kwargs: Kwargs = []
        if server.setup_fn is not None:
            kwargs.append(("setup_fn", self.fn(server.setup_fn)))
        if server.middleware_config_fn is not None:
            kwargs.append(("middleware_config_fn", self.fn(server.middleware_config_fn)))
        if server.cors_origins is not None:
            kwargs.append(("cors_origins", self.configurable(server.cors_origins)))
        body_limits = px.Call("d.BodyLimits", kwargs=tuple(_fields_of(server.body_limits)))
        kwargs.append(("body_limits", body_limits))
        rate = server.rate_limit
        if rate.default is not None:
            kwargs += [("default_rate_limit", self.rate_limit(rate.default)[0][1])]
        kwargs.append(("rate_limit_storage", self.configurable(rate.storage)))
        kwargs.append(("rate_limit_fail_open", px.lit(rate.fail_open)))
        if server.sentry is not None:
            sentry = px.Call(
                "d.Sentry",
                kwargs=(
                    ("dsn", self.configurable(server.sentry.dsn)),
                    ("traces_sample_rate", px.lit(server.sentry.traces_sample_rate)),
                    *(
                        [("environment", self.configurable(server.sentry.environment))]
                        if server.sentry.environment is not None
                        else []
                    ),
                ),
                explode=True,
            )
            kwargs.append(("sentry", sentry))
        return kwargs

    def auth(self, auth: Auth) -> px.Call:
        spec = self.spec
        user_model = px.Code(f"models.{auth.user_entity}") if spec.entities else px.lit(None)
        kwargs: Kwargs = [
            ("user_model", user_model),
            ("on_auth_failed_redirect_to", px.lit(auth.on_auth_failed_redirect_to)),
            ("on_auth_succeeded_redirect_to", px.lit(auth.on_auth_succeeded_redirect_to)),
        ]
        email = auth.methods.email
        if email is not None:
            email_kwargs: Kwargs = [
                ("from_email", px.lit(email.from_field.email)),
                ("from_name", px.lit(email.from_field.name)),
                (
                    "email_verification_path",
                    self.route_path(email.email_verification_route),
                ),
                ("password_reset_path", self.route_path(email.password_reset_route)),
            ]
            email_kwargs += [
                (key, self.fn(fn))
                for key, fn in (
                    ("user_signup_fields", email.user_signup_fields),
                    ("verification_email_fn", email.verification_email_fn),
                    ("reset_email_fn", email.reset_email_fn),
                )
                if fn is not None
            ]
            kwargs.append(("email", _call("d.EmailAuthDecl", email_kwargs)))
        google = auth.methods.google
        if google is not None:
            google_kwargs: Kwargs = [
                (key, self.fn(fn))
                for key, fn in (
                    ("config_fn", google.config_fn),
                    ("user_signup_fields", google.user_signup_fields),
                )
                if fn is not None
            ]
            kwargs.append(("google", _call("d.GoogleAuthDecl", google_kwargs)))
        kwargs.append(
            ("password_policy", _call("d.PasswordPolicyDecl", _fields_of(auth.password_policy)))
        )
        kwargs.append(("sessions", _call("d.SessionsDecl", _fields_of(auth.sessions))))
        if auth.two_factor is not None:
            kwargs.append(("two_factor", _call("d.TwoFactorDecl", _fields_of(auth.two_factor))))
        kwargs += [
            (key, self.fn(fn))
            for key, fn in (
                ("on_before_signup", auth.on_before_signup),
                ("on_after_signup", auth.on_after_signup),
                ("on_before_login", auth.on_before_login),
                ("on_after_login", auth.on_after_login),
                ("on_after_email_verified", auth.on_after_email_verified),
            )
            if fn is not None
        ]
        if auth.workspaces is not None:
            kwargs.append(("workspaces", self.workspaces(auth.workspaces)))
        return px.Call("d.AuthDecl", kwargs=tuple(kwargs), explode=True)

    def workspaces(self, workspaces: Workspaces) -> px.Call:
        kwargs: Kwargs = [
            ("workspace_model", px.Code(f"models.{workspaces.entity}")),
            ("member_model", px.Code(f"models.{workspaces.member_entity}")),
            ("role_field", px.lit(workspaces.role_field)),
            ("user_field", px.lit(workspaces.user_field)),
            ("workspace_field", px.lit(workspaces.workspace_field)),
        ]
        if workspaces.ip_allowlist_field is not None:
            kwargs.append(("ip_allowlist_field", px.lit(workspaces.ip_allowlist_field)))
        if workspaces.session_timeout_field is not None:
            kwargs.append(("session_timeout_field", px.lit(workspaces.session_timeout_field)))
        return _call("d.WorkspacesDecl", kwargs)

    def email_sender(self, sender: EmailSender) -> px.Call:
        kwargs: Kwargs = [("provider", px.lit(sender.provider))]
        if sender.default_from is not None:
            kwargs.append(("default_from_email", px.lit(sender.default_from.email)))
            kwargs.append(("default_from_name", px.lit(sender.default_from.name)))
        return _call("d.EmailSenderDecl", kwargs)

    def socket_io(self, socket: SocketIO) -> px.Call:
        kwargs: Kwargs = [("fn", self.fn(socket.fn)), ("path", px.lit(socket.path))]
        return _call("d.SocketIODecl", kwargs)

    def route_path(self, route_name: str | None) -> px.Expr:
        for route in self.spec.routes:
            if route.name == route_name:
                return px.lit(route.path)
        return px.lit(None)


def _call(func: str, kwargs: Kwargs) -> px.Call:
    return px.Call(func, kwargs=tuple(kwargs), explode=True)


def _fields_of(value: object) -> Kwargs:
    """A dataclass's fields as keyword arguments, for a runtime class of the same shape."""
    assert dataclasses.is_dataclass(value)
    return [(f.name, px.lit(getattr(value, f.name))) for f in dataclasses.fields(value)]
