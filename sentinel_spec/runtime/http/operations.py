"""Queries and actions over HTTP: ``POST /operations/<route_name>`` (queries also GET).

Arguments are the JSON body (empty = ``None``) or, for a GET query, ``?args=<json>``.
They are validated by a pydantic ``TypeAdapter`` built once per operation, from
``Operation.args_type`` or the annotation of the function's first parameter.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Mapping
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from sentinel_spec.contract.declarations import Operation, UserFn
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.runtime.context import Entities
from sentinel_spec.runtime.errors import HttpError, bounded, exception_response
from sentinel_spec.runtime.http.calls import call_user, is_async_callable
from sentinel_spec.runtime.middleware.headers import request_header
from sentinel_spec.runtime.observability.context import bind_workspace, workspace_id_in
from sentinel_spec.runtime.ratelimit.enforce import check_call
from sentinel_spec.runtime.serialization import dumps
from sentinel_spec.runtime.state import RuntimeState

JSON_MEDIA_TYPE = "application/json"


def first_parameter_type(fn: UserFn) -> Any:
    """The annotation of ``fn``'s first parameter, resolved; ``Any`` when there is none."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return Any
    if not params or params[0].annotation is inspect.Parameter.empty:
        return Any
    annotation = params[0].annotation
    if isinstance(annotation, str):
        # ``from __future__ import annotations``: resolve only this one annotation, so an
        # unresolvable hint on another parameter (e.g. a TYPE_CHECKING import) is harmless.
        target = inspect.unwrap(fn)
        namespace = dict(getattr(target, "__globals__", {}))
        try:
            annotation = eval(annotation, namespace)  # the module's own annotation text
        except Exception as error:
            raise TypeError(
                f"cannot resolve the argument type {annotation!r} of "
                f"{getattr(fn, '__qualname__', fn)!r}: {error}; import it at module level "
                "or set the operation's args_type"
            ) from error
    return annotation


class ArgsValidator:
    """Decodes and validates a call's raw JSON arguments; built once per operation.

    With a type, pydantic parses and validates the JSON in one strict pass: what the
    OpenAPI schema says is what is accepted (no ``"5"`` or ``true`` for an integer, no
    ``5.5`` for an int); ``Any`` (or no annotation) gets the plain decoded JSON. Either way
    a JSON document nested too deeply, a ``\\u0000`` in a string (PostgreSQL stores no NUL)
    and a lone surrogate (not text) are a 400, whatever the route.
    """

    def __init__(self, args_type: Any) -> None:
        self.args_type = args_type
        self._adapter: Any = None
        self._invalid: type[Exception] = Exception  # pydantic's ValidationError, with one
        if args_type is not Any and args_type is not object:
            from pydantic import TypeAdapter, ValidationError

            self._adapter = TypeAdapter(args_type)
            self._invalid = ValidationError

    def __call__(self, raw: bytes | None) -> Any:
        if raw is not None and not raw.strip():
            raw = None
        if raw is not None:
            refuse_unstorable_text(raw)
        if self._adapter is None:
            return None if raw is None else decode_json(raw)
        try:
            if raw is None:
                return self._adapter.validate_python(None, strict=True, extra="forbid")
            # One rule for every argument type, the one crud's generated models follow: a
            # field the type does not declare, at any depth, is an error, never dropped.
            return self._adapter.validate_json(
                integral_floats_as_ints(raw), strict=True, extra="forbid"
            )
        except self._invalid as error:
            raise invalid_arguments(error) from None


# A number with a fraction or an exponent somewhere in the text (maybe inside a string).
_FLOAT_LITERAL = re.compile(rb"\d\.\d|\d[eE][-+]?\d")


def integral_floats_as_ints(raw: bytes) -> bytes:
    """``5.0`` rewritten as ``5``: JSON Schema counts it an integer, pydantic's strict mode
    does not (and its lax mode would take ``true`` and ``"5"`` too). Floats fields take the
    int just the same. Only texts holding such a number pay for the second pass."""
    if _FLOAT_LITERAL.search(raw) is None:
        return raw
    changed = False

    def parse_float(text: str) -> float | int:
        nonlocal changed
        value = float(text)
        if value.is_integer():
            changed = True
            return int(value)
        return value

    try:
        value = json.loads(raw, parse_float=parse_float)
    except (ValueError, RecursionError):
        return raw  # pydantic reports what is wrong with it
    return (
        json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass") if changed else raw
    )


MAX_DETAILS = 50


def invalid_arguments(error: Any) -> HttpError:
    """A pydantic ValidationError as 400: malformed JSON, or one detail per field."""
    problems = error.errors(include_url=False, include_input=False)
    broken = next((e for e in problems if e["type"] == "json_invalid"), None)
    if broken is not None:
        return HttpError(400, f"Malformed JSON: {bounded(broken['msg'], 200)}")
    details = [
        {
            "field": bounded(".".join(str(part) for part in e["loc"]), 200) or "args",
            "message": bounded(e["msg"], 200),
        }
        for e in problems[:MAX_DETAILS]
    ]
    return HttpError(400, "Invalid arguments", details, code="validation_error")


# Decodes without validating: a route's JSON when it has no argument type.
NO_TYPE = ArgsValidator(Any)


def validator_for(op: Operation) -> ArgsValidator:
    args_type = op.args_type if op.args_type is not None else first_parameter_type(op.fn)
    return ArgsValidator(args_type)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == JSON_MEDIA_TYPE or (
        media.startswith("application/") and media.endswith("+json")
    )


