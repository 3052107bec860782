"""DB-free operations: a greeting, an expected HTTP error and an unexpected crash."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from sentinel_spec.runtime.errors import HttpError


class GreetingArgs(BaseModel):
    """Who to greet, and how."""

    name: str = Field(description="Who to greet")
    excited: bool = False
    tone: Literal["plain", "warm"] = "plain"
    times: int = Field(default=1, ge=1, le=5)


async def get_greeting(args: GreetingArgs, context: Any) -> dict[str, str]:
    mark = "!" if args.excited else "."
    return {"greeting": f"Hello, {args.name}{mark}" * args.times}


def fail_with_http_error(args: Any, context: Any) -> None:
    raise HttpError(418, "I am a teapot", {"hint": "try coffee"})


def crash(args: Any, context: Any) -> None:
    raise RuntimeError("secret internal detail")
