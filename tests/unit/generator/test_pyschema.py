"""Argument schemas read from source text, never by importing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sentinel_spec.appspec import ExtImport
from sentinel_spec.generator.pyschema import SchemaReader


def project(tmp_path: Path, **modules: str) -> SchemaReader:
    for dotted, text in modules.items():
        path = tmp_path.joinpath(*dotted.split("__")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return SchemaReader(tmp_path)


def model_of(reader: SchemaReader, module: str, fn: str) -> dict[str, Any]:
    ref = reader.args_schema(ExtImport(module, fn))
    return reader.components[ref["$ref"].rsplit("/", 1)[-1]]


def test_scalar_and_container_fields(tmp_path: Path) -> None:
    reader = project(
        tmp_path,
        src__ops="""
import datetime
from decimal import Decimal
from typing import Literal, Optional
from uuid import UUID
from pydantic import BaseModel, EmailStr, Field

raise SystemExit("the reader must never run this module")

class Args(BaseModel):
    a: str
    b: int = 3
    c: Optional[float] = None
    d: list[bool] = Field(default_factory=list)
    e: dict[str, int]
    f: Literal["x", "y"] = Field("x", description="pick one")
    g: datetime.datetime | None
    h: UUID
    i: Decimal
    j: EmailStr
    k: "set[str]"
    l: SomethingUnknown

def op(args: Args, context): ...
""",
    )
    schema = model_of(reader, "src.ops", "op")
    props = schema["properties"]
    assert props["a"] == {"type": "string"}
    assert props["b"] == {"type": "integer", "default": 3}
    assert props["c"] == {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None}
    assert props["d"] == {"type": "array", "items": {"type": "boolean"}}
    assert props["e"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert props["f"] == {"enum": ["x", "y"], "default": "x", "description": "pick one"}
    assert props["g"] == {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
    assert props["h"] == {"type": "string", "format": "uuid"}
    assert props["j"] == {"type": "string", "format": "email"}
    assert props["k"] == {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    assert props["l"] == {}
    assert schema["required"] == ["a", "e", "g", "h", "i", "j", "k", "l"]


def test_nested_models_inheritance_and_one_import_level(tmp_path: Path) -> None:
    reader = project(
        tmp_path,
        src__shared="""
from pydantic import BaseModel
class Address(BaseModel):
    city: str
""",
        src__ops="""
from pydantic import BaseModel
from src.shared import Address as Addr

class Base(BaseModel):
    id: int
class Person(Base):
    name: str
    home: Addr
    friends: list["Person"] = []

async def op(args: Person, context): ...
""",
    )
    person = model_of(reader, "src.ops", "op")
    assert list(person["properties"]) == ["id", "name", "home", "friends"]
    assert person["properties"]["home"] == {"$ref": "#/components/schemas/Address"}
    assert person["properties"]["friends"]["items"] == {"$ref": "#/components/schemas/Person"}
    assert reader.components["Address"]["required"] == ["city"]


def test_unknown_things_become_any(tmp_path: Path) -> None:
    reader = project(
        tmp_path,
        src__ops="""
class NotAModel:
    x: int
def bare(args, context): ...
def plain(args: NotAModel, context): ...
def none(args: None, context): ...
def listed(args: list[int], context): ...
""",
    )
    assert reader.args_schema(ExtImport("src.ops", "bare")) == {}
    assert reader.args_schema(ExtImport("src.ops", "plain")) == {}
    assert reader.args_schema(ExtImport("src.ops", "none")) == {"type": "null"}
    assert reader.args_schema(ExtImport("src.ops", "listed")) == {
        "type": "array",
        "items": {"type": "integer"},
    }
    assert reader.args_schema(ExtImport("src.missing", "x")) == {}
    assert reader.args_schema(ExtImport("src.ops", "missing")) == {}
    assert SchemaReader(None).args_schema(ExtImport("src.ops", "bare")) == {}


def test_same_model_name_in_two_modules_gets_two_components(tmp_path: Path) -> None:
    model = "from pydantic import BaseModel\nclass Args(BaseModel):\n    {field}: int\n"
    reader = project(
        tmp_path,
        src__a=model.format(field="a") + "def op(args: Args, c): ...\n",
        src__b=model.format(field="b") + "def op(args: Args, c): ...\n",
    )
    first = reader.args_schema(ExtImport("src.a", "op"))
    second = reader.args_schema(ExtImport("src.b", "op"))
    assert first != second
    assert len(reader.components) == 2


def test_type_aliases_and_enums_become_components(tmp_path: Path) -> None:
    reader = project(
        tmp_path,
        src__kinds="""
from enum import Enum, StrEnum
from typing import Annotated, Literal, TypeAlias
from pydantic import Field

Level = Literal["LOW", "HIGH"]
Id: TypeAlias = Annotated[str, Field(min_length=1, max_length=64)]

class Status(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"

class Opaque(Enum):
    A = object()
""",
        src__ops="""
from pydantic import BaseModel
from src.kinds import Id, Level, Opaque, Status

NotAType = 3

class Args(BaseModel):
    id: Id
    level: Level = "LOW"
    status: Status | None = None
    other: Opaque
    count: NotAType

def op(args: Args, context): ...
""",
    )
    props = model_of(reader, "src.ops", "op")["properties"]
    assert props["id"] == {"$ref": "#/components/schemas/Id"}
    assert reader.components["Id"] == {"type": "string", "minLength": 1, "maxLength": 64}
    assert props["level"] == {"$ref": "#/components/schemas/Level", "default": "LOW"}
    assert reader.components["Level"] == {"enum": ["LOW", "HIGH"]}
    assert reader.components["Status"] == {"enum": ["OPEN", "CLOSED"], "type": "string"}
    assert props["status"]["anyOf"][0] == {"$ref": "#/components/schemas/Status"}
    assert props["other"] == {} and props["count"] == {}  # not understood statically
