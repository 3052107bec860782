"""``generated/__init__.py``: makes ``generated`` a package; holds only the header."""

from __future__ import annotations

from sentinel_spec.appspec import AppSpec
from sentinel_spec.generator.drafts import HEADER, FileDraft
from sentinel_spec.generator.templating import render


def generate(spec: AppSpec) -> list[FileDraft]:
    return [FileDraft("__init__.py", render("__init__.py.jinja", header=HEADER))]
