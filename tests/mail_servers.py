"""Real servers on loopback for the email tests: an aiosmtpd SMTP server (plain,
STARTTLS, implicit TLS, AUTH, scripted failures) and a SendGrid v3 stub (an HTTP server
that records each request and answers from a script). Both run in threads of their own,
so the test's event loop talks to them over real sockets.
"""

from __future__ import annotations

import email
import email.policy
import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    peer: Any
    tls: bool
    authenticated: bool

    @property
    def message(self) -> email.message.EmailMessage:
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


@dataclass
class Inbox:
    """What the SMTP server accepted, and what it refused on purpose."""

    received: list[Received] = field(default_factory=list)
    refuse_data: list[str] = field(default_factory=list)  # replies for the next DATAs
    refuse_rcpt: dict[str, str] = field(default_factory=dict)  # address -> reply
    data_attempts: int = 0
    auth_attempts: int = 0
    connections: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        reply = self.inbox.refuse_rcpt.get(address)
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.inbox.lock:
            self.inbox.data_attempts += 1
            if self.inbox.refuse_data:
                return self.inbox.refuse_data.pop(0)
            content = envelope.original_content or b""
            self.inbox.received.append(
                Received(
                    mail_from=envelope.mail_from or "",
                    rcpt_tos=list(envelope.rcpt_tos),
                    content=content,
                    peer=session.peer,
                    tls=session.ssl is not None,
                    authenticated=bool(session.authenticated),
                )
            )
        return "250 2.0.0 OK: queued"


class CountingController(Controller):
    """Counts SMTP connections (each one makes a new protocol through ``factory``)."""

    def __init__(self, handler: Handler, inbox: Inbox, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.inbox = inbox

    def factory(self) -> SMTP:
        with self.inbox.lock:
            self.inbox.connections += 1
        return super().factory()


@dataclass
class Tls:
    ca_file: str
    server_context: ssl.SSLContext


@contextmanager
def tls_material(folder: Path) -> Iterator[Tls]:
    """A throwaway CA and a certificate for 127.0.0.1/localhost signed by it."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = folder / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    yield Tls(str(ca_file), context)


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox

    def env(self, **more: str) -> dict[str, str]:
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), **more}


@contextmanager
def smtp_server(
    *,
    starttls: ssl.SSLContext | None = None,
    implicit_tls: ssl.SSLContext | None = None,
    users: dict[str, str] | None = None,
) -> Iterator[SmtpServer]:
    """aiosmtpd on a free loopback port. ``starttls`` offers (and requires) STARTTLS;
    ``implicit_tls`` speaks TLS from the first byte; ``users`` turns AUTH on."""
    inbox = Inbox()
    kwargs: dict[str, Any] = {}
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True)
    if implicit_tls is not None:
        kwargs.update(ssl_context=implicit_tls)
    if users is not None:

        def authenticator(
            server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
        ) -> AuthResult:
            with inbox.lock:
                inbox.auth_attempts += 1
            ok = isinstance(data, LoginPassword) and (
                users.get(data.login.decode()) == data.password.decode()
            )
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    port = free_port()
    controller = CountingController(
        Handler(inbox),
        inbox,
        hostname="127.0.0.1",
        port=port,
        server_hostname="localhost",
        **kwargs,
    )
    controller.start()
    with inbox.lock:
        inbox.connections = 0  # the controller's own start-up probe
    try:
        yield SmtpServer(port, inbox)
    finally:
        controller.stop()


# ---------------------------------------------------------------- SendGrid


@dataclass
class StubRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class SendGridStub:
    url: str
    requests: list[StubRequest] = field(default_factory=list)
    # (status, headers, body) answers for the next requests; then 202.
    script: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def sendgrid_stub() -> Iterator[SendGridStub]:
    """A loopback HTTP server speaking SendGrid's v3 Mail Send answers."""
    port = free_port()
    stub = SendGridStub(url=f"http://127.0.0.1:{port}")
    lock = threading.Lock()

    class RequestHandler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                stub.requests.append(
                    StubRequest(
                        "POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body
                    )
                )
                answer = stub.script.pop(0) if stub.script else (202, {"X-Message-Id": "sg-1"}, b"")
            status, headers, content = answer
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

    server = ThreadingHTTPServer(("127.0.0.1", port), RequestHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
