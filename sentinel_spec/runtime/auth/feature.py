"""``install(builder)`` of the auth feature: config from ``AppDecl.auth`` and the
environment, the service and its authenticator, and the routes of the route plan."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection
from starlette.routing import Route

from sentinel_spec.contract.declarations import AppDecl, AuthDecl
from sentinel_spec.contract.routes import auth_routes
from sentinel_spec.runtime.auth.authenticator import SessionAuthenticator, origin_of
from sentinel_spec.runtime.auth.config import (
    GOOGLE_ISSUER_ALIASES,
    AuthConfig,
    AuthConfigError,
    EmailMethod,
    GoogleMethod,
    Hooks,
    TwoFactorOptions,
    WorkspaceRules,
    environment_settings,
    google_credentials,
)
from sentinel_spec.runtime.auth.policy import PasswordPolicy
from sentinel_spec.runtime.auth.sessions import SessionTimeouts
from sentinel_spec.runtime.auth.tables import auth_tables_of
from sentinel_spec.runtime.settings import Settings, SettingsError

if TYPE_CHECKING:
    from sentinel_spec.runtime.state import AppBuilder, RuntimeState

DEV_DIR = Path(".sentinel")  # `sentinel dev` runs in the project folder


class RuntimeHost:
    """The runtime's state, as the auth feature's ``Host``."""

    def __init__(self, state: RuntimeState, user_entity: str, user_model: type) -> None:
        self.state = state
        self._entities = {user_entity: user_model}

    def unit_of_work(self) -> AbstractAsyncContextManager[Any]:
        return self.state.unit_of_work()

    def mailer(self, scope: Any) -> Any | None:
        mailer = self.state.services.mailer
        return None if mailer is None else mailer.bind(scope)

    def rate_limiter(self) -> Any | None:
        return self.state.services.rate_limiter

    def hook_context(self, conn: HTTPConnection | None, scope: Any, user: Any) -> Any:
        return self.state.context(conn, "auth hook", self._entities, user, scope)  # type: ignore[arg-type]


def _email(auth: AuthDecl) -> EmailMethod | None:
    email = auth.email
    if email is None:
        return None
    method = EmailMethod(
        from_email=email.from_email,
        from_name=email.from_name,
        user_signup_fields=email.user_signup_fields,
        verification_email_fn=email.verification_email_fn,
        reset_email_fn=email.reset_email_fn,
    )
    paths = {}
    if email.email_verification_path:
        paths["verification_path"] = email.email_verification_path
    if email.password_reset_path:
        paths["reset_path"] = email.password_reset_path
    return EmailMethod(**{**method.__dict__, **paths})


def _trusted_origins(decl: AppDecl, settings: Settings, app_url: str) -> tuple[str, ...]:
    from sentinel_spec.runtime.middleware.cors import parse_origins

    origins = [app_url, *parse_origins(settings.resolve(decl.cors_origins))]
    # "*" lets any site read CORS answers; it must never vouch for a cookie-carrying post.
    return tuple(dict.fromkeys(o for o in (origin_of(x) for x in origins if x != "*") if o))


def build_config(
    decl: AppDecl,
    settings: Settings,
    dev_dir: Path | None = DEV_DIR,
    warnings: list[str] | None = None,
) -> AuthConfig:
    """The feature's config; every problem at once as a ``SettingsError``. In development a
    missing Google client only turns Google sign-in off (a line in ``warnings``)."""
    auth = decl.auth
    assert auth is not None
    problems: list[str] = []
    if auth.user_model is None or decl.metadata is None:
        raise SettingsError(["app.auth needs the generated models: run `sentinel build`"])
    try:
        app_url, keys, development, argon2, cache_ttl, limits = environment_settings(
            settings.environ, dev_dir
        )
    except AuthConfigError as error:
        raise SettingsError([str(error)]) from None
    google = None
    if auth.google is not None:
        try:
            client_id, client_secret, discovery = google_credentials(settings.environ)
            google = GoogleMethod(
                client_id,
                client_secret,
                discovery,
                config_fn=auth.google.config_fn,
                user_signup_fields=auth.google.user_signup_fields,
            )
        except AuthConfigError as error:
            if development and warnings is not None:
                warnings.append(f"Google sign-in is off: {error}")
            else:
                problems.append(str(error))
    try:
        tables = auth_tables_of(decl.metadata, auth.user_model.__table__)  # type: ignore[attr-defined]
    except LookupError as error:
        problems.append(str(error))
    if problems:
        raise SettingsError(problems)
    policy, sessions = auth.password_policy, auth.sessions
    workspaces = auth.workspaces
    return AuthConfig(
        app_name=decl.title or decl.name,
        user_model=auth.user_model,
        tables=tables,
        on_auth_failed_redirect_to=auth.on_auth_failed_redirect_to,
        on_auth_succeeded_redirect_to=auth.on_auth_succeeded_redirect_to,
        app_url=app_url,
        keys=keys,
        development=development,
        email=_email(auth),
        google=google,
        policy=PasswordPolicy(
            policy.min_length,
            policy.require_upper,
            policy.require_lower,
            policy.require_digit,
            policy.require_symbol,
        ),
        timeouts=SessionTimeouts(sessions.idle_timeout_seconds, sessions.absolute_timeout_seconds),
        refresh_ttl_seconds=sessions.refresh_ttl_seconds,
        refresh_rotate=sessions.refresh_rotate,
        two_factor=TwoFactorOptions(auth.two_factor.issuer, auth.two_factor.backup_codes)
        if auth.two_factor is not None
        else None,
        hooks=Hooks(
            on_before_signup=auth.on_before_signup,
            on_after_signup=auth.on_after_signup,
            on_before_login=auth.on_before_login,
            on_after_login=auth.on_after_login,
            on_after_email_verified=auth.on_after_email_verified,
        ),
        workspaces=WorkspaceRules(
            workspace_model=workspaces.workspace_model,
            member_model=workspaces.member_model,
            role_field=workspaces.role_field,
            user_field=workspaces.user_field,
            workspace_field=workspaces.workspace_field,
            ip_allowlist_field=workspaces.ip_allowlist_field,
            session_timeout_field=workspaces.session_timeout_field,
        )
        if workspaces is not None
        else None,
        argon2=argon2,
        session_cache_seconds=cache_ttl,
        limits=limits,
        trusted_origins=_trusted_origins(decl, settings, app_url),
        templates_dir=decl.templates_dir,
    )


def install_auth(builder: AppBuilder) -> None:
    from sentinel_spec.runtime.auth.email_password import EmailPasswordAuth
    from sentinel_spec.runtime.auth.google import GoogleLogin
    from sentinel_spec.runtime.auth.pages import AuthPages
    from sentinel_spec.runtime.auth.pruning import AuthPruner, PruneConfigError, PruneSettings
    from sentinel_spec.runtime.auth.routes import AuthRoutes
    from sentinel_spec.runtime.auth.service import AuthService

    decl = builder.decl
    auth = decl.auth
    assert auth is not None and auth.user_model is not None
    warnings: list[str] = []
    config = build_config(decl, builder.settings, warnings=warnings)
    try:
        prune_settings = PruneSettings.from_env(builder.settings.environ)
    except PruneConfigError as error:
        raise SettingsError([str(error)]) from None
    for warning in warnings:
        builder.not_served("auth.methods.google", warning)
    host = RuntimeHost(builder.state, auth.user_model.__name__, auth.user_model)
    service = AuthService(config, host)
    authenticator = SessionAuthenticator(service, frozenset(config.trusted_origins))
    email = EmailPasswordAuth(service, config.email) if config.email is not None else None
    google = None
    if config.google is not None:
        aliases = (
            GOOGLE_ISSUER_ALIASES if "accounts.google.com" in config.google.discovery_url else ()
        )
        google = GoogleLogin(service, config.google, issuer_aliases=aliases)
    routes = AuthRoutes(service, authenticator, email, google)
    pages = AuthPages(routes)
    authenticator.pages = pages
    builder.services.authenticator = authenticator
    # Expired sessions and tokens are deleted on a timer (pruning.py), jobs or not.
    pruner = AuthPruner(host, config.tables, prune_settings, service.sessions.clock)
    service.pruner = pruner
    builder.on_startup(pruner.start)
    builder.on_shutdown(pruner.stop)

    endpoints = routes.endpoints()
    by_path = pages.endpoints()
    mounted = []
    for planned in auth_routes(
        email=auth.email is not None,
        google=auth.google is not None,
        two_factor=auth.two_factor is not None,
    ):
        endpoint = endpoints[planned.name] if planned.kind == "auth" else by_path[planned.path]
        mounted.append(
            Route(planned.path, endpoint, methods=list(planned.methods), name=planned.route_name)
        )
    builder.add_routes(mounted)
