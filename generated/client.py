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


class NotificationFilter(BaseModel):
    workspaceId: str | None = Field(default=None)
    isRead: bool | None = Field(default=None)
    type: Any = Field(default=None)
    startDate: datetime | None = Field(default=None)
    endDate: datetime | None = Field(default=None)
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class WorkspaceScope(BaseModel):
    workspaceId: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class WorkspaceRef(BaseModel):
    workspaceId: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class DeliveryLogFilter(BaseModel):
    workspaceId: str
    status: Any = Field(default=None)
    channel: Any = Field(default=None)
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class CreateWorkspaceArgs(BaseModel):
    name: str
    slug: str | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UpdateWorkspaceArgs(BaseModel):
    id: str
    name: str | None = Field(default=None)
    ipAllowlist: list[str] | None = Field(default=None)
    sessionTimeoutMins: int | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class src_core_workspace_operations__WorkspaceRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class NotificationRef(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class SaveProviderArgs(BaseModel):
    workspaceId: str
    provider: Any
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


class UpdatePreferencesArgs(BaseModel):
    inAppEnabled: bool | None = Field(default=None)
    emailEnabled: bool | None = Field(default=None)
    pushEnabled: bool | None = Field(default=None)
    disabledEventTypes: list[str] | None = Field(default=None)
    digestFrequency: Literal["REALTIME", "HOURLY", "DAILY", "WEEKLY"] | None = Field(default=None)
    digestTime: str | None = Field(default=None)
    dndEnabled: bool | None = Field(default=None)
    dndStartTime: str | None = Field(default=None)
    dndEndTime: str | None = Field(default=None)
    timezone: str | None = Field(default=None)

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


class CreateAlertArgs(BaseModel):
    workspaceId: str
    title: str
    description: str | None = Field(default=None)
    source: str
    severity: Any = Field(default="MEDIUM")
    tags: list[str] | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UpdateAlertStatusArgs(BaseModel):
    id: str
    status: Any

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class CreateIncidentArgs(BaseModel):
    workspaceId: str
    title: str
    severity: Any = Field(default="MEDIUM")
    alertIds: list[str] | None = Field(default=None)
    slaDeadline: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class UpdateIncidentArgs(BaseModel):
    id: str
    title: str | None = Field(default=None)
    severity: Any = Field(default=None)
    status: Any = Field(default=None)
    slaDeadline: datetime | None = Field(default=None)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetArgs(BaseModel):
    id: str

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class TechniquesGetAllArgs(BaseModel):
    limit: int = Field(default=50)
    offset: int = Field(default=0)

    model_config = ConfigDict(populate_by_name=True, extra="allow")


NotificationFilter.model_rebuild()
WorkspaceScope.model_rebuild()
WorkspaceRef.model_rebuild()
DeliveryLogFilter.model_rebuild()
CreateWorkspaceArgs.model_rebuild()
UpdateWorkspaceArgs.model_rebuild()
src_core_workspace_operations__WorkspaceRef.model_rebuild()
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

    def get_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaces: GET/POST /operations/get-workspaces"""
        response = self.request("POST", "/operations/get-workspaces", json=_dump(args))
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
        args: WorkspaceRef | Mapping[str, Any],
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
        args: src_core_workspace_operations__WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = self.request("POST", "/operations/delete-workspace", json=_dump(args))
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
        """api onboardingForm: POST /onboarding"""
        response = self.request(
            "POST",
            "/onboarding",
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
        """api notificationsForm: POST /notifications"""
        response = self.request(
            "POST",
            "/notifications",
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

    async def get_workspaces(
        self,
        args: None = None,
    ) -> Any:
        """query getWorkspaces: GET/POST /operations/get-workspaces"""
        response = await self.request("POST", "/operations/get-workspaces", json=_dump(args))
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
        args: WorkspaceRef | Mapping[str, Any],
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
        args: src_core_workspace_operations__WorkspaceRef | Mapping[str, Any],
    ) -> Any:
        """action deleteWorkspace: POST /operations/delete-workspace"""
        response = await self.request("POST", "/operations/delete-workspace", json=_dump(args))
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
        """api onboardingForm: POST /onboarding"""
        response = await self.request(
            "POST",
            "/onboarding",
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
        """api notificationsForm: POST /notifications"""
        response = await self.request(
            "POST",
            "/notifications",
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
