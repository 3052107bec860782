"""What every validation rule may look at: the module, its names, and indexes over both.

Built once per analysis so rules stay linear: lookups go through dicts, never
through scans of all declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sentinel_spec import ast
from sentinel_spec.analyzer.model import EntityInfo, RelationPairs, pair_relations, read_entity
from sentinel_spec.analyzer.resolve import Namespace
from sentinel_spec.errors import SpecError


@dataclass
class Context:
    module: ast.Module
    namespace: Namespace
    file: str
    decls: dict[str, list[ast.Decl]] = field(default_factory=dict)  # kind -> in order
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    enums: dict[str, ast.EnumDecl] = field(default_factory=dict)

    @classmethod
    def of(cls, module: ast.Module, namespace: Namespace, file: str) -> Context:
        ctx = cls(module, namespace, file)
        entity_nodes: list[ast.EntityDecl] = []
        for decl in module.declarations:
            if isinstance(decl, ast.Decl):
                ctx.decls.setdefault(decl.kind.name, []).append(decl)
            elif isinstance(decl, ast.EnumDecl):
                ctx.enums.setdefault(decl.name.name, decl)
            else:
                entity_nodes.append(decl)
        names = {d.name.name for d in entity_nodes}
        for node in entity_nodes:
            ctx.entities.setdefault(node.name.name, read_entity(node, names, ctx.enums))
        return ctx

    # A cache, not data: kept out of __init__, repr and comparison.
    _pairs: tuple[RelationPairs, list[SpecError]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def relation_pairs(self) -> tuple[RelationPairs, list[SpecError]]:
        """Back side <-> owning side of every relation, computed once per analysis."""
        if self._pairs is None:
            self._pairs = pair_relations(self.entities)
        return self._pairs

    def of_kind(self, kind: str) -> list[ast.Decl]:
        return self.decls.get(kind, [])

    @property
    def app(self) -> ast.Decl | None:
        apps = self.of_kind("app")
        return apps[0] if apps else None

    @property
    def has_auth(self) -> bool:
        app = self.app
        return app is not None and entry(app.body, "auth") is not None


def entry(body: ast.DictExpr, key: str) -> ast.DictEntry | None:
    for e in body.entries:
        if e.key.name == key:
            return e
    return None


def value(body: ast.DictExpr, *path: str) -> ast.Expr | None:
    """The value at ``path`` inside nested dicts, or None when absent or not a dict on the way."""
    current: ast.Expr = body
    for key in path:
        if not isinstance(current, ast.DictExpr):
            return None
        found = entry(current, key)
        if found is None:
            return None
        current = found.value
    return current
