"""The developer's functions as ``from src.a.b import name`` lines, in ruff's isort order.

Each distinct (module, name) gets one local identifier: the name itself when it is
unique, else ``<module tail>_<name>`` so two modules exporting ``handler`` can coexist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sentinel_spec.appspec import ExtImport

LINE_LENGTH = 100


def _natural(text: str) -> tuple[object, ...]:
    # isort compares case-insensitively and numbers by value ("m2" before "m10").
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text.lower()))


def _member_key(name: str) -> tuple[object, ...]:
    # ruff's order-by-type: CONSTANTS, then Classes, then everything else.
    if name.isupper() and len(name) > 1:
        rank = 0
    elif name[:1].isupper():
        rank = 1
    else:
        rank = 2
    return (rank, _natural(name), name)


class ImportTable:
    """Local names for imported user functions; ``reserved`` are names the module defines."""

    def __init__(self, fns: Iterable[ExtImport], reserved: Iterable[str]) -> None:
        targets = sorted({(fn.module, fn.name) for fn in fns})
        taken = set(reserved)
        counts: dict[str, int] = {}
        for _, name in targets:
            counts[name] = counts.get(name, 0) + 1
        self._local: dict[tuple[str, str], str] = {}
        for module, name in targets:
            local = name
            if counts[name] > 1 or local in taken:
                local = f"{module.rsplit('.', 1)[-1]}_{name}"
                suffix = 2
                while local in taken:
                    local = f"{module.rsplit('.', 1)[-1]}_{name}_{suffix}"
                    suffix += 1
            taken.add(local)
            self._local[(module, name)] = local

    def local(self, fn: ExtImport) -> str:
        return self._local[(fn.module, fn.name)]

    def lines(self) -> list[str]:
        """``from`` statements: plain names merged per module, each aliased name on its own."""
        statements: list[tuple[tuple[object, ...], tuple[object, ...], str, list[str]]] = []
        by_module: dict[str, list[tuple[str, str]]] = {}
        for (module, name), local in self._local.items():
            by_module.setdefault(module, []).append((name, local))
        for module, members in by_module.items():
            plain = sorted((n for n, local in members if n == local), key=_member_key)
            if plain:
                statements.append((_natural(module), _member_key(plain[0]), module, plain))
            for name, local in members:
                if name != local:
                    member = f"{name} as {local}"
                    statements.append((_natural(module), _member_key(name), module, [member]))
        statements.sort(key=lambda s: (s[0], s[1]))
        return [_from_line(module, members) for _, _, module, members in statements]


def _from_line(module: str, members: list[str]) -> str:
    line = f"from {module} import {', '.join(members)}"
    if len(line) <= LINE_LENGTH:
        return line
    body = "".join(f"    {m},\n" for m in members)
    return f"from {module} import (\n{body})"
