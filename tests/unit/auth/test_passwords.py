"""Argon2id hashing: parameters in the hash, rehash when they change, dummy verification."""

from __future__ import annotations

import asyncio

import pytest

from sentinel_spec.runtime.auth.passwords import Argon2Params, PasswordHasher

# Small parameters keep the unit run fast; the production ones are checked by value.
FAST = Argon2Params(memory_kib=1024, time_cost=1, parallelism=1)


def test_hash_is_argon2id_with_its_parameters_inside() -> None:
    hasher = PasswordHasher(FAST)
    stored = hasher.hash("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    assert hasher.verify(stored, "correct horse battery staple")
    assert not hasher.verify(stored, "correct horse battery stapler")


def test_same_password_gets_a_different_salt_each_time() -> None:
    hasher = PasswordHasher(FAST)
    assert hasher.hash("pw") != hasher.hash("pw")


def test_unreadable_hash_is_a_mismatch_not_an_error() -> None:
    hasher = PasswordHasher(FAST)
    assert not hasher.verify("not-a-hash", "pw")
    assert not hasher.verify("", "pw")
    assert hasher.needs_rehash("not-a-hash")


def test_needs_rehash_when_parameters_change() -> None:
    old = PasswordHasher(FAST)
    stored = old.hash("pw")
    assert not old.needs_rehash(stored)
    new = PasswordHasher(Argon2Params(memory_kib=2048, time_cost=1, parallelism=1))
    assert new.needs_rehash(stored)
    # The old hash still verifies under the new hasher: parameters are read from it.
    assert new.verify(stored, "pw")


def test_default_parameters_are_owasp_baseline() -> None:
    params = Argon2Params()
    assert (params.memory_kib, params.time_cost, params.parallelism) == (19_456, 2, 1)


def test_parameters_from_environment() -> None:
    params = Argon2Params.from_env(
        {
            "AUTH_ARGON2_MEMORY_KIB": "4096",
            "AUTH_ARGON2_TIME_COST": "3",
            "AUTH_ARGON2_PARALLELISM": "2",
        }
    )
    assert (params.memory_kib, params.time_cost, params.parallelism) == (4096, 3, 2)
    with pytest.raises(ValueError, match="AUTH_ARGON2_TIME_COST must be an integer"):
        Argon2Params.from_env({"AUTH_ARGON2_TIME_COST": "fast"})
    with pytest.raises(ValueError, match="at least 1"):
        Argon2Params.from_env({"AUTH_ARGON2_TIME_COST": "0"})


def test_async_verify_of_unknown_account_returns_false() -> None:
    hasher = PasswordHasher(FAST)
    stored = hasher.hash("pw")

    async def run() -> tuple[bool, bool, bool]:
        return (
            await hasher.verify_async(stored, "pw"),
            await hasher.verify_async(stored, "nope"),
            await hasher.verify_async(None, "pw"),
        )

    assert asyncio.run(run()) == (True, False, False)


def test_concurrency_is_capped() -> None:
    hasher = PasswordHasher(FAST, concurrency=2)
    running = 0
    peak = 0
    original = hasher.hash

    def counting_hash(password: str) -> str:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            return original(password)
        finally:
            running -= 1

    hasher.hash = counting_hash  # type: ignore[method-assign]

    async def run() -> None:
        await asyncio.gather(*(hasher.hash_async(str(i)) for i in range(8)))

    asyncio.run(run())
    assert 1 <= peak <= 2
