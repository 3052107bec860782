"""The SMTP sender (aiosmtplib): one connection per batch of messages.

Connection security, in order of preference:
- ``implicit_tls`` (``SMTP_TLS=true``, usually port 465): TLS from the first byte;
- otherwise STARTTLS whenever the server offers it (port 587);
- otherwise plain text, which is refused when credentials would be sent
  (``SMTP_USERNAME``) or when ``require_tls`` (``SMTP_REQUIRE_TLS=true``) is set: a
  server that stops offering STARTTLS may be a man in the middle stripping it.
Certificates are always verified against the system's CAs, or against ``ca_file``
(``SMTP_CA_FILE``) for a self-hosted relay or a test server.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiosmtplib

from sentinel_spec.runtime.email.message import EmailMessage
from sentinel_spec.runtime.email.mime import to_mime
from sentinel_spec.runtime.email.sender import DeliveryFailure, Outcomes

log = logging.getLogger("sentinel.email")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False
    require_tls: bool = False
    ca_file: str | None = None
    # Seconds for connecting and for each command (aiosmtplib applies it to both).
    timeout: float = 30.0
    local_hostname: str | None = None


def classify(error: BaseException, host: str) -> DeliveryFailure:
    """What an aiosmtplib (or socket/TLS) error means for trying again."""
    if isinstance(error, ssl.SSLCertVerificationError) or isinstance(
        error.__cause__, ssl.SSLCertVerificationError
    ):
        return DeliveryFailure.permanent(
            f"the TLS certificate of {host} is not trusted ({error}); "
            "set SMTP_CA_FILE to the CA that signed it"
        )
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        detail = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
        reason = f"every recipient refused: {detail}"
        if all(code >= 500 for code in codes):
            return DeliveryFailure.permanent(reason)
        return DeliveryFailure.temporary(reason)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        reason = f"{type(error).__name__}: {error.code} {error.message}"
        if 400 <= error.code < 500:
            return DeliveryFailure.temporary(reason)
        if error.code >= 500:
            return DeliveryFailure.permanent(reason)
        return DeliveryFailure.temporary(reason)
    if isinstance(error, aiosmtplib.SMTPTimeoutError | aiosmtplib.SMTPServerDisconnected):
        return DeliveryFailure.temporary(f"{type(error).__name__}: {error}")
    if isinstance(error, aiosmtplib.SMTPConnectError | ConnectionError | TimeoutError | OSError):
        return DeliveryFailure.temporary(f"cannot reach {host}: {error}")
    if isinstance(error, aiosmtplib.SMTPException | ValueError):
        # The server cannot take this message at all (no AUTH, no SMTPUTF8, ...).
        return DeliveryFailure.permanent(f"{type(error).__name__}: {error}")
    return DeliveryFailure.temporary(f"{type(error).__name__}: {error}")


class SmtpSender:
    name = "smtp"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def _client(self) -> aiosmtplib.SMTP:
        s = self.settings
        return aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            timeout=s.timeout,
            use_tls=s.implicit_tls,
            # None: upgrade when the server offers STARTTLS; never on an implicit-TLS socket.
            start_tls=False if s.implicit_tls else None,
            validate_certs=True,
            cert_bundle=s.ca_file,
            local_hostname=s.local_hostname,
        )

    async def deliver(self, messages: Sequence[EmailMessage]) -> Outcomes:
        if not messages:
            return []
        smtp = self._client()
        try:
            failure = await self._open(smtp)
            if failure is not None:
                return [failure] * len(messages)
            return await self._send_all(smtp, messages)
        finally:
            await self._close(smtp)

    async def _open(self, smtp: aiosmtplib.SMTP) -> DeliveryFailure | None:
        """Connect, secure and authenticate; the failure that stops the batch, if any."""
        s = self.settings
        try:
            await smtp.connect()
            encrypted = smtp.get_transport_info("sslcontext") is not None
            if not encrypted and (s.username or s.require_tls):
                why = "credentials would be sent" if s.username else "SMTP_REQUIRE_TLS is set"
                return DeliveryFailure.permanent(
                    f"{s.host}:{s.port} offers no STARTTLS and {why}: refusing to send "
                    "in plain text (use SMTP_TLS=true for a port-465 server)"
                )
            if s.username:
                await smtp.login(s.username, s.password or "")
        except Exception as error:
            return classify(error, s.host)
        return None

    async def _send_all(self, smtp: aiosmtplib.SMTP, messages: Sequence[EmailMessage]) -> Outcomes:
        outcomes: Outcomes = []
        for message in messages:
            if not smtp.is_connected:
                outcomes.append(DeliveryFailure.temporary("the SMTP connection was lost"))
                continue
            assert message.from_ is not None, "the mailer sets from_ before queueing"
            try:
                refused, _ = await smtp.send_message(
                    to_mime(message),
                    sender=message.from_.email,
                    recipients=[a.email for a in message.to],
                )
            except Exception as error:
                outcomes.append(classify(error, self.settings.host))
                continue
            for recipient, response in refused.items():
                # Delivered to the others: retrying would send them a second copy.
                log.error(
                    "email recipient refused by %s: %s %s %s (%s)",
                    self.settings.host,
                    recipient,
                    response.code,
                    response.message,
                    message.describe(),
                )
            outcomes.append(None)
        return outcomes

    async def _close(self, smtp: aiosmtplib.SMTP) -> None:
        if not smtp.is_connected:
            return
        try:
            await smtp.quit(timeout=min(self.settings.timeout, 5.0))
        except Exception:
            smtp.close()

    async def aclose(self) -> None:
        return None
