"""A value without its source positions, to compare what two layouts of a spec mean."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sentinel_spec.errors import SourceSpan


def shape(node: Any) -> Any:
    """Dataclasses as (name, fields) without spans; a JSON quoter by its value only."""
    if isinstance(node, SourceSpan):
        return None
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            tuple(
                shape(getattr(node, f.name))
                for f in dataclasses.fields(node)
                if f.name not in ("span", "raw")
            ),
        )
    if isinstance(node, Mapping):
        return tuple(sorted((repr(k), shape(v)) for k, v in node.items()))
    if isinstance(node, tuple | list):
        return tuple(shape(item) for item in node)
    return node
