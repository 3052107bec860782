"""What the cursor expects, read from half-written text."""

from __future__ import annotations

import pytest

from sentinel_spec.lsp.cursor import Cursor, cursor_at


def at(text: str) -> Cursor:
    offset = text.index("|")
    return cursor_at(text.replace("|", ""), offset)


@pytest.mark.parametrize(
    ("text", "kind", "path"),
    [
        ('app A { title: "x" }\n\nq|', "top", ()),
        ('query q {\n  fn: import { f } from "@src/x",\n  ent|', "key", ("query",)),
        ("query q {\n  entities: [Task, |", "value", ("query", "entities", "[]")),
        ("query q {\n  rateLimit: { by: |", "value", ("query", "rateLimit", "by")),
        ("api x {\n  httpRoute: (|", "value", ("api", "httpRoute")),
        ('route R { path: "/", to: |', "value", ("route", "to")),
        (
            "app A {\n  auth: { methods: { email: { passwordReset: { clientRoute: |",
            "value",
            ("app", "auth", "methods", "email", "passwordReset", "clientRoute"),
        ),
        ("entity T {\n  id Int @id\n  user Us|", "entity_type", ()),
        ("entity T {\n  id Int @id\n}\n|", "top", ()),
        ("entity T {\n  id Int @|", "attribute", ()),
    ],
)
def test_cursor_kinds(text: str, kind: str, path: tuple[str, ...]) -> None:
    cursor = at(text)
    assert (cursor.kind, cursor.path) == (kind, path)


def test_keys_already_written_are_known() -> None:
    cursor = at('query q {\n  rateLimit: { limit: "5/hour", |')
    assert cursor.present == frozenset({"limit"})


def test_import_names_know_their_module_from_the_text_after_the_cursor() -> None:
    cursor = at('query q {\n  fn: import { ge| } from "@src/core/x",\n}')
    assert (cursor.kind, cursor.prefix, cursor.module) == ("import_name", "ge", "@src/core/x")
    path = at('query q {\n  fn: import { g } from "@src/co|')
    assert (path.kind, path.prefix) == ("import_path", "@src/co")


def test_attribute_arguments_know_the_field_type() -> None:
    cursor = at("entity T {\n  id Int @id\n  role Role @default(|")
    assert (cursor.kind, cursor.attribute, cursor.field_type) == (
        "attribute_arg",
        "default",
        "Role",
    )
    block = at("entity T {\n  id Int @id\n  @@in|")
    assert (block.kind, block.block, block.prefix) == ("attribute", True, "in")
