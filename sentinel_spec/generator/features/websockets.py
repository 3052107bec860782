"""``websocket`` declarations, ``app.webSocket`` (Socket.IO), ``app.realtime`` and
``app.uploads``: the realtime feature's part of ``generated/server.py``.

Their routes are in the plan once ``contract.features`` marks ``websockets`` served.
"""

from __future__ import annotations

from collections.abc import Iterator

from sentinel_spec.appspec import AppSpec, ExtImport, Realtime, Uploads, WebSocket
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import starlette_path
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, present
from sentinel_spec.generator.openapi import OpenApiDocument


def functions(spec: AppSpec) -> Iterator[ExtImport]:
    for ws in spec.websockets:
        yield ws.fn
    app = spec.app
    if app.web_socket is not None:
        yield app.web_socket.fn
    if app.realtime is not None:
        yield from present(app.realtime.authorize_fn)
    if app.uploads is not None:
        yield from present(app.uploads.authorize_fn, app.uploads.on_upload_fn)


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
    if spec.app.realtime is not None:
        kwargs.append(("realtime", realtime(spec.app.realtime, w)))
    if spec.app.uploads is not None:
        kwargs.append(("uploads", uploads(spec.app.uploads, w)))
    return kwargs


def realtime(config: Realtime, w: DeclWriter) -> px.Call:
    kwargs: Kwargs = []
    if config.authorize_fn is not None:
        kwargs.append(("authorize_fn", w.fn(config.authorize_fn)))
    return call("d.RealtimeDecl", kwargs)


def uploads(config: Uploads, w: DeclWriter) -> px.Call:
    kwargs: Kwargs = [
        ("path", px.lit(config.path)),
        ("max_bytes", px.lit(config.max_bytes)),
        ("auth", px.lit(config.auth)),
    ]
    if config.allowed_types:
        kwargs.append(("allowed_types", px.lit(config.allowed_types)))
    if config.authorize_fn is not None:
        kwargs.append(("authorize_fn", w.fn(config.authorize_fn)))
    if config.on_upload_fn is not None:
        kwargs.append(("on_upload_fn", w.fn(config.on_upload_fn)))
    return call("d.UploadsDecl", kwargs)


def routes(spec: AppSpec) -> list[PlannedRoute]:
    return [plan.websocket(ws.name, ws.path, auth=ws.auth) for ws in spec.websockets]


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    """A websocket is not an OpenAPI operation."""
