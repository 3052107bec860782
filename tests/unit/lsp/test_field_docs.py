"""The language server's field documentation covers exactly the schemas' fields."""

from __future__ import annotations

import re

from sentinel_spec import kinds
from sentinel_spec.lsp.field_docs import FIELD_DOCS, KIND_DOCS, field_doc
from sentinel_spec.lsp.schema_paths import all_paths


def test_every_field_has_documentation() -> None:
    missing = [path for path in all_paths() if field_doc(path) is None]
    assert missing == []


def test_every_documented_field_exists() -> None:
    paths = list(all_paths())
    for pattern in FIELD_DOCS:
        regex = re.compile("^" + re.escape(pattern).replace(r"\*", r"[^.]+") + "$")
        assert any(regex.match(p) for p in paths), pattern


def test_every_kind_is_documented() -> None:
    assert set(KIND_DOCS) == {k.name for k in kinds.KINDS}
