"""Entities and enums -> ``generated/models.py``: typed SQLAlchemy 2 declarative models.

Python here decides *what* each column, relationship and constraint says; the
template ``models.py.jinja`` decides the layout. Every line is emitted already in
``ruff format`` style (a call that does not fit in 100 columns is exploded one
argument per line with a trailing comma), so the output passes ``ruff format --check``.
The mapping is documented in ``docs/data-model.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from sentinel_spec.appspec import AppSpec, Default, Entity, Enum, Field
from sentinel_spec.contract.names import snake
from sentinel_spec.generator.drafts import HEADER, FileDraft
from sentinel_spec.generator.pyexpr import pyrepr
from sentinel_spec.generator.templating import render

LINE_LENGTH = 100
INDENT = "    "

# Attribute names a DeclarativeBase subclass cannot use for a column.
DECLARATIVE_RESERVED = frozenset({"metadata", "registry"})

ON_DELETE_SQL = {
    "Cascade": "CASCADE",
    "SetNull": "SET NULL",
    "Restrict": "RESTRICT",
    "NoAction": "NO ACTION",
}

# scalar type -> (python annotation, SQLAlchemy type expression) when no @db.* is given
SCALAR_TYPES: dict[str, tuple[str, str]] = {
    "String": ("str", "sa.String()"),
    "Int": ("int", "sa.Integer()"),
    "BigInt": ("int", "sa.BigInteger()"),
    "Float": ("float", "sa.Double()"),
    "Decimal": ("decimal.Decimal", "sa.Numeric()"),
    "Boolean": ("bool", "sa.Boolean()"),
    "DateTime": ("datetime.datetime", "sa.DateTime(timezone=True)"),
    "Json": ("Any", "postgresql.JSONB()"),
    "Bytes": ("bytes", "sa.LargeBinary()"),
}


@dataclass
class _Imports:
    """What the rendered module uses, so it imports exactly that (ruff F401)."""

    stdlib: set[str] = field(default_factory=set)  # module names: datetime, decimal, ...
    typing_any: bool = False
    postgresql: bool = False
    relationship: bool = False
    new_uuid: bool = False
    new_cuid: bool = False


@dataclass(frozen=True)
class _EnumView:
    name: str
    type_name: str  # the shared sa.Enum object
    db_name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class _ModelView:
    name: str
    table_name: str
    body: tuple[str, ...]  # formatted statements of the class body, one item per statement
    table_args: tuple[str, ...]  # formatted items of __table_args__

    @property
    def table_args_line(self) -> str | None:
        """``__table_args__ = (item,)`` when one short item: ruff joins such a tuple."""
        if len(self.table_args) != 1 or "\n" in self.table_args[0]:
            return None
        line = f"{INDENT}__table_args__ = ({self.table_args[0].strip()})"
        return line if len(line) <= LINE_LENGTH else None


def generate(spec: AppSpec) -> list[FileDraft]:
    """``models.py`` for the spec's enums and entities (always written, even when empty)."""
    imports = _Imports()
    realtime_tables = bool(spec.entities) and uses_realtime_tables(spec)
    if (spec.app.auth is not None and spec.entities) or realtime_tables:
        imports.typing_any = True  # _auth_tables() / _realtime_tables() -> Any
    enums = [_enum_view(e) for e in spec.enums]
    if enums:
        imports.stdlib.add("enum")
    models = [_model_view(spec, entity, imports) for entity in spec.entities]
    groups = _import_groups(imports, has_models=bool(models))
    content = render(
        "models.py.jinja",
        header=HEADER,
        imports=imports,
        import_groups=groups,
        realtime_tables=realtime_tables,
        enums=enums,
        models=models,
        model_names=[m.name for m in models],
        auth_user=spec.app.auth.user_entity if spec.app.auth is not None and models else None,
    )
    return [FileDraft("models.py", content)]


def uses_realtime_tables(spec: AppSpec) -> bool:
    """Replay and file tables: for specs with a websocket, ``app.webSocket`` or uploads."""
    app = spec.app
    return bool(spec.websockets or app.web_socket or app.uploads)


def _import_groups(imports: _Imports, has_models: bool) -> list[list[str]]:
    """Import lines in isort order: stdlib (plain before ``from``), then sqlalchemy."""
    stdlib = set(imports.stdlib)
    if imports.new_uuid:
        stdlib.add("uuid")
    standard = [f"import {module}" for module in sorted(stdlib)]
    if imports.typing_any:
        standard.append("from typing import Any")
    orm = ["DeclarativeBase"]
    if has_models:
        orm += ["Mapped", "mapped_column"]
    if imports.relationship:
        orm.append("relationship")
    third_party = ["import sqlalchemy as sa"]
    if imports.postgresql:
        third_party.append("from sqlalchemy.dialects import postgresql")
    third_party.append(f"from sqlalchemy.orm import {', '.join(orm)}")
    return [group for group in (standard, third_party) if group]


