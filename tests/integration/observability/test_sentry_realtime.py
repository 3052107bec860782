"""Sentry for sockets: an exception raised in a ``websocket`` declaration's fn, and one
raised in a Socket.IO handler the app's ``app.webSocket`` fn registered, reach a
loopback ingest endpoint as events with the socket's request id and user, scrubbed.

The app is served by uvicorn on loopback; the clients are ``websockets`` and
python-socketio's AsyncClient. Secrets ride where real ones do: the session in
``?token=`` and the Authorization header, a cookie, a password in the event's data and
in the exception's message, a token in a local variable of the raising frame.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest
import socketio
import websockets

from sentinel_spec.contract import declarations as d
from sentinel_spec.runtime.app import create_app
from sentinel_spec.runtime.observability import sentry
from tests.integration.realtime.servers import serving
from tests.loopback import SentryStub
from tests.stand_ins import authenticate_with

# Built at run time: sentry-sdk sends source lines around each frame as context, so a
# literal secret in this file would appear in the envelope without being a leak.
PASSWORD, TOKEN = "-".join(("hunter", "7")), "-".join(("tok", "789"))
SESSION, COOKIE = "sess" + "-ws-abc", "cookie" + "-ws-xyz"
SECRETS = (PASSWORD, TOKEN, SESSION, COOKIE)


@dataclasses.dataclass
class User:
    id: str


async def as_user(conn: Any) -> User | None:
    """The session is the token of ``?token=``, a bearer header or Socket.IO's auth."""
    presented = conn.query_params.get("token") or conn.headers.get("authorization", "")
    return User("u-ws-7") if SESSION in presented else None


async def boom(websocket: Any, context: Any) -> None:
    await websocket.send_text("ready")
    request = await websocket.receive_json()
    api_token = TOKEN  # a local of the raising frame: scrubbed from the event's vars
    raise ValueError(f"websocket fn failed for password={request['password']} ({len(api_token)})")


def register(sio: Any, context: Any) -> None:
    @sio.on("explode")
    async def explode(sid: str, data: Any) -> None:
        api_token = TOKEN  # a local of the raising frame
        raise RuntimeError(
            f"socket.io handler failed password={data['password']} ({len(api_token)})"
        )


def decl(dsn: str) -> d.AppDecl:
    return d.AppDecl(
        name="ObsSockets",
        title="Obs sockets",
        websockets=(d.WebSocket("boom", "/ws/boom", boom, auth=True),),
        socket_io=d.SocketIODecl(fn=register, path="/socket.io"),
        sentry=d.Sentry(dsn=dsn, environment="staging"),
    )


def app_for(stub: SentryStub) -> Any:
    return create_app(
        decl(stub.dsn), environ={}, dotenv=None, features=[authenticate_with(as_user)]
    )


def assert_no_secret_left(stub: SentryStub) -> None:
    raw = b"".join(stub.raw)
    for secret in SECRETS:
        assert secret.encode() not in raw, f"{secret} left the process"


def error_events(stub: SentryStub, kind: str) -> list[Any]:
    return [
        e
        for e in stub.events()
        if (e.get("exception") or {}).get("values") and e["exception"]["values"][-1]["type"] == kind
    ]


async def arrived(stub: SentryStub, kind: str, count: int = 1) -> list[Any]:
    """The error events of ``kind``, once ``count`` arrived; the server runs in this event
    loop, so this waits without blocking it (and flushes sentry-sdk's queue each turn)."""
    for _ in range(250):
        sentry.flush(timeout=0.2)
        events = error_events(stub, kind)
        if len(events) >= count:
            return events
        await asyncio.sleep(0.02)
    raise AssertionError(f"no {kind} event arrived at the loopback Sentry")


def frame_vars(event: dict[str, Any]) -> list[dict[str, Any]]:
    frames = event["exception"]["values"][-1].get("stacktrace", {}).get("frames", [])
    return [frame.get("vars", {}) for frame in frames]


async def test_an_error_in_a_websocket_fn_arrives_with_request_id_and_user(
    stub: SentryStub,
) -> None:
    async with serving(app_for(stub)) as address:
        async with websockets.connect(
            f"ws://{address}/ws/boom?token={SESSION}",
            additional_headers={
                "X-Request-ID": "req-ws-1",
                "Authorization": f"Bearer {SESSION}",
                "Cookie": f"sid={COOKIE}",
            },
        ) as ws:
            assert await asyncio.wait_for(ws.recv(), 5) == "ready"
            await ws.send(f'{{"password": "{PASSWORD}"}}')
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
        events = await arrived(stub, "ValueError")
        await asyncio.sleep(0.3)  # a second event (the log line's) would have arrived by now
        events = await arrived(stub, "ValueError")
    assert len(events) == 1, "one event per failure (not one from the log line as well)"
    event = events[0]
    assert event["tags"]["request_id"] == "req-ws-1"
    assert event["user"] == {"id": "u-ws-7"}
    assert event["environment"] == "staging"
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]
    assert any(v.get("api_token") == "[Filtered]" for v in frame_vars(event))
    assert_no_secret_left(stub)


async def test_an_error_in_a_socketio_handler_arrives_with_request_id_and_user(
    stub: SentryStub,
) -> None:
    async with serving(app_for(stub)) as address:
        client = socketio.AsyncClient()
        try:
            await client.connect(
                f"http://{address}",
                auth={"token": SESSION},
                headers={"X-Request-ID": "req-sio-1", "Cookie": f"sid={COOKIE}"},
                transports=["websocket"],
            )
            await client.emit("explode", {"password": PASSWORD})
            events = await arrived(stub, "RuntimeError")
            # The socket survives its handler's failure: the next emit is reported too.
            await client.emit("explode", {"password": PASSWORD})
            assert len(await arrived(stub, "RuntimeError", 2)) == 2
        finally:
            await client.disconnect()
    event = events[0]
    assert event["tags"]["request_id"] == "req-sio-1"
    assert event["user"] == {"id": "u-ws-7"}
    assert "[Filtered]" in event["exception"]["values"][-1]["value"]
    assert any(v.get("api_token") == "[Filtered]" for v in frame_vars(event))
    assert_no_secret_left(stub)
