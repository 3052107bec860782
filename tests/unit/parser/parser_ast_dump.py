"""A stable JSON form of ``ast`` nodes, for golden files and span-blind comparisons."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sentinel_spec.errors import SourceSpan


def span_text(span: SourceSpan) -> str:
    """``line:col-end_line:end_col@start-end``: compact, so golden diffs stay readable."""
    return (
        f"{span.line}:{span.column}-{span.end_line}:{span.end_column}"
        f"@{span.start_offset}-{span.end_offset}"
    )


def to_data(node: Any, spans: bool = True) -> Any:
    """Dataclasses become ``{"node": ClassName, field: ...}``; spans are kept or dropped."""
    if isinstance(node, SourceSpan):
        return span_text(node)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        data: dict[str, Any] = {"node": type(node).__name__}
        for field in dataclasses.fields(node):
            if field.name == "span" and not spans:
                continue
            data[field.name] = to_data(getattr(node, field.name), spans)
        return data
    if isinstance(node, tuple | list):
        return [to_data(item, spans) for item in node]
    if isinstance(node, dict):
        return {key: to_data(value, spans) for key, value in node.items()}
    return node


def dump(node: Any, spans: bool = True) -> str:
    return json.dumps(to_data(node, spans), indent=1, ensure_ascii=False) + "\n"
