"""The Jinja2 environment of the auth pages and emails.

Templates are looked up first in the app's own templates folder
(``src/client/templates/auth/...``), then in Sentinel's (``runtime/auth/templates``), so
an app restyles a page or an email by adding a file of the same name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

BUILTIN = Path(__file__).parent / "templates"


@cache
def environment(app_templates_dir: str | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if app_templates_dir is not None and Path(app_templates_dir).is_dir():
        # Only the app's auth/ subfolder may override, under the same names.
        loaders.append(
            jinja2.PrefixLoader(
                {"auth": jinja2.FileSystemLoader(str(Path(app_templates_dir) / "auth"))}
            )
        )
    loaders.append(jinja2.PrefixLoader({"auth": jinja2.FileSystemLoader(str(BUILTIN))}))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), disabled_extensions=("txt",), default=True
        ),
        keep_trailing_newline=True,
    )


def render(app_templates_dir: str | None, name: str, **data: object) -> str:
    return environment(app_templates_dir).get_template(f"auth/{name}").render(**data)
