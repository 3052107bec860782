"""The operation contract of RUNTIME.md: routes, args, validation, errors, auth, threads."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from pydantic import BaseModel

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime import HttpError
from sentinel_spec.runtime.context import Context
from tests.in_process import FakeDatabase, error_of, serve
from tests.stand_ins import authenticate_with


class Point(BaseModel):
    x: int
    y: int


@dataclass
class Inner:
    b: int


@dataclass
class Outer:
    a: Inner


async def echo(args: Any, context: Context) -> Any:
    return {"args": args}


async def add(args: Point, context: Context) -> int:
    return args.x + args.y


async def nested(args: Outer, context: Context) -> int:
    return args.a.b


async def refuse(args: Any, context: Context) -> None:
    raise HttpError(409, "Workspace exists", data={"slug": "acme"})


async def explode(args: Any, context: Context) -> None:
    raise RuntimeError("secret internals: password=hunter2")


def sync_thread(args: Any, context: Context) -> dict[str, Any]:
    return {"main": threading.current_thread() is threading.main_thread()}


def op(name: str, route: str, kind: Any, fn: Any, **kw: Any) -> Operation:
    return Operation(name=name, route_name=route, kind=kind, fn=fn, **kw)


DECL = AppDecl(
    name="T",
    title="T",
    operations=(
        op("getEcho", "get-echo", "query", echo),
        op("doEcho", "do-echo", "action", echo),
        op("addPoint", "add-point", "action", add),
        op("nested", "nested", "action", nested),
        op("explicit", "explicit", "action", echo, args_type=list[int]),
        op("refuse", "refuse", "action", refuse),
        op("explode", "explode", "action", explode),
        op("syncOp", "sync-op", "query", sync_thread),
        op("secret", "secret", "query", echo, auth=True),
        op("custom", "custom", "action", echo, path="/crud/things/create"),
    ),
)


async def test_post_query_and_action_with_json_body() -> None:
    async with serve(DECL) as client:
        for path in ("/operations/get-echo", "/operations/do-echo"):
            response = await client.post(path, json={"a": [1, 2]})
            assert response.status_code == 200
            assert response.json() == {"args": {"a": [1, 2]}}
            assert response.headers["content-type"] == "application/json"


async def test_empty_body_means_null_args() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/do-echo")
        assert response.json() == {"args": None}


async def test_query_by_get_with_args_param() -> None:
    async with serve(DECL) as client:
        response = await client.get("/operations/get-echo", params={"args": '{"q": "x"}'})
        assert response.json() == {"args": {"q": "x"}}
        assert (await client.get("/operations/get-echo")).json() == {"args": None}


async def test_unknown_query_parameters_are_refused_not_dropped() -> None:
    async with serve(DECL) as client:
        response = await client.get(
            "/operations/get-echo", params={"args": '{"q": "x"}', "limit": "5", "_": "1"}
        )
        assert response.status_code == 400
        error = error_of(response)
        assert error["code"] == "bad_request"
        assert [d["field"] for d in error["details"]] == ["_", "limit"]
        posted = await client.post("/operations/do-echo?debug=1", json={"q": "x"})
        assert posted.status_code == 400


async def test_action_by_get_is_405_json() -> None:
    async with serve(DECL) as client:
        response = await client.get("/operations/do-echo")
        assert response.status_code == 405
        assert error_of(response)["code"] == "method_not_allowed"


async def test_malformed_json_is_400_bad_request() -> None:
    async with serve(DECL) as client:
        response = await client.post(
            "/operations/do-echo", content=b"{nope", headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        assert error_of(response)["code"] == "bad_request"
        bad_get = await client.get("/operations/get-echo", params={"args": "{"})
        assert bad_get.status_code == 400


async def test_non_json_content_type_is_415() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/do-echo", data={"a": "1"})
        assert response.status_code == 415
        assert error_of(response)["code"] == "unsupported_media_type"


async def test_args_validated_against_first_annotation() -> None:
    async with serve(DECL) as client:
        ok = await client.post("/operations/add-point", json={"x": 1, "y": 2})
        assert ok.json() == 3
        # Strictly as the JSON schema says: no numeric strings, no booleans for integers.
        for wrong in ({"x": 1, "y": "2"}, {"x": True, "y": 2}, {"x": 1.5, "y": 2}):
            refused = await client.post("/operations/add-point", json=wrong)
            assert refused.status_code == 400, wrong
            assert error_of(refused)["code"] == "validation_error"
        bad = await client.post("/operations/add-point", json={"x": "one"})
        assert bad.status_code == 400
        error = error_of(bad)
        assert error["code"] == "validation_error"
        fields = {d["field"] for d in error["details"]}
        assert fields == {"x", "y"}
        assert all(isinstance(d["message"], str) and d["message"] for d in error["details"])


async def test_validation_details_use_dotted_paths() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/nested", json={"a": {"b": "x"}})
        assert error_of(response)["details"][0]["field"] == "a.b"


async def test_explicit_args_type_wins() -> None:
    async with serve(DECL) as client:
        assert (await client.post("/operations/explicit", json=[1, 2])).json() == {"args": [1, 2]}
        response = await client.post("/operations/explicit", json=["a"])
        assert error_of(response)["details"][0]["field"] == "0"


async def test_http_error_passes_through_with_data() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/refuse")
        assert response.status_code == 409
        error = error_of(response)
        assert error["code"] == "conflict"
        assert error["message"] == "Workspace exists"
        assert error["details"] == {"slug": "acme"}


async def test_unhandled_error_is_500_without_internals(caplog: pytest.LogCaptureFixture) -> None:
    async with serve(DECL) as client:
        with caplog.at_level(logging.ERROR):
            response = await client.post("/operations/explode")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert error["requestId"] == response.headers["x-request-id"]
    assert "hunter2" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "hunter2" in str(logged[0].exc_info[1])  # type: ignore[index]


async def test_unknown_route_is_404_json() -> None:
    async with serve(DECL) as client:
        response = await client.get("/nowhere")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


async def test_sync_function_runs_in_thread_pool() -> None:
    async with serve(DECL) as client:
        assert (await client.post("/operations/sync-op")).json() == {"main": False}


async def test_auth_operation_without_user_is_401() -> None:
    async with serve(DECL) as client:
        response = await client.post("/operations/secret", json={"not": "validated"})
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthenticated"


async def test_authenticate_hook_is_the_auth_seam() -> None:
    app_user = {"id": 7}

    async def authenticate(request: Any) -> Any:
        return app_user if request.headers.get("authorization") == "Bearer ok" else None

    async with serve(DECL, features=[authenticate_with(authenticate)]) as client:
        assert (await client.post("/operations/secret")).status_code == 401
        ok = await client.post("/operations/secret", headers={"authorization": "Bearer ok"})
        assert ok.status_code == 200


async def test_operation_path_override() -> None:
    async with serve(DECL) as client:
        assert (await client.post("/crud/things/create", json=1)).json() == {"args": 1}
        assert (await client.post("/operations/custom")).status_code == 404


async def test_database_scope_commits_and_rolls_back() -> None:
    seen: list[Any] = []

    async def use_session(args: Any, context: Context) -> str:
        seen.append(context.session)
        if args == "fail":
            raise HttpError(422, "nope")
        return "ok"

    database = FakeDatabase()
    decl = AppDecl(name="T", title="T", operations=(op("use", "use", "action", use_session),))
    async with serve(decl, database=database) as client:
        assert (await client.post("/operations/use", json="go")).json() == "ok"
        assert (await client.post("/operations/use", json="fail")).status_code == 422
    assert database.log == ["commit", "rollback"]
    assert seen == ["session", "session"]
    assert database.disposed


async def test_setup_fn_runs_once_with_the_app() -> None:
    calls: list[Any] = []

    async def setup(app: Any) -> None:
        calls.append(app)

    async with serve(AppDecl(name="T", title="T", setup_fn=setup)) as client:
        await client.get("/nowhere")
        await client.get("/nowhere")
    assert len(calls) == 1 and calls[0].state.sentinel is not None


def test_statuses_outside_the_table_get_codes_from_their_reason() -> None:
    from sentinel_spec.runtime.errors import HttpError

    assert HttpError(422).code == "unprocessable"
    assert HttpError(418).code == "im_a_teapot"
    with pytest.raises(ValueError, match="400-599"):
        HttpError(200)


async def body_again(args: Any, context: Context) -> Any:
    assert context.request is not None
    return {"args": args, "raw": (await context.request.body()).decode()}


async def test_a_body_in_several_chunks_is_read_whole_and_readable_again() -> None:
    decl = AppDecl(name="T", title="T", operations=(op("again", "again", "action", body_again),))

    async def chunks() -> Any:
        for part in (b'{"a": ', b"[1, 2", b"]}"):
            yield part

    async with serve(decl) as client:
        response = await client.post(
            "/operations/again", content=chunks(), headers={"content-type": "application/json"}
        )
    assert response.status_code == 200
    assert response.json() == {"args": {"a": [1, 2]}, "raw": '{"a": [1, 2]}'}


def test_the_json_response_head_is_starlettes() -> None:
    from starlette.responses import Response

    from sentinel_spec.runtime.http.operations import JsonResponse

    for headers in (None, {}, {"RateLimit-Limit": "5", "RateLimit-Remaining": "4"}):
        ours = JsonResponse(b'"ok"', headers)
        theirs = Response(b'"ok"', media_type="application/json", headers=headers or None)
        assert ours.raw_headers == theirs.raw_headers
        assert (ours.status_code, ours.body, ours.background) == (200, b'"ok"', None)
