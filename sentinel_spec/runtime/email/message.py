"""``EmailMessage`` and ``Address``: one email, checked when it is made.

Everything that ends up in a header (addresses, names, the subject, extra headers,
the Message-ID) is refused when it holds a line break, so data from a request can
never add a header or a recipient (header injection). Addresses are checked with a
deliberately strict, pragmatic grammar: a dot-atom local part (no quoted forms) and
a dotted domain of letters, digits and hyphens; non-ASCII letters are allowed (they
need a server with SMTPUTF8).

A message is plain, immutable data with a JSON form (``to_dict`` / ``from_dict``), so a
durable delivery queue can store it and deliver it later in another process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Headers a message sets from its own fields; ``headers=`` may not set them.
RESERVED_HEADERS = frozenset(
    {
        "bcc",
        "cc",
        "content-transfer-encoding",
        "content-type",
        "date",
        "from",
        "message-id",
        "mime-version",
        "reply-to",
        "sender",
        "subject",
        "to",
    }
)

_LOCAL_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010ffff]+"
_LOCAL_PART = re.compile(rf"{_LOCAL_ATOM}(?:\.{_LOCAL_ATOM})*")
_LABEL = re.compile(
    r"[A-Za-z0-9\u0080-\U0010ffff](?:[A-Za-z0-9\-\u0080-\U0010ffff]*"
    r"[A-Za-z0-9\u0080-\U0010ffff])?"
)
# ``Name <a@b>``: the name quoted (with backslash escapes) or bare.
_NAME_ADDR = re.compile(
    r'\s*(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^<>"]*?))\s*'
    r"<(?P<addr>[^<>]*)>\s*"
)
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # printable ASCII except ':' (RFC 5322 ftext)
_LINE_BREAKS = ("\r", "\n", "\x00", "\u2028", "\u2029", "\x85")


class InvalidEmail(ValueError):
    """A malformed address or header, or a message that cannot be sent as given."""


def refuse_line_breaks(value: str, what: str) -> str:
    """``value`` unchanged, or ``InvalidEmail`` when it could start a new header line."""
    if any(char in value for char in _LINE_BREAKS):
        raise InvalidEmail(f"{what} contains a line break (header injection refused): {value!r}")
    return value


def check_addr_spec(addr: str) -> str:
    """``local@domain`` as given (the domain lowercased); ``InvalidEmail`` otherwise."""
    refuse_line_breaks(addr, "email address")
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmail(f"not an email address (expected name@domain): {addr!r}")
    if len(local.encode()) > 64 or len(addr.encode()) > 254:
        raise InvalidEmail(f"email address too long: {addr!r}")
    if not _LOCAL_PART.fullmatch(local):
        raise InvalidEmail(f"invalid characters before the @ in email address {addr!r}")
    labels = domain.split(".")
    if len(domain) > 253 or not all(len(lb) <= 63 and _LABEL.fullmatch(lb) for lb in labels):
        raise InvalidEmail(f"invalid domain in email address {addr!r}")
    return f"{local}@{domain.lower()}"


@dataclass(frozen=True)
class Address:
    """One mailbox: ``email`` (checked) and an optional display ``name``."""

    email: str
    name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", check_addr_spec(self.email))
        if self.name is not None:
            name = refuse_line_breaks(self.name, "display name").strip()
            object.__setattr__(self, "name", name or None)

    @classmethod
    def parse(cls, value: str | Address) -> Address:
        """``a@b``, ``Name <a@b>`` or ``"Doe, Jane" <a@b>``; one address, never a list."""
        if isinstance(value, Address):
            return value
        if not isinstance(value, str):
            raise InvalidEmail(f"an email address must be a string, got {type(value).__name__}")
        refuse_line_breaks(value, "email address")
        match = _NAME_ADDR.fullmatch(value)
        if match is None:
            if "," in value or ";" in value:
                raise InvalidEmail(
                    f"one address expected, got {value!r}: pass several addresses as a list"
                )
            return cls(value.strip())
        quoted = match["quoted"]
        name = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else match["bare"]
        return cls(match["addr"].strip(), name or None)

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2]

    def __str__(self) -> str:
        if not self.name:
            return self.email
        if re.fullmatch(r"[\w .'-]*", self.name):
            return f"{self.name} <{self.email}>"
        escaped = self.name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{self.email}>'

    def to_dict(self) -> dict[str, str]:
        return {"email": self.email, **({"name": self.name} if self.name else {})}


AddressInput = str | Address
AddressesInput = AddressInput | Sequence[AddressInput]


def parse_addresses(value: AddressesInput, what: str = "to") -> tuple[Address, ...]:
    """One address or a list of them, each checked (see ``Address.parse``)."""
    if isinstance(value, str | Address):
        return (Address.parse(value),)
    if not isinstance(value, Sequence):
        raise InvalidEmail(f"{what}: an address or a list of addresses, got {value!r}")
    return tuple(Address.parse(item) for item in value)


def _check_headers(
    headers: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    checked: list[tuple[str, str]] = []
    for name, value in pairs:
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise InvalidEmail(f"invalid header name {name!r}")
        if name.lower() in RESERVED_HEADERS:
            raise InvalidEmail(
                f"header {name!r} is set from the message's own fields; "
                "use to=, subject=, from_=, reply_to= instead"
            )
        if not isinstance(value, str):
            raise InvalidEmail(f"header {name!r} must be a string, got {type(value).__name__}")
        checked.append((name, refuse_line_breaks(value, f"header {name!r}")))
    return tuple(checked)


@dataclass(frozen=True, init=False)
class EmailMessage:
    """One email. At least one of ``text`` / ``html``; both make a multipart/alternative.

    ``from_`` may be left out: the mailer fills in the spec's ``defaultFrom``. So is
    ``message_id`` (``<...@domain>``), kept across retries so receivers can deduplicate.
    ``template`` names the template it came from, for logs only.
    """

    to: tuple[Address, ...]
    subject: str
    # Left out of repr(): bodies may hold sign-in links and tokens.
    text: str | None = field(repr=False)
    html: str | None = field(repr=False)
    from_: Address | None
    reply_to: tuple[Address, ...]
    headers: tuple[tuple[str, str], ...]
    message_id: str | None
    template: str | None

    def __init__(
        self,
        *,
        to: AddressesInput,
        subject: str,
        text: str | None = None,
        html: str | None = None,
        from_: AddressInput | None = None,
        reply_to: AddressesInput = (),
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
        message_id: str | None = None,
        template: str | None = None,
    ) -> None:
        recipients = parse_addresses(to, "to")
        if not recipients:
            raise InvalidEmail("an email needs at least one recipient (to=)")
        if not isinstance(subject, str):
            raise InvalidEmail(f"subject must be a string, got {type(subject).__name__}")
        if text is None and html is None:
            raise InvalidEmail("an email needs a body: text=, html= or a template")
        for body, kind in ((text, "text"), (html, "html")):
            if body is not None and not isinstance(body, str):
                raise InvalidEmail(f"{kind} must be a string, got {type(body).__name__}")
        if message_id is not None:
            refuse_line_breaks(message_id, "Message-ID")
            if not re.fullmatch(r"<[^<>\s]+@[^<>\s]+>", message_id):
                raise InvalidEmail(f"Message-ID must look like <id@domain>, got {message_id!r}")
        setattr_ = object.__setattr__
        setattr_(self, "to", recipients)
        setattr_(self, "subject", refuse_line_breaks(subject, "subject"))
        setattr_(self, "text", text)
        setattr_(self, "html", html)
        setattr_(self, "from_", Address.parse(from_) if from_ is not None else None)
        setattr_(self, "reply_to", parse_addresses(reply_to, "reply_to"))
        setattr_(self, "headers", _check_headers(headers or ()))
        setattr_(self, "message_id", message_id)
        setattr_(self, "template", template)

    def replace(self, **changes: Any) -> EmailMessage:
        """A copy with some fields changed (checked again)."""
        fields: dict[str, Any] = {
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "from_": self.from_,
            "reply_to": self.reply_to,
            "headers": self.headers,
            "message_id": self.message_id,
            "template": self.template,
        }
        fields.update(changes)
        return EmailMessage(**fields)

    def describe(self) -> str:
        """Who and what, for log lines: never the bodies (they may hold sign-in links)."""
        to = ", ".join(a.email for a in self.to)
        origin = f" template={self.template}" if self.template else ""
        return f"to={to} subject={self.subject!r} message_id={self.message_id}{origin}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe form; ``EmailMessage.from_dict`` reads it back."""
        data: dict[str, Any] = {"to": [a.to_dict() for a in self.to], "subject": self.subject}
        optional: dict[str, Any] = {
            "text": self.text,
            "html": self.html,
            "from": self.from_.to_dict() if self.from_ else None,
            "replyTo": [a.to_dict() for a in self.reply_to] or None,
            "headers": [list(pair) for pair in self.headers] or None,
            "messageId": self.message_id,
            "template": self.template,
        }
        data.update({key: value for key, value in optional.items() if value is not None})
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EmailMessage:
        def address(item: Mapping[str, Any]) -> Address:
            return Address(item["email"], item.get("name"))

        sender = data.get("from")
        return cls(
            to=[address(item) for item in data["to"]],
            subject=data["subject"],
            text=data.get("text"),
            html=data.get("html"),
            from_=address(sender) if sender else None,
            reply_to=[address(item) for item in data.get("replyTo") or ()],
            headers=[(name, value) for name, value in data.get("headers") or ()],
            message_id=data.get("messageId"),
            template=data.get("template"),
        )
