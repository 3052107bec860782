"""One rule for fields an argument type does not declare: a 400, for user models as for
crud (docs/runtime.md, Arguments)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from sentinel_spec.contract.declarations import AppDecl, Operation
from tests.in_process import error_of, serve


class Point(BaseModel):
    x: int
    y: int


class Shape(BaseModel):
    corner: Point


class Loose(BaseModel):
    model_config = ConfigDict(extra="allow")
    x: int


@dataclass
class Size:
    width: int


def takes_point(args: Point, context: Any) -> int:
    return args.x + args.y


def takes_shape(args: Shape, context: Any) -> int:
    return args.corner.x


def takes_loose(args: Loose, context: Any) -> int:
    return args.x


def takes_size(args: Size, context: Any) -> int:
    return args.width


DECL = AppDecl(
    name="Extra",
    title="Extra",
    operations=tuple(
        Operation(fn.__name__, fn.__name__.replace("_", "-"), "action", fn)
        for fn in (takes_point, takes_shape, takes_loose, takes_size)
    ),
)


async def test_an_undeclared_field_is_a_400_at_any_depth() -> None:
    async with serve(DECL) as client:
        ok = await client.post("/operations/takes-point", json={"x": 1, "y": 2})
        assert ok.json() == 3
        cases = {
            "takes-point": ({"x": 1, "y": 2, "z": 3}, "z"),
            "takes-shape": ({"corner": {"x": 1, "y": 2, "typo": 0}}, "corner.typo"),
            # A model's own extra="allow" does not reopen the door: declare a dict field.
            "takes-loose": ({"x": 1, "more": True}, "more"),
            "takes-size": ({"width": 3, "height": 4}, "height"),
        }
        for route, (args, field) in cases.items():
            response = await client.post(f"/operations/{route}", json=args)
            assert response.status_code == 400, route
            error = error_of(response)
            assert error["code"] == "validation_error"
            assert [d["field"] for d in error["details"]] == [field], route
