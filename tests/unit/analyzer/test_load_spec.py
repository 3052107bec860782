"""``load_spec`` on files that are not text: a located error, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec import load_spec
from sentinel_spec.errors import SpecErrors


def test_a_spec_that_is_not_utf8_is_a_spec_error_at_the_bad_byte(tmp_path: Path) -> None:
    spec = tmp_path / "app.sq"
    spec.write_bytes(b'app A {\n  title: "caf\xe9",\n}\n')
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec)
    (error,) = raised.value.errors
    assert (error.span.line, error.span.column) == (2, 14)
    assert error.message.startswith("app.sq is not UTF-8 text: byte 0xe9")
    assert "app.sq:2:14: error: app.sq is not UTF-8 text" in raised.value.render()