# ---------------------------------------------------------------- naming and literals


def attribute_name(field_name: str) -> str:
    """The Python attribute of a field: names Declarative reserves get a trailing ``_``.

    The column keeps the field's name (``metadata Json`` is column ``metadata``,
    attribute ``metadata_``).
    """
    return f"{field_name}_" if field_name in DECLARATIVE_RESERVED else field_name


def py_literal(value: object) -> str:
    """A one-line Python literal; ``call`` decides how the line around it is laid out."""
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{pyrepr(str(k))}: {py_literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    return pyrepr(value)


def call(prefix: str, args: Sequence[str], indent: str, suffix: str = "") -> str:
    """``prefix(arg, ...)suffix`` on one line if it fits, else one argument per line."""
    one_line = f"{indent}{prefix}({', '.join(args)}){suffix}"
    if len(one_line) <= LINE_LENGTH or not args:
        return one_line
    inner = indent + INDENT
    lines = [f"{indent}{prefix}("]
    lines.extend(f"{inner}{arg}," for arg in args)
    lines.append(f"{indent}){suffix}")
    return "\n".join(lines)


# ---------------------------------------------------------------- enums


def _enum_view(enum: Enum) -> _EnumView:
    return _EnumView(
        name=enum.name,
        type_name=f"{snake(enum.name).upper()}_TYPE",
        db_name=snake(enum.name),
        members=enum.members,
    )


# ---------------------------------------------------------------- columns


def _column_type(spec: AppSpec, f: Field, imports: _Imports) -> tuple[str, str]:
    """(python type, SQLAlchemy type expression) of one value of the field (list aside)."""
    if f.kind == "enum":
        return f.type, f"{snake(f.type).upper()}_TYPE"
    python_type, sa_type = SCALAR_TYPES[f.type]
    db = f.db_type
    if db is not None:
        python_type, sa_type = _db_type(f, python_type, sa_type)
    if sa_type.startswith("postgresql."):
        imports.postgresql = True
    if python_type == "Any":
        imports.typing_any = True
    elif "." in python_type:
        imports.stdlib.add(python_type.split(".")[0])
    return python_type, sa_type


def _db_type(f: Field, python_type: str, sa_type: str) -> tuple[str, str]:
    """``@db.*`` native types. Unknown ones keep the default mapping (the analyzer rejects them)."""
    assert f.db_type is not None
    name, args = f.db_type.name, f.db_type.args
    precision = ", ".join(str(a) for a in args)
    if name == "VarChar":
        return python_type, f"sa.String({precision})"
    if name == "Char":
        return python_type, f"sa.CHAR({precision})"
    if name == "Text":
        return python_type, "sa.Text()"
    if name == "Uuid":
        return python_type, "sa.Uuid(as_uuid=False)"
    if name == "SmallInt":
        return python_type, "sa.SmallInteger()"
    if name == "Integer":
        return python_type, "sa.Integer()"
    if name == "Real":
        return python_type, "sa.REAL()"
    if name == "DoublePrecision":
        return python_type, "sa.Double()"
    if name == "Decimal":
        return python_type, f"sa.Numeric({precision})"
    if name == "Date":
        return "datetime.date", "sa.Date()"
    if name == "Time":
        return "datetime.time", "sa.Time()"
    if name in ("Timestamp", "Timestamptz"):
        tz = "True" if name == "Timestamptz" else "False"
        extra = f", precision={args[0]}" if args else ""
        return python_type, f"postgresql.TIMESTAMP(timezone={tz}{extra})"
    if name == "Json":
        return python_type, "postgresql.JSON()"
    if name == "JsonB":
        return python_type, "postgresql.JSONB()"
    return python_type, sa_type


def _annotation(python_type: str, f: Field) -> str:
    value = f"list[{python_type}]" if f.is_list else python_type
    if f.optional and value != "Any":
        value = f"{value} | None"
    return f"Mapped[{value}]"


def _server_literal(spec: AppSpec, f: Field, value: object) -> str | None:
    """A literal default as SQL, so rows inserted outside the ORM get it too."""
    if f.is_list:
        return "sa.text(\"'{}'\")" if value == [] else None
    if f.kind == "enum" or (f.type == "String" and isinstance(value, str)):
        return pyrepr(str(value))
    if f.type == "Boolean" and isinstance(value, bool):
        return f'sa.text("{str(value).lower()}")'
    if f.type in ("Int", "BigInt", "Float", "Decimal") and isinstance(value, int | float):
        return f'sa.text("{value!r}")'
    if f.type == "Json":
        text = json.dumps(value, separators=(",", ":")).replace("'", "''")
        # literal_column, not text(): a ":1" inside the JSON is not a bind parameter.
        sql = f"'{text}'::jsonb"
        return f"sa.literal_column({pyrepr(sql)})"
    return None


def _default_args(spec: AppSpec, f: Field, default: Default, imports: _Imports) -> list[str]:
    if default.kind == "autoincrement":
        return ["sa.Identity()"]
    if default.kind == "now":
        return ["server_default=sa.func.now()"]
    if default.kind == "uuid":
        imports.new_uuid = True
        native = f.db_type is not None and f.db_type.name == "Uuid"
        uuid_sql = "gen_random_uuid()" if native else "gen_random_uuid()::text"
        return ["default=_new_uuid", f"server_default=sa.text({pyrepr(uuid_sql)})"]
    if default.kind == "cuid":
        imports.new_cuid = True
        return ["default=_new_cuid"]
    if default.kind == "enum":
        args = [f"default={f.type}.{default.value}"]
    elif default.value == [] or default.value == {}:
        args = [f"default={type(default.value).__name__}"]
    elif isinstance(default.value, list | dict):
        # A fresh container per row: a shared mutable default would leak between rows.
        args = [f"default=lambda: {py_literal(default.value)}"]
    elif f.type == "Decimal":
        imports.stdlib.add("decimal")
        args = [f"default=decimal.Decimal({pyrepr(str(default.value))})"]
    else:
        args = [f"default={py_literal(default.value)}"]
    server_literal = _server_literal(spec, f, default.value)
    if server_literal is not None:
        args.append(f"server_default={server_literal}")
    return args


def _foreign_key(spec: AppSpec, entity: Entity, f: Field) -> str | None:
    """``sa.ForeignKey(...)`` for a column that is the single field of a relation."""
    for owner in entity.fields:
        rel = owner.relation
        if rel is None or rel.fields != (f.name,):
            continue
        target = spec.entity(rel.target)
        ref = target.field(rel.references[0])
        args = [pyrepr(f"{target.table_name}.{ref.column}")]
        args.append(f"ondelete={pyrepr(_on_delete(entity, owner))}")
        return f"sa.ForeignKey({', '.join(args)})"
    return None


def _on_delete(entity: Entity, owner: Field) -> str:
    """The relation's onDelete; unset, Prisma's default (SetNull if optional, else Restrict)."""
    assert owner.relation is not None
    action = owner.relation.on_delete
    if action is None:
        optional = all(entity.field(name).optional for name in owner.relation.fields)
        action = "SetNull" if optional else "Restrict"
    return ON_DELETE_SQL[action]


def _column(spec: AppSpec, entity: Entity, f: Field, imports: _Imports) -> str:
    python_type, sa_type = _column_type(spec, f, imports)
    if f.is_list:
        imports.postgresql = True
        sa_type = f"postgresql.ARRAY({sa_type})"
    args: list[str] = []
    if f.column_name is not None or attribute_name(f.name) != f.name:
        args.append(pyrepr(f.column))
    args.append(sa_type)
    fk = _foreign_key(spec, entity, f)
    if fk is not None:
        args.append(fk)
    if f.default is not None and f.default.kind == "autoincrement":
        args.extend(_default_args(spec, f, f.default, imports))
    if f.name in entity.primary_key:
        args.append("primary_key=True")
    if python_type == "Any" and not f.is_list:
        # Mapped[Any] says nothing about NULL; and a None must be SQL NULL, not JSON null.
        args[args.index(sa_type)] = sa_type.replace("()", "(none_as_null=True)")
        args.append(f"nullable={f.optional}")
    if f.is_unique:
        args.append("unique=True")
    if f.default is not None and f.default.kind != "autoincrement":
        args.extend(_default_args(spec, f, f.default, imports))
    if f.updated_at:
        args.extend(["server_default=sa.func.now()", "onupdate=sa.func.now()"])
    if f.is_list and f.default is None:
        # A scalar list is never NULL (it cannot be optional); left out, it starts empty,
        # as Django's ArrayField(default=list) and Prisma's client do.
        args.extend(["default=list", "server_default=sa.text(\"'{}'\")"])
    target = f"{attribute_name(f.name)}: {_annotation(python_type, f)} = "
    return call(target + "mapped_column", args, INDENT)


# ---------------------------------------------------------------- relationships


def _relation_pairs(spec: AppSpec, entity: Entity, f: Field) -> int:
    """How many relations join this entity and the field's target (ambiguity check)."""
    assert f.relation is not None
    target = f.relation.target
    owned_here = sum(
        1
        for g in entity.fields
        if g.relation and g.relation.target == target and g.relation.is_owner
    )
    owned_there = 0
    if target != entity.name:
        owned_there = sum(
            1
            for g in spec.entity(target).fields
            if g.relation and g.relation.target == entity.name and g.relation.is_owner
        )
    return owned_here + owned_there


def _back_field(spec: AppSpec, entity: Entity, f: Field) -> Field | None:
    """The field on the other side of ``f``'s relation, if that side is declared."""
    assert f.relation is not None
    target = spec.entity(f.relation.target)
    if not f.relation.is_owner:
        name = f.relation.back_populates
        return target.field(name) if name else None
    for g in target.fields:
        if g is f or g.relation is None or g.relation.is_owner:
            continue
        if g.relation.target == entity.name and g.relation.back_populates == f.name:
            return g
    return None


def _owning_field(spec: AppSpec, entity: Entity, f: Field) -> tuple[Entity, Field]:
    """(entity, field) of the owning side of ``f``'s relation (``f`` itself when it owns)."""
    assert f.relation is not None
    if f.relation.is_owner:
        return entity, f
    owner_entity = spec.entity(f.relation.target)
    assert f.relation.back_populates is not None
    return owner_entity, owner_entity.field(f.relation.back_populates)


def _relationship(spec: AppSpec, entity: Entity, f: Field, imports: _Imports) -> str:
    assert f.relation is not None
    imports.relationship = True
    rel = f.relation
    args: list[str] = []
    back = _back_field(spec, entity, f)
    if back is not None:
        args.append(f"back_populates={pyrepr(attribute_name(back.name))}")
    owner_entity, owner = _owning_field(spec, entity, f)
    assert owner.relation is not None
    if _relation_pairs(spec, entity, f) > 1:
        columns = ", ".join(
            f"{owner_entity.name}.{attribute_name(name)}" for name in owner.relation.fields
        )
        args.append(f"foreign_keys={pyrepr(f'[{columns}]')}")
    if rel.is_owner and rel.target == entity.name:
        # Self-reference: the referenced (parent) side is the remote one.
        remote = ", ".join(f"{entity.name}.{attribute_name(name)}" for name in rel.references)
        args.append(f"remote_side={pyrepr(f'[{remote}]')}")
    if not rel.is_owner:
        # The database applies onDelete; the ORM must not null out or load children itself.
        args.append('passive_deletes="all"')
    # Async sessions cannot lazy-load: an unloaded relationship raises instead of hiding a query.
    args.append('lazy="raise"')
    if f.is_list:
        annotation = f"Mapped[list[{rel.target}]]"
    elif f.optional or not rel.is_owner:
        annotation = f"Mapped[{rel.target} | None]"
    else:
        annotation = f"Mapped[{rel.target}]"
    return call(f"{attribute_name(f.name)}: {annotation} = relationship", args, INDENT)


# ---------------------------------------------------------------- table args, models


def _table_args(spec: AppSpec, entity: Entity) -> tuple[str, ...]:
    items: list[str] = []
    for f in entity.fields:
        rel = f.relation
        if rel is None or len(rel.fields) < 2:
            continue
        target = spec.entity(rel.target)
        local = [pyrepr(entity.field(name).column) for name in rel.fields]
        remote = [pyrepr(f"{target.table_name}.{target.field(n).column}") for n in rel.references]
        args = [
            "[" + ", ".join(local) + "]",
            "[" + ", ".join(remote) + "]",
            f"ondelete={pyrepr(_on_delete(entity, f))}",
        ]
        items.append(call("sa.ForeignKeyConstraint", args, INDENT * 2, ","))
    for columns in entity.uniques:
        args = [pyrepr(entity.field(name).column) for name in columns]
        items.append(call("sa.UniqueConstraint", args, INDENT * 2, ","))
    for columns in entity.indexes:
        # Named by the metadata's naming convention (which also shortens names over 63 chars).
        args = ["None", *(pyrepr(entity.field(name).column) for name in columns)]
        items.append(call("sa.Index", args, INDENT * 2, ","))
    return tuple(items)


def _model_view(spec: AppSpec, entity: Entity, imports: _Imports) -> _ModelView:
    body: list[str] = []
    for f in entity.fields:
        if f.kind == "relation":
            body.append(_relationship(spec, entity, f, imports))
        else:
            body.append(_column(spec, entity, f, imports))
    return _ModelView(
        name=entity.name,
        table_name=entity.table_name,
        body=tuple(body),
        table_args=_table_args(spec, entity),
    )
