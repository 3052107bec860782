"""The one jinja2 environment every generator renders its templates with.

Templates live in ``sentinel_spec/generator/templates`` and mirror ``generated/``.
``StrictUndefined`` turns a misspelled variable into an error instead of an empty string.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from sentinel_spec.contract.names import kebab, snake
from sentinel_spec.generator.pyexpr import pyrepr


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("sentinel_spec.generator", "templates"),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,  # Python source, not HTML
        # Compiled templates kept in the temp folder (keyed by source checksum), as lark
        # keeps its tables: compiling them anew was ~15 ms of every build.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    environment.filters["pyrepr"] = pyrepr  # a Python literal: {{ title | pyrepr }}
    environment.filters["kebab"] = kebab
    environment.filters["snake"] = snake
    return environment


def render(template_name: str, **context: Any) -> str:
    """Render ``templates/<template_name>`` with ``context``."""
    return _environment().get_template(template_name).render(**context)
