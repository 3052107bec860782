"""``websocket`` declarations, ``app.webSocket`` (Socket.IO), ``app.realtime`` and
``app.uploads``: the realtime feature's part of ``generated/server.py``.

Their routes (the websockets and ``POST <app.uploads.path>``) are in the route plan, and
the upload endpoint in ``openapi.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sentinel_spec.appspec import AppSpec, ExtImport, Realtime, Uploads, WebSocket
from sentinel_spec.contract import routes as plan
from sentinel_spec.contract.names import starlette_path
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.generator import pyexpr as px
from sentinel_spec.generator.declwriter import DeclWriter, Kwargs, call, present
from sentinel_spec.generator.openapi import BEARER, ERROR_REF, OpenApiDocument
from sentinel_spec.generator.pyschema import JsonSchema


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
    rows = [plan.websocket(ws.name, ws.path, auth=ws.auth) for ws in spec.websockets]
    uploads = spec.app.uploads
    if uploads is not None:
        rows.append(plan.upload(uploads.path, auth=uploads.auth))
    return rows


def openapi(spec: AppSpec, document: OpenApiDocument) -> None:
    """The upload endpoint (a websocket is not an OpenAPI operation)."""
    for planned in plan.served_only(routes(spec)):
        if planned.kind == "upload":
            document.paths[planned.path] = upload_item(planned)


_STRING: JsonSchema = {"type": "string"}
# The file row the endpoint answers with (runtime/realtime/uploads/endpoint.py, _public),
# plus whatever onUploadFn returned (so more properties are allowed).
UPLOADED_FILE: JsonSchema = {
    "type": "object",
    "properties": {
        "id": _STRING,
        "filename": _STRING,
        "contentType": _STRING,
        "size": {"type": "integer", "minimum": 0},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "attributes": {"anyOf": [{"type": "object"}, {"type": "null"}]},
    },
    "required": ["id", "filename", "contentType", "size", "sha256", "attributes"],
}


def upload_item(planned: PlannedRoute) -> dict[str, Any]:
    """``POST <app.uploads.path>``: one ``file`` part and small form fields before it."""
    error = {"description": "Error", "content": {"application/json": {"schema": ERROR_REF}}}
    form: JsonSchema = {
        "type": "object",
        "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}},
        "required": ["file"],
        # Any other (small) field is passed to authorizeFn.
        "additionalProperties": _STRING,
    }
    post: dict[str, Any] = {
        "tags": ["uploads"],
        "operationId": "upload",
        "summary": "stream one file to storage (progress on Socket.IO, room user:<id>)",
        "parameters": [
            {
                "name": "uploadId",
                "in": "query",
                "required": False,
                "description": "The client's id for this upload, echoed in its events.",
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
            }
        ],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": form}}},
        "responses": {
            "201": {
                "description": "Stored",
                "content": {"application/json": {"schema": UPLOADED_FILE}},
            },
            "default": error,
        },
    }
    if planned.auth:
        post["security"] = BEARER
    return {"post": post}
