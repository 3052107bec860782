"""``websocket`` declarations and ``app.webSocket`` (Socket.IO).

Their routes are in the plan once ``contract.features`` marks ``websockets`` served.
"""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, ExtImport, WebSocket
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import starlette_path
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call
from sentinel_spec.generator.openapi import OpenApiDocument


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    for ws in spec.websockets:
        yield ws.fn
    if spec.app.web_socket is not None:
        yield spec.app.web_socket.fn


def declaration(ws: WebSocket, w: DeclWriter) -> px.Call:
    return call(
        "d.WebSocket",
        [
            ("name", px.lit(ws.name)),
            ("path", px.lit(starlette_path(ws.path))),
            ("fn", w.fn(ws.fn)),
            ("auth", px.lit(ws.auth)),
        ],
    )


def declarations(spec: AppSpec, w: DeclWriter) -> Kwargs:
    kwargs: Kwargs = []
    if spec.websockets:
        items = tuple(declaration(ws, w) for ws in spec.websockets)
        kwargs.append(("websockets", px.Tuple(items)))
    socket = spec.app.web_socket
    if socket is not None:
        socket_kwargs: Kwargs = [("fn", w.fn(socket.fn)), ("path", px.lit(socket.path))]
        kwargs.append(("socket_io", call("d.SocketIODecl", socket_kwargs)))
    return kwargs


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return [plan.websocket(ws.name, ws.path, auth=ws.auth) for ws in spec.websockets]


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    """A websocket is not an OpenAPI operation."""
