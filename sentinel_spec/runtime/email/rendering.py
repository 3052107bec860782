"""Email templates: Jinja2, an HTML and/or a text file per email, one shared layout.

A template named ``welcome`` is ``emails/welcome.html`` and/or ``emails/welcome.txt``
under the app's templates folder (``src/client/templates/``, the folder pages use, so
an api can preview an email as a page). Either file may be missing, not both. The
subject is the template's ``{% block subject %}`` (from the text file when it has one,
else from the HTML file with tags stripped and entities decoded), whitespace collapsed
to single spaces so it always fits one header line.

HTML files are autoescaped, text files are not. Undefined variables are errors (an
email with a blank where a link should be is worse than a failed call). Every
template sees ``app_name`` and ``app_url`` besides its own data. Layouts are found in
the app's folder first, then in Sentinel's defaults (``emails/layout.html`` and
``emails/layout.txt`` in this package), so an app overrides a layout by writing its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

FOLDER = "emails"
DEFAULTS = Path(__file__).parent / "templates"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*(?:/[A-Za-z0-9_][A-Za-z0-9_\-]*)*")


class EmailTemplateNotFound(LookupError):
    """Neither ``emails/<name>.html`` nor ``emails/<name>.txt`` exists."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str | None
    text: str | None = field(repr=False)
    html: str | None = field(repr=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class EmailTemplates:
    """Finds and renders email templates; ``folders`` are searched in order."""

    def __init__(
        self, *folders: str | Path | None, globals: Mapping[str, Any] | None = None
    ) -> None:
        self._folders = [Path(f) for f in folders if f is not None]
        self._env = jinja2.Environment(
            loader=jinja2.ChoiceLoader([]),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html", "htm", "xml"), default_for_string=False, default=False
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.globals.update({"app_name": "", "app_url": "", **(globals or {})})
        self._reload_loaders()

    def add_folder(self, folder: str | Path) -> None:
        """Search ``folder`` after the app's own (a feature's default emails, e.g. auth's)."""
        self._folders.append(Path(folder))
        self._reload_loaders()

    def _reload_loaders(self) -> None:
        folders = [*self._folders, DEFAULTS]
        self._env.loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders])

    def _find(self, name: str, extension: str) -> jinja2.Template | None:
        try:
            return self._env.get_template(f"{FOLDER}/{name}.{extension}")
        except jinja2.TemplateNotFound as error:
            if error.name != f"{FOLDER}/{name}.{extension}":
                raise  # a missing {% extends %} / {% include %} inside the template
            return None

    def exists(self, name: str) -> bool:
        return _NAME.fullmatch(name) is not None and any(
            self._find(name, ext) is not None for ext in ("html", "txt")
        )

    def render(self, name: str, data: Mapping[str, Any] | None = None) -> RenderedEmail:
        if not _NAME.fullmatch(name):
            raise EmailTemplateNotFound(
                f"invalid email template name {name!r}: use letters, digits, -, _ and /"
            )
        html_template = self._find(name, "html")
        text_template = self._find(name, "txt")
        if html_template is None and text_template is None:
            where = ", ".join(str(f / FOLDER) for f in self._folders) or "no folder"
            raise EmailTemplateNotFound(
                f"no email template {name!r}: create {FOLDER}/{name}.html and/or "
                f"{FOLDER}/{name}.txt (searched {where})"
            )
        context = dict(data or {})
        subject = None
        if text_template is not None and "subject" in text_template.blocks:
            subject = _one_line(_block(text_template, "subject", context))
        elif html_template is not None and "subject" in html_template.blocks:
            subject = _one_line(Markup(_block(html_template, "subject", context)).striptags())
        return RenderedEmail(
            subject=subject or None,
            text=text_template.render(context) if text_template is not None else None,
            html=html_template.render(context) if html_template is not None else None,
        )


def _block(template: jinja2.Template, block: str, context: dict[str, Any]) -> str:
    return "".join(template.blocks[block](template.new_context(context)))
