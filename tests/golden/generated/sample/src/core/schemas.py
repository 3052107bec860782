"""Argument models shared by several operations (read statically for openapi.json)."""

from __future__ import annotations

from pydantic import BaseModel


class Owner(BaseModel):
    email: str
    name: str | None = None
