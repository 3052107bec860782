"""Queries and actions over HTTP: ``POST /operations/<route_name>`` (queries also GET).

Arguments are the JSON body (empty = ``None``) or, for a GET query, ``?args=<json>``.
They are validated by a pydantic ``TypeAdapter`` built once per operation, from
``Operation.args_type`` or the annotation of the function's first parameter.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sentinel_spec.contract.declarations import Operation, UserFn
from sentinel_spec.contract.routes import PlannedRoute
from sentinel_spec.runtime.errors import HttpError
from sentinel_spec.runtime.http.calls import call_user, guarded, is_async_callable
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
    """Validates decoded JSON arguments; built once per operation at app creation."""

    def __init__(self, args_type: Any) -> None:
        self.args_type = args_type
        self._adapter: Any = None
        if args_type is not Any and args_type is not object:
            from pydantic import TypeAdapter

            self._adapter = TypeAdapter(args_type)

    def __call__(self, args: Any) -> Any:
        if self._adapter is None:
            return args
        from pydantic import ValidationError

        try:
            # One rule for every argument type, the one crud's generated models follow: a
            # field the type does not declare, at any depth, is an error, never dropped.
            return self._adapter.validate_python(args, extra="forbid")
        except ValidationError as error:
            details = [
                {"field": ".".join(str(part) for part in e["loc"]) or "args", "message": e["msg"]}
                for e in error.errors(include_url=False)
            ]
            raise HttpError(400, "Invalid arguments", details, code="validation_error") from None


def validator_for(op: Operation) -> ArgsValidator:
    args_type = op.args_type if op.args_type is not None else first_parameter_type(op.fn)
    return ArgsValidator(args_type)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == JSON_MEDIA_TYPE or (
        media.startswith("application/") and media.endswith("+json")
    )


def _decode(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as error:
        raise HttpError(400, f"Malformed JSON: {error}") from None


async def read_args(request: Request) -> Any:
    """The call's JSON arguments: GET ``?args=``, else the body; nothing means ``None``."""
    if request.method in ("GET", "HEAD"):
        raw = request.query_params.get("args")
        return None if raw is None or raw == "" else _decode(raw)
    content_type = request.headers.get("content-type")
    if (
        content_type is not None
        and not _is_json(content_type)
        and request.headers.get("content-length") != "0"
    ):
        # Refused before reading: a form or an upload is not read only to be thrown away.
        raise HttpError(415, f"Expected {JSON_MEDIA_TYPE}, got {content_type}")
    body = await request.body()
    if not body.strip():
        return None
    return _decode(body)


def operation_route(op: Operation, planned: PlannedRoute, state: RuntimeState) -> Route:
    validate = validator_for(op)
    is_async = is_async_callable(op.fn)
    owner = f"{op.kind} `{op.name}`"

    async def run_operation(request: Request) -> Response:
        # Authentication first: an anonymous caller learns nothing about the arguments.
        user = await state.user_for(request, required=op.auth)
        args = validate(await read_args(request))
        async with state.unit_of_work() as scope:
            context = state.context(request, owner, op.entities, user, scope)
            result = await call_user(op.fn, is_async, args, context)
            # Serialise inside the scope: ORM attributes expire on commit.
            body = dumps(result)
        return Response(body, media_type=JSON_MEDIA_TYPE)

    return Route(
        planned.path,
        guarded(owner, run_operation),
        methods=list(planned.methods),
        name=planned.route_name,
    )
