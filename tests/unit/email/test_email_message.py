"""Addresses, messages and their MIME form: what is accepted, what is refused and why."""

from __future__ import annotations

import email
import email.policy

import pytest

from sentinel_spec.runtime.email.message import Address, EmailMessage, InvalidEmail
from sentinel_spec.runtime.email.mime import to_mime


@pytest.mark.parametrize(
    ("raw", "email_", "name"),
    [
        ("ada@example.com", "ada@example.com", None),
        ("  ada@Example.COM ", "ada@example.com", None),
        ("Ada Lovelace <ada@example.com>", "ada@example.com", "Ada Lovelace"),
        ('"Lovelace, Ada" <ada@example.com>', "ada@example.com", "Lovelace, Ada"),
        ('"Ada \\"the\\" Countess" <ada@example.com>', "ada@example.com", 'Ada "the" Countess'),
        ("<ada@example.com>", "ada@example.com", None),
        ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk", None),
        ("josé@exämple.com", "josé@exämple.com", None),
        ("root@localhost", "root@localhost", None),
    ],
)
def test_addresses_in_the_usual_forms_are_parsed(raw: str, email_: str, name: str | None) -> None:
    address = Address.parse(raw)
    assert (address.email, address.name) == (email_, name)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ada",
        "ada@",
        "@example.com",
        "ada@@example.com",
        "a..b@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "ada lovelace@example.com",
        "ada@exa mple.com",
        "ada@-example.com",
        "ada@example-.com",
        "ada@example..com",
        '"ada"@example.com',
        "ada@[127.0.0.1]",
        "Ada <ada@example.com> trailing",
        "x" * 65 + "@example.com",
        "ada@" + "a" * 64 + ".com",
    ],
)
def test_malformed_addresses_are_refused(raw: str) -> None:
    with pytest.raises(InvalidEmail):
        Address.parse(raw)


def test_a_comma_separated_string_is_refused_rather_than_split() -> None:
    # A user-typed "a@x, b@y" must never turn into two recipients silently.
    with pytest.raises(InvalidEmail, match="pass several addresses as a list"):
        EmailMessage(to="ada@example.com, eve@example.com", subject="s", text="t")
    message = EmailMessage(to=["ada@example.com", "Eve <eve@example.com>"], subject="s", text="t")
    assert [a.email for a in message.to] == ["ada@example.com", "eve@example.com"]


INJECTIONS = ["\r\nBcc: eve@evil.test", "\nBcc: eve@evil.test", "\rX: y", "\x00", "a\u2028b"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_line_breaks_in_any_header_field_are_refused(payload: str) -> None:
    ok = {"to": "ada@example.com", "subject": "hello", "text": "body"}
    attempts = [
        {**ok, "subject": "hello" + payload},
        {**ok, "to": "ada@example.com" + payload},
        {**ok, "to": f"Ada{payload} <ada@example.com>"},
        {**ok, "to": [Address("ada@example.com"), "ok@example.com" + payload]},
        {**ok, "from_": f"Sender{payload} <noreply@example.com>"},
        {**ok, "reply_to": "help@example.com" + payload},
        {**ok, "headers": {"X-Campaign": "spring" + payload}},
        {**ok, "headers": {"X-Bad" + payload: "v"}},
        {**ok, "message_id": f"<a{payload}@example.com>"},
    ]
    for fields in attempts:
        with pytest.raises(InvalidEmail):
            EmailMessage(**fields)  # type: ignore[arg-type]
    with pytest.raises(InvalidEmail, match="header injection refused"):
        Address("ada@example.com", name="Ada" + payload)


def test_bodies_may_hold_line_breaks() -> None:
    message = EmailMessage(to="ada@example.com", subject="s", text="one\r\ntwo\n", html="<p>\n</p>")
    assert message.text == "one\r\ntwo\n"


@pytest.mark.parametrize("name", ["To", "from", "Subject", "Bcc", "Content-Type", "Message-ID"])
def test_extra_headers_cannot_replace_the_messages_own(name: str) -> None:
    with pytest.raises(InvalidEmail, match="set from the message's own fields"):
        EmailMessage(to="ada@example.com", subject="s", text="t", headers={name: "x"})


def test_a_message_needs_a_recipient_and_a_body() -> None:
    with pytest.raises(InvalidEmail, match="recipient"):
        EmailMessage(to=[], subject="s", text="t")
    with pytest.raises(InvalidEmail, match="body"):
        EmailMessage(to="ada@example.com", subject="s")


def test_repr_never_shows_the_bodies() -> None:
    message = EmailMessage(
        to="ada@example.com", subject="Reset", text="token=SECRET", html="<a>SECRET</a>"
    )
    assert "SECRET" not in repr(message)
    assert "SECRET" not in message.describe()
    assert "Reset" in message.describe()


def test_json_form_round_trips() -> None:
    message = EmailMessage(
        to=["Ada <ada@example.com>", "bob@example.com"],
        subject="Héllo",
        text="t",
        html="<p>h</p>",
        from_="SentinelIQ <noreply@sentineliq.dev>",
        reply_to=["help@sentineliq.dev"],
        headers=[("X-One", "1"), ("X-Two", "2")],
        message_id="<abc@sentineliq.dev>",
        template="welcome",
    )
    import json

    again = EmailMessage.from_dict(json.loads(json.dumps(message.to_dict())))
    assert again == message


def _parse(raw: bytes) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_mime_has_text_then_html_as_alternatives_and_every_header() -> None:
    message = EmailMessage(
        to=["Ada Lovelace <ada@example.com>", '"Doe, Jane" <jane@example.com>'],
        subject="Héllo wörld",
        text="plain ✓",
        html="<p>html ✓</p>",
        from_="SentinelIQ <noreply@sentineliq.dev>",
        reply_to="help@sentineliq.dev",
        headers={"X-Campaign": "spring"},
        message_id="<abc@sentineliq.dev>",
    )
    parsed = _parse(to_mime(message).as_bytes())
    assert parsed["Subject"] == "Héllo wörld"
    assert parsed["From"] == "SentinelIQ <noreply@sentineliq.dev>"
    assert parsed["To"].addresses[1].display_name == "Doe, Jane"
    assert parsed["Reply-To"] == "help@sentineliq.dev"
    assert parsed["Message-ID"] == "<abc@sentineliq.dev>"
    assert parsed["X-Campaign"] == "spring"
    assert parsed["Date"] is not None
    assert parsed.get_content_type() == "multipart/alternative"
    parts = list(parsed.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().strip() == "plain ✓"
    assert parts[1].get_content().strip() == "<p>html ✓</p>"


def test_mime_with_one_body_is_a_single_part() -> None:
    message = EmailMessage(
        to="ada@example.com", subject="s", html="<b>hi</b>", from_="noreply@example.com"
    )
    parsed = _parse(to_mime(message).as_bytes())
    assert parsed.get_content_type() == "text/html"
    assert parsed["Message-ID"].endswith("@example.com>")
