"""Rules of the data model: ids, field types, defaults, attributes and relations."""

from __future__ import annotations

from collections.abc import Callable

from sentinel_spec import ast
from sentinel_spec.analyzer.context import Context
from sentinel_spec.analyzer.messages import suggest
from sentinel_spec.analyzer.model import EntityInfo, FieldInfo, attr_name
from sentinel_spec.appspec import SCALAR_TYPES
from sentinel_spec.errors import SourceSpan, SpecError
from sentinel_spec.literals import LiteralError, read_json, shown

EntityRule = Callable[[Context], list[SpecError]]

DEFAULT_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "autoincrement": ("Int", "BigInt"),
    "now": ("DateTime",),
    "uuid": ("String",),
    "cuid": ("String",),
}


def attribute_errors(ctx: Context) -> list[SpecError]:
    return [e for info in ctx.entities.values() for e in info.errors]


def field_types(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    known: list[str] | None = None
    for info in ctx.entities.values():
        for f in info.fields:
            if f.kind is not None:
                continue
            if known is None:
                known = [*SCALAR_TYPES, *ctx.enums, *ctx.entities]
            message = f"unknown type `{f.type_name}` for field `{info.name}.{f.name}`"
            message = suggest(message, f.type_name, known)
            errors.append(SpecError(f.node.type.name.span, message))
    return errors


def list_not_optional(ctx: Context) -> list[SpecError]:
    return [
        SpecError(
            f.node.type.span,
            f"list field `{info.name}.{f.name}` cannot be optional: an empty list says none",
        )
        for info in ctx.entities.values()
        for f in info.fields
        if f.node.type.is_list and f.node.type.optional
    ]


def one_id(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        marks: list[tuple[ast.Ident | ast.Attribute, str]] = [
            (f.node.name, f"`@id` on `{f.name}`") for f in info.fields if f.is_id
        ]
        marks += [(b.attr, "`@@id`") for b in info.block_ids]
        if not marks:
            errors.append(
                SpecError(
                    info.node.name.span,
                    f"entity `{info.name}` has no id: mark one field `@id` or add `@@id([a, b])`",
                )
            )
        for node, label in marks[1:]:
            errors.append(
                SpecError(
                    node.span,
                    f"entity `{info.name}` has a second id ({label}); it needs exactly one",
                )
            )
        for f in info.fields:
            if f.is_id and (f.kind == "relation" or f.node.type.is_list or f.node.type.optional):
                errors.append(
                    SpecError(
                        f.node.name.span,
                        f"`@id` field `{info.name}.{f.name}` must be a required, non-list scalar",
                    )
                )
    return errors


def block_field_names(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        for block in [*info.block_ids, *info.uniques, *info.indexes]:
            for ref in block.names:
                f = info.by_name.get(ref.name)
                if f is None:
                    errors.append(_no_such_field(info, ref))
                elif f.kind == "relation":
                    errors.append(
                        SpecError(
                            ref.span,
                            f"`{ref.name}` is a relation; list its scalar fields instead",
                        )
                    )
    return errors


def _no_such_field(info: EntityInfo, ref: ast.Ref) -> SpecError:
    message = f"entity `{info.name}` has no field `{ref.name}`"
    return SpecError(ref.span, suggest(message, ref.name, info.by_name))


def defaults(ctx: Context) -> list[SpecError]:
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        for f in info.fields:
            if f.default is not None and f.kind is not None:
                error = _default_error(ctx, f, f.default.args[0].value)
                if error is not None:
                    errors.append(error)
    return errors


def _default_error(ctx: Context, f: FieldInfo, arg: ast.AttrValue) -> SpecError | None:
    t = f.type_name
    where = f"`@default` of `{f.name}` ({t})"
    if f.kind == "relation":
        return SpecError(arg.span, f"a relation field cannot have a `@default`: `{f.name}`")
    if isinstance(arg, ast.FuncCall):
        fn = arg.name.name
        allowed = DEFAULT_FUNCTIONS.get(fn)
        if allowed is None:
            message = f"unknown `@default` function `{fn}()`"
            return SpecError(arg.span, suggest(message, fn, DEFAULT_FUNCTIONS, suffix="()"))
        if t not in allowed:
            return SpecError(
                arg.span,
                f"`{fn}()` is only for {' or '.join(allowed)} fields, not `{t}` `{f.name}`",
            )
        return None
    if f.node.type.is_list:
        if isinstance(arg, ast.AttrList) and not arg.items:
            return None
        return SpecError(arg.span, f"{where}: a list field can only default to `[]`")
    if f.kind == "enum":
        members = {m.name for m in ctx.enums[t].members}
        if not isinstance(arg, ast.Ref):
            return SpecError(arg.span, f"{where}: expected a member of enum `{t}`")
        if arg.name not in members:
            message = f"`{arg.name}` is not a member of enum `{t}`"
            return SpecError(arg.span, suggest(message, arg.name, members))
        return None
    fits = {
        "String": isinstance(arg, ast.StringLit),
        "Int": isinstance(arg, ast.NumberLit) and isinstance(arg.value, int),
        "BigInt": isinstance(arg, ast.NumberLit) and isinstance(arg.value, int),
        "Float": isinstance(arg, ast.NumberLit),
        "Decimal": isinstance(arg, ast.NumberLit | ast.StringLit),
        "Boolean": isinstance(arg, ast.BoolLit),
        "DateTime": isinstance(arg, ast.StringLit),
        "Json": isinstance(arg, ast.StringLit),
        "Bytes": False,
    }[t]
    if not fits:
        return SpecError(arg.span, f"{where}: the value does not fit the field type `{t}`")
    if t == "Json" and isinstance(arg, ast.StringLit):
        try:
            read_json(arg.value)  # a Json default is JSON text, as in Prisma
        except LiteralError as bad:
            hint = bad.hint or 'write JSON text: "{}", "[1, 2]", "\\"text\\""'
            return SpecError(arg.span, f"{where}: {bad.message}", hint)
    return None


def column_names(ctx: Context) -> list[SpecError]:
    """One column per name in a table, and one table per name: ``@map``/``@@map`` may clash."""
    errors: list[SpecError] = []
    tables: dict[str, EntityInfo] = {}
    for info in ctx.entities.values():
        table = info.table or info.name
        span = _map_span(info.node.block_attributes, info.node.name)
        errors.extend(_name_length("table", table, span, "@@map"))
        other = tables.setdefault(table, info)
        if other is not info:
            errors.append(
                SpecError(
                    span,
                    f"entity `{info.name}` is stored in table `{shown(table)}`, like entity "
                    f"`{other.name}` on line {other.node.name.span.line}",
                    "give one of them another `@@map(...)` table name",
                )
            )
        columns: dict[str, FieldInfo] = {}
        for f in info.fields:
            if f.kind not in ("scalar", "enum"):
                continue  # relation fields have no column of their own
            column = f.column or f.name
            span = _map_span(f.node.attributes, f.node.name)
            errors.extend(_name_length("column", column, span, "@map"))
            first = columns.setdefault(column, f)
            if first is not f:
                errors.append(
                    SpecError(
                        span,
                        f"field `{info.name}.{f.name}` is stored in column `{shown(column)}`, "
                        f"like field `{first.name}` on line {first.node.name.span.line}",
                        "give one of them another `@map(...)` column name",
                    )
                )
    return errors


# PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and cuts the rest without an
# error: two long names sharing their first 63 bytes would become one.
POSTGRES_NAME_BYTES = 63


def _name_length(what: str, name: str, span: SourceSpan, attribute: str) -> list[SpecError]:
    size = len(name.encode("utf-8"))
    if size <= POSTGRES_NAME_BYTES:
        return []
    return [
        SpecError(
            span,
            f"{what} name `{shown(name)}` is {size} bytes: PostgreSQL keeps only the first "
            f"{POSTGRES_NAME_BYTES} of a name",
            f"give it a shorter name with `{attribute}(...)`",
        )
    ]


def _map_span(attributes: tuple[ast.Attribute, ...], name: ast.Ident) -> SourceSpan:
    """Where a column or table name is given: its ``@map``, else the name itself."""
    for attr in attributes:
        if attr_name(attr) == "map":
            return attr.span
    return name.span


def updated_at(ctx: Context) -> list[SpecError]:
    return [
        SpecError(
            f.updated_at.span,
            f"`@updatedAt` is only for DateTime fields, not `{f.type_name}` `{f.name}`",
        )
        for info in ctx.entities.values()
        for f in info.fields
        if f.updated_at is not None and f.type_name != "DateTime"
    ]


def relation_attribute_placement(ctx: Context) -> list[SpecError]:
    return [
        SpecError(
            f.relation.attr.span,
            f"`@relation` on `{f.name}`, whose type `{f.type_name}` is not an entity",
        )
        for info in ctx.entities.values()
        for f in info.fields
        if f.relation is not None and f.kind in ("scalar", "enum")
    ]


def relation_keys(ctx: Context) -> list[SpecError]:
    """The owning side: ``fields`` name local scalars, ``references`` unique target fields."""
    errors: list[SpecError] = []
    for info in ctx.entities.values():
        for f in info.fields:
            rel = f.relation
            if rel is None or f.kind != "relation" or not rel.has_fields:
                continue
            target = ctx.entities[f.type_name]
            if f.node.type.is_list:
                errors.append(
                    SpecError(
                        rel.attr.span,
                        f"list field `{info.name}.{f.name}` cannot own the relation: "
                        f"`@relation(fields: [...], references: [...])` goes on the "
                        f"`{info.name}` field of `{target.name}`",
                    )
                )
                continue
            if len(rel.fields) != len(rel.references) or not rel.fields:
                errors.append(
                    SpecError(
                        rel.attr.span,
                        f"`@relation` on `{f.name}` needs as many `references` as `fields` "
                        f"(got {len(rel.fields)} and {len(rel.references)})",
                    )
                )
                continue
            for local_ref, target_ref in zip(rel.fields, rel.references, strict=True):
                local = info.by_name.get(local_ref.name)
                remote = target.by_name.get(target_ref.name)
                if local is None:
                    errors.append(_no_such_field(info, local_ref))
                if remote is None:
                    errors.append(_no_such_field(target, target_ref))
                if local is None or remote is None:
                    continue
                if local.kind == "relation":
                    errors.append(
                        SpecError(local_ref.span, f"`{local.name}` must be a scalar field")
                    )
                elif local.type_name != remote.type_name:
                    errors.append(
                        SpecError(
                            local_ref.span,
                            f"`{info.name}.{local.name}` is `{local.type_name}` but references "
                            f"`{target.name}.{remote.name}` of type `{remote.type_name}`",
                        )
                    )
            errors.extend(_set_null_needs_optional(info, f))
            refs = tuple(r.name for r in rel.references)
            unique_sets = {
                target.primary_key,
                *(tuple(r.name for r in u.names) for u in target.uniques),
            }
            unique_sets |= {(g.name,) for g in target.fields if g.is_unique}
            if all(r in target.by_name for r in refs) and refs not in unique_sets:
                errors.append(
                    SpecError(
                        rel.references[0].span,
                        f"`references` of `{f.name}` must be the id or a unique field of "
                        f"`{target.name}`, not `{', '.join(refs)}`",
                    )
                )
    return errors


def _set_null_needs_optional(info: EntityInfo, f: FieldInfo) -> list[SpecError]:
    """``onDelete: SetNull`` writes NULL into the foreign key, so its fields must allow it."""
    rel = f.relation
    if rel is None or rel.on_delete is None or rel.on_delete.name != "SetNull":
        return []
    required = [
        ref.name
        for ref in rel.fields
        if ref.name in info.by_name and not info.by_name[ref.name].node.type.optional
    ]
    if not required:
        return []
    names = ", ".join(f"`{info.name}.{name}`" for name in required)
    return [
        SpecError(
            rel.on_delete.span,
            f"`onDelete: SetNull` needs optional fields, but {names} is required",
            "make the foreign key optional (`?` after its type) or choose another `onDelete`",
        )
    ]


def relation_pairs(ctx: Context) -> list[SpecError]:
    return ctx.relation_pairs()[1]


ENTITY_RULES: tuple[EntityRule, ...] = (
    attribute_errors,
    field_types,
    list_not_optional,
    one_id,
    block_field_names,
    defaults,
    column_names,
    updated_at,
    relation_attribute_placement,
    relation_keys,
    relation_pairs,
)
