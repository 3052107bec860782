"""The generated models, reached from any context.

Service functions run under many declarations (operations, pages, apis, jobs, upload
hooks), each listing its own entities; the platform's services need theirs whatever the
caller listed, so they look the model up here: the caller's entities first, else
``generated.models``.
"""

from __future__ import annotations

from typing import Any


def model(context: Any, name: str) -> Any:
    entities = getattr(context, "entities", None)
    if entities is not None:
        try:
            return getattr(entities, name)
        except AttributeError:
            pass
    import generated.models

    return getattr(generated.models, name)
