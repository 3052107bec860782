"""The unit of work's ``on_commit`` and the ``PerCall`` services bound to it, through the
real entry point (``create_app(..., features=[...])``), for an app without a database."""

from __future__ import annotations

from typing import Any

from sentinel_spec.contract.declarations import AppDecl, Operation
from sentinel_spec.runtime.db.after_commit import PlainScope
from sentinel_spec.runtime.state import AppBuilder, SessionScopeLike
from tests.in_process import serve


class Outbox:
    """A stand-in publisher: what it publishes is delivered only once the call commits."""

    def __init__(self) -> None:
        self.delivered: list[tuple[str, Any]] = []

    def bind(self, scope: SessionScopeLike | None) -> BoundOutbox:
        assert scope is not None
        return BoundOutbox(self, scope)


class BoundOutbox:
    def __init__(self, outbox: Outbox, scope: SessionScopeLike) -> None:
        self.outbox = outbox
        self.scope = scope

    async def publish(self, channel: str, message: Any) -> str:
        self.scope.on_commit(lambda: self.outbox.delivered.append((channel, message)))
        return "id-1"


async def publish_then(args: Any, context: Any) -> str:
    await context.realtime.publish("user:1", args["message"])
    if args.get("fail"):
        raise RuntimeError("after publishing")
    return "ok"


DECL = AppDecl(
    name="Uow",
    title="Uow",
    operations=(Operation("publishThen", "publish-then", "action", publish_then),),
)


async def test_a_bound_service_acts_only_after_the_commit() -> None:
    outbox = Outbox()

    def install(builder: AppBuilder) -> None:
        builder.services.publisher = outbox

    async with serve(DECL, features=[install]) as client:
        ok = await client.post("/operations/publish-then", json={"message": "hello"})
        assert ok.status_code == 200
        assert outbox.delivered == [("user:1", "hello")]
        failed = await client.post(
            "/operations/publish-then", json={"message": "lost", "fail": True}
        )
        assert failed.status_code == 500
        assert outbox.delivered == [("user:1", "hello")]  # rolled back: never delivered


async def test_plain_scope_runs_callbacks_in_order_after_success_only() -> None:
    seen: list[str] = []

    async def later() -> None:
        seen.append("async")

    async with PlainScope() as scope:
        scope.on_commit(lambda: seen.append("sync"))
        scope.on_commit(later)
        assert seen == []
    assert seen == ["sync", "async"]

    try:
        async with PlainScope() as scope:
            scope.on_commit(lambda: seen.append("rolled back"))
            raise ValueError("boom")
    except ValueError:
        pass
    assert seen == ["sync", "async"]


async def test_a_failing_callback_does_not_stop_the_others(caplog: Any) -> None:
    seen: list[str] = []

    def broken() -> None:
        raise RuntimeError("callback broke")

    async with PlainScope() as scope:
        scope.on_commit(broken)
        scope.on_commit(lambda: seen.append("still runs"))
    assert seen == ["still runs"]
    assert "on_commit callback failed" in caplog.text


async def test_serving_collects_the_young_generation_less_often_and_restores_it() -> None:
    import gc

    from sentinel_spec.runtime.app import YOUNG_GC_THRESHOLD

    before = gc.get_threshold()
    gc.set_threshold(700, before[1], before[2])
    try:
        async with serve(DECL):
            assert gc.get_threshold() == (YOUNG_GC_THRESHOLD, before[1], before[2])
        assert gc.get_threshold() == (700, before[1], before[2])
        gc.set_threshold(50_000, before[1], before[2])  # a higher one of the user's: kept
        async with serve(DECL):
            assert gc.get_threshold()[0] == 50_000
        assert gc.get_threshold()[0] == 50_000
    finally:
        gc.set_threshold(*before)
