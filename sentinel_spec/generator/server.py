"""``generated/server.py``: one literal ``AppDecl`` wiring every declaration to its function.

The app itself (name, server settings, email sender, env, models) is written here; every
declaration kind is written by its module in ``generator/features/``. The module only
imports the developer's functions and builds plain dataclasses, so importing it stays
cheap; the runtime (Starlette, SQLAlchemy, ...) loads in ``create_app``.
"""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, EmailSender, ExtImport, Server, ServerLimits
from sentinel_spec.generator import features
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, fields_of, present
from sentinel_spec.generator.drafts import HEADER, FileDraft
from sentinel_spec.generator.imports import ImportTable
from sentinel_spec.generator.templating import render

# Names server.py defines or imports itself; a user function may not shadow them.
RESERVED = ("APP", "TYPE_CHECKING", "Path", "Starlette", "ROOT", "annotations", "create_app")
RESERVED_MODULES = ("d", "models", "settings")


def generate(spec: AppSpec) -> list[FileDraft]:
    table = ImportTable(user_functions(spec), (*RESERVED, *RESERVED_MODULES))
    decl = app_declaration(spec, DeclWriter(spec, table))
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
    yield from present(server.setup_fn, server.middleware_config_fn)
    yield from features.functions(spec)


def app_declaration(spec: AppSpec, w: DeclWriter) -> px.Call:
    app = spec.app
    kwargs: Kwargs = [("name", px.lit(app.name)), ("title", px.lit(app.title))]
    kwargs += features.declarations(spec, w)
    kwargs += server_settings(app.server, w)
    if app.email_sender is not None:
        kwargs.append(("email_sender", email_sender(app.email_sender)))
    kwargs.append(("env", px.Code("settings.ENV")))
    if spec.entities:
        kwargs.append(("metadata", px.Code("models.Base.metadata")))
    kwargs.append(("templates_dir", px.Code('str(ROOT / "src" / "client" / "templates")')))
    kwargs.append(("openapi_path", px.Code('str(ROOT / "generated" / "openapi.json")')))
    return call("d.AppDecl", kwargs)


def server_settings(server: Server, w: DeclWriter) -> Kwargs:
    kwargs: Kwargs = []
    if server.setup_fn is not None:
        kwargs.append(("setup_fn", w.fn(server.setup_fn)))
    if server.middleware_config_fn is not None:
        kwargs.append(("middleware_config_fn", w.fn(server.middleware_config_fn)))
    if server.cors_origins is not None:
        kwargs.append(("cors_origins", w.configurable(server.cors_origins)))
    if server.cors_origins_by_env:
        by_env = tuple(
            (px.lit(name), w.configurable(origins))
            for name, origins in server.cors_origins_by_env.items()
        )
        kwargs.append(("cors_origins_by_env", px.Dict(by_env)))
    if not server.cors_credentials:
        kwargs.append(("cors_credentials", px.lit(False)))
    if server.cors_max_age_seconds != 600:
        kwargs.append(("cors_max_age", px.lit(server.cors_max_age_seconds)))
    body_limits = px.Call("d.BodyLimits", kwargs=tuple(fields_of(server.body_limits)))
    kwargs.append(("body_limits", body_limits))
    rate = server.rate_limit
    if rate.default is not None:
        kwargs.append(("default_rate_limit", w.rate_limit_call(rate.default)))
    kwargs.append(("rate_limit_storage", w.configurable(rate.storage)))
    kwargs.append(("rate_limit_fail_open", px.lit(rate.fail_open)))
    if rate.named:
        named = tuple((px.lit(name), w.rate_limit_call(rule)) for name, rule in rate.named)
        kwargs.append(("named_rate_limits", px.Dict(named)))
    if server.trusted_proxies is not None:
        kwargs.append(("trusted_proxies", w.configurable(server.trusted_proxies)))
    overrides = server.security_headers.overrides()
    if overrides:
        items = tuple((px.lit(name), px.lit(value)) for name, value in overrides.items())
        kwargs.append(("security_headers", px.Dict(items)))
    if server.limits != ServerLimits():
        limits = px.Call("d.ServerLimits", kwargs=tuple(fields_of(server.limits)))
        kwargs.append(("server_limits", limits))
    sentry = server.sentry
    if sentry is not None:
        sentry_kwargs: Kwargs = [
            ("dsn", w.configurable(sentry.dsn)),
            ("traces_sample_rate", px.lit(sentry.traces_sample_rate)),
        ]
        for key, value in (("environment", sentry.environment), ("release", sentry.release)):
            if value is not None:
                sentry_kwargs.append((key, w.configurable(value)))
        kwargs.append(("sentry", call("d.Sentry", sentry_kwargs)))
    return kwargs


def email_sender(sender: EmailSender) -> px.Call:
    kwargs: Kwargs = [("provider", px.lit(sender.provider))]
    if sender.default_from is not None:
        kwargs.append(("default_from_email", px.lit(sender.default_from.email)))
        kwargs.append(("default_from_name", px.lit(sender.default_from.name)))
    return call("d.EmailSenderDecl", kwargs)
