"""The Console sender: each message, headers and bodies, as one log record.

For development (``sentinel dev`` uses it when no SMTP server or SendGrid key is
configured) and for tests. The bodies are logged whole, sign-in links included: that
is the point in development, and the reason ``sentinel start`` warns when an app uses
it in production.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.sender import Outcomes

log = logging.getLogger("sentinel.email.console")


def render_readable(message: EmailMessage) -> str:
    """The message as a person reads it: headers, then each body under a rule."""
    lines = [
        f"From: {message.from_}",
        f"To: {', '.join(str(a) for a in message.to)}",
    ]
    if message.reply_to:
        lines.append(f"Reply-To: {', '.join(str(a) for a in message.reply_to)}")
    lines.append(f"Subject: {message.subject}")
    if message.message_id:
        lines.append(f"Message-ID: {message.message_id}")
    lines += [f"{name}: {value}" for name, value in message.headers]
    if message.text is not None:
        lines += ["----- text/plain -----", message.text.rstrip("\n")]
    if message.html is not None:
        lines += ["----- text/html -----", message.html.rstrip("\n")]
    lines.append("----- end of email -----")
    return "\n".join(lines)


class ConsoleSender:
    name = "console"

    async def deliver(self, messages: Sequence[EmailMessage]) -> Outcomes:
        for message in messages:
            log.info(
                "email (console sender, not sent)\n%s",
                render_readable(message),
                extra={"email_to": [a.email for a in message.to], "email_subject": message.subject},
            )
        return [None] * len(messages)

    async def aclose(self) -> None:
        return None
