"""Email templates: HTML + text, one layout, subject block, escaping rules, errors."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sentinel_spec.runtime.email.rendering import EmailTemplateNotFound, EmailTemplates


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


WELCOME = {
    "emails/welcome.html": (
        '{% extends "emails/layout.html" %}'
        "{% block subject %}Welcome, {{ name }}{% endblock %}"
        "{% block content %}<p>Hello {{ name }}</p>{% endblock %}"
    ),
    "emails/welcome.txt": (
        '{% extends "emails/layout.txt" %}'
        "{% block subject %}Welcome, {{ name }}{% endblock %}"
        "{% block content %}Hello {{ name }}{% endblock %}"
    ),
}


def test_html_and_text_share_sentinels_default_layout(tmp_path: Path) -> None:
    templates = EmailTemplates(
        write(tmp_path, WELCOME), globals={"app_name": "Acme", "app_url": "https://acme.test"}
    )
    rendered = templates.render("welcome", {"name": "Ada"})
    assert rendered.subject == "Welcome, Ada"
    assert rendered.html is not None and rendered.text is not None
    assert "<title>Welcome, Ada</title>" in rendered.html
    assert "<p>Hello Ada</p>" in rendered.html
    assert 'href="https://acme.test"' in rendered.html
    assert rendered.text.startswith("Hello Ada")
    assert "Acme · https://acme.test" in rendered.text


def test_html_is_autoescaped_and_text_is_not(tmp_path: Path) -> None:
    templates = EmailTemplates(write(tmp_path, WELCOME))
    rendered = templates.render("welcome", {"name": "<Tom & Jerry>"})
    assert rendered.html is not None and rendered.text is not None
    assert "<p>Hello &lt;Tom &amp; Jerry&gt;</p>" in rendered.html
    assert "Hello <Tom & Jerry>" in rendered.text
    assert rendered.subject == "Welcome, <Tom & Jerry>"


def test_the_subject_of_an_html_only_template_is_unescaped_text(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "emails/alert.html": (
                "{% block subject %}\n  Alert:\n  <b>{{ what }}</b>\n{% endblock %}<p>x</p>"
            )
        },
    )
    rendered = EmailTemplates(root).render("alert", {"what": "R&D <down>"})
    assert rendered.subject == "Alert: R&D <down>"
    assert rendered.text is None


def test_a_subject_never_spans_lines_even_when_data_holds_line_breaks(tmp_path: Path) -> None:
    root = write(tmp_path, {"emails/x.txt": "{% block subject %}Hi {{ n }}{% endblock %}body"})
    rendered = EmailTemplates(root).render("x", {"n": "Ada\r\nBcc: eve@evil.test"})
    assert rendered.subject == "Hi Ada Bcc: eve@evil.test"


def test_a_template_without_a_subject_block_has_none(tmp_path: Path) -> None:
    root = write(tmp_path, {"emails/plain.txt": "just text"})
    rendered = EmailTemplates(root).render("plain")
    assert (rendered.subject, rendered.text, rendered.html) == (None, "just text", None)


def test_the_apps_layout_overrides_the_default(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            **WELCOME,
            "emails/layout.html": "<main>BRAND {% block content %}{% endblock %}</main>",
        },
    )
    rendered = EmailTemplates(root).render("welcome", {"name": "Ada"})
    assert rendered.html == "<main>BRAND <p>Hello Ada</p></main>"


def test_other_features_add_fallback_folders_the_app_can_override(tmp_path: Path) -> None:
    feature = write(tmp_path / "feature", {"emails/auth/verify.txt": "feature default"})
    app = write(tmp_path / "app", {})
    templates = EmailTemplates(app)
    templates.add_folder(feature)
    assert templates.render("auth/verify").text == "feature default"
    write(app, {"emails/auth/verify.txt": "the app's own"})
    overridden = EmailTemplates(app)  # a new file is found at the next start (dev reloads)
    overridden.add_folder(feature)
    assert overridden.render("auth/verify").text == "the app's own"


def test_an_undefined_variable_is_an_error_not_a_blank(tmp_path: Path) -> None:
    templates = EmailTemplates(write(tmp_path, WELCOME))
    with pytest.raises(jinja2.UndefinedError, match="name"):
        templates.render("welcome", {})


def test_a_missing_template_names_the_files_to_create(tmp_path: Path) -> None:
    templates = EmailTemplates(write(tmp_path, WELCOME))
    with pytest.raises(EmailTemplateNotFound, match=r"emails/nope\.html and/or emails/nope\.txt"):
        templates.render("nope")
    assert templates.exists("welcome") and not templates.exists("nope")


@pytest.mark.parametrize("name", ["../secrets", "/etc/passwd", "a/../b", "welcome.html", ""])
def test_template_names_cannot_escape_the_folder(tmp_path: Path, name: str) -> None:
    with pytest.raises(EmailTemplateNotFound, match="invalid email template name"):
        EmailTemplates(write(tmp_path, WELCOME)).render(name)


def test_a_missing_layout_is_reported_as_such(tmp_path: Path) -> None:
    root = write(tmp_path, {"emails/x.html": '{% extends "emails/nolayout.html" %}'})
    with pytest.raises(jinja2.TemplateNotFound, match="nolayout"):
        EmailTemplates(root).render("x")


def test_sentineliqs_own_templates_render() -> None:
    root = Path(__file__).resolve().parents[3] / "src" / "client" / "templates"
    templates = EmailTemplates(root, globals={"app_name": "SentinelIQ", "app_url": "https://s.io"})
    rendered = templates.render(
        "incident", {"title": "Phishing", "severity": "HIGH", "incident_id": "42"}
    )
    assert rendered.subject == "[HIGH] Phishing"
    assert rendered.text is not None and "https://s.io/incidents/42" in rendered.text
    assert rendered.html is not None and 'href="https://s.io/incidents/42"' in rendered.html
