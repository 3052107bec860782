# Generated from app.sq by sentinel; do not edit.
"""Every declaration of app.sq as one literal AppDecl, wired to the functions in src/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sentinel_spec.contract import declarations as d

if TYPE_CHECKING:
    from starlette.applications import Starlette

from generated import models, settings
from src.client.pages.auth import login_page, reset_password_page, verify_email_page
from src.client.pages.home import dashboard_page, home_page
from src.core.accounts import on_after_signup
from src.core.greetings import crash, fail_with_http_error, get_greeting
from src.core.tasks import create_task, get_tasks
from src.jobs.digest import send_digest
from src.server.api.admin import admin_middleware, admin_stats
from src.server.api.echo import echo_middleware
from src.server.api.echo import handler as echo_handler
from src.server.api.ping import handler as ping_handler
from src.server.setup import server_middleware, setup_server
from src.server.sockets import notifications_socket

# The project folder (the one holding app.sq, src/ and generated/), wherever it is deployed.
ROOT = Path(__file__).resolve().parent.parent

APP = d.AppDecl(
    name="Tracker",
    title="Tracker",
    operations=(
        d.Operation(
            name="getGreeting",
            route_name="get-greeting",
            kind="query",
            fn=get_greeting,
            auth=False,
        ),
        d.Operation(
            name="getTasks",
            route_name="get-tasks",
            kind="query",
            fn=get_tasks,
            entities={
                "Task": models.Task,
            },
            auth=True,
        ),
        d.Operation(
            name="createTask",
            route_name="create-task",
            kind="action",
            fn=create_task,
            entities={
                "Task": models.Task,
            },
            auth=False,
            rate_limit=d.RateLimit(limit=5, per_seconds=60, by="ip"),
        ),
        d.Operation(
            name="failWithHttpError",
            route_name="fail-with-http-error",
            kind="action",
            fn=fail_with_http_error,
            auth=False,
        ),
        d.Operation(
            name="crash",
            route_name="crash",
            kind="action",
            fn=crash,
            auth=False,
        ),
    ),
    apis=(
        d.Api(
            name="ping",
            method="GET",
            path="/api/ping",
            fn=ping_handler,
            auth=False,
        ),
        d.Api(
            name="echoItem",
            method="ALL",
            path="/api/items/{itemId}",
            fn=echo_handler,
            auth=False,
            middleware_config_fn=echo_middleware,
        ),
        d.Api(
            name="adminStats",
            method="GET",
            path="/api/admin/stats",
            fn=admin_stats,
            auth=False,
        ),
    ),
    api_namespaces=(
        d.ApiNamespace(
            name="adminApi",
            path="/api/admin",
            middleware_config_fn=admin_middleware,
        ),
    ),
    pages=(
        d.Page(
            name="HomePage",
            path="/",
            component=home_page,
            auth_required=False,
        ),
        d.Page(
            name="DashboardPage",
            path="/dashboard",
            component=dashboard_page,
            auth_required=True,
        ),
        d.Page(
            name="LoginPage",
            path="/login",
            component=login_page,
            auth_required=False,
        ),
        d.Page(
            name="VerifyEmailPage",
            path="/verify-email",
            component=verify_email_page,
            auth_required=False,
        ),
        d.Page(
            name="ResetPasswordPage",
            path="/reset-password",
            component=reset_password_page,
            auth_required=False,
        ),
    ),
    cruds=(
        d.Crud(
            name="Tasks",
            route_name="tasks",
            model=models.Task,
            operations=(
                d.CrudOperation(op="get", is_public=False),
                d.CrudOperation(op="getAll", is_public=True),
                d.CrudOperation(op="create", is_public=False),
                d.CrudOperation(op="update", is_public=False),
                d.CrudOperation(op="delete", is_public=False),
            ),
        ),
    ),
    jobs=(
        d.Job(
            name="sendDigest",
            fn=send_digest,
            options=d.JobOptions(
                retry_limit=3,
                retry_delay_seconds=60,
                retry_backoff=False,
                expire_in_seconds=None,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
            ),
            cron="0 7 * * *",
            cron_args={
                "full": True,
            },
            timezone="UTC",
            entities={
                "Task": models.Task,
                "User": models.User,
            },
        ),
    ),
    websockets=(
        d.WebSocket(
            name="notifications",
            path="/ws/notifications",
            fn=notifications_socket,
            auth=True,
        ),
    ),
    auth=d.AuthDecl(
        user_model=models.User,
        on_auth_failed_redirect_to="/login",
        on_auth_succeeded_redirect_to="/dashboard",
        email=d.EmailAuthDecl(
            from_email="noreply@tracker.test",
            from_name="Tracker",
            email_verification_path="/verify-email",
            password_reset_path="/reset-password",
        ),
        password_policy=d.PasswordPolicyDecl(
            min_length=10,
            require_upper=False,
            require_lower=False,
            require_digit=True,
            require_symbol=False,
        ),
        sessions=d.SessionsDecl(
            idle_timeout_seconds=1800,
            absolute_timeout_seconds=43200,
            refresh_ttl_seconds=2592000,
            refresh_rotate=True,
        ),
        two_factor=d.TwoFactorDecl(
            issuer="Tracker",
            backup_codes=10,
        ),
        on_after_signup=on_after_signup,
    ),
    setup_fn=setup_server,
    middleware_config_fn=server_middleware,
    cors_origins=d.Env(
        "CORS_ORIGINS", "http://localhost:3000", required=False, where="app.server.cors_origins"
    ),
    body_limits=d.BodyLimits(json_bytes=1048576, form_bytes=1048576, raw_bytes=5242880),
    default_rate_limit=d.RateLimit(limit=100, per_seconds=60, by="ip"),
    rate_limit_storage=d.Env(
        "REDIS_URL", "memory://", required=False, where="app.server.rate_limit.storage"
    ),
    rate_limit_fail_open=True,
    sentry=d.Sentry(
        dsn=d.Env("SENTRY_DSN", "", required=False, where="app.server.sentry.dsn"),
        traces_sample_rate=0.5,
    ),
    email_sender=d.EmailSenderDecl(
        provider="Console",
    ),
    env=settings.ENV,
    metadata=models.Base.metadata,
    templates_dir=str(ROOT / "src" / "client" / "templates"),
    openapi_path=str(ROOT / "generated" / "openapi.json"),
)


def create_app() -> Starlette:
    """The ASGI app; the runtime is imported here so importing APP stays cheap."""
    from sentinel_spec.runtime.app import create_app as create_runtime_app

    return create_runtime_app(APP)
