"""``sentinel add``'s edit of the spec text, and the stubs it writes."""

from __future__ import annotations

import ast as pyast
from pathlib import Path

import pytest

from sentinel_spec.add import AddError, check_name, insert_declarations, render, snake_case
from sentinel_spec.fmt import format_source, parse_document
from sentinel_spec.stubs import StubRequest, module_file, role_of, write_stubs

SPEC = """// header
app A { title: "A" }

entity User {
  id Int @id
} // the users

query getUsers {
  fn: import { get_users } from "@src/queries", // listed
}

// pages below
page Home { component: import { home } from "@src/pages" }
"""


def test_a_declaration_goes_after_the_last_of_its_kind_past_its_line_comment() -> None:
    document = parse_document(SPEC)
    new = render("query", "getTasks", '{ fn: import { get_tasks } from "@src/queries" }')
    entity = render("entity", "Task", "{ id Int @id }")
    text = insert_declarations(document, [new, entity])
    assert text == SPEC.replace(
        "} // the users\n", "} // the users\n\n" + entity.text + "\n"
    ).replace(
        '  fn: import { get_users } from "@src/queries", // listed\n}\n',
        '  fn: import { get_users } from "@src/queries", // listed\n}\n\n' + new.text + "\n",
    )
    assert format_source(text).count("//") == SPEC.count("//")


def test_a_first_declaration_of_a_kind_goes_after_its_neighbours_or_at_the_end() -> None:
    document = parse_document(SPEC)
    action = render("action", "addUser", '{ fn: import { add_user } from "@src/actions" }')
    job = render(
        "job", "nightly", '{ executor: PgBoss, perform: { fn: import { n } from "@src/j" } }'
    )
    text = insert_declarations(document, [action, job])
    assert text.index("action addUser") > text.index("query getUsers")
    assert text.index("job nightly") < text.index("// pages below")
    empty = insert_declarations(parse_document(""), [action])
    assert empty == action.text + "\n"


def test_names_are_checked_before_anything_is_written() -> None:
    document = parse_document(SPEC)
    with pytest.raises(AddError, match="already declared on line 4"):
        check_name("entity", "User", document)
    with pytest.raises(AddError, match="lowercase"):
        check_name("query", "GetThings", document)
    with pytest.raises(AddError, match="cannot name"):
        check_name("query", "import", document)


def test_snake_case() -> None:
    assert snake_case("getTasks") == "get_tasks"
    assert snake_case("HTTPRoute") == "http_route"
    assert snake_case("MainPage") == "main_page"


def test_stubs_create_modules_and_packages_and_never_overwrite(tmp_path: Path) -> None:
    existing = tmp_path / "src" / "core" / "tasks.py"
    existing.parent.mkdir(parents=True)
    existing.write_text(
        '"""Tasks."""\n\nimport os\n\n\ndef get_tasks(args, context):\n    return 1\n'
    )
    report = write_stubs(
        tmp_path,
        [
            StubRequest("@src/core/tasks", "get_tasks", "query.fn", "query `getTasks`"),
            StubRequest("@src/core/tasks", "add_task", "action.fn", "action `addTask`"),
            StubRequest("@src/web/pages", "home", "page.component", "page `Home`"),
            StubRequest("@src/bad-name", "x", "query.fn", "query `x`"),
        ],
    )
    assert report.existing == [(existing, "get_tasks")]
    assert (existing, "add_task") in report.added
    assert [r[0] for r in report.refused] == ["@src/bad-name"]
    text = existing.read_text()
    assert "def get_tasks(args, context):\n    return 1\n" in text  # untouched
    assert "async def add_task(args: Any, context: Any) -> Any:" in text
    assert text.index("from typing import Any") > text.index("import os")
    pages = tmp_path / "src" / "web" / "pages.py"
    assert (tmp_path / "src" / "__init__.py").is_file()
    assert (tmp_path / "src" / "web" / "__init__.py").is_file()
    tree = pyast.parse(pages.read_text())
    assert [n.name for n in tree.body if isinstance(n, pyast.FunctionDef)] == ["home"]
    # Running it again adds nothing.
    again = write_stubs(
        tmp_path, [StubRequest("@src/core/tasks", "add_task", "action.fn", "action `addTask`")]
    )
    assert again.added == [] and again.existing == [(existing, "add_task")]


def test_roles_give_the_runtime_signatures() -> None:
    assert role_of("api.fn").params == "request: Any, context: Any"
    assert role_of("crud.operations.getAll.overrideFn").params == "args: Any, context: Any"
    assert role_of("app.auth.methods.email.userSignupFields").params == "data: dict[str, Any]"
    assert role_of("app.unknown.thing").params == "*args: Any, **kwargs: Any"


def test_module_file_prefers_an_existing_package(tmp_path: Path) -> None:
    (tmp_path / "src" / "core").mkdir(parents=True)
    (tmp_path / "src" / "core" / "__init__.py").write_text("")
    assert module_file(tmp_path, "@src/core") == tmp_path / "src" / "core" / "__init__.py"
    assert module_file(tmp_path, "@src/core/x") == tmp_path / "src" / "core" / "x.py"
    assert module_file(tmp_path, "@server/x") is None
