"""AppSpec -> file drafts. Pure: no I/O beyond reading package templates.

One module per feature; each exposes ``generate(spec) -> list[FileDraft]`` with
paths relative to ``generated/``. The order of ``FEATURES`` is the order of output.
"""

from __future__ import annotations

from importlib import import_module

from sentinel_spec.appspec import AppSpec
from sentinel_spec.generator.drafts import FileDraft

FEATURES: tuple[str, ...] = (
    "sentinel_spec.generator.package",  # generated/__init__.py
    "sentinel_spec.generator.settings",  # generated/settings.py
    "sentinel_spec.generator.models",  # generated/models.py (entities, enums)
    "sentinel_spec.generator.server",  # generated/server.py (operations, apis, pages, crud ...)
    "sentinel_spec.generator.openapi",  # generated/openapi.json
    "sentinel_spec.generator.client",  # generated/client.py, generated/client.js
)


def generate(spec: AppSpec) -> list[FileDraft]:
    drafts: list[FileDraft] = []
    for name in FEATURES:
        drafts.extend(import_module(name).generate(spec))
    paths = [d.path for d in drafts]
    duplicates = {p for p in paths if paths.count(p) > 1}
    if duplicates:
        raise RuntimeError(f"two generators wrote {sorted(duplicates)}")
    return sorted(drafts, key=lambda d: d.path)
