"""GET/POST /notifications: the user's notifications (live: app.js follows the
``websocket notifications`` endpoint) and their preferences. Reads and changes go
through the notifications module's own functions (scoped to the signed-in user)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sentinel_spec.runtime import HttpError
from src.client import services
from src.client.web import component, error_text, form_fields, form_lists, page, redirect, undo
from src.core.notifications import inbox, preferences

PAGE_SIZE = 25
# The event types a user may turn off, exactly as the services emit them
# (src/core/workspace/*.py publish, src/core/aegis/operations.py emit).
EVENT_TYPES = {
    "member.invited": "Someone is invited to a workspace",
    "member.joined": "Someone joins a workspace",
    "member.left": "Someone leaves a workspace",
    "member.removed": "Someone is removed from a workspace",
    "member.role_changed": "A member's role changes",
    "ownership.transferred": "A workspace changes owner",
    "workspace.deleted": "A workspace is deleted",
    "alert_created": "New alert",
    "alert_status_changed": "An alert changes status",
    "incident_created": "New incident",
    "incident_updated": "An incident is updated",
    "incident_resolved": "An incident is resolved",
}
DIGESTS = {
    "REALTIME": "As they happen",
    "HOURLY": "Hourly digest",
    "DAILY": "Daily digest",
    "WEEKLY": "Weekly digest",
}


async def _view(request: Any, context: Any, *, error: str | None = None, status: int = 200) -> Any:
    unread_only = request.query_params.get("show") == "unread"
    try:
        number = max(1, min(int(request.query_params.get("page", "1")), 1000))
    except ValueError:
        number = 1
    listing = await inbox.list_notifications(
        context,
        inbox.NotificationFilter(
            isRead=False if unread_only else None,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        ),
    )
    prefs = await preferences.get_preferences(context)
    return await page(
        request,
        context,
        "notifications.html",
        {
            "notifications": listing["notifications"],
            "has_more": listing["hasMore"],
            "page_number": number,
            "unread_only": unread_only,
            "prefs": prefs,
            "event_types": EVENT_TYPES,
            "digests": DIGESTS,
            "error": error,
        },
        status=status,
    )


@component
async def notifications_page(request: Any, context: Any) -> Any:
    return await _view(request, context)


@component
async def notifications_form(request: Any, context: Any) -> Any:
    fields = await form_fields(request)
    action = fields.get("action")
    try:
        if action == "read":
            await inbox.mark_read(context, fields.get("id", ""))
            done = "read"
        elif action == "read-all":
            await inbox.mark_all_read(context, inbox.WorkspaceScope())
            done = "read"
        elif action == "delete":
            await inbox.delete_one(context, fields.get("id", ""))
            done = "saved"
        elif action == "preferences":
            await preferences.update_preferences(
                context, _preferences(fields, await form_lists(request))
            )
            done = "preferences"
        else:
            raise HttpError(400, "Unknown action")
    except (HttpError, ValidationError) as failed:
        if isinstance(failed, HttpError) and failed.status in (401, 404, 429):
            raise
        await undo(context)
        status = failed.status if isinstance(failed, HttpError) else 400
        services.forget(context)
        return await _view(request, context, error=error_text(failed), status=status)
    return redirect("/notifications", done=done)


def _preferences(fields: dict[str, str], lists: dict[str, list[str]]) -> Any:
    """The form's fields as the service's arguments. Checkboxes that are not ticked are
    not sent at all, so each one means "off" when missing."""
    enabled = set(lists.get("events", []))
    return preferences.UpdatePreferencesArgs(
        inAppEnabled="inAppEnabled" in fields,
        emailEnabled="emailEnabled" in fields,
        disabledEventTypes=[name for name in EVENT_TYPES if name not in enabled],
        digestFrequency=fields.get("digestFrequency") or "REALTIME",
        dndEnabled="dndEnabled" in fields,
        dndStartTime=fields.get("dndStartTime") or None,
        dndEndTime=fields.get("dndEndTime") or None,
        digestTime=fields.get("digestTime") or None,
    )


@component
async def notification_preferences_page(request: Any, context: Any) -> Any:
    """GET /notifications/preferences, the link in every notification mail: the
    preferences are a section of the notifications page."""
    return redirect("/notifications", _anchor="preferences")
