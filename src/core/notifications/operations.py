"""The notification queries and actions: thin wrappers over inbox.py, providers.py,
preferences.py and delivery_logs.py (which pages call directly with their context)."""

from __future__ import annotations

from typing import Any

from src.core.notifications import delivery_logs, inbox, preferences, providers
from src.core.notifications.delivery_logs import DeliveryLogFilter
from src.core.notifications.inbox import NotificationFilter, NotificationRef, WorkspaceScope
from src.core.notifications.preferences import (
    EndpointRef,
    SavePushSubscriptionArgs,
    UpdatePreferencesArgs,
)
from src.core.notifications.providers import (
    ProviderRef,
    SaveProviderArgs,
    ToggleProviderArgs,
    WorkspaceRef,
)


async def get_notifications(args: NotificationFilter | None, context: Any) -> dict[str, Any]:
    return await inbox.list_notifications(context, args or NotificationFilter())


async def get_unread_count(args: WorkspaceScope | None, context: Any) -> int:
    inbox.require_user(context)
    return await inbox.unread_count(context, args.workspaceId if args else None)


async def mark_as_read(args: NotificationRef, context: Any) -> dict[str, Any]:
    return await inbox.mark_read(context, args.id)


async def mark_all_as_read(args: WorkspaceScope | None, context: Any) -> dict[str, int]:
    return await inbox.mark_all_read(context, args or WorkspaceScope())


async def delete_notification(args: NotificationRef, context: Any) -> dict[str, bool]:
    return await inbox.delete_one(context, args.id)


async def delete_all_notifications(args: WorkspaceScope | None, context: Any) -> dict[str, int]:
    return await inbox.delete_all(context, args or WorkspaceScope())


async def get_notification_providers(args: WorkspaceRef, context: Any) -> list[dict[str, Any]]:
    return await providers.list_providers(context, args.workspaceId)


async def save_notification_provider(args: SaveProviderArgs, context: Any) -> dict[str, Any]:
    return await providers.save_provider(context, args)


async def toggle_notification_provider(args: ToggleProviderArgs, context: Any) -> dict[str, Any]:
    return await providers.toggle_provider(context, args)


async def delete_notification_provider(args: ProviderRef, context: Any) -> dict[str, Any]:
    return await providers.delete_provider(context, args.id)


async def get_notification_preferences(args: None, context: Any) -> dict[str, Any]:
    return await preferences.get_preferences(context)


async def update_notification_preferences(
    args: UpdatePreferencesArgs, context: Any
) -> dict[str, Any]:
    return await preferences.update_preferences(context, args)


async def save_push_subscription(args: SavePushSubscriptionArgs, context: Any) -> dict[str, Any]:
    return await preferences.save_push_subscription(context, args)


async def remove_push_subscription(args: EndpointRef, context: Any) -> dict[str, bool]:
    return await preferences.remove_push_subscription(context, args.endpoint)


async def get_push_subscriptions(args: None, context: Any) -> list[dict[str, Any]]:
    return await preferences.list_push_subscriptions(context)


async def remove_all_push_subscriptions(args: None, context: Any) -> dict[str, int]:
    return await preferences.remove_all_push_subscriptions(context)


async def get_notification_delivery_logs(args: DeliveryLogFilter, context: Any) -> dict[str, Any]:
    return await delivery_logs.list_delivery_logs(context, args)
