"""Signed-in users for the realtime tests, from the real auth routes over HTTP: sign up,
read the verification mail the SMTP server received, follow its link, log in."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import httpx

from tests.integration.realtime.decl_app import APP_URL, VERIFY_PATH
from tests.mail_servers import SmtpServer

PASSWORD = "Correct-horse-9-battery"


@dataclass(frozen=True)
class Account:
    email: str
    id: str  # the user id the signup made
    session: str  # a session id: bearer, cookie or ?token=


async def verification_token(smtp: SmtpServer, email: str, timeout: float = 15) -> str:
    pattern = re.escape(APP_URL + VERIFY_PATH) + r"\?token=([A-Za-z0-9_\-%]+)"
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for received in list(smtp.inbox.received):
            if email in received.rcpt_tos:
                text = received.message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(pattern, text)
                if found:
                    return found.group(1)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no verification mail for {email}")


async def signed_in(address: str, smtp: SmtpServer, name: str) -> Account:
    """``name@example.test`` signed up, verified and logged in on the server at ``address``."""
    email = f"{name}@example.test"
    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=20) as client:
        answer = await client.post(
            "/auth/email/signup", json={"email": email, "password": PASSWORD}
        )
        assert answer.status_code == 201, answer.text
        token = await verification_token(smtp, email)
        answer = await client.post("/auth/email/verify-email", json={"token": token})
        assert answer.status_code == 200, answer.text
        answer = await client.post("/auth/email/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        body = answer.json()
    return Account(email=email, id=str(body["user"]["id"]), session=body["sessionId"])


async def everyone(address: str, smtp: SmtpServer) -> dict[str, Account]:
    """alice (a member of w1) and bob (of w2)."""
    alice, bob = await asyncio.gather(
        signed_in(address, smtp, "alice"), signed_in(address, smtp, "bob")
    )
    return {"alice": alice, "bob": bob}
