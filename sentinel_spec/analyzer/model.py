"""The data model as the analyzer sees it: entities with their attributes read once.

Reading attributes (``@id``, ``@default(...)``, ``@relation(...)``) is shared by the
entity rules (which report problems) and by ``build.py`` (which trusts them).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Literal

from sentinel_spec import ast
from sentinel_spec.analyzer.messages import suggest
from sentinel_spec.appspec import ON_DELETE, SCALAR_TYPES
from sentinel_spec.errors import SpecError

FIELD_ATTRIBUTES = ("id", "unique", "default", "updatedAt", "map", "relation")
BLOCK_ATTRIBUTES = ("id", "unique", "index", "map")
RELATION_ARGS = ("name", "fields", "references", "onDelete")


@dataclass(frozen=True)
class NativeType:
    """A ``@db.*`` native column type: the scalar types it fits and its argument counts."""

    scalars: tuple[str, ...]
    max_args: int = 0
    example: str = ""  # how to write it with its arguments
    # The inclusive range PostgreSQL accepts for each argument, and what it means.
    ranges: tuple[tuple[int, int, str], ...] = ()


# PostgreSQL's bounds: a varchar/char length up to 10485760, numeric precision up to 1000,
# fractional seconds up to 6 digits.
_LENGTH = (1, 10_485_760, "length")
_PRECISION = (1, 1000, "precision")
_SCALE = (0, 1000, "scale")
_FRACTION = (0, 6, "fractional digits")


# Kept in step with ``generator/models.py`` (``_db_type``): only types it maps, plus
# BigInt and ByteA, whose default mapping already is that native type.
NATIVE_TYPES: dict[str, NativeType] = {
    "VarChar": NativeType(("String",), 1, "@db.VarChar(255)", (_LENGTH,)),
    "Char": NativeType(("String",), 1, "@db.Char(2)", (_LENGTH,)),
    "Text": NativeType(("String",)),
    "Uuid": NativeType(("String",)),
    "SmallInt": NativeType(("Int",)),
    "Integer": NativeType(("Int",)),
    "BigInt": NativeType(("BigInt",)),
    "Real": NativeType(("Float",)),
    "DoublePrecision": NativeType(("Float",)),
    "Decimal": NativeType(("Decimal",), 2, "@db.Decimal(10, 2)", (_PRECISION, _SCALE)),
    "Timestamp": NativeType(("DateTime",), 1, "@db.Timestamp(3)", (_FRACTION,)),
    "Timestamptz": NativeType(("DateTime",), 1, "@db.Timestamptz(3)", (_FRACTION,)),
    "Date": NativeType(("DateTime",)),
    "Time": NativeType(("DateTime",)),
    "Json": NativeType(("Json",)),
    "JsonB": NativeType(("Json",)),
    "ByteA": NativeType(("Bytes",)),
}


def attr_name(attr: ast.Attribute) -> str:
    return attr.name.name.lstrip("@")


def attr_label(attr: ast.Attribute) -> str:
    return ("@@" if attr.block else "@") + attr_name(attr)


@dataclass
class RelationAttr:
    attr: ast.Attribute
    name: str | None = None
    fields: list[ast.Ref] = field(default_factory=list)
    references: list[ast.Ref] = field(default_factory=list)
    on_delete: ast.Ref | None = None
    has_fields: bool = False  # `fields:` written, even if empty


@dataclass
class FieldInfo:
    node: ast.FieldDef
    kind: Literal["scalar", "enum", "relation"] | None  # None: unknown type
    is_id: bool = False
    is_unique: bool = False
    default: ast.Attribute | None = None
    updated_at: ast.Attribute | None = None
    column: str | None = None
    db_type: tuple[str, tuple[int, ...]] | None = None
    relation: RelationAttr | None = None

    @property
    def name(self) -> str:
        return self.node.name.name

    @property
    def type_name(self) -> str:
        return self.node.type.name.name

    @property
    def is_owner(self) -> bool:
        return self.relation is not None and self.relation.has_fields

    @property
    def relation_name(self) -> str | None:
        return self.relation.name if self.relation is not None else None


@dataclass
class BlockList:
    """``@@id([a, b])`` and friends: the field names with their spans."""

    attr: ast.Attribute
    names: list[ast.Ref]


@dataclass
class EntityInfo:
    node: ast.EntityDecl
    fields: list[FieldInfo]
    by_name: dict[str, FieldInfo]
    block_ids: list[BlockList]
    uniques: list[BlockList]
    indexes: list[BlockList]
    table: str | None
    errors: list[SpecError]  # problems met while reading attributes

    @property
    def name(self) -> str:
        return self.node.name.name

    @property
    def primary_key(self) -> tuple[str, ...]:
        ids = tuple(f.name for f in self.fields if f.is_id)
        if ids:
            return ids
        if self.block_ids:
            return tuple(r.name for r in self.block_ids[0].names)
        return ()


def read_entity(
    decl: ast.EntityDecl, entity_names: Container[str], enum_names: Container[str]
) -> EntityInfo:
    errors: list[SpecError] = []
    fields: list[FieldInfo] = []
    by_name: dict[str, FieldInfo] = {}
    for node in decl.fields:
        info = _read_field(node, entity_names, enum_names, errors)
        if info.name in by_name:
            errors.append(
                SpecError(
                    node.name.span,
                    f"field `{info.name}` is declared twice in entity `{decl.name.name}`",
                )
            )
            continue
        by_name[info.name] = info
        fields.append(info)
    block_ids: list[BlockList] = []
    uniques: list[BlockList] = []
    indexes: list[BlockList] = []
    table: str | None = None
    mapped: ast.Attribute | None = None
    for attr in decl.block_attributes:
        name = attr_name(attr)
        if name == "map":
            if mapped is not None:
                errors.append(
                    SpecError(attr.name.span, f"`@@map` is given twice on `{decl.name.name}`")
                )
                continue
            mapped = attr
            table = _single_string(attr, errors)
            continue
        if name not in BLOCK_ATTRIBUTES:
            errors.append(_unknown_attribute(attr, BLOCK_ATTRIBUTES))
            continue
        names = _field_list(attr, errors)
        if names is None:
            continue
        {"id": block_ids, "unique": uniques, "index": indexes}[name].append(BlockList(attr, names))
    return EntityInfo(decl, fields, by_name, block_ids, uniques, indexes, table, errors)


def _unknown_attribute(attr: ast.Attribute, known: tuple[str, ...]) -> SpecError:
    prefix = "@@" if attr.block else "@"
    message = suggest(f"unknown attribute `{attr_label(attr)}`", attr_name(attr), known, prefix)
    return SpecError(attr.name.span, message)


def _read_field(
    node: ast.FieldDef,
    entity_names: Container[str],
    enum_names: Container[str],
    errors: list[SpecError],
) -> FieldInfo:
    type_name = node.type.name.name
    kind: Literal["scalar", "enum", "relation"] | None
    if type_name in SCALAR_TYPES:
        kind = "scalar"
    elif type_name in enum_names:
        kind = "enum"
    elif type_name in entity_names:
        kind = "relation"
    else:
        kind = None
    info = FieldInfo(node, kind)
    seen: set[str] = set()
    native: ast.Attribute | None = None
    for attr in node.attributes:
        name = attr_name(attr)
        if name in seen:
            errors.append(
                SpecError(attr.name.span, f"attribute `@{name}` is given twice on `{info.name}`")
            )
            continue
        seen.add(name)
        if name.startswith("db."):
            if native is not None:
                errors.append(
                    SpecError(
                        attr.name.span,
                        f"`{info.name}` has two native types, `{attr_label(native)}` and "
                        f"`{attr_label(attr)}`: keep one",
                    )
                )
                continue
            native = attr
            info.db_type = _db_type(attr, type_name, kind is not None, errors)
        elif name not in FIELD_ATTRIBUTES:
            errors.append(_unknown_attribute(attr, FIELD_ATTRIBUTES))
        elif name in ("id", "unique", "updatedAt"):
            _no_args(attr, errors)
            if name == "id":
                info.is_id = True
            elif name == "unique":
                info.is_unique = True
            else:
                info.updated_at = attr
        elif name == "default":
            if len(attr.args) != 1 or attr.args[0].name is not None:
                errors.append(
                    SpecError(
                        attr.span, "`@default` takes exactly one value, like `@default(now())`"
                    )
                )
            else:
                info.default = attr
        elif name == "map":
            info.column = _single_string(attr, errors)
        else:
            info.relation = _relation(attr, errors)
    return info


def _no_args(attr: ast.Attribute, errors: list[SpecError]) -> None:
    if attr.args:
        errors.append(SpecError(attr.args[0].span, f"`{attr_label(attr)}` takes no arguments"))


def _single_string(attr: ast.Attribute, errors: list[SpecError]) -> str | None:
    if len(attr.args) == 1 and isinstance(attr.args[0].value, ast.StringLit):
        return attr.args[0].value.value
    errors.append(
        SpecError(
            attr.span, f'`{attr_label(attr)}` takes one string, like `{attr_label(attr)}("name")`'
        )
    )
    return None


def _db_type(
    attr: ast.Attribute, type_name: str, type_known: bool, errors: list[SpecError]
) -> tuple[str, tuple[int, ...]] | None:
    """``@db.VarChar(120)`` -> ``("VarChar", (120,))``, if it fits the field's type.

    With an unknown field type only the native type itself is checked (the type is
    reported on its own).
    """
    native_name = attr_name(attr).removeprefix("db.")
    native = NATIVE_TYPES.get(native_name)
    if native is None:
        message = f"unknown native type `{attr_label(attr)}`"
        errors.append(
            SpecError(attr.name.span, suggest(message, native_name, NATIVE_TYPES, "@db."))
        )
        return None
    if type_known and type_name not in native.scalars:
        fits = " or ".join(native.scalars)
        errors.append(
            SpecError(
                attr.name.span, f"`{attr_label(attr)}` is for {fits} fields, not `{type_name}`"
            )
        )
        return None
    if len(attr.args) > native.max_args:
        takes = (
            f"at most {native.max_args} argument{'s' if native.max_args > 1 else ''}, "
            f"like `{native.example}`"
            if native.max_args
            else "no arguments"
        )
        errors.append(SpecError(attr.span, f"`{attr_label(attr)}` takes {takes}"))
        return None
    args: list[int] = []
    for arg, (low, high, meaning) in zip(attr.args, native.ranges, strict=False):
        if not (isinstance(arg.value, ast.NumberLit) and isinstance(arg.value.value, int)):
            errors.append(SpecError(arg.span, f"`{attr_label(attr)}` takes integer arguments"))
            return None
        number = arg.value.value
        if args and meaning == "scale":
            high = args[0]  # the scale fits in the precision
        if not low <= number <= high:
            errors.append(
                SpecError(
                    arg.span,
                    f"the {meaning} of `{attr_label(attr)}` must be from {low} to {high}, "
                    f"not {number}",
                )
            )
            return None
        args.append(number)
    return native_name, tuple(args)


def _ref_list(value: ast.AttrValue) -> list[ast.Ref] | None:
    if not isinstance(value, ast.AttrList):
        return None
    refs = [item for item in value.items if isinstance(item, ast.Ref)]
    return refs if len(refs) == len(value.items) else None


def _field_list(attr: ast.Attribute, errors: list[SpecError]) -> list[ast.Ref] | None:
    label = attr_label(attr)
    refs = _ref_list(attr.args[0].value) if len(attr.args) == 1 else None
    if refs is None or not refs:
        errors.append(
            SpecError(
                attr.span,
                f"`{label}` takes a list of field names, like `{label}([a, b])`",
            )
        )
        return None
    return refs


def _relation(attr: ast.Attribute, errors: list[SpecError]) -> RelationAttr:
    relation = RelationAttr(attr)
    given: set[str] = set()
    for position, arg in enumerate(attr.args):
        key = arg.name.name if arg.name is not None else ("name" if position == 0 else None)
        if key in given:
            errors.append(SpecError(arg.span, f"`@relation` argument `{key}` is given twice"))
            continue
        if key is not None:
            given.add(key)
        if key is None or key not in RELATION_ARGS:
            label = key or "positional argument"
            message = f"unknown `@relation` argument `{label}`"
            if key:
                message = suggest(message, label, RELATION_ARGS)
            errors.append(SpecError(arg.span, message))
        elif key == "name":
            if isinstance(arg.value, ast.StringLit):
                relation.name = arg.value.value
            else:
                errors.append(SpecError(arg.value.span, "the `@relation` name must be a string"))
        elif key in ("fields", "references"):
            refs = _ref_list(arg.value)
            if refs is None:
                errors.append(
                    SpecError(
                        arg.value.span, f"`{key}` takes a list of field names, like `[userId]`"
                    )
                )
                refs = []
            if key == "fields":
                relation.fields = refs
                relation.has_fields = True
            else:
                relation.references = refs
        else:
            if isinstance(arg.value, ast.Ref) and arg.value.name in ON_DELETE:
                relation.on_delete = arg.value
            else:
                options = ", ".join(f"`{o}`" for o in ON_DELETE)
                errors.append(SpecError(arg.value.span, f"`onDelete` must be one of {options}"))
    return relation


# (entity, field) -> the field on the other side of the relation
RelationPairs = dict[tuple[str, str], str]


def pair_relations(entities: dict[str, EntityInfo]) -> tuple[RelationPairs, list[SpecError]]:
    """Pair each back side (``members Member[]``) with the owning field of its target.

    Owners are indexed by (owner entity, target entity, relation name), so pairing
    is linear in the number of relation fields.
    """
    owners: dict[tuple[str, str, str | None], list[FieldInfo]] = {}
    errors: list[SpecError] = []
    for entity in entities.values():
        for f in entity.fields:
            if f.kind == "relation" and f.is_owner:
                key = (entity.name, f.type_name, f.relation_name)
                same = owners.setdefault(key, [])
                same.append(f)
                if len(same) == 2 and f.relation_name is None:
                    errors.append(
                        SpecError(
                            f.node.name.span,
                            f"entity `{entity.name}` has several relations to `{f.type_name}`: "
                            'give each a name, like `@relation("author", fields: [...], '
                            "references: [...])`",
                        )
                    )
                elif len(same) == 2:
                    errors.append(
                        SpecError(
                            f.node.name.span,
                            f'relation name "{f.relation_name}" is used twice between '
                            f"`{entity.name}` and `{f.type_name}` (`{same[0].name}` and "
                            f"`{f.name}`): give each relation its own name",
                        )
                    )
    pairs: RelationPairs = {}
    for entity in entities.values():
        for f in entity.fields:
            if f.kind != "relation" or f.is_owner:
                continue
            if not f.node.type.is_list and not f.node.type.optional:
                errors.append(
                    SpecError(
                        f.node.name.span,
                        f"relation field `{f.name}` needs `@relation(fields: [...], "
                        "references: [...])` (only a list or optional field can be the back side)",
                    )
                )
                continue
            candidates = owners.get((f.type_name, entity.name, f.relation_name), [])
            if len(candidates) > 1:
                continue  # reported at the owners: unnamed or same-named relations
            if not candidates:
                named = f' named "{f.relation_name}"' if f.relation_name else ""
                errors.append(
                    SpecError(
                        f.node.name.span,
                        f"relation field `{f.name}` has no matching relation{named} in "
                        f"`{f.type_name}`: add a field of type `{entity.name}` with "
                        "`@relation(fields: [...], references: [...])`",
                    )
                )
                continue
            owner = candidates[0]
            owner_key = (f.type_name, owner.name)
            if owner_key in pairs:
                errors.append(
                    SpecError(
                        f.node.name.span,
                        f"relation `{f.type_name}.{owner.name}` already has a back side "
                        f"`{pairs[owner_key]}`",
                    )
                )
                continue
            pairs[owner_key] = f.name
            pairs[(entity.name, f.name)] = owner.name
    return pairs, errors
