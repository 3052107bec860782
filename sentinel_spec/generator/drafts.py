"""A generated file before it is written."""

from __future__ import annotations

from dataclasses import dataclass

HEADER = "# Generated from app.sq by sentinel; do not edit.\n"


@dataclass(frozen=True)
class FileDraft:
    path: str  # relative to generated/, '/'-separated
    content: str
