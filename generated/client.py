# Generated from app.sq by sentinel; do not edit.
"""A typed HTTP client of SentinelIQ: one method per operation and api.

    with Client("http://127.0.0.1:3001", token=...) as client:
        client.get_notes()

``AsyncClient`` has the same methods, awaitable. Operations return the decoded JSON
answer; apis return the ``httpx.Response``. An error answer raises ``SentinelError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["AsyncClient", "Client", "SentinelError"]

DEFAULT_BASE_URL = "http://127.0.0.1:3001"


class SentinelError(Exception):
    """An error answer: ``{"error": {"code", "message", "details", "requestId"}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.request_id = request_id


def _error(response: httpx.Response) -> SentinelError:
    try:
        body = response.json()["error"]
        return SentinelError(
            response.status_code,
            body.get("code", "error"),
            body.get("message", ""),
            body.get("details"),
            body.get("requestId"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return SentinelError(response.status_code, "error", response.text[:200])


def _answer(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise _error(response)
    if not response.content:
        return None
    return response.json()


def _checked(response: httpx.Response) -> httpx.Response:
    if response.status_code >= 400:
        raise _error(response)
    return response


def _dump(args: Any) -> Any:
    if isinstance(args, BaseModel):
        return args.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return args


def _headers(token: str | None, extra: Any) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {**headers, **dict(extra or {})}


class WorkspaceRef(BaseModel):
    workspaceId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SlugArgs(BaseModel):
    slug: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AdminListArgs(BaseModel):
    page: int = Field(default=1)
    pageSize: int = Field(default=25)
    search: str | None = Field(default=None)
    includeDeleted: bool = Field(default=False)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AllowlistRef(BaseModel):
    workspaceId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AuditLogArgs(BaseModel):
    action: str | None = Field(default=None)
    resource: str | None = Field(default=None)
    userId: str | None = Field(default=None)
    since: datetime | None = Field(default=None)
    until: datetime | None = Field(default=None)
    workspaceId: str
    limit: int = Field(default=50)
    cursor: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ResourceArgs(BaseModel):
    workspaceId: str
    resource: str
    resourceId: str
    limit: int = Field(default=50)
    cursor: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ExportArgs(BaseModel):
    action: str | None = Field(default=None)
    resource: str | None = Field(default=None)
    userId: str | None = Field(default=None)
    since: datetime | None = Field(default=None)
    until: datetime | None = Field(default=None)
    workspaceId: str
    format: Literal["csv", "json"] = Field(default="csv")

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AdminAuditArgs(BaseModel):
    action: str | None = Field(default=None)
    resource: str | None = Field(default=None)
    userId: str | None = Field(default=None)
    since: datetime | None = Field(default=None)
    until: datetime | None = Field(default=None)
    workspaceId: str | None = Field(default=None)
    limit: int = Field(default=50)
    cursor: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SystemLogArgs(BaseModel):
    level: Literal["DEBUG", "INFO", "WARN", "ERROR", "CRITICAL"] | None = Field(default=None)
    component: str | None = Field(default=None)
    search: str | None = Field(default=None)
    since: datetime | None = Field(default=None)
    until: datetime | None = Field(default=None)
    limit: int = Field(default=50)
    beforeId: int | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ListArgs(BaseModel):
    page: int = Field(default=1)
    pageSize: int = Field(default=25)
    unreadOnly: bool = Field(default=False)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UserListArgs(BaseModel):
    page: int = Field(default=1)
    pageSize: int = Field(default=25)
    search: str | None = Field(default=None)
    isAdmin: bool | None = Field(default=None)
    isSuspended: bool | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ActivityArgs(BaseModel):
    userId: str | None = Field(default=None)
    limit: int = Field(default=50)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


NotificationType = Literal["INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"]


class NotificationFilter(BaseModel):
    workspaceId: str | None = Field(default=None)
    isRead: bool | None = Field(default=None)
    type: NotificationType | None = Field(default=None)
    startDate: datetime | None = Field(default=None)
    endDate: datetime | None = Field(default=None)
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class WorkspaceScope(BaseModel):
    workspaceId: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class src_core_notifications_providers__WorkspaceRef(BaseModel):
    workspaceId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


DeliveryStatus = Literal["PENDING", "SENT", "RETRYING", "DEAD_LETTER", "SKIPPED"]


DeliveryChannel = Literal["EMAIL", "PUSH", "SLACK", "DISCORD", "WEBHOOK", "TELEGRAM", "TEAMS"]


class DeliveryLogFilter(BaseModel):
    workspaceId: str
    status: DeliveryStatus | None = Field(default=None)
    channel: DeliveryChannel | None = Field(default=None)
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class CreateWorkspaceArgs(BaseModel):
    name: str
    slug: str | None = Field(default=None)
    description: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UpdateWorkspaceArgs(BaseModel):
    workspaceId: str
    name: str | None = Field(default=None)
    description: str | None = Field(default=None)
    settings: dict[str, Any] | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class BrandingArgs(BaseModel):
    workspaceId: str
    logoUrl: str | None = Field(default=None)
    primaryColor: str | None = Field(default=None)
    secondaryColor: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SessionTimeoutArgs(BaseModel):
    workspaceId: str
    sessionTimeoutMins: int

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TwoFactorPolicyArgs(BaseModel):
    workspaceId: str
    requireTwoFactor: bool

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class InviteArgs(BaseModel):
    workspaceId: str
    email: str
    role: Literal["ADMIN", "MEMBER", "VIEWER"] = Field(default="MEMBER")

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TokenArgs(BaseModel):
    token: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class InvitationRef(BaseModel):
    workspaceId: str
    invitationId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class MemberRef(BaseModel):
    workspaceId: str
    userId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class RoleArgs(BaseModel):
    workspaceId: str
    userId: str
    role: Literal["ADMIN", "MEMBER", "VIEWER"]

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TransferArgs(BaseModel):
    workspaceId: str
    newOwnerId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SuspendWorkspaceArgs(BaseModel):
    workspaceId: str
    suspended: bool = Field(default=True)
    reason: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class QuotaArgs(BaseModel):
    workspaceId: str
    plan: Literal["FREE", "HOBBY", "PRO", "ENTERPRISE"] | None = Field(default=None)
    maxMembersOverride: int | None = Field(default=None)
    storageQuotaBytes: int | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class CodeArgs(BaseModel):
    code: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class DisableArgs(BaseModel):
    code: str
    password: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AllowlistArgs(BaseModel):
    workspaceId: str
    entries: list[str]
    enabled: bool | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class EntryArgs(BaseModel):
    workspaceId: str
    entry: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ToggleArgs(BaseModel):
    workspaceId: str
    enabled: bool

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SendArgs(BaseModel):
    content: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ReadArgs(BaseModel):
    id: str
    isRead: bool = Field(default=True)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class MessageRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class AdminFlagArgs(BaseModel):
    id: str
    isAdmin: bool

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SuspendUserArgs(BaseModel):
    userId: str
    suspended: bool = Field(default=True)
    reason: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UserRef(BaseModel):
    userId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ProfileArgs(BaseModel):
    displayName: str | None = Field(default=None)
    avatarUrl: str | None = Field(default=None)
    jobTitle: str | None = Field(default=None)
    timezone: str = Field(default="UTC")
    locale: str = Field(default="en")

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class NotificationRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


ProviderType = Literal["EMAIL", "SLACK", "DISCORD", "WEBHOOK", "TELEGRAM", "TEAMS"]


class SaveProviderArgs(BaseModel):
    workspaceId: str
    provider: ProviderType
    isEnabled: bool = Field(default=True)
    config: dict[str, Any]
    eventTypes: list[str] | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ToggleProviderArgs(BaseModel):
    id: str
    isEnabled: bool

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ProviderRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


DigestFrequency = Literal["REALTIME", "HOURLY", "DAILY", "WEEKLY"]


class UpdatePreferencesArgs(BaseModel):
    inAppEnabled: bool | None = Field(default=None)
    emailEnabled: bool | None = Field(default=None)
    pushEnabled: bool | None = Field(default=None)
    disabledEventTypes: list[str] | None = Field(default=None)
    digestFrequency: DigestFrequency | None = Field(default=None)
    digestTime: str | None = Field(default=None)
    dndEnabled: bool | None = Field(default=None)
    dndStartTime: str | None = Field(default=None)
    dndEndTime: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class PushKeys(BaseModel):
    p256dh: str
    auth: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class PushSubscriptionInfo(BaseModel):
    endpoint: str
    keys: PushKeys
    expirationTime: int | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SavePushSubscriptionArgs(BaseModel):
    subscription: PushSubscriptionInfo
    workspaceId: str | None = Field(default=None)
    userAgent: str | None = Field(default=None)
    deviceName: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class EndpointRef(BaseModel):
    endpoint: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


Severity = Literal["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]


class CreateAlertArgs(BaseModel):
    workspaceId: str
    title: str
    description: str | None = Field(default=None)
    source: str
    severity: Severity = Field(default="MEDIUM")
    tags: list[str] | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


AlertStatus = Literal["NEW", "ACKNOWLEDGED", "INVESTIGATING", "RESOLVED", "DISMISSED"]


class UpdateAlertStatusArgs(BaseModel):
    id: str
    status: AlertStatus

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class CreateIncidentArgs(BaseModel):
    workspaceId: str
    title: str
    severity: Severity = Field(default="MEDIUM")
    alertIds: list[str] | None = Field(default=None)
    slaDeadline: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


IncidentStatus = Literal["OPEN", "INVESTIGATING", "CONTAINED", "RESOLVED", "CLOSED"]


class UpdateIncidentArgs(BaseModel):
    id: str
    title: str | None = Field(default=None)
    severity: Severity | None = Field(default=None)
    status: IncidentStatus | None = Field(default=None)
    slaDeadline: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetArgs(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetAllArgs(BaseModel):
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


WorkspaceRef.model_rebuild()
SlugArgs.model_rebuild()
AdminListArgs.model_rebuild()
AllowlistRef.model_rebuild()
AuditLogArgs.model_rebuild()
ResourceArgs.model_rebuild()
ExportArgs.model_rebuild()
AdminAuditArgs.model_rebuild()
SystemLogArgs.model_rebuild()
ListArgs.model_rebuild()
UserListArgs.model_rebuild()
ActivityArgs.model_rebuild()
NotificationFilter.model_rebuild()
WorkspaceScope.model_rebuild()
src_core_notifications_providers__WorkspaceRef.model_rebuild()
DeliveryLogFilter.model_rebuild()
CreateWorkspaceArgs.model_rebuild()
UpdateWorkspaceArgs.model_rebuild()
BrandingArgs.model_rebuild()
SessionTimeoutArgs.model_rebuild()
TwoFactorPolicyArgs.model_rebuild()
InviteArgs.model_rebuild()
TokenArgs.model_rebuild()
InvitationRef.model_rebuild()
MemberRef.model_rebuild()
RoleArgs.model_rebuild()
TransferArgs.model_rebuild()
SuspendWorkspaceArgs.model_rebuild()
QuotaArgs.model_rebuild()
CodeArgs.model_rebuild()
DisableArgs.model_rebuild()
AllowlistArgs.model_rebuild()
EntryArgs.model_rebuild()
ToggleArgs.model_rebuild()
SendArgs.model_rebuild()
ReadArgs.model_rebuild()
MessageRef.model_rebuild()
AdminFlagArgs.model_rebuild()
SuspendUserArgs.model_rebuild()
UserRef.model_rebuild()
ProfileArgs.model_rebuild()
NotificationRef.model_rebuild()
SaveProviderArgs.model_rebuild()
ToggleProviderArgs.model_rebuild()
ProviderRef.model_rebuild()
UpdatePreferencesArgs.model_rebuild()
PushKeys.model_rebuild()
PushSubscriptionInfo.model_rebuild()
SavePushSubscriptionArgs.model_rebuild()
EndpointRef.model_rebuild()
CreateAlertArgs.model_rebuild()
UpdateAlertStatusArgs.model_rebuild()
CreateIncidentArgs.model_rebuild()
UpdateIncidentArgs.model_rebuild()
TechniquesGetArgs.model_rebuild()
TechniquesGetAllArgs.model_rebuild()


class Client:
    """Sync client; ``http`` may be your own ``httpx.Client`` (cookies, transport)."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | None = None,
        http: httpx.Client | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.http = http or httpx.Client(base_url=base_url, timeout=timeout)
        self.token = token

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = _headers(self.token, kwargs.pop("headers", None))
        return self.http.request(method, path, headers=headers, **kwargs)

    def get_user_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getUserWorkspaces: GET/POST /operations/get-user-workspaces"""
        response = self.request("POST", "/operations/get-user-workspaces", json=_dump(args))
        return _answer(response)

    def get_current_workspace(
        self,
        args: None = None,
    ) -> Any:
        """query getCurrentWorkspace: GET/POST /operations/get-current-workspace"""
        response = self.request("POST", "/operations/get-current-workspace", json=_dump(args))
        return _answer(response)

    def get_workspace_by_id(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceById: GET/POST /operations/get-workspace-by-id"""
        response = self.request("POST", "/operations/get-workspace-by-id", json=_dump(args))
        return _answer(response)

    def get_workspace_members(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceMembers: GET/POST /operations/get-workspace-members"""
        response = self.request("POST", "/operations/get-workspace-members", json=_dump(args))
        return _answer(response)

    def check_slug_availability(
        self,
        args: SlugArgs | Mapping[str, Any],
    ) -> Any:
        """query checkSlugAvailability: GET/POST /operations/check-slug-availability"""
        response = self.request("POST", "/operations/check-slug-availability", json=_dump(args))
        return _answer(response)

    def get_workspace_invitations(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceInvitations: GET/POST /operations/get-workspace-invitations"""
        response = self.request("POST", "/operations/get-workspace-invitations", json=_dump(args))
        return _answer(response)

    def get_workspace_usage(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceUsage: GET/POST /operations/get-workspace-usage"""
        response = self.request("POST", "/operations/get-workspace-usage", json=_dump(args))
        return _answer(response)

    def get_storage_stats(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getStorageStats: GET/POST /operations/get-storage-stats"""
        response = self.request("POST", "/operations/get-storage-stats", json=_dump(args))
        return _answer(response)

    def export_workspace_data(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query exportWorkspaceData: GET/POST /operations/export-workspace-data"""
        response = self.request("POST", "/operations/export-workspace-data", json=_dump(args))
        return _answer(response)

    def get_all_workspaces_for_admin(
        self,
        args: AdminListArgs | Mapping[str, Any],
    ) -> Any:
        """query getAllWorkspacesForAdmin: GET/POST /operations/get-all-workspaces-for-admin"""
        response = self.request(
            "POST",
            "/operations/get-all-workspaces-for-admin",
            json=_dump(args),
        )
        return _answer(response)

    def get_workspace_count(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaceCount: GET/POST /operations/get-workspace-count"""
        response = self.request("POST", "/operations/get-workspace-count", json=_dump(args))
        return _answer(response)

    def get_system_log_count(
        self,
        args: None = None,
    ) -> Any:
        """query getSystemLogCount: GET/POST /operations/get-system-log-count"""
        response = self.request("POST", "/operations/get-system-log-count", json=_dump(args))
        return _answer(response)

    def get_notification_count(
        self,
        args: None = None,
    ) -> Any:
        """query getNotificationCount: GET/POST /operations/get-notification-count"""
        response = self.request("POST", "/operations/get-notification-count", json=_dump(args))
        return _answer(response)

    def get_contact_messages_count(
        self,
        args: None = None,
    ) -> Any:
        """query getContactMessagesCount: GET/POST /operations/get-contact-messages-count"""
        response = self.request("POST", "/operations/get-contact-messages-count", json=_dump(args))
        return _answer(response)

    def get_workspace_details(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceDetails: GET/POST /operations/get-workspace-details"""
        response = self.request("POST", "/operations/get-workspace-details", json=_dump(args))
        return _answer(response)

    def get_workspace_ip_whitelist(
        self,
        args: AllowlistRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceIpWhitelist: GET/POST /operations/get-workspace-ip-whitelist"""
        response = self.request("POST", "/operations/get-workspace-ip-whitelist", json=_dump(args))
        return _answer(response)

    def get_audit_logs(
        self,
        args: AuditLogArgs | Mapping[str, Any],
    ) -> Any:
        """query getAuditLogs: GET/POST /operations/get-audit-logs"""
        response = self.request("POST", "/operations/get-audit-logs", json=_dump(args))
        return _answer(response)

    def get_audit_logs_by_resource(
        self,
        args: ResourceArgs | Mapping[str, Any],
    ) -> Any:
        """query getAuditLogsByResource: GET/POST /operations/get-audit-logs-by-resource"""
        response = self.request("POST", "/operations/get-audit-logs-by-resource", json=_dump(args))
        return _answer(response)

    def export_audit_logs(
        self,
        args: ExportArgs | Mapping[str, Any],
    ) -> Any:
        """query exportAuditLogs: GET/POST /operations/export-audit-logs"""
        response = self.request("POST", "/operations/export-audit-logs", json=_dump(args))
        return _answer(response)

    def get_all_audit_logs_for_admin(
        self,
        args: AdminAuditArgs | Mapping[str, Any],
    ) -> Any:
        """query getAllAuditLogsForAdmin: GET/POST /operations/get-all-audit-logs-for-admin"""
        response = self.request(
            "POST",
            "/operations/get-all-audit-logs-for-admin",
            json=_dump(args),
        )
        return _answer(response)

    def get_system_logs(
        self,
        args: SystemLogArgs | Mapping[str, Any],
    ) -> Any:
        """query getSystemLogs: GET/POST /operations/get-system-logs"""
        response = self.request("POST", "/operations/get-system-logs", json=_dump(args))
        return _answer(response)

    def get_system_health(
        self,
        args: None = None,
    ) -> Any:
        """query getSystemHealth: GET/POST /operations/get-system-health"""
        response = self.request("POST", "/operations/get-system-health", json=_dump(args))
        return _answer(response)

    def get_database_metrics(
        self,
        args: None = None,
    ) -> Any:
        """query getDatabaseMetrics: GET/POST /operations/get-database-metrics"""
        response = self.request("POST", "/operations/get-database-metrics", json=_dump(args))
        return _answer(response)

    def get_infrastructure_status(
        self,
        args: None = None,
    ) -> Any:
        """query getInfrastructureStatus: GET/POST /operations/get-infrastructure-status"""
        response = self.request("POST", "/operations/get-infrastructure-status", json=_dump(args))
        return _answer(response)

    def get_contact_messages(
        self,
        args: ListArgs | Mapping[str, Any],
    ) -> Any:
        """query getContactMessages: GET/POST /operations/get-contact-messages"""
        response = self.request("POST", "/operations/get-contact-messages", json=_dump(args))
        return _answer(response)

    def get_paginated_users(
        self,
        args: UserListArgs | Mapping[str, Any],
    ) -> Any:
        """query getPaginatedUsers: GET/POST /operations/get-paginated-users"""
        response = self.request("POST", "/operations/get-paginated-users", json=_dump(args))
        return _answer(response)

    def get_user_activity(
        self,
        args: ActivityArgs | Mapping[str, Any],
    ) -> Any:
        """query getUserActivity: GET/POST /operations/get-user-activity"""
        response = self.request("POST", "/operations/get-user-activity", json=_dump(args))
        return _answer(response)

    def get_notifications(
        self,
        args: NotificationFilter | Mapping[str, Any] | None = None,
    ) -> Any:
        """query getNotifications: GET/POST /operations/get-notifications"""
        response = self.request("POST", "/operations/get-notifications", json=_dump(args))
        return _answer(response)

    def get_unread_count(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """query getUnreadCount: GET/POST /operations/get-unread-count"""
        response = self.request("POST", "/operations/get-unread-count", json=_dump(args))
        return _answer(response)

    def get_notification_providers(
        self,
        args: src_core_notifications_providers__WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getNotificationProviders: GET/POST /operations/get-notification-providers"""
        response = self.request("POST", "/operations/get-notification-providers", json=_dump(args))
        return _answer(response)

    def get_notification_preferences(
        self,
        args: None = None,
    ) -> Any:
        """query getNotificationPreferences: GET/POST /operations/get-notification-preferences"""
        response = self.request(
            "POST",
            "/operations/get-notification-preferences",
            json=_dump(args),
        )
        return _answer(response)

    def get_push_subscriptions(
        self,
        args: None = None,
    ) -> Any:
        """query getPushSubscriptions: GET/POST /operations/get-push-subscriptions"""
        response = self.request("POST", "/operations/get-push-subscriptions", json=_dump(args))
        return _answer(response)

    def get_notification_delivery_logs(
        self,
        args: DeliveryLogFilter | Mapping[str, Any],
    ) -> Any:
        """query getNotificationDeliveryLogs: GET/POST /operations/get-notification-delivery-logs"""
        response = self.request(
            "POST",
            "/operations/get-notification-delivery-logs",
            json=_dump(args),
        )
        return _answer(response)

    def create_workspace(
        self,
        args: CreateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action createWorkspace: POST /operations/create-workspace"""
        response = self.request("POST", "/operations/create-workspace", json=_dump(args))
        return _answer(response)

    def update_workspace(
        self,
        args: UpdateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspace: POST /operations/update-workspace"""
        response = self.request("POST", "/operations/update-workspace", json=_dump(args))
        return _answer(response)

    def delete_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = self.request("POST", "/operations/delete-workspace", json=_dump(args))
        return _answer(response)

    def restore_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action restoreWorkspace: POST /operations/restore-workspace"""
        response = self.request("POST", "/operations/restore-workspace", json=_dump(args))
        return _answer(response)

    def switch_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action switchWorkspace: POST /operations/switch-workspace"""
        response = self.request("POST", "/operations/switch-workspace", json=_dump(args))
        return _answer(response)

    def complete_onboarding(
        self,
        args: None = None,
    ) -> Any:
        """action completeOnboarding: POST /operations/complete-onboarding"""
        response = self.request("POST", "/operations/complete-onboarding", json=_dump(args))
        return _answer(response)

    def update_workspace_branding(
        self,
        args: BrandingArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceBranding: POST /operations/update-workspace-branding"""
        response = self.request("POST", "/operations/update-workspace-branding", json=_dump(args))
        return _answer(response)

    def update_workspace_session_timeout(
        self,
        args: SessionTimeoutArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceSessionTimeout: POST /operations/update-workspace-session-timeout"""
        response = self.request(
            "POST",
            "/operations/update-workspace-session-timeout",
            json=_dump(args),
        )
        return _answer(response)

    def update_workspace_two_factor_policy(
        self,
        args: TwoFactorPolicyArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceTwoFactorPolicy: POST /operations/update-workspace-two-factor-policy"""
        response = self.request(
            "POST",
            "/operations/update-workspace-two-factor-policy",
            json=_dump(args),
        )
        return _answer(response)

    def invite_member_to_workspace(
        self,
        args: InviteArgs | Mapping[str, Any],
    ) -> Any:
        """action inviteMemberToWorkspace: POST /operations/invite-member-to-workspace"""
        response = self.request("POST", "/operations/invite-member-to-workspace", json=_dump(args))
        return _answer(response)

    def send_workspace_invitation(
        self,
        args: InviteArgs | Mapping[str, Any],
    ) -> Any:
        """action sendWorkspaceInvitation: POST /operations/send-workspace-invitation"""
        response = self.request("POST", "/operations/send-workspace-invitation", json=_dump(args))
        return _answer(response)

    def accept_workspace_invitation(
        self,
        args: TokenArgs | Mapping[str, Any],
    ) -> Any:
        """action acceptWorkspaceInvitation: POST /operations/accept-workspace-invitation"""
        response = self.request("POST", "/operations/accept-workspace-invitation", json=_dump(args))
        return _answer(response)

    def revoke_workspace_invitation(
        self,
        args: InvitationRef | Mapping[str, Any],
    ) -> Any:
        """action revokeWorkspaceInvitation: POST /operations/revoke-workspace-invitation"""
        response = self.request("POST", "/operations/revoke-workspace-invitation", json=_dump(args))
        return _answer(response)

    def remove_member_from_workspace(
        self,
        args: MemberRef | Mapping[str, Any],
    ) -> Any:
        """action removeMemberFromWorkspace: POST /operations/remove-member-from-workspace"""
        response = self.request(
            "POST",
            "/operations/remove-member-from-workspace",
            json=_dump(args),
        )
        return _answer(response)

    def update_member_role(
        self,
        args: RoleArgs | Mapping[str, Any],
    ) -> Any:
        """action updateMemberRole: POST /operations/update-member-role"""
        response = self.request("POST", "/operations/update-member-role", json=_dump(args))
        return _answer(response)

    def leave_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action leaveWorkspace: POST /operations/leave-workspace"""
        response = self.request("POST", "/operations/leave-workspace", json=_dump(args))
        return _answer(response)

    def transfer_workspace_ownership(
        self,
        args: TransferArgs | Mapping[str, Any],
    ) -> Any:
        """action transferWorkspaceOwnership: POST /operations/transfer-workspace-ownership"""
        response = self.request(
            "POST",
            "/operations/transfer-workspace-ownership",
            json=_dump(args),
        )
        return _answer(response)

    def confirm_ownership_transfer(
        self,
        args: TokenArgs | Mapping[str, Any],
    ) -> Any:
        """action confirmOwnershipTransfer: POST /operations/confirm-ownership-transfer"""
        response = self.request("POST", "/operations/confirm-ownership-transfer", json=_dump(args))
        return _answer(response)

    def suspend_workspace(
        self,
        args: SuspendWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action suspendWorkspace: POST /operations/suspend-workspace"""
        response = self.request("POST", "/operations/suspend-workspace", json=_dump(args))
        return _answer(response)

    def update_workspace_quotas(
        self,
        args: QuotaArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceQuotas: POST /operations/update-workspace-quotas"""
        response = self.request("POST", "/operations/update-workspace-quotas", json=_dump(args))
        return _answer(response)

    def enable2_fa(
        self,
        args: None = None,
    ) -> Any:
        """action enable2FA: POST /operations/enable2-fa"""
        response = self.request("POST", "/operations/enable2-fa", json=_dump(args))
        return _answer(response)

    def verify2_fa(
        self,
        args: CodeArgs | Mapping[str, Any],
    ) -> Any:
        """action verify2FA: POST /operations/verify2-fa"""
        response = self.request("POST", "/operations/verify2-fa", json=_dump(args))
        return _answer(response)

    def disable2_fa(
        self,
        args: DisableArgs | Mapping[str, Any],
    ) -> Any:
        """action disable2FA: POST /operations/disable2-fa"""
        response = self.request("POST", "/operations/disable2-fa", json=_dump(args))
        return _answer(response)

    def generate_new2_fa_backup_codes(
        self,
        args: CodeArgs | Mapping[str, Any],
    ) -> Any:
        """action generateNew2FABackupCodes: POST /operations/generate-new2-fa-backup-codes"""
        response = self.request(
            "POST",
            "/operations/generate-new2-fa-backup-codes",
            json=_dump(args),
        )
        return _answer(response)

    def update_workspace_ip_whitelist(
        self,
        args: AllowlistArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceIpWhitelist: POST /operations/update-workspace-ip-whitelist"""
        response = self.request(
            "POST",
            "/operations/update-workspace-ip-whitelist",
            json=_dump(args),
        )
        return _answer(response)

    def add_ip_to_whitelist(
        self,
        args: EntryArgs | Mapping[str, Any],
    ) -> Any:
        """action addIpToWhitelist: POST /operations/add-ip-to-whitelist"""
        response = self.request("POST", "/operations/add-ip-to-whitelist", json=_dump(args))
        return _answer(response)

    def remove_ip_from_whitelist(
        self,
        args: EntryArgs | Mapping[str, Any],
    ) -> Any:
        """action removeIpFromWhitelist: POST /operations/remove-ip-from-whitelist"""
        response = self.request("POST", "/operations/remove-ip-from-whitelist", json=_dump(args))
        return _answer(response)

    def toggle_ip_whitelist(
        self,
        args: ToggleArgs | Mapping[str, Any],
    ) -> Any:
        """action toggleIpWhitelist: POST /operations/toggle-ip-whitelist"""
        response = self.request("POST", "/operations/toggle-ip-whitelist", json=_dump(args))
        return _answer(response)

    def send_contact_message(
        self,
        args: SendArgs | Mapping[str, Any],
    ) -> Any:
        """action sendContactMessage: POST /operations/send-contact-message"""
        response = self.request("POST", "/operations/send-contact-message", json=_dump(args))
        return _answer(response)

    def mark_message_as_read(
        self,
        args: ReadArgs | Mapping[str, Any],
    ) -> Any:
        """action markMessageAsRead: POST /operations/mark-message-as-read"""
        response = self.request("POST", "/operations/mark-message-as-read", json=_dump(args))
        return _answer(response)

    def mark_message_as_replied(
        self,
        args: MessageRef | Mapping[str, Any],
    ) -> Any:
        """action markMessageAsReplied: POST /operations/mark-message-as-replied"""
        response = self.request("POST", "/operations/mark-message-as-replied", json=_dump(args))
        return _answer(response)

    def delete_contact_message(
        self,
        args: MessageRef | Mapping[str, Any],
    ) -> Any:
        """action deleteContactMessage: POST /operations/delete-contact-message"""
        response = self.request("POST", "/operations/delete-contact-message", json=_dump(args))
        return _answer(response)

    def update_is_user_admin_by_id(
        self,
        args: AdminFlagArgs | Mapping[str, Any],
    ) -> Any:
        """action updateIsUserAdminById: POST /operations/update-is-user-admin-by-id"""
        response = self.request("POST", "/operations/update-is-user-admin-by-id", json=_dump(args))
        return _answer(response)

    def suspend_user(
        self,
        args: SuspendUserArgs | Mapping[str, Any],
    ) -> Any:
        """action suspendUser: POST /operations/suspend-user"""
        response = self.request("POST", "/operations/suspend-user", json=_dump(args))
        return _answer(response)

    def reset_user2_fa(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action resetUser2FA: POST /operations/reset-user2-fa"""
        response = self.request("POST", "/operations/reset-user2-fa", json=_dump(args))
        return _answer(response)

    def reset_user_password(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action resetUserPassword: POST /operations/reset-user-password"""
        response = self.request("POST", "/operations/reset-user-password", json=_dump(args))
        return _answer(response)

    def delete_user_cascade(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action deleteUserCascade: POST /operations/delete-user-cascade"""
        response = self.request("POST", "/operations/delete-user-cascade", json=_dump(args))
        return _answer(response)

    def update_profile(
        self,
        args: ProfileArgs | Mapping[str, Any],
    ) -> Any:
        """action updateProfile: POST /operations/update-profile"""
        response = self.request("POST", "/operations/update-profile", json=_dump(args))
        return _answer(response)

    def mark_as_read(
        self,
        args: NotificationRef | Mapping[str, Any],
    ) -> Any:
        """action markAsRead: POST /operations/mark-as-read"""
        response = self.request("POST", "/operations/mark-as-read", json=_dump(args))
        return _answer(response)

    def mark_all_as_read(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """action markAllAsRead: POST /operations/mark-all-as-read"""
        response = self.request("POST", "/operations/mark-all-as-read", json=_dump(args))
        return _answer(response)

    def delete_notification(
        self,
        args: NotificationRef | Mapping[str, Any],
    ) -> Any:
        """action deleteNotification: POST /operations/delete-notification"""
        response = self.request("POST", "/operations/delete-notification", json=_dump(args))
        return _answer(response)

    def delete_all_notifications(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """action deleteAllNotifications: POST /operations/delete-all-notifications"""
        response = self.request("POST", "/operations/delete-all-notifications", json=_dump(args))
        return _answer(response)

    def save_notification_provider(
        self,
        args: SaveProviderArgs | Mapping[str, Any],
    ) -> Any:
        """action saveNotificationProvider: POST /operations/save-notification-provider"""
        response = self.request("POST", "/operations/save-notification-provider", json=_dump(args))
        return _answer(response)

    def toggle_notification_provider(
        self,
        args: ToggleProviderArgs | Mapping[str, Any],
    ) -> Any:
        """action toggleNotificationProvider: POST /operations/toggle-notification-provider"""
        response = self.request(
            "POST",
            "/operations/toggle-notification-provider",
            json=_dump(args),
        )
        return _answer(response)

    def delete_notification_provider(
        self,
        args: ProviderRef | Mapping[str, Any],
    ) -> Any:
        """action deleteNotificationProvider: POST /operations/delete-notification-provider"""
        response = self.request(
            "POST",
            "/operations/delete-notification-provider",
            json=_dump(args),
        )
        return _answer(response)

    def update_notification_preferences(
        self,
        args: UpdatePreferencesArgs | Mapping[str, Any],
    ) -> Any:
        """action updateNotificationPreferences: POST /operations/update-notification-preferences"""
        response = self.request(
            "POST",
            "/operations/update-notification-preferences",
            json=_dump(args),
        )
        return _answer(response)

    def save_push_subscription(
        self,
        args: SavePushSubscriptionArgs | Mapping[str, Any],
    ) -> Any:
        """action savePushSubscription: POST /operations/save-push-subscription"""
        response = self.request("POST", "/operations/save-push-subscription", json=_dump(args))
        return _answer(response)

    def remove_push_subscription(
        self,
        args: EndpointRef | Mapping[str, Any],
    ) -> Any:
        """action removePushSubscription: POST /operations/remove-push-subscription"""
        response = self.request("POST", "/operations/remove-push-subscription", json=_dump(args))
        return _answer(response)

    def remove_all_push_subscriptions(
        self,
        args: None = None,
    ) -> Any:
        """action removeAllPushSubscriptions: POST /operations/remove-all-push-subscriptions"""
        response = self.request(
            "POST",
            "/operations/remove-all-push-subscriptions",
            json=_dump(args),
        )
        return _answer(response)

    def create_alert(
        self,
        args: CreateAlertArgs | Mapping[str, Any],
    ) -> Any:
        """action createAlert: POST /operations/create-alert"""
        response = self.request("POST", "/operations/create-alert", json=_dump(args))
        return _answer(response)

    def update_alert_status(
        self,
        args: UpdateAlertStatusArgs | Mapping[str, Any],
    ) -> Any:
        """action updateAlertStatus: POST /operations/update-alert-status"""
        response = self.request("POST", "/operations/update-alert-status", json=_dump(args))
        return _answer(response)

    def create_incident(
        self,
        args: CreateIncidentArgs | Mapping[str, Any],
    ) -> Any:
        """action createIncident: POST /operations/create-incident"""
        response = self.request("POST", "/operations/create-incident", json=_dump(args))
        return _answer(response)

    def update_incident(
        self,
        args: UpdateIncidentArgs | Mapping[str, Any],
    ) -> Any:
        """action updateIncident: POST /operations/update-incident"""
        response = self.request("POST", "/operations/update-incident", json=_dump(args))
        return _answer(response)

    def techniques_get(
        self,
        args: TechniquesGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Techniques.get: GET/POST /crud/techniques/get"""
        response = self.request("POST", "/crud/techniques/get", json=_dump(args))
        return _answer(response)

    def techniques_get_all(
        self,
        args: TechniquesGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Techniques.getAll: GET/POST /crud/techniques/get-all"""
        response = self.request("POST", "/crud/techniques/get-all", json=_dump(args))
        return _answer(response)

    def email_preview(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api emailPreview: GET /api/email-preview"""
        response = self.request(
            "GET",
            "/api/email-preview",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def screenshot(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api screenshot: GET /api/screenshot/{alertId}"""
        response = self.request(
            "GET",
            f"/api/screenshot/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def onboarding_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api onboardingForm: POST /forms/onboarding"""
        response = self.request(
            "POST",
            "/forms/onboarding",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def switch_workspace_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api switchWorkspaceForm: POST /forms/switch-workspace"""
        response = self.request(
            "POST",
            "/forms/switch-workspace",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def invitation_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api invitationForm: POST /forms/accept-invitation"""
        response = self.request(
            "POST",
            "/forms/accept-invitation",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def transfer_confirm_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api transferConfirmForm: POST /forms/confirm-transfer"""
        response = self.request(
            "POST",
            "/forms/confirm-transfer",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def workspace_settings_form(
        self,
        workspace_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api workspaceSettingsForm: POST /forms/workspaces/{workspaceId}/settings"""
        response = self.request(
            "POST",
            f"/forms/workspaces/{quote(str(workspace_id), safe='')}/settings",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def aegis_alerts_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisAlertsForm: POST /forms/aegis/alerts"""
        response = self.request(
            "POST",
            "/forms/aegis/alerts",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def aegis_alert_form(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisAlertForm: POST /forms/aegis/alerts/{alertId}"""
        response = self.request(
            "POST",
            f"/forms/aegis/alerts/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def aegis_incidents_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisIncidentsForm: POST /forms/aegis/incidents"""
        response = self.request(
            "POST",
            "/forms/aegis/incidents",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def aegis_incident_form(
        self,
        incident_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisIncidentForm: POST /forms/aegis/incidents/{incidentId}"""
        response = self.request(
            "POST",
            f"/forms/aegis/incidents/{quote(str(incident_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def account_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api accountForm: POST /forms/account"""
        response = self.request(
            "POST",
            "/forms/account",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def notifications_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api notificationsForm: POST /forms/notifications"""
        response = self.request(
            "POST",
            "/forms/notifications",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def audit_export(
        self,
        workspace_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api auditExport: GET /workspaces/{workspaceId}/audit/export"""
        response = self.request(
            "GET",
            f"/workspaces/{quote(str(workspace_id), safe='')}/audit/export",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    def assets(
        self,
        name: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api assets: GET /assets/{name}"""
        response = self.request(
            "GET",
            f"/assets/{quote(str(name), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)


class AsyncClient:
    """Async client; ``http`` may be your own ``httpx.AsyncClient``."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        token: str | None = None,
        http: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.http = http or httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self.token = token

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = _headers(self.token, kwargs.pop("headers", None))
        return await self.http.request(method, path, headers=headers, **kwargs)

    async def get_user_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getUserWorkspaces: GET/POST /operations/get-user-workspaces"""
        response = await self.request("POST", "/operations/get-user-workspaces", json=_dump(args))
        return _answer(response)

    async def get_current_workspace(
        self,
        args: None = None,
    ) -> Any:
        """query getCurrentWorkspace: GET/POST /operations/get-current-workspace"""
        response = await self.request("POST", "/operations/get-current-workspace", json=_dump(args))
        return _answer(response)

    async def get_workspace_by_id(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceById: GET/POST /operations/get-workspace-by-id"""
        response = await self.request("POST", "/operations/get-workspace-by-id", json=_dump(args))
        return _answer(response)

    async def get_workspace_members(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceMembers: GET/POST /operations/get-workspace-members"""
        response = await self.request("POST", "/operations/get-workspace-members", json=_dump(args))
        return _answer(response)

    async def check_slug_availability(
        self,
        args: SlugArgs | Mapping[str, Any],
    ) -> Any:
        """query checkSlugAvailability: GET/POST /operations/check-slug-availability"""
        response = await self.request(
            "POST",
            "/operations/check-slug-availability",
            json=_dump(args),
        )
        return _answer(response)

    async def get_workspace_invitations(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceInvitations: GET/POST /operations/get-workspace-invitations"""
        response = await self.request(
            "POST",
            "/operations/get-workspace-invitations",
            json=_dump(args),
        )
        return _answer(response)

    async def get_workspace_usage(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceUsage: GET/POST /operations/get-workspace-usage"""
        response = await self.request("POST", "/operations/get-workspace-usage", json=_dump(args))
        return _answer(response)

    async def get_storage_stats(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getStorageStats: GET/POST /operations/get-storage-stats"""
        response = await self.request("POST", "/operations/get-storage-stats", json=_dump(args))
        return _answer(response)

    async def export_workspace_data(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query exportWorkspaceData: GET/POST /operations/export-workspace-data"""
        response = await self.request("POST", "/operations/export-workspace-data", json=_dump(args))
        return _answer(response)

    async def get_all_workspaces_for_admin(
        self,
        args: AdminListArgs | Mapping[str, Any],
    ) -> Any:
        """query getAllWorkspacesForAdmin: GET/POST /operations/get-all-workspaces-for-admin"""
        response = await self.request(
            "POST",
            "/operations/get-all-workspaces-for-admin",
            json=_dump(args),
        )
        return _answer(response)

    async def get_workspace_count(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaceCount: GET/POST /operations/get-workspace-count"""
        response = await self.request("POST", "/operations/get-workspace-count", json=_dump(args))
        return _answer(response)

    async def get_system_log_count(
        self,
        args: None = None,
    ) -> Any:
        """query getSystemLogCount: GET/POST /operations/get-system-log-count"""
        response = await self.request("POST", "/operations/get-system-log-count", json=_dump(args))
        return _answer(response)

    async def get_notification_count(
        self,
        args: None = None,
    ) -> Any:
        """query getNotificationCount: GET/POST /operations/get-notification-count"""
        response = await self.request(
            "POST",
            "/operations/get-notification-count",
            json=_dump(args),
        )
        return _answer(response)

    async def get_contact_messages_count(
        self,
        args: None = None,
    ) -> Any:
        """query getContactMessagesCount: GET/POST /operations/get-contact-messages-count"""
        response = await self.request(
            "POST",
            "/operations/get-contact-messages-count",
            json=_dump(args),
        )
        return _answer(response)

    async def get_workspace_details(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceDetails: GET/POST /operations/get-workspace-details"""
        response = await self.request("POST", "/operations/get-workspace-details", json=_dump(args))
        return _answer(response)

    async def get_workspace_ip_whitelist(
        self,
        args: AllowlistRef | Mapping[str, Any],
    ) -> Any:
        """query getWorkspaceIpWhitelist: GET/POST /operations/get-workspace-ip-whitelist"""
        response = await self.request(
            "POST",
            "/operations/get-workspace-ip-whitelist",
            json=_dump(args),
        )
        return _answer(response)

    async def get_audit_logs(
        self,
        args: AuditLogArgs | Mapping[str, Any],
    ) -> Any:
        """query getAuditLogs: GET/POST /operations/get-audit-logs"""
        response = await self.request("POST", "/operations/get-audit-logs", json=_dump(args))
        return _answer(response)

    async def get_audit_logs_by_resource(
        self,
        args: ResourceArgs | Mapping[str, Any],
    ) -> Any:
        """query getAuditLogsByResource: GET/POST /operations/get-audit-logs-by-resource"""
        response = await self.request(
            "POST",
            "/operations/get-audit-logs-by-resource",
            json=_dump(args),
        )
        return _answer(response)

    async def export_audit_logs(
        self,
        args: ExportArgs | Mapping[str, Any],
    ) -> Any:
        """query exportAuditLogs: GET/POST /operations/export-audit-logs"""
        response = await self.request("POST", "/operations/export-audit-logs", json=_dump(args))
        return _answer(response)

    async def get_all_audit_logs_for_admin(
        self,
        args: AdminAuditArgs | Mapping[str, Any],
    ) -> Any:
        """query getAllAuditLogsForAdmin: GET/POST /operations/get-all-audit-logs-for-admin"""
        response = await self.request(
            "POST",
            "/operations/get-all-audit-logs-for-admin",
            json=_dump(args),
        )
        return _answer(response)

    async def get_system_logs(
        self,
        args: SystemLogArgs | Mapping[str, Any],
    ) -> Any:
        """query getSystemLogs: GET/POST /operations/get-system-logs"""
        response = await self.request("POST", "/operations/get-system-logs", json=_dump(args))
        return _answer(response)

    async def get_system_health(
        self,
        args: None = None,
    ) -> Any:
        """query getSystemHealth: GET/POST /operations/get-system-health"""
        response = await self.request("POST", "/operations/get-system-health", json=_dump(args))
        return _answer(response)

    async def get_database_metrics(
        self,
        args: None = None,
    ) -> Any:
        """query getDatabaseMetrics: GET/POST /operations/get-database-metrics"""
        response = await self.request("POST", "/operations/get-database-metrics", json=_dump(args))
        return _answer(response)

    async def get_infrastructure_status(
        self,
        args: None = None,
    ) -> Any:
        """query getInfrastructureStatus: GET/POST /operations/get-infrastructure-status"""
        response = await self.request(
            "POST",
            "/operations/get-infrastructure-status",
            json=_dump(args),
        )
        return _answer(response)

    async def get_contact_messages(
        self,
        args: ListArgs | Mapping[str, Any],
    ) -> Any:
        """query getContactMessages: GET/POST /operations/get-contact-messages"""
        response = await self.request("POST", "/operations/get-contact-messages", json=_dump(args))
        return _answer(response)

    async def get_paginated_users(
        self,
        args: UserListArgs | Mapping[str, Any],
    ) -> Any:
        """query getPaginatedUsers: GET/POST /operations/get-paginated-users"""
        response = await self.request("POST", "/operations/get-paginated-users", json=_dump(args))
        return _answer(response)

    async def get_user_activity(
        self,
        args: ActivityArgs | Mapping[str, Any],
    ) -> Any:
        """query getUserActivity: GET/POST /operations/get-user-activity"""
        response = await self.request("POST", "/operations/get-user-activity", json=_dump(args))
        return _answer(response)

    async def get_notifications(
        self,
        args: NotificationFilter | Mapping[str, Any] | None = None,
    ) -> Any:
        """query getNotifications: GET/POST /operations/get-notifications"""
        response = await self.request("POST", "/operations/get-notifications", json=_dump(args))
        return _answer(response)

    async def get_unread_count(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """query getUnreadCount: GET/POST /operations/get-unread-count"""
        response = await self.request("POST", "/operations/get-unread-count", json=_dump(args))
        return _answer(response)

    async def get_notification_providers(
        self,
        args: src_core_notifications_providers__WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """query getNotificationProviders: GET/POST /operations/get-notification-providers"""
        response = await self.request(
            "POST",
            "/operations/get-notification-providers",
            json=_dump(args),
        )
        return _answer(response)

    async def get_notification_preferences(
        self,
        args: None = None,
    ) -> Any:
        """query getNotificationPreferences: GET/POST /operations/get-notification-preferences"""
        response = await self.request(
            "POST",
            "/operations/get-notification-preferences",
            json=_dump(args),
        )
        return _answer(response)

    async def get_push_subscriptions(
        self,
        args: None = None,
    ) -> Any:
        """query getPushSubscriptions: GET/POST /operations/get-push-subscriptions"""
        response = await self.request(
            "POST",
            "/operations/get-push-subscriptions",
            json=_dump(args),
        )
        return _answer(response)

    async def get_notification_delivery_logs(
        self,
        args: DeliveryLogFilter | Mapping[str, Any],
    ) -> Any:
        """query getNotificationDeliveryLogs: GET/POST /operations/get-notification-delivery-logs"""
        response = await self.request(
            "POST",
            "/operations/get-notification-delivery-logs",
            json=_dump(args),
        )
        return _answer(response)

    async def create_workspace(
        self,
        args: CreateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action createWorkspace: POST /operations/create-workspace"""
        response = await self.request("POST", "/operations/create-workspace", json=_dump(args))
        return _answer(response)

    async def update_workspace(
        self,
        args: UpdateWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspace: POST /operations/update-workspace"""
        response = await self.request("POST", "/operations/update-workspace", json=_dump(args))
        return _answer(response)

    async def delete_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = await self.request("POST", "/operations/delete-workspace", json=_dump(args))
        return _answer(response)

    async def restore_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action restoreWorkspace: POST /operations/restore-workspace"""
        response = await self.request("POST", "/operations/restore-workspace", json=_dump(args))
        return _answer(response)

    async def switch_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action switchWorkspace: POST /operations/switch-workspace"""
        response = await self.request("POST", "/operations/switch-workspace", json=_dump(args))
        return _answer(response)

    async def complete_onboarding(
        self,
        args: None = None,
    ) -> Any:
        """action completeOnboarding: POST /operations/complete-onboarding"""
        response = await self.request("POST", "/operations/complete-onboarding", json=_dump(args))
        return _answer(response)

    async def update_workspace_branding(
        self,
        args: BrandingArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceBranding: POST /operations/update-workspace-branding"""
        response = await self.request(
            "POST",
            "/operations/update-workspace-branding",
            json=_dump(args),
        )
        return _answer(response)

    async def update_workspace_session_timeout(
        self,
        args: SessionTimeoutArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceSessionTimeout: POST /operations/update-workspace-session-timeout"""
        response = await self.request(
            "POST",
            "/operations/update-workspace-session-timeout",
            json=_dump(args),
        )
        return _answer(response)

    async def update_workspace_two_factor_policy(
        self,
        args: TwoFactorPolicyArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceTwoFactorPolicy: POST /operations/update-workspace-two-factor-policy"""
        response = await self.request(
            "POST",
            "/operations/update-workspace-two-factor-policy",
            json=_dump(args),
        )
        return _answer(response)

    async def invite_member_to_workspace(
        self,
        args: InviteArgs | Mapping[str, Any],
    ) -> Any:
        """action inviteMemberToWorkspace: POST /operations/invite-member-to-workspace"""
        response = await self.request(
            "POST",
            "/operations/invite-member-to-workspace",
            json=_dump(args),
        )
        return _answer(response)

    async def send_workspace_invitation(
        self,
        args: InviteArgs | Mapping[str, Any],
    ) -> Any:
        """action sendWorkspaceInvitation: POST /operations/send-workspace-invitation"""
        response = await self.request(
            "POST",
            "/operations/send-workspace-invitation",
            json=_dump(args),
        )
        return _answer(response)

    async def accept_workspace_invitation(
        self,
        args: TokenArgs | Mapping[str, Any],
    ) -> Any:
        """action acceptWorkspaceInvitation: POST /operations/accept-workspace-invitation"""
        response = await self.request(
            "POST",
            "/operations/accept-workspace-invitation",
            json=_dump(args),
        )
        return _answer(response)

    async def revoke_workspace_invitation(
        self,
        args: InvitationRef | Mapping[str, Any],
    ) -> Any:
        """action revokeWorkspaceInvitation: POST /operations/revoke-workspace-invitation"""
        response = await self.request(
            "POST",
            "/operations/revoke-workspace-invitation",
            json=_dump(args),
        )
        return _answer(response)

    async def remove_member_from_workspace(
        self,
        args: MemberRef | Mapping[str, Any],
    ) -> Any:
        """action removeMemberFromWorkspace: POST /operations/remove-member-from-workspace"""
        response = await self.request(
            "POST",
            "/operations/remove-member-from-workspace",
            json=_dump(args),
        )
        return _answer(response)

    async def update_member_role(
        self,
        args: RoleArgs | Mapping[str, Any],
    ) -> Any:
        """action updateMemberRole: POST /operations/update-member-role"""
        response = await self.request("POST", "/operations/update-member-role", json=_dump(args))
        return _answer(response)

    async def leave_workspace(
        self,
        args: WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action leaveWorkspace: POST /operations/leave-workspace"""
        response = await self.request("POST", "/operations/leave-workspace", json=_dump(args))
        return _answer(response)

    async def transfer_workspace_ownership(
        self,
        args: TransferArgs | Mapping[str, Any],
    ) -> Any:
        """action transferWorkspaceOwnership: POST /operations/transfer-workspace-ownership"""
        response = await self.request(
            "POST",
            "/operations/transfer-workspace-ownership",
            json=_dump(args),
        )
        return _answer(response)

    async def confirm_ownership_transfer(
        self,
        args: TokenArgs | Mapping[str, Any],
    ) -> Any:
        """action confirmOwnershipTransfer: POST /operations/confirm-ownership-transfer"""
        response = await self.request(
            "POST",
            "/operations/confirm-ownership-transfer",
            json=_dump(args),
        )
        return _answer(response)

    async def suspend_workspace(
        self,
        args: SuspendWorkspaceArgs | Mapping[str, Any],
    ) -> Any:
        """action suspendWorkspace: POST /operations/suspend-workspace"""
        response = await self.request("POST", "/operations/suspend-workspace", json=_dump(args))
        return _answer(response)

    async def update_workspace_quotas(
        self,
        args: QuotaArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceQuotas: POST /operations/update-workspace-quotas"""
        response = await self.request(
            "POST",
            "/operations/update-workspace-quotas",
            json=_dump(args),
        )
        return _answer(response)

    async def enable2_fa(
        self,
        args: None = None,
    ) -> Any:
        """action enable2FA: POST /operations/enable2-fa"""
        response = await self.request("POST", "/operations/enable2-fa", json=_dump(args))
        return _answer(response)

    async def verify2_fa(
        self,
        args: CodeArgs | Mapping[str, Any],
    ) -> Any:
        """action verify2FA: POST /operations/verify2-fa"""
        response = await self.request("POST", "/operations/verify2-fa", json=_dump(args))
        return _answer(response)

    async def disable2_fa(
        self,
        args: DisableArgs | Mapping[str, Any],
    ) -> Any:
        """action disable2FA: POST /operations/disable2-fa"""
        response = await self.request("POST", "/operations/disable2-fa", json=_dump(args))
        return _answer(response)

    async def generate_new2_fa_backup_codes(
        self,
        args: CodeArgs | Mapping[str, Any],
    ) -> Any:
        """action generateNew2FABackupCodes: POST /operations/generate-new2-fa-backup-codes"""
        response = await self.request(
            "POST",
            "/operations/generate-new2-fa-backup-codes",
            json=_dump(args),
        )
        return _answer(response)

    async def update_workspace_ip_whitelist(
        self,
        args: AllowlistArgs | Mapping[str, Any],
    ) -> Any:
        """action updateWorkspaceIpWhitelist: POST /operations/update-workspace-ip-whitelist"""
        response = await self.request(
            "POST",
            "/operations/update-workspace-ip-whitelist",
            json=_dump(args),
        )
        return _answer(response)

    async def add_ip_to_whitelist(
        self,
        args: EntryArgs | Mapping[str, Any],
    ) -> Any:
        """action addIpToWhitelist: POST /operations/add-ip-to-whitelist"""
        response = await self.request("POST", "/operations/add-ip-to-whitelist", json=_dump(args))
        return _answer(response)

    async def remove_ip_from_whitelist(
        self,
        args: EntryArgs | Mapping[str, Any],
    ) -> Any:
        """action removeIpFromWhitelist: POST /operations/remove-ip-from-whitelist"""
        response = await self.request(
            "POST",
            "/operations/remove-ip-from-whitelist",
            json=_dump(args),
        )
        return _answer(response)

    async def toggle_ip_whitelist(
        self,
        args: ToggleArgs | Mapping[str, Any],
    ) -> Any:
        """action toggleIpWhitelist: POST /operations/toggle-ip-whitelist"""
        response = await self.request("POST", "/operations/toggle-ip-whitelist", json=_dump(args))
        return _answer(response)

    async def send_contact_message(
        self,
        args: SendArgs | Mapping[str, Any],
    ) -> Any:
        """action sendContactMessage: POST /operations/send-contact-message"""
        response = await self.request("POST", "/operations/send-contact-message", json=_dump(args))
        return _answer(response)

    async def mark_message_as_read(
        self,
        args: ReadArgs | Mapping[str, Any],
    ) -> Any:
        """action markMessageAsRead: POST /operations/mark-message-as-read"""
        response = await self.request("POST", "/operations/mark-message-as-read", json=_dump(args))
        return _answer(response)

    async def mark_message_as_replied(
        self,
        args: MessageRef | Mapping[str, Any],
    ) -> Any:
        """action markMessageAsReplied: POST /operations/mark-message-as-replied"""
        response = await self.request(
            "POST",
            "/operations/mark-message-as-replied",
            json=_dump(args),
        )
        return _answer(response)

    async def delete_contact_message(
        self,
        args: MessageRef | Mapping[str, Any],
    ) -> Any:
        """action deleteContactMessage: POST /operations/delete-contact-message"""
        response = await self.request(
            "POST",
            "/operations/delete-contact-message",
            json=_dump(args),
        )
        return _answer(response)

    async def update_is_user_admin_by_id(
        self,
        args: AdminFlagArgs | Mapping[str, Any],
    ) -> Any:
        """action updateIsUserAdminById: POST /operations/update-is-user-admin-by-id"""
        response = await self.request(
            "POST",
            "/operations/update-is-user-admin-by-id",
            json=_dump(args),
        )
        return _answer(response)

    async def suspend_user(
        self,
        args: SuspendUserArgs | Mapping[str, Any],
    ) -> Any:
        """action suspendUser: POST /operations/suspend-user"""
        response = await self.request("POST", "/operations/suspend-user", json=_dump(args))
        return _answer(response)

    async def reset_user2_fa(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action resetUser2FA: POST /operations/reset-user2-fa"""
        response = await self.request("POST", "/operations/reset-user2-fa", json=_dump(args))
        return _answer(response)

    async def reset_user_password(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action resetUserPassword: POST /operations/reset-user-password"""
        response = await self.request("POST", "/operations/reset-user-password", json=_dump(args))
        return _answer(response)

    async def delete_user_cascade(
        self,
        args: UserRef | Mapping[str, Any],
    ) -> Any:
        """action deleteUserCascade: POST /operations/delete-user-cascade"""
        response = await self.request("POST", "/operations/delete-user-cascade", json=_dump(args))
        return _answer(response)

    async def update_profile(
        self,
        args: ProfileArgs | Mapping[str, Any],
    ) -> Any:
        """action updateProfile: POST /operations/update-profile"""
        response = await self.request("POST", "/operations/update-profile", json=_dump(args))
        return _answer(response)

    async def mark_as_read(
        self,
        args: NotificationRef | Mapping[str, Any],
    ) -> Any:
        """action markAsRead: POST /operations/mark-as-read"""
        response = await self.request("POST", "/operations/mark-as-read", json=_dump(args))
        return _answer(response)

    async def mark_all_as_read(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """action markAllAsRead: POST /operations/mark-all-as-read"""
        response = await self.request("POST", "/operations/mark-all-as-read", json=_dump(args))
        return _answer(response)

    async def delete_notification(
        self,
        args: NotificationRef | Mapping[str, Any],
    ) -> Any:
        """action deleteNotification: POST /operations/delete-notification"""
        response = await self.request("POST", "/operations/delete-notification", json=_dump(args))
        return _answer(response)

    async def delete_all_notifications(
        self,
        args: WorkspaceScope | Mapping[str, Any] | None = None,
    ) -> Any:
        """action deleteAllNotifications: POST /operations/delete-all-notifications"""
        response = await self.request(
            "POST",
            "/operations/delete-all-notifications",
            json=_dump(args),
        )
        return _answer(response)

    async def save_notification_provider(
        self,
        args: SaveProviderArgs | Mapping[str, Any],
    ) -> Any:
        """action saveNotificationProvider: POST /operations/save-notification-provider"""
        response = await self.request(
            "POST",
            "/operations/save-notification-provider",
            json=_dump(args),
        )
        return _answer(response)

    async def toggle_notification_provider(
        self,
        args: ToggleProviderArgs | Mapping[str, Any],
    ) -> Any:
        """action toggleNotificationProvider: POST /operations/toggle-notification-provider"""
        response = await self.request(
            "POST",
            "/operations/toggle-notification-provider",
            json=_dump(args),
        )
        return _answer(response)

    async def delete_notification_provider(
        self,
        args: ProviderRef | Mapping[str, Any],
    ) -> Any:
        """action deleteNotificationProvider: POST /operations/delete-notification-provider"""
        response = await self.request(
            "POST",
            "/operations/delete-notification-provider",
            json=_dump(args),
        )
        return _answer(response)

    async def update_notification_preferences(
        self,
        args: UpdatePreferencesArgs | Mapping[str, Any],
    ) -> Any:
        """action updateNotificationPreferences: POST /operations/update-notification-preferences"""
        response = await self.request(
            "POST",
            "/operations/update-notification-preferences",
            json=_dump(args),
        )
        return _answer(response)

    async def save_push_subscription(
        self,
        args: SavePushSubscriptionArgs | Mapping[str, Any],
    ) -> Any:
        """action savePushSubscription: POST /operations/save-push-subscription"""
        response = await self.request(
            "POST",
            "/operations/save-push-subscription",
            json=_dump(args),
        )
        return _answer(response)

    async def remove_push_subscription(
        self,
        args: EndpointRef | Mapping[str, Any],
    ) -> Any:
        """action removePushSubscription: POST /operations/remove-push-subscription"""
        response = await self.request(
            "POST",
            "/operations/remove-push-subscription",
            json=_dump(args),
        )
        return _answer(response)

    async def remove_all_push_subscriptions(
        self,
        args: None = None,
    ) -> Any:
        """action removeAllPushSubscriptions: POST /operations/remove-all-push-subscriptions"""
        response = await self.request(
            "POST",
            "/operations/remove-all-push-subscriptions",
            json=_dump(args),
        )
        return _answer(response)

    async def create_alert(
        self,
        args: CreateAlertArgs | Mapping[str, Any],
    ) -> Any:
        """action createAlert: POST /operations/create-alert"""
        response = await self.request("POST", "/operations/create-alert", json=_dump(args))
        return _answer(response)

    async def update_alert_status(
        self,
        args: UpdateAlertStatusArgs | Mapping[str, Any],
    ) -> Any:
        """action updateAlertStatus: POST /operations/update-alert-status"""
        response = await self.request("POST", "/operations/update-alert-status", json=_dump(args))
        return _answer(response)

    async def create_incident(
        self,
        args: CreateIncidentArgs | Mapping[str, Any],
    ) -> Any:
        """action createIncident: POST /operations/create-incident"""
        response = await self.request("POST", "/operations/create-incident", json=_dump(args))
        return _answer(response)

    async def update_incident(
        self,
        args: UpdateIncidentArgs | Mapping[str, Any],
    ) -> Any:
        """action updateIncident: POST /operations/update-incident"""
        response = await self.request("POST", "/operations/update-incident", json=_dump(args))
        return _answer(response)

    async def techniques_get(
        self,
        args: TechniquesGetArgs | Mapping[str, Any],
    ) -> Any:
        """crud Techniques.get: GET/POST /crud/techniques/get"""
        response = await self.request("POST", "/crud/techniques/get", json=_dump(args))
        return _answer(response)

    async def techniques_get_all(
        self,
        args: TechniquesGetAllArgs | Mapping[str, Any] | None = None,
    ) -> Any:
        """crud Techniques.getAll: GET/POST /crud/techniques/get-all"""
        response = await self.request("POST", "/crud/techniques/get-all", json=_dump(args))
        return _answer(response)

    async def email_preview(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api emailPreview: GET /api/email-preview"""
        response = await self.request(
            "GET",
            "/api/email-preview",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def screenshot(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api screenshot: GET /api/screenshot/{alertId}"""
        response = await self.request(
            "GET",
            f"/api/screenshot/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def onboarding_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api onboardingForm: POST /forms/onboarding"""
        response = await self.request(
            "POST",
            "/forms/onboarding",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def switch_workspace_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api switchWorkspaceForm: POST /forms/switch-workspace"""
        response = await self.request(
            "POST",
            "/forms/switch-workspace",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def invitation_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api invitationForm: POST /forms/accept-invitation"""
        response = await self.request(
            "POST",
            "/forms/accept-invitation",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def transfer_confirm_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api transferConfirmForm: POST /forms/confirm-transfer"""
        response = await self.request(
            "POST",
            "/forms/confirm-transfer",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def workspace_settings_form(
        self,
        workspace_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api workspaceSettingsForm: POST /forms/workspaces/{workspaceId}/settings"""
        response = await self.request(
            "POST",
            f"/forms/workspaces/{quote(str(workspace_id), safe='')}/settings",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def aegis_alerts_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisAlertsForm: POST /forms/aegis/alerts"""
        response = await self.request(
            "POST",
            "/forms/aegis/alerts",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def aegis_alert_form(
        self,
        alert_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisAlertForm: POST /forms/aegis/alerts/{alertId}"""
        response = await self.request(
            "POST",
            f"/forms/aegis/alerts/{quote(str(alert_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def aegis_incidents_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisIncidentsForm: POST /forms/aegis/incidents"""
        response = await self.request(
            "POST",
            "/forms/aegis/incidents",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def aegis_incident_form(
        self,
        incident_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api aegisIncidentForm: POST /forms/aegis/incidents/{incidentId}"""
        response = await self.request(
            "POST",
            f"/forms/aegis/incidents/{quote(str(incident_id), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def account_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api accountForm: POST /forms/account"""
        response = await self.request(
            "POST",
            "/forms/account",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def notifications_form(
        self,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api notificationsForm: POST /forms/notifications"""
        response = await self.request(
            "POST",
            "/forms/notifications",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def audit_export(
        self,
        workspace_id: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api auditExport: GET /workspaces/{workspaceId}/audit/export"""
        response = await self.request(
            "GET",
            f"/workspaces/{quote(str(workspace_id), safe='')}/audit/export",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)

    async def assets(
        self,
        name: str | int,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """api assets: GET /assets/{name}"""
        response = await self.request(
            "GET",
            f"/assets/{quote(str(name), safe='')}",
            json=json,
            params=params,
            content=content,
            headers=headers,
        )
        return _checked(response)