# A \\u escape of a surrogate code point (D800-DFFF); paired ones decode to one character.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def refuse_unstorable_text(raw: bytes) -> None:
    """400 for ``\\u0000`` anywhere in the JSON text: no string may hold NUL."""
    if b"\\u" in raw and b"\\u0000" in raw:
        raise HttpError(400, "Malformed JSON: strings may not contain \\u0000 (NUL)")


def decode_json(raw: bytes) -> Any:
    """``json.loads`` whose every failure is a 400 (never a RecursionError's 500)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise HttpError(400, "Malformed JSON: nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise HttpError(400, f"Malformed JSON: {bounded(str(error), 200)}") from None
    if _SURROGATE_ESCAPE.search(raw):  # rare: check for a lone one at C speed
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise HttpError(400, "Malformed JSON: a string holds a lone surrogate") from None
        except RecursionError:
            raise HttpError(400, "Malformed JSON: nested too deeply") from None
    return value


async def read_args(request: Request) -> Any:
    """The call's JSON arguments decoded (``None`` when there are none), through the same
    refusals as every operation (415, depth, NUL, lone surrogates): for routes that take
    JSON without an argument type (the auth routes)."""
    return NO_TYPE(await read_raw_args(request))


def refuse_unknown_query(request: Request) -> None:
    """An operation's only query parameter is GET's ``args``: anything else is refused, as
    undeclared argument fields are, rather than silently dropped."""
    unknown = sorted({key for key in request.query_params if key != "args"})
    if unknown:
        raise HttpError(
            400,
            "Unknown query parameter" + ("s" if len(unknown) > 1 else ""),
            [
                {"field": bounded(name, 200), "message": "not a parameter of this operation"}
                for name in unknown[:50]
            ],
        )


async def read_raw_args(request: Request) -> bytes | None:
    """The call's raw JSON: GET ``?args=``, else the body; None when there is none."""
    scope = request.scope
    if scope["method"] in ("GET", "HEAD"):
        text = request.query_params.get("args")
        return None if not text else text.encode("utf-8", "surrogatepass")
    content_type = request_header(scope, b"content-type")
    if (
        content_type is not None
        and not _is_json(content_type)
        and request_header(scope, b"content-length") != "0"
    ):
        # Refused before reading: a form or an upload is not read only to be thrown away.
        raise HttpError(415, f"Expected {JSON_MEDIA_TYPE}, got {bounded(content_type, 100)}")
    body = await read_body(request)
    scope.setdefault("state", {})["body"] = body  # for error reports (scrubbed there)
    return body


async def read_body(request: Request) -> bytes:
    """``await request.body()`` without its async generator (it runs on every call):
    the messages read straight from ``receive``, the result kept where Starlette keeps
    it, so a later ``request.body()`` (user code, through the context) returns it."""
    if hasattr(request, "_body"):
        return await request.body()
    receive = request.receive
    chunks: list[bytes] = []
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        elif kind == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
    request._stream_consumed = True
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    request._body = body
    return body


class JsonResponse(Response):
    """A 200 of JSON bytes already encoded: the raw headers Starlette's ``init_headers``
    makes for them (given headers, then content-length and content-type), made directly."""

    media_type = JSON_MEDIA_TYPE

    def __init__(self, body: bytes, headers: Mapping[str, str] | None = None) -> None:
        self.status_code = 200
        self.background = None
        self.body = body
        raw = (
            [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            if headers
            else []
        )
        raw.append((b"content-length", str(len(body)).encode("latin-1")))
        raw.append((b"content-type", b"application/json"))
        self.raw_headers = raw


class OperationRoute(Route):
    """An operation's route. Its endpoint answers every error itself (a JSON error, never
    an exception), so the fused default stack (``middleware/fused.py``) may call it
    without Starlette's exception layers in between."""


def operation_route(op: Operation, planned: PlannedRoute, state: RuntimeState) -> Route:
    validate = validator_for(op)
    is_async = is_async_callable(op.fn)
    owner = f"{op.kind} `{op.name}`"

    entities = Entities(owner, op.entities)  # immutable: one for every call
    reads = op.kind == "query"  # no transaction unless it writes (Database.read_scope)

    fn = op.fn
    rule = op.rate_limit

    async def run_operation(request: Request) -> Response:
        # ``guarded``'s rule inline (one coroutine less per call): every error a JSON answer.
        try:
            # Authentication first: an anonymous caller learns nothing about the arguments.
            # No authenticator and no auth required: nobody, as user_for would find.
            user = (
                await state.user_for(request, required=op.auth)
                if op.auth or state.services.authenticator is not None
                else None
            )
            if request.scope.get("query_string"):  # most calls have none: nothing to parse
                refuse_unknown_query(request)
            args = validate(await read_raw_args(request))
            workspace_id = workspace_id_in(args)
            bind_workspace(workspace_id)
            limit_headers = (
                None
                if rule is None  # most operations have no limit of their own: no coroutine
                else await check_call(state, op.name, rule, request, user, workspace_id)
            )
            async with state.unit_of_work(read_only=reads) as scope:
                context = state.context(request, owner, entities, user, scope)
                if is_async:
                    result = await fn(args, context)
                else:
                    result = await call_user(fn, False, args, context)
                # Serialise inside the scope: ORM attributes expire on commit.
                body = dumps(result)
            return JsonResponse(body, limit_headers)
        except Exception as error:
            return exception_response(error, owner)

    return OperationRoute(
        planned.path,
        run_operation,
        methods=list(planned.methods),
        name=planned.route_name,
    )
