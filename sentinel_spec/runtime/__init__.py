"""What generated apps and user code import from the runtime.

``from sentinel_spec.runtime import HttpError, render`` loads only what those need, on
first use: importing a submodule such as ``runtime.declarations`` (which the compiler
reads for the shared crud path segments) must not pull in Starlette.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sentinel_spec.runtime.errors import HttpError, ServiceUnavailable
    from sentinel_spec.runtime.pages import render

__all__ = ["HttpError", "ServiceUnavailable", "render"]

_HOMES = {
    "HttpError": "sentinel_spec.runtime.errors",
    "ServiceUnavailable": "sentinel_spec.runtime.errors",
    "render": "sentinel_spec.runtime.pages",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
