# Generated from app.sq by sentinel; do not edit.
"""Every declaration of app.sq as one literal AppDecl, wired to the functions in src/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sentinel_spec.contract import declarations as d

if TYPE_CHECKING:
    from starlette.applications import Starlette

from generated import models, settings
from src.client.assets import asset
from src.client.pages.audit import audit_log_page
from src.client.pages.auth import (
    email_verification_page,
    forgot_password_page,
    login_page,
    password_reset_page,
    signup_page,
    two_factor_page,
)
from src.client.pages.dashboard import dashboard_page
from src.client.pages.landing import landing_page
from src.client.pages.notifications import notifications_form, notifications_page
from src.client.pages.onboarding import onboarding_form, onboarding_page
from src.client.pages.status import status_page
from src.core.aegis.operations import (
    create_alert,
    create_incident,
    update_alert_status,
    update_incident,
)
from src.core.auth.google import google_config
from src.core.auth.hooks import on_after_login, on_after_signup
from src.core.auth.signup import email_signup_fields, google_signup_fields
from src.core.jobs.backup import backup_database
from src.core.jobs.daily_stats import calculate_daily_stats
from src.core.jobs.retention import cleanup_audit_logs, cleanup_expired_invitations
from src.core.notifications.cleanup import cleanup_old_notifications
from src.core.notifications.delivery import deliver_notifications, process_notification_retries
from src.core.notifications.digest import send_digests
from src.core.notifications.operations import (
    delete_all_notifications,
    delete_notification,
    delete_notification_provider,
    get_notification_delivery_logs,
    get_notification_preferences,
    get_notification_providers,
    get_notifications,
    get_push_subscriptions,
    get_unread_count,
    mark_all_as_read,
    mark_as_read,
    remove_all_push_subscriptions,
    remove_push_subscription,
    save_notification_provider,
    save_push_subscription,
    toggle_notification_provider,
    update_notification_preferences,
)
from src.core.workspace.operations import (
    create_workspace,
    delete_workspace,
    get_workspaces,
    update_workspace,
)
from src.server.api.email_preview import email_preview
from src.server.api.screenshot import alert_screenshot
from src.server.middleware_config import server_middleware
from src.server.notification_ws import notifications_socket
from src.server.setup import setup_server
from src.server.upload_socket import on_socket_connect

# The project folder (the one holding app.sq, src/ and generated/), wherever it is deployed.
ROOT = Path(__file__).resolve().parent.parent

APP = d.AppDecl(
    name="SentinelIQ",
    title="SentinelIQ",
    operations=(
        d.Operation(
            name="getWorkspaces",
            route_name="get-workspaces",
            kind="query",
            fn=get_workspaces,
            entities={
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
            },
            auth=True,
        ),
        d.Operation(
            name="getNotifications",
            route_name="get-notifications",
            kind="query",
            fn=get_notifications,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
        ),
        d.Operation(
            name="getUnreadCount",
            route_name="get-unread-count",
            kind="query",
            fn=get_unread_count,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
        ),
        d.Operation(
            name="getNotificationProviders",
            route_name="get-notification-providers",
            kind="query",
            fn=get_notification_providers,
            entities={
                "NotificationProvider": models.NotificationProvider,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
            },
            auth=True,
        ),
        d.Operation(
            name="getNotificationPreferences",
            route_name="get-notification-preferences",
            kind="query",
            fn=get_notification_preferences,
            entities={
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
        ),
        d.Operation(
            name="getPushSubscriptions",
            route_name="get-push-subscriptions",
            kind="query",
            fn=get_push_subscriptions,
            entities={
                "PushSubscription": models.PushSubscription,
            },
            auth=True,
        ),
        d.Operation(
            name="getNotificationDeliveryLogs",
            route_name="get-notification-delivery-logs",
            kind="query",
            fn=get_notification_delivery_logs,
            entities={
                "NotificationDeliveryLog": models.NotificationDeliveryLog,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
            },
            auth=True,
        ),
        d.Operation(
            name="createWorkspace",
            route_name="create-workspace",
            kind="action",
            fn=create_workspace,
            entities={
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
        ),
        d.Operation(
            name="updateWorkspace",
            route_name="update-workspace",
            kind="action",
            fn=update_workspace,
            entities={
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
        ),
        d.Operation(
            name="deleteWorkspace",
            route_name="delete-workspace",
            kind="action",
            fn=delete_workspace,
            entities={
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=10, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="markAsRead",
            route_name="mark-as-read",
            kind="action",
            fn=mark_as_read,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=600, per_seconds=60, by="user"),
        ),
        d.Operation(
            name="markAllAsRead",
            route_name="mark-all-as-read",
            kind="action",
            fn=mark_all_as_read,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=60, per_seconds=60, by="user"),
        ),
        d.Operation(
            name="deleteNotification",
            route_name="delete-notification",
            kind="action",
            fn=delete_notification,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=600, per_seconds=60, by="user"),
        ),
        d.Operation(
            name="deleteAllNotifications",
            route_name="delete-all-notifications",
            kind="action",
            fn=delete_all_notifications,
            entities={
                "Notification": models.Notification,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=30, per_seconds=60, by="user"),
        ),
        d.Operation(
            name="saveNotificationProvider",
            route_name="save-notification-provider",
            kind="action",
            fn=save_notification_provider,
            entities={
                "NotificationProvider": models.NotificationProvider,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=30, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="toggleNotificationProvider",
            route_name="toggle-notification-provider",
            kind="action",
            fn=toggle_notification_provider,
            entities={
                "NotificationProvider": models.NotificationProvider,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=60, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="deleteNotificationProvider",
            route_name="delete-notification-provider",
            kind="action",
            fn=delete_notification_provider,
            entities={
                "NotificationProvider": models.NotificationProvider,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "AuditLog": models.AuditLog,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=30, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="updateNotificationPreferences",
            route_name="update-notification-preferences",
            kind="action",
            fn=update_notification_preferences,
            entities={
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=60, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="savePushSubscription",
            route_name="save-push-subscription",
            kind="action",
            fn=save_push_subscription,
            entities={
                "PushSubscription": models.PushSubscription,
                "NotificationPreference": models.NotificationPreference,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=30, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="removePushSubscription",
            route_name="remove-push-subscription",
            kind="action",
            fn=remove_push_subscription,
            entities={
                "PushSubscription": models.PushSubscription,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=60, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="removeAllPushSubscriptions",
            route_name="remove-all-push-subscriptions",
            kind="action",
            fn=remove_all_push_subscriptions,
            entities={
                "PushSubscription": models.PushSubscription,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=30, per_seconds=3600, by="user"),
        ),
        d.Operation(
            name="createAlert",
            route_name="create-alert",
            kind="action",
            fn=create_alert,
            entities={
                "Alert": models.Alert,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=600, per_seconds=60, by="workspace"),
        ),
        d.Operation(
            name="updateAlertStatus",
            route_name="update-alert-status",
            kind="action",
            fn=update_alert_status,
            entities={
                "Alert": models.Alert,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=600, per_seconds=60, by="user"),
        ),
        d.Operation(
            name="createIncident",
            route_name="create-incident",
            kind="action",
            fn=create_incident,
            entities={
                "Incident": models.Incident,
                "Alert": models.Alert,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=120, per_seconds=60, by="workspace"),
        ),
        d.Operation(
            name="updateIncident",
            route_name="update-incident",
            kind="action",
            fn=update_incident,
            entities={
                "Incident": models.Incident,
                "Workspace": models.Workspace,
                "WorkspaceMember": models.WorkspaceMember,
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
            },
            auth=True,
            rate_limit=d.RateLimit(limit=300, per_seconds=60, by="user"),
        ),
    ),
    apis=(
        d.Api(
            name="emailPreview",
            method="GET",
            path="/api/email-preview",
            fn=email_preview,
            auth=False,
        ),
        d.Api(
            name="screenshot",
            method="GET",
            path="/api/screenshot/{alertId}",
            fn=alert_screenshot,
            entities={
                "Alert": models.Alert,
            },
            auth=True,
        ),
        d.Api(
            name="onboardingForm",
            method="POST",
            path="/onboarding",
            fn=onboarding_form,
            auth=True,
        ),
        d.Api(
            name="notificationsForm",
            method="POST",
            path="/notifications",
            fn=notifications_form,
            auth=True,
        ),
        d.Api(
            name="assets",
            method="GET",
            path="/assets/{name}",
            fn=asset,
            auth=False,
        ),
    ),
    pages=(
        d.Page(
            name="LandingPage",
            path="/",
            component=landing_page,
            auth_required=False,
        ),
        d.Page(
            name="StatusPage",
            path="/status",
            component=status_page,
            auth_required=False,
        ),
        d.Page(
            name="LoginPage",
            path="/login",
            component=login_page,
            auth_required=False,
        ),
        d.Page(
            name="SignupPage",
            path="/signup",
            component=signup_page,
            auth_required=False,
        ),
        d.Page(
            name="EmailVerificationPage",
            path="/email-verification",
            component=email_verification_page,
            auth_required=False,
        ),
        d.Page(
            name="ForgotPasswordPage",
            path="/forgot-password",
            component=forgot_password_page,
            auth_required=False,
        ),
        d.Page(
            name="PasswordResetPage",
            path="/password-reset",
            component=password_reset_page,
            auth_required=False,
        ),
        d.Page(
            name="TwoFactorPage",
            path="/two-factor",
            component=two_factor_page,
            auth_required=False,
        ),
        d.Page(
            name="OnboardingPage",
            path="/onboarding",
            component=onboarding_page,
            auth_required=True,
        ),
        d.Page(
            name="DashboardPage",
            path="/dashboard",
            component=dashboard_page,
            auth_required=True,
        ),
        d.Page(
            name="AuditLogPage",
            path="/workspaces/{workspaceId}/audit",
            component=audit_log_page,
            auth_required=True,
        ),
        d.Page(
            name="NotificationsPage",
            path="/notifications",
            component=notifications_page,
            auth_required=True,
        ),
    ),
    cruds=(
        d.Crud(
            name="Techniques",
            route_name="techniques",
            model=models.MitreTechnique,
            operations=(
                d.CrudOperation(op="get", is_public=True),
                d.CrudOperation(op="getAll", is_public=True),
            ),
        ),
    ),
    jobs=(
        d.Job(
            name="deliverNotifications",
            fn=deliver_notifications,
            options=d.JobOptions(
                retry_limit=2,
                retry_delay_seconds=30,
                retry_backoff=False,
                expire_in_seconds=300,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            entities={
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
                "NotificationProvider": models.NotificationProvider,
                "NotificationDeliveryLog": models.NotificationDeliveryLog,
                "PushSubscription": models.PushSubscription,
                "User": models.User,
            },
        ),
        d.Job(
            name="processNotificationRetries",
            fn=process_notification_retries,
            options=d.JobOptions(
                retry_limit=0,
                retry_delay_seconds=0,
                retry_backoff=False,
                expire_in_seconds=300,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="* * * * *",
            cron_args=None,
            timezone="UTC",
            entities={
                "NotificationDeliveryLog": models.NotificationDeliveryLog,
                "NotificationProvider": models.NotificationProvider,
                "PushSubscription": models.PushSubscription,
                "User": models.User,
            },
        ),
        d.Job(
            name="sendNotificationDigests",
            fn=send_digests,
            options=d.JobOptions(
                retry_limit=0,
                retry_delay_seconds=0,
                retry_backoff=False,
                expire_in_seconds=900,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="0 * * * *",
            cron_args=None,
            timezone="UTC",
            entities={
                "Notification": models.Notification,
                "NotificationPreference": models.NotificationPreference,
                "User": models.User,
            },
        ),
        d.Job(
            name="cleanupOldNotifications",
            fn=cleanup_old_notifications,
            options=d.JobOptions(
                retry_limit=0,
                retry_delay_seconds=0,
                retry_backoff=False,
                expire_in_seconds=None,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="0 7 * * *",
            cron_args=None,
            timezone="UTC",
            entities={
                "Notification": models.Notification,
                "NotificationDeliveryLog": models.NotificationDeliveryLog,
            },
        ),
        d.Job(
            name="calculateDailyStats",
            fn=calculate_daily_stats,
            options=d.JobOptions(
                retry_limit=3,
                retry_delay_seconds=60,
                retry_backoff=True,
                expire_in_seconds=900,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="0 1 * * *",
            cron_args={
                "full": True,
            },
            timezone="UTC",
            entities={
                "Workspace": models.Workspace,
                "Alert": models.Alert,
                "Incident": models.Incident,
                "Case": models.Case,
                "DailyStats": models.DailyStats,
            },
        ),
        d.Job(
            name="cleanupAuditLogs",
            fn=cleanup_audit_logs,
            options=d.JobOptions(
                retry_limit=0,
                retry_delay_seconds=0,
                retry_backoff=False,
                expire_in_seconds=None,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="30 3 * * *",
            cron_args=None,
            timezone="UTC",
            entities={
                "AuditLog": models.AuditLog,
            },
        ),
        d.Job(
            name="cleanupExpiredInvitations",
            fn=cleanup_expired_invitations,
            options=d.JobOptions(
                retry_limit=0,
                retry_delay_seconds=0,
                retry_backoff=False,
                expire_in_seconds=None,
                singleton_key=None,
                priority=0,
                queue=None,
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="15 3 * * *",
            cron_args=None,
            timezone="UTC",
            entities={
                "WorkspaceInvitation": models.WorkspaceInvitation,
            },
        ),
        d.Job(
            name="backupDatabase",
            fn=backup_database,
            options=d.JobOptions(
                retry_limit=2,
                retry_delay_seconds=300,
                retry_backoff=False,
                expire_in_seconds=3600,
                singleton_key="nightly",
                priority=0,
                queue="maintenance",
                start_after_seconds=None,
                start_after_date=None,
            ),
            cron="0 2 * * *",
            cron_args={
                "keep": 7,
            },
            timezone="UTC",
        ),
    ),
    jobs_config=d.JobsConfig(
        retention_seconds=1209600,
        failed_retention_seconds=5184000,
    ),
    websockets=(
        d.WebSocket(
            name="notifications",
            path="/ws/notifications",
            fn=notifications_socket,
            auth=True,
        ),
    ),
    socket_io=d.SocketIODecl(
        fn=on_socket_connect,
        path="/socket.io",
    ),
    auth=d.AuthDecl(
        user_model=models.User,
        on_auth_failed_redirect_to="/login",
        on_auth_succeeded_redirect_to="/dashboard",
        email=d.EmailAuthDecl(
            from_email="noreply@sentineliq.dev",
            from_name="SentinelIQ",
            email_verification_path="/email-verification",
            password_reset_path="/password-reset",
            user_signup_fields=email_signup_fields,
        ),
        google=d.GoogleAuthDecl(
            config_fn=google_config,
            user_signup_fields=google_signup_fields,
        ),
        password_policy=d.PasswordPolicyDecl(
            min_length=12,
            require_upper=True,
            require_lower=True,
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
            issuer="SentinelIQ",
            backup_codes=10,
        ),
        on_after_signup=on_after_signup,
        on_after_login=on_after_login,
        workspaces=d.WorkspacesDecl(
            workspace_model=models.Workspace,
            member_model=models.WorkspaceMember,
            role_field="role",
            user_field="userId",
            workspace_field="workspaceId",
            ip_allowlist_field="ipAllowlist",
            session_timeout_field="sessionTimeoutMins",
        ),
    ),
    setup_fn=setup_server,
    middleware_config_fn=server_middleware,
    cors_origins_by_env={
        "production": d.Env(
            "CORS_ORIGINS",
            "https://app.sentineliq.dev",
            required=False,
            where="app.server.cors_origins_by_env.production",
        ),
        "development": (
            "http://localhost:3000",
            "http://127.0.0.1:3000",
        ),
    },
    body_limits=d.BodyLimits(json_bytes=10485760, form_bytes=10485760, raw_bytes=52428800),
    default_rate_limit=d.RateLimit(limit=300, per_seconds=60, by="ip"),
    rate_limit_storage=d.Env(
        "REDIS_URL", "memory://", required=False, where="app.server.rate_limit.storage"
    ),
    rate_limit_fail_open=True,
    named_rate_limits={
        "workspaceCreate": d.RateLimit(limit=5, per_seconds=3600, by="user"),
        "workspaceUpdate": d.RateLimit(limit=30, per_seconds=60, by="user"),
        "memberInvite": d.RateLimit(limit=20, per_seconds=3600, by="workspace"),
    },
    trusted_proxies=d.Env(
        "TRUSTED_PROXIES", "127.0.0.1,::1", required=False, where="app.server.trusted_proxies"
    ),
    security_headers={
        "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self'; connect-src 'self' wss:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    },
    sentry=d.Sentry(
        dsn=d.Env("SENTRY_DSN", "", required=False, where="app.server.sentry.dsn"),
        traces_sample_rate=0.1,
        environment=d.Env(
            "SENTRY_ENVIRONMENT", "", required=False, where="app.server.sentry.environment"
        ),
        release=d.Env("SENTRY_RELEASE", "", required=False, where="app.server.sentry.release"),
    ),
    email_sender=d.EmailSenderDecl(
        provider="SMTP",
        default_from_email="noreply@sentineliq.dev",
        default_from_name="SentinelIQ",
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
