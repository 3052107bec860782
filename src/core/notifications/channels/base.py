"""What every channel shares: the event it delivers and how a failure is reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

SEVERITY_COLOURS = {  # Slack/Teams hex, Discord int: one palette everywhere
    "INFO": "3B82F6",
    "SUCCESS": "22C55E",
    "WARNING": "F59E0B",
    "ERROR": "EF4444",
    "CRITICAL": "991B1B",
}
TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class DeliveryError(Exception):
    """A failed send. ``permanent``: retrying cannot help (bad config, gone endpoint)."""

    def __init__(self, message: str, *, status: int | None = None, permanent: bool = False):
        super().__init__(message)
        self.status = status
        self.permanent = permanent


@dataclass(frozen=True)
class Event:
    event_type: str
    workspace_id: str
    title: str
    message: str
    severity: str = "INFO"
    link: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Event:
        return cls(
            event_type=payload["eventType"],
            workspace_id=payload["workspaceId"],
            title=payload["title"],
            message=payload["message"],
            severity=payload.get("severity", "INFO"),
            link=payload.get("link"),
            data=dict(payload.get("data") or {}),
            created_at=payload.get("createdAt", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "eventType": self.event_type,
            "workspaceId": self.workspace_id,
            "title": self.title,
            "message": self.message,
            "severity": self.severity,
            "link": self.link,
            "data": self.data,
            "createdAt": self.created_at,
        }

    def facts(self) -> list[tuple[str, str]]:
        """Short scalar details for chat cards (nested values are left out)."""
        out = [("Event", self.event_type), ("Severity", self.severity)]
        for key, value in list(self.data.items())[:8]:
            if isinstance(value, (str, int, float, bool)):
                out.append((str(key)[:50], str(value)[:200]))
        return out


def absolute_link(event: Event, app_url: str) -> str | None:
    if not event.link:
        return None
    if event.link.startswith(("http://", "https://")):
        return event.link
    return app_url + "/" + event.link.lstrip("/")


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str] | None = None,
    *,
    accept: tuple[int, ...] = (200, 201, 202, 204),
) -> int:
    """POST ``body`` (already-encoded JSON); a non-2xx answer is a ``DeliveryError``
    (4xx except 408/429 permanent: the same request will be refused again)."""
    try:
        response = await client.post(
            url,
            content=body,
            headers={"Content-Type": "application/json", **(headers or {})},
            timeout=TIMEOUT,
        )
    except httpx.HTTPError as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from error
    if response.status_code not in accept:
        permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
        raise DeliveryError(
            f"HTTP {response.status_code}: {response.text[:300]}",
            status=response.status_code,
            permanent=permanent,
        )
    return response.status_code
