"""The writer rewrites only changed files, removes stale ones and plans exactly that."""

from __future__ import annotations

from pathlib import Path

import pytest

from sentinel_spec.generator.drafts import FileDraft
from sentinel_spec.writer import plan, write


def drafts(**files: str) -> list[FileDraft]:
    return [FileDraft(path.replace("__", "/"), text) for path, text in files.items()]


def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns


def test_first_write_creates_every_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    result = write(drafts(a="A", sub__b="B"), out)
    assert result.written == ("a", "sub/b")
    assert result.removed == ()
    assert (out / "a").read_text() == "A"
    assert (out / "sub" / "b").read_text() == "B"


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    write(drafts(a="A", b="B"), tmp_path)
    before_a, before_b = stamp(tmp_path / "a"), stamp(tmp_path / "b")
    result = write(drafts(a="A", b="B2"), tmp_path)
    assert result.written == ("b",)
    assert stamp(tmp_path / "a") == before_a  # same inode, same mtime: untouched
    assert stamp(tmp_path / "b") != before_b
    assert (tmp_path / "b").read_text() == "B2"


def test_unchanged_build_writes_nothing(tmp_path: Path) -> None:
    write(drafts(a="A"), tmp_path)
    before = stamp(tmp_path / "a")
    assert write(drafts(a="A"), tmp_path).written == ()
    assert stamp(tmp_path / "a") == before


def test_stale_files_and_emptied_folders_are_removed(tmp_path: Path) -> None:
    write(drafts(keep="k", old__deep__x="x", old__y="y"), tmp_path)
    result = write(drafts(keep="k"), tmp_path)
    assert result.removed == ("old/deep/x", "old/y")
    assert not (tmp_path / "old").exists()
    assert (tmp_path / "keep").exists()


def test_caches_and_dotfiles_are_left_alone(tmp_path: Path) -> None:
    write(drafts(mod="m"), tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / ".keep").write_text("")
    result = write(drafts(mod="m"), tmp_path)
    assert result.removed == ()
    assert (tmp_path / "__pycache__" / "mod.cpython-311.pyc").exists()
    assert (tmp_path / ".keep").exists()


def test_nothing_outside_the_output_folder_is_touched(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    neighbour = tmp_path / "neighbour.txt"
    neighbour.write_text("mine")
    write(drafts(a="A"), out)
    write([], out)
    assert neighbour.read_text() == "mine"
    with pytest.raises(ValueError):
        write([FileDraft("../escape.py", "x")], out)
    with pytest.raises(ValueError):
        write([FileDraft("/abs.py", "x")], out)
    assert not (tmp_path / "escape.py").exists()


def test_plan_reports_exactly_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    write(drafts(same="s", changed="c", gone="g"), tmp_path)
    changes = plan(drafts(same="s", changed="c2", new="n"), tmp_path)
    assert changes.create == ("new",)
    assert changes.change == ("changed",)
    assert changes.remove == ("gone",)
    assert changes.stale == ("changed", "gone", "new")
    assert (tmp_path / "changed").read_text() == "c"
    assert not (tmp_path / "new").exists()
    assert plan(drafts(same="s", changed="c", gone="g"), tmp_path).stale == ()


def test_plan_of_missing_folder_creates_everything(tmp_path: Path) -> None:
    assert plan(drafts(a="A"), tmp_path / "nope").stale == ("a",)


def test_written_files_are_world_readable(tmp_path: Path) -> None:
    write(drafts(a="A"), tmp_path)
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["a"]  # no temporary file left behind


def test_a_file_may_become_a_folder_and_back(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write([FileDraft("a.py", "A")], out)
    write([FileDraft("a.py/inner.py", "I")], out)
    assert (out / "a.py" / "inner.py").read_text() == "I"
    (out / "a.py" / "__pycache__").mkdir()  # a folder left holding only caches
    write([FileDraft("a.py", "A again")], out)
    assert (out / "a.py").read_text() == "A again"


def test_a_symlinked_folder_cannot_carry_writes_outside(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    outside = tmp_path / "outside"
    outside.mkdir()
    out.mkdir()
    (out / "link").symlink_to(outside)
    with pytest.raises(ValueError, match="leads outside"):
        write([FileDraft("link/evil.py", "x")], out)
    assert list(outside.iterdir()) == []
