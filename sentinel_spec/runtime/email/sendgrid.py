"""The SendGrid sender: ``POST /v3/mail/send`` with a bearer API key (httpx).

One request per message over one keep-alive connection pool, a few at a time. 2xx
(SendGrid answers 202) is sent; 429 and 5xx are worth retrying (after ``Retry-After``
or ``X-RateLimit-Reset`` when given); any other 4xx never will be (bad key, bad
payload, unverified sender), and SendGrid's own error messages go in the reason.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from sentinel_spec.runtime.email.message import Address, EmailMessage
from sentinel_spec.runtime.email.sender import DeliveryFailure, Outcomes

DEFAULT_API_URL = "https://api.sendgrid.com"
SEND_PATH = "/v3/mail/send"
_CONCURRENCY = 4


@dataclass(frozen=True)
class SendGridSettings:
    api_key: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    timeout: float = 30.0


def _address(address: Address) -> dict[str, str]:
    return address.to_dict()


def payload(message: EmailMessage) -> dict[str, Any]:
    """The v3 Mail Send body for one message (text/plain before text/html, as required)."""
    assert message.from_ is not None, "the mailer sets from_ before queueing"
    body: dict[str, Any] = {
        "personalizations": [{"to": [_address(a) for a in message.to]}],
        "from": _address(message.from_),
        "subject": message.subject,
        "content": [],
    }
    if message.text is not None:
        body["content"].append({"type": "text/plain", "value": message.text})
    if message.html is not None:
        body["content"].append({"type": "text/html", "value": message.html})
    if len(message.reply_to) == 1:
        body["reply_to"] = _address(message.reply_to[0])
    elif message.reply_to:  # reply_to and reply_to_list are mutually exclusive
        body["reply_to_list"] = [_address(a) for a in message.reply_to]
    if message.headers:
        body["headers"] = dict(message.headers)
    return body


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is not None:
        try:
            return max(0.0, float(raw))
        except ValueError:
            return None
    reset = response.headers.get("X-RateLimit-Reset")  # a Unix time
    if reset is not None:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            return None
    return None


def _errors_of(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors") or []
        messages = [
            f"{e.get('message')}" + (f" ({e['field']})" if e.get("field") else "")
            for e in errors
            if isinstance(e, dict)
        ]
    except (ValueError, AttributeError):
        messages = []
    return "; ".join(messages) or response.text[:200]


def outcome(response: httpx.Response) -> DeliveryFailure | None:
    status = response.status_code
    if 200 <= status < 300:
        return None
    reason = f"SendGrid answered {status}: {_errors_of(response)}"
    if status == 429 or status >= 500:
        return DeliveryFailure.temporary(reason, _retry_after(response))
    return DeliveryFailure.permanent(reason)


class SendGridSender:
    name = "sendgrid"

    def __init__(self, settings: SendGridSettings) -> None:
        self.settings = settings
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        # Made on first use, inside the running event loop that will use it.
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.settings.api_url,
                headers={"Authorization": f"Bearer {self.settings.api_key}"},
                timeout=httpx.Timeout(self.settings.timeout, connect=10.0),
                follow_redirects=False,
            )
        return self._client

    async def deliver(self, messages: Sequence[EmailMessage]) -> Outcomes:
        client = self._http()
        limit = asyncio.Semaphore(_CONCURRENCY)

        async def one(message: EmailMessage) -> DeliveryFailure | None:
            async with limit:
                try:
                    response = await client.post(SEND_PATH, json=payload(message))
                except httpx.HTTPError as error:
                    return DeliveryFailure.temporary(f"cannot reach SendGrid: {error!r}")
                return outcome(response)

        return list(await asyncio.gather(*(one(m) for m in messages)))

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
