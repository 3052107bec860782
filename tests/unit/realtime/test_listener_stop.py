"""``cancel_and_wait`` and a listener's ``stop()`` without a server: a task that loses
cancellations is cancelled again until it ends; one that never ends is left behind after
the bound (not waited on for ever); a cancelled caller is not swallowed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import pytest

from sentinel_spec.runtime.cancelling import cancel_and_wait
from sentinel_spec.runtime.realtime import fanout as fanout_module
from sentinel_spec.runtime.realtime.fanout import _Listener

pytestmark = pytest.mark.timeout(30)


RELEASED: set[int] = set()


async def _losing(cancellations: int, lost: list[int]) -> None:
    """Carries on after its first ``cancellations`` cancellations, like a library that
    caught them (Python 3.11's ``asyncio.wait_for`` racing a finished send); until its
    ``lost`` list is released (the test's own clean-up)."""
    while True:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if len(lost) >= cancellations or id(lost) in RELEASED:
                raise
            lost.append(1)


async def _release(task: asyncio.Task[Any], lost: list[int]) -> None:
    RELEASED.add(id(lost))
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_a_task_that_lost_cancellations_is_cancelled_again_until_it_ends() -> None:
    lost: list[int] = []
    task = asyncio.create_task(_losing(3, lost))
    await asyncio.sleep(0)
    assert await cancel_and_wait(task, timeout=5) is True
    assert task.cancelled()
    assert len(lost) == 3


async def test_a_task_that_never_ends_is_left_after_the_bound() -> None:
    lost: list[int] = []
    task = asyncio.create_task(_losing(10**9, lost))
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    began = loop.time()
    assert await cancel_and_wait(task, timeout=0.5) is False
    assert 0.4 < loop.time() - began < 2
    assert not task.done() and len(lost) >= 3
    await _release(task, lost)


async def test_the_caller_s_cancellation_is_not_swallowed() -> None:
    lost: list[int] = []
    stubborn = asyncio.create_task(_losing(10**9, lost))
    await asyncio.sleep(0)
    waiting = asyncio.create_task(cancel_and_wait(stubborn, timeout=30))
    await asyncio.sleep(0.05)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await _release(stubborn, lost)


class _Stubborn(_Listener):
    """A listener whose connection swallows every cancellation (a pathological driver)."""

    name = "stubborn"

    released = False

    async def _listen(self) -> Any:
        yield
        while True:
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if self.released:
                    raise


class _LosesOne(_Listener):
    """Loses the first cancellation inside its connection, then behaves."""

    name = "loses-one"

    async def _listen(self) -> Any:
        with contextlib.suppress(asyncio.CancelledError):  # lost, as wait_for loses it
            await asyncio.sleep(3600)  # "connecting"
        yield
        await asyncio.sleep(3600)


async def test_a_listener_that_lost_its_cancellation_stops_at_its_next_turn() -> None:
    listener = _LosesOne(None, 2.0)
    starting = asyncio.create_task(listener.start(lambda message: None))
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    began = loop.time()
    await listener.stop()
    assert loop.time() - began < 1
    assert listener._task is not None and listener._task.done()
    await asyncio.wait_for(starting, 1)  # ends quietly: stop() came first
    assert not listener.connected.is_set()


async def test_stop_is_bounded_even_for_a_listener_that_never_ends(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fanout_module, "STOP_SECONDS", 0.3)
    listener = _Stubborn(None, 2.0)
    await asyncio.wait_for(listener.start(lambda message: None), 1)
    with caplog.at_level(logging.ERROR, logger="sentinel.realtime"):
        await asyncio.wait_for(listener.stop(), 2)
    assert "stubborn listener still running" in caplog.text
    assert listener._task is not None and not listener._task.done()
    listener.released = True
    listener._task.cancel()
    await asyncio.gather(listener._task, return_exceptions=True)
