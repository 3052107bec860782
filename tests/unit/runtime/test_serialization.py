"""Each value type has exactly one JSON form (docs/runtime.md, Serialization)."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from pydantic import BaseModel
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sentinel_spec.runtime.serialization import dumps


class Color(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Status(enum.StrEnum):
    OPEN = "open"


@dataclass
class Case:
    id: UUID
    opened: date
    tags: tuple[str, ...]


class CaseModel(BaseModel):
    when: datetime
    amount: Decimal


class Base(DeclarativeBase):
    pass


class Workspace(Base):
    __tablename__ = "workspace"
    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column("name", String)
    members: Mapped[list[Member]] = relationship(back_populates="workspace")


class Member(Base):
    __tablename__ = "member"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id"))
    workspace: Mapped[Workspace] = relationship(back_populates="members")


def roundtrip(value: Any) -> Any:
    return json.loads(dumps(value))


UID = UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2024, 5, 1, 12, 30, tzinfo=UTC), "2024-05-01T12:30:00+00:00"),
        (datetime(2024, 5, 1, 12, 30), "2024-05-01T12:30:00+00:00"),  # naive = UTC
        (
            datetime(2024, 5, 1, 12, 30, tzinfo=timezone(timedelta(hours=2))),
            "2024-05-01T12:30:00+02:00",
        ),
        (date(2024, 5, 1), "2024-05-01"),
        (time(9, 5, 7), "09:05:07"),
        (UID, "12345678-1234-5678-1234-567812345678"),
        (Decimal("12.3400"), "12.3400"),
        (Decimal("0.1") + Decimal("0.2"), "0.3"),
        (Color.RED, "red"),
        (Level.HIGH, 3),
        (Status.OPEN, "open"),
        (b"\x00\xffhi", "AP9oaQ=="),
        ({3}, [3]),
        ((1, "a"), [1, "a"]),
        (frozenset(), []),
    ],
)
def test_scalar_forms(value: Any, expected: Any) -> None:
    assert roundtrip(value) == expected
    assert roundtrip({"nested": [value]}) == {"nested": [expected]}


def test_dataclass_is_an_object_of_converted_fields() -> None:
    case = Case(UID, date(2024, 1, 2), ("a", "b"))
    assert roundtrip(case) == {"id": str(UID), "opened": "2024-01-02", "tags": ["a", "b"]}


def test_pydantic_model_uses_json_mode_dump() -> None:
    model = CaseModel(when=datetime(2024, 1, 2, tzinfo=UTC), amount=Decimal("1.50"))
    assert roundtrip(model) == {"when": "2024-01-02T00:00:00Z", "amount": "1.50"}


def test_sqlalchemy_instance_is_its_columns_only() -> None:
    workspace = Workspace(id=1, display_name="Acme")
    workspace.members = [Member(id=2, workspace_id=1)]
    assert roundtrip(workspace) == {"id": 1, "display_name": "Acme"}
    member = Member(id=2, workspace_id=1)
    assert roundtrip(member) == {"id": 2, "workspace_id": 1}


class Tag(Base):
    __tablename__ = "tag"
    id: Mapped[int] = mapped_column(primary_key=True)


class Note(Base):
    __tablename__ = "note"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str | None] = mapped_column(deferred=True)


def test_an_unloaded_column_is_read_through_its_attribute() -> None:
    # Not in the instance's __dict__ (never set on a new object): the attribute answers.
    assert roundtrip(Member(id=3)) == {"id": 3, "workspace_id": None}
    note = Note(id=4)
    assert "body" not in note.__dict__
    assert roundtrip(note) == {"id": 4, "body": None}
    note.body = "text"
    assert roundtrip(note) == {"id": 4, "body": "text"}


def test_a_single_column_model_and_a_renamed_column() -> None:
    assert roundtrip(Tag(id=5)) == {"id": 5}
    # Keyed by attribute, not by the column's name in the table ("name").
    assert roundtrip([Workspace(id=6, display_name="A")]) == [{"id": 6, "display_name": "A"}]


def test_an_expired_column_of_a_detached_row_still_raises() -> None:
    from sqlalchemy import inspect
    from sqlalchemy.orm import make_transient_to_detached
    from sqlalchemy.orm.exc import DetachedInstanceError

    note = Note(id=7, body="text")
    make_transient_to_detached(note)
    state = inspect(note)
    state._expire_attributes(state.dict, ["body"])  # as a commit would
    with pytest.raises(DetachedInstanceError):  # its attribute cannot load it
        dumps(note)


def test_non_string_keys_are_converted() -> None:
    assert roundtrip({UID: 1, Color.RED: 2, date(2024, 1, 1): 3}) == {
        str(UID): 1,
        "red": 2,
        "2024-01-01": 3,
    }


def test_unknown_types_are_refused_with_their_name() -> None:
    with pytest.raises(TypeError, match="object"):
        dumps({"x": object()})


def test_output_is_compact_utf8() -> None:
    assert dumps({"a": "é", "b": [1, 2]}) == '{"a":"é","b":[1,2]}'.encode()


def test_nan_and_infinity_become_null() -> None:
    # JSON has neither; json.dumps would write the invalid tokens NaN and Infinity.
    assert dumps({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]}) == (
        b'{"a":null,"b":[null,null,1.5]}'
    )


def thorough(value: Any) -> bytes:
    """The slow path every value could take: converted tree, then the standard json."""
    from sentinel_spec.runtime.serialization import to_jsonable

    text = json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return text.encode()


@pytest.mark.parametrize(
    "value",
    [
        {"when": datetime(2024, 5, 1, 12, 30, 5, 123456), "d": date(2024, 1, 1)},
        [datetime(2024, 5, 1, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))],
        {"id": UID, "amount": Decimal("1.10"), "tags": ("a", "b"), "set": {1}},
        {"color": Color.RED, "level": Level.HIGH, "status": Status.OPEN, "raw": b"\x01"},
        Case(UID, date(2024, 1, 2), ("a",)),
        [Workspace(id=1, display_name="Acme"), Member(id=2, workspace_id=1)],
        {"text": "é ü \u2028 \U0001f600", "none": None, "yes": True, "n": -(2**63)},
        {"t": time(9, 5, 7, tzinfo=UTC)},  # orjson refuses a zoned time: the json path
        {UID: "non-string key"},  # likewise
        {"big": 2**70},  # likewise
        [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
    ],
)
def test_the_fast_path_writes_what_the_thorough_one_writes(value: Any) -> None:
    assert dumps(value) == thorough(value)


def test_nesting_past_orjson_limit_still_serialises() -> None:
    deep: Any = 1
    for _ in range(300):
        deep = [deep]
    assert dumps(deep) == b"[" * 300 + b"1" + b"]" * 300
