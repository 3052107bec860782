"""Client-side ids for ``@default(cuid())``: short, URL-safe, collision-resistant.

A cuid here is 25 lowercase base-36 characters: ``c`` + 8 of millisecond time
(so ids sort roughly by creation) + 4 of a per-process counter + 4 of a process
fingerprint + 8 random. Same shape as Prisma's cuid, not byte-identical to it.
"""

from __future__ import annotations

import itertools
import os
import secrets
import socket
import threading
import time

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_BLOCK = 36**4

_counter = itertools.count(secrets.randbelow(_BLOCK))
_counter_lock = threading.Lock()


def _base36(value: int, width: int) -> str:
    """``value`` in base 36, left-padded (or cut to its last digits) to ``width`` characters."""
    digits = []
    for _ in range(width):
        value, rest = divmod(value, 36)
        digits.append(_ALPHABET[rest])
    return "".join(reversed(digits))


def _fingerprint() -> str:
    # The pid and host keep two processes started in the same millisecond apart.
    host = sum(socket.gethostname().encode())
    return _base36(os.getpid(), 2) + _base36(host, 2)


_FINGERPRINT = _fingerprint()


def new_cuid() -> str:
    """A new 25-character id starting with ``c``."""
    with _counter_lock:
        count = next(_counter) % _BLOCK
    timestamp = _base36(time.time_ns() // 1_000_000, 8)
    randomness = _base36(secrets.randbits(42), 8)
    return f"c{timestamp}{_base36(count, 4)}{_FINGERPRINT}{randomness}"
