"""Pause Python's cyclic garbage collector while the compiler runs.

A big spec allocates millions of small objects that all stay alive until the build
ends; the collector would rescan them again and again and make compile time grow
faster than the spec. Compiles are short, and their objects hold no cycles worth
collecting early, so the collector waits until the compile is over.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the collector for the block; nested uses leave it to the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
