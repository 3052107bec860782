"""Password hashing: Argon2id through argon2-cffi, parameters stored in every hash.

The parameters live in the PHC string (``$argon2id$v=19$m=19456,t=2,p=1$...``), so old
hashes keep verifying after the parameters change, and ``needs_rehash`` tells the
login to store a new hash made with the current ones.

Chosen parameters (docs/auth.md, "Password hashing"): OWASP's baseline for Argon2id,
19 MiB, 2 passes, 1 lane. Measured on the 2-core development machine: about 25 ms a
hash; 46 MiB / 1 pass (OWASP's other equal-strength setting) took about 64 ms and
keeps 2.4 times the memory busy per login. ``AUTH_ARGON2_MEMORY_KIB``,
``AUTH_ARGON2_TIME_COST`` and ``AUTH_ARGON2_PARALLELISM`` change them; existing hashes
are upgraded at their owner's next login.

Hashing is CPU and memory bound (the C library releases the GIL), so the async
helpers run it in worker threads and a semaphore caps how many run at once: a burst
of logins queues instead of allocating 19 MiB per request.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass

import anyio.to_thread
from argon2 import PasswordHasher as _Argon2
from argon2 import Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# Passwords longer than this are refused by the policy before they reach the hasher:
# Argon2 itself would accept megabytes, and every byte is hashed on each login.
MAX_PASSWORD_LENGTH = 1024


@dataclass(frozen=True)
class Argon2Params:
    memory_kib: int = 19_456
    time_cost: int = 2
    parallelism: int = 1
    hash_len: int = 32
    salt_len: int = 16

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Argon2Params:
        def number(name: str, default: int, minimum: int) -> int:
            raw = environ.get(name, "").strip()
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name} must be an integer, got {raw!r}") from None
            if value < minimum:
                raise ValueError(f"{name} must be at least {minimum}, got {value}")
            return value

        base = cls()
        return cls(
            memory_kib=number("AUTH_ARGON2_MEMORY_KIB", base.memory_kib, 8),
            time_cost=number("AUTH_ARGON2_TIME_COST", base.time_cost, 1),
            parallelism=number("AUTH_ARGON2_PARALLELISM", base.parallelism, 1),
        )


class PasswordHasher:
    """Hash and verify passwords; one per app, shared by every request."""

    def __init__(self, params: Argon2Params | None = None, *, concurrency: int | None = None):
        self.params = params or Argon2Params()
        self._argon2 = _Argon2(
            time_cost=self.params.time_cost,
            memory_cost=self.params.memory_kib,
            parallelism=self.params.parallelism,
            hash_len=self.params.hash_len,
            salt_len=self.params.salt_len,
            type=Type.ID,
        )
        self._limit = concurrency or max(2, (os.cpu_count() or 1) * 2)
        self._semaphore: asyncio.Semaphore | None = None
        # A real hash of a random password: verifying against it costs what verifying a
        # real account costs, so an unknown email answers in the same time.
        self._dummy = self._argon2.hash(os.urandom(16).hex())

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when ``password`` matches; False for a mismatch or an unreadable hash."""
        try:
            return self._argon2.verify(stored_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when ``stored_hash`` was made with other parameters than the current ones."""
        try:
            return self._argon2.check_needs_rehash(stored_hash)
        except (InvalidHashError, ValueError):
            return True

    def waste_time(self, password: str) -> None:
        """Verify against a dummy hash: what a login for an unknown account does."""
        self.verify(self._dummy, password)

    # ------------------------------------------------------------ async, off the loop

    def _gate(self) -> asyncio.Semaphore:
        if self._semaphore is None:  # made lazily: it belongs to the running loop
            self._semaphore = asyncio.Semaphore(self._limit)
        return self._semaphore

    async def hash_async(self, password: str) -> str:
        async with self._gate():
            return await anyio.to_thread.run_sync(self.hash, password)

    async def verify_async(self, stored_hash: str | None, password: str) -> bool:
        """``verify`` in a worker thread; ``None`` (no such account) wastes the same time."""
        async with self._gate():
            if stored_hash is None:
                await anyio.to_thread.run_sync(self.waste_time, password)
                return False
            return await anyio.to_thread.run_sync(self.verify, stored_hash, password)
