"""An ``EmailMessage`` as the RFC 5322 message SMTP carries (``email.message``).

Text and HTML together make a ``multipart/alternative`` with the text first, as RFC
2046 asks (clients show the last part they understand). Non-ASCII names and subjects
are encoded by the standard library's ``SMTP`` policy (RFC 2047), bodies as UTF-8.
"""

from __future__ import annotations

import email.message
import email.policy
import email.utils
from email.headerregistry import Address as HeaderAddress

from sentinel_spec.runtime.email.message import Address, EmailMessage


def make_message_id(domain: str) -> str:
    """A new ``<unique@domain>`` Message-ID (random, no host name leaked)."""
    return email.utils.make_msgid(domain=domain)


def _header_address(address: Address) -> HeaderAddress:
    username, _, domain = address.email.rpartition("@")
    return HeaderAddress(display_name=address.name or "", username=username, domain=domain)


def to_mime(message: EmailMessage) -> email.message.EmailMessage:
    """The message with every header set; ``from_`` must be known by now."""
    if message.from_ is None:
        raise ValueError("to_mime needs a message whose from_ is set")
    mime = email.message.EmailMessage(policy=email.policy.SMTP)
    mime["From"] = _header_address(message.from_)
    mime["To"] = [_header_address(a) for a in message.to]
    if message.reply_to:
        mime["Reply-To"] = [_header_address(a) for a in message.reply_to]
    mime["Subject"] = message.subject
    mime["Date"] = email.utils.formatdate(localtime=False, usegmt=True)
    mime["Message-ID"] = message.message_id or make_message_id(message.from_.domain)
    for name, value in message.headers:
        mime[name] = value
    if message.text is not None:
        mime.set_content(message.text, subtype="plain", charset="utf-8")
        if message.html is not None:
            mime.add_alternative(message.html, subtype="html", charset="utf-8")
    elif message.html is not None:
        mime.set_content(message.html, subtype="html", charset="utf-8")
    return mime
