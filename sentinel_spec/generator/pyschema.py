"""JSON Schema for an operation's arguments, read from the source without importing it.

The build must never run the developer's code, so the first parameter's annotation
is read with :mod:`ast`. Pydantic models defined in the function's module (or
imported into it from another ``src`` module) become ``components/schemas`` entries
referenced with ``$ref``, and so do ``Enum`` classes whose members are literals and
module-level type aliases (``Severity = Literal["LOW", "HIGH"]``, ``X: TypeAlias = ...``,
``type X = ...``); what cannot be understood statically becomes ``{}`` (any).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentinel_spec.appspec import ExtImport

JsonSchema = dict[str, Any]

# Annotations whose schema is fixed; keys are the last dotted part of the name.
_SIMPLE: dict[str, JsonSchema] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "bool": {"type": "boolean"},
    "bytes": {"type": "string"},
    "None": {"type": "null"},
    "NoneType": {"type": "null"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "format": "time"},
    "timedelta": {"type": "string", "format": "duration"},
    "UUID": {"type": "string", "format": "uuid"},
    "Decimal": {"anyOf": [{"type": "number"}, {"type": "string"}]},
    "EmailStr": {"type": "string", "format": "email"},
    "AnyUrl": {"type": "string", "format": "uri"},
    "HttpUrl": {"type": "string", "format": "uri"},
    "Any": {},
    "object": {},
}
_ARRAYS = {"list", "List", "Sequence", "set", "Set", "frozenset", "FrozenSet", "tuple", "Tuple"}
_MAPPINGS = {"dict", "Dict", "Mapping"}
_SETS = {"set", "Set", "frozenset", "FrozenSet"}
# Field(...) keywords that carry over as JSON Schema keywords.
_NUMBER_CONSTRAINTS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
    "multiple_of": "multipleOf",
}


@dataclass
class _Module:
    name: str
    tree: ast.Module
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    # local name -> (module, name) for ``from src.x import Y [as Z]``
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)
    # module-level type aliases: name -> the aliased annotation
    aliases: dict[str, ast.expr] = field(default_factory=dict)


class SchemaReader:
    """Reads modules under ``source_dir`` once each; collects model schemas in ``components``."""

    def __init__(self, source_dir: str | Path | None) -> None:
        self.source_dir = Path(source_dir) if source_dir is not None else None
        self.components: dict[str, JsonSchema] = {}
        self._modules: dict[str, _Module | None] = {}
        self._component_names: dict[tuple[str, str], str] = {}

    def returns(self, fn: ExtImport) -> str:
        """What ``fn`` says it returns: ``"html"`` (``Rendered``, ``HTMLResponse``),
        ``"response"`` (some other Response: any content type), ``"json"`` (a value), or
        ``"unknown"`` (no annotation, ``Any``)."""
        module = self._module(fn.module)
        func = module.functions.get(fn.name) if module is not None else None
        if func is None or func.returns is None:
            return "unknown"
        name = (_dotted(func.returns) or "").rsplit(".", 1)[-1]
        if name in ("Rendered", "HTMLResponse"):
            return "html"
        if name.endswith("Response"):
            return "json" if name in ("JSONResponse", "ORJSONResponse") else "response"
        return "unknown" if name in ("Any", "object", "") else "json"

    def args_schema(self, fn: ExtImport) -> JsonSchema:
        """The schema of ``fn``'s first parameter; ``{}`` when it is unannotated or unknown."""
        module = self._module(fn.module)
        if module is None:
            return {}
        func = module.functions.get(fn.name)
        if func is None:
            return {}
        params = [*func.args.posonlyargs, *func.args.args]
        if not params or params[0].annotation is None:
            return {}
        return self._schema(params[0].annotation, module)

    # ------------------------------------------------------------ modules

    def _module(self, dotted: str) -> _Module | None:
        if dotted in self._modules:
            return self._modules[dotted]
        self._modules[dotted] = None  # guards against import cycles while reading
        path = self._module_path(dotted)
        if path is not None:
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            except (OSError, SyntaxError, ValueError):
                tree = None
            if tree is not None:
                self._modules[dotted] = _index(dotted, tree)
        return self._modules[dotted]

    def _module_path(self, dotted: str) -> Path | None:
        if self.source_dir is None:
            return None
        base = self.source_dir.joinpath(*dotted.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
        return None

    def _find_model(self, name: str, module: _Module) -> tuple[_Module, ast.ClassDef] | None:
        """The pydantic model ``name`` refers to in ``module``: defined there or imported."""
        cls = module.classes.get(name)
        if cls is not None:
            return (module, cls) if self._is_model(cls, module) else None
        target = module.imports.get(name)
        if target is None or target[0].split(".")[0] != "src":
            return None
        other = self._module(target[0])
        if other is None:
            return None
        cls = other.classes.get(target[1])
        if cls is None or not self._is_model(cls, other):
            return None
        return other, cls

    def _is_model(self, cls: ast.ClassDef, module: _Module, depth: int = 0) -> bool:
        if depth > 5:
            return False
        for base in cls.bases:
            name = _dotted(base)
            if name is None:
                continue
            last = name.rsplit(".", 1)[-1]
            if last == "BaseModel":
                return True
            parent = module.classes.get(name)
            if (
                parent is not None
                and parent is not cls
                and self._is_model(parent, module, depth + 1)
            ):
                return True
            found = self._find_model(name, module) if name not in module.classes else None
            if found is not None:
                return True
        return False

    # ------------------------------------------------------------ annotations

    def _schema(self, node: ast.expr, module: _Module) -> JsonSchema:
        if isinstance(node, ast.Constant):
            if node.value is None:
                return {"type": "null"}
            if isinstance(node.value, str):  # a quoted forward reference
                try:
                    parsed = ast.parse(node.value, mode="eval").body
                except SyntaxError:
                    return {}
                return self._schema(parsed, module)
            return {}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return _any_of([self._schema(node.left, module), self._schema(node.right, module)])
        if isinstance(node, ast.Subscript):
            return self._generic(node, module)
        name = _dotted(node)
        if name is None:
            return {}
        found = self._find_model(name, module)
        if found is not None:
            return self._model_ref(*found)
        named = self._find_named(name, module)
        if named is not None:
            return named
        return dict(_SIMPLE.get(name.rsplit(".", 1)[-1], {}))

    def _find_named(self, name: str, module: _Module) -> JsonSchema | None:
        """A type alias or an Enum class ``name`` refers to in ``module`` (defined there or
        imported from another ``src`` module), as a ``$ref``; None when it is neither."""
        owner, local = module, name
        if name not in module.aliases and name not in module.classes:
            target = module.imports.get(name)
            if target is None or target[0].split(".")[0] != "src":
                return None
            other = self._module(target[0])
            if other is None:
                return None
            owner, local = other, target[1]
        key = (owner.name, local)
        if key in self._component_names:
            return {"$ref": f"#/components/schemas/{self._component_names[key]}"}
        alias = owner.aliases.get(local)
        cls = owner.classes.get(local)
        if alias is not None:
            self._component_names[key] = self._free_name(owner, local)
            self.components[self._component_names[key]] = {}  # a recursive alias stops here
            schema = self._schema(alias, owner)
        elif cls is not None and _is_enum(cls):
            values = _enum_values(cls)
            if values is None:
                return None
            schema = {"enum": values}
            kinds = {type(v) for v in values}
            if kinds == {str}:
                schema["type"] = "string"
            elif kinds == {int}:
                schema["type"] = "integer"
            self._component_names[key] = self._free_name(owner, local)
        else:
            return None
        self.components[self._component_names[key]] = schema
        return {"$ref": f"#/components/schemas/{self._component_names[key]}"}

    def _free_name(self, module: _Module, name: str) -> str:
        return f"{module.name.replace('.', '_')}__{name}" if name in self.components else name

    def _generic(self, node: ast.Subscript, module: _Module) -> JsonSchema:
        origin = (_dotted(node.value) or "").rsplit(".", 1)[-1]
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if origin == "Optional":
            return _any_of([self._schema(args[0], module), {"type": "null"}])
        if origin == "Union":
            return _any_of([self._schema(a, module) for a in args])
        if origin == "Annotated":
            annotated = self._schema(args[0], module)
            for meta in args[1:]:  # Annotated[int, Field(ge=0)]: the constraints apply
                if isinstance(meta, ast.Call) and (_dotted(meta.func) or "").endswith("Field"):
                    _apply_constraints(annotated, meta)
            return annotated
        if origin == "Literal":
            values = [_literal(a) for a in args]
            if any(v is _UNKNOWN for v in values):
                return {}
            return {"const": values[0]} if len(values) == 1 else {"enum": values}
        if origin in _ARRAYS:
            schema: JsonSchema = {"type": "array"}
            if origin in ("tuple", "Tuple") and not (
                len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is ...
            ):
                schema["prefixItems"] = [self._schema(a, module) for a in args]
                return schema
            items = self._schema(args[0], module)
            if items:
                schema["items"] = items
            if origin in _SETS:
                schema["uniqueItems"] = True
            return schema
        if origin in _MAPPINGS:
            schema = {"type": "object"}
            if len(args) == 2:
                value_schema = self._schema(args[1], module)
                if value_schema:
                    schema["additionalProperties"] = value_schema
            return schema
        return {}

    # ------------------------------------------------------------ models

    def _model_ref(self, module: _Module, cls: ast.ClassDef) -> JsonSchema:
        key = (module.name, cls.name)
        name = self._component_names.get(key)
        if name is None:
            name = cls.name
            if name in self.components:  # another module's model with the same name
                name = f"{module.name.replace('.', '_')}__{cls.name}"
            self._component_names[key] = name
            self.components[name] = {}  # placeholder: a self-referencing model stops here
            self.components[name] = self._model_schema(module, cls)
        return {"$ref": f"#/components/schemas/{name}"}

    def _model_schema(self, module: _Module, cls: ast.ClassDef) -> JsonSchema:
        properties: dict[str, JsonSchema] = {}
        required: list[str] = []
        for owner_module, owner in self._lineage(module, cls):
            for stmt in owner.body:
                if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
                    continue
                fname = stmt.target.id
                if fname.startswith("_") or fname == "model_config":
                    continue
                if (_dotted(stmt.annotation) or "").endswith("ClassVar") or (
                    isinstance(stmt.annotation, ast.Subscript)
                    and (_dotted(stmt.annotation.value) or "").endswith("ClassVar")
                ):
                    continue
                schema = self._schema(stmt.annotation, owner_module)
                has_default = _apply_default(schema, stmt.value)
                properties[fname] = schema
                if fname in required:
                    required.remove(fname)
                if not has_default:
                    required.append(fname)
        result: JsonSchema = {"type": "object", "title": cls.name, "properties": properties}
        if required:
            result["required"] = required
        # The runtime validates every argument type with extra="forbid" (operations.py).
        result["additionalProperties"] = False
        doc = ast.get_docstring(cls)
        if doc:
            result["description"] = doc
        return result

    def _lineage(self, module: _Module, cls: ast.ClassDef) -> list[tuple[_Module, ast.ClassDef]]:
        """Base models first, so a subclass's fields override its parents'."""
        chain: list[tuple[_Module, ast.ClassDef]] = []
        for base in cls.bases:
            name = _dotted(base)
            if name is None or name.rsplit(".", 1)[-1] == "BaseModel":
                continue
            found = self._find_model(name, module)
            if found is not None and found[1] is not cls and len(chain) < 10:
                chain.extend(self._lineage(*found))
        chain.append((module, cls))
        return chain


def _index(name: str, tree: ast.Module) -> _Module:
    module = _Module(name, tree)
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            module.classes[stmt.name] = stmt
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            module.functions[stmt.name] = stmt
        elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
            for alias in stmt.names:
                module.imports[alias.asname or alias.name] = (stmt.module, alias.name)
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and _looks_like_type(stmt.value)
        ):
            module.aliases[stmt.targets[0].id] = stmt.value
        elif (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and (_dotted(stmt.annotation) or "").endswith("TypeAlias")
            and stmt.value is not None
        ):
            module.aliases[stmt.target.id] = stmt.value
        elif _TYPE_ALIAS is not None and isinstance(stmt, _TYPE_ALIAS):  # ``type X = ...``
            module.aliases[stmt.name.id] = stmt.value
    return module


_TYPE_ALIAS: Any = getattr(ast, "TypeAlias", None)  # Python 3.12+
_TYPING_GENERICS = {"Literal", "Optional", "Union", "Annotated", *_ARRAYS, *_MAPPINGS}
_ENUM_BASES = {"Enum", "StrEnum", "IntEnum"}


def _looks_like_type(node: ast.expr) -> bool:
    """``X = Literal[...]``, ``X = list[str]``, ``X = A | None``: an alias, not a value."""
    if isinstance(node, ast.Subscript):
        return (_dotted(node.value) or "").rsplit(".", 1)[-1] in _TYPING_GENERICS
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _looks_like_type(node.left) or _looks_like_type(node.right)
    return False


def _is_enum(cls: ast.ClassDef) -> bool:
    return any((_dotted(b) or "").rsplit(".", 1)[-1] in _ENUM_BASES for b in cls.bases)


def _enum_values(cls: ast.ClassDef) -> list[Any] | None:
    """The members' values, when every member is ``NAME = <literal>``."""
    values = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            if any(isinstance(t, ast.Name) and t.id.startswith("_") for t in stmt.targets):
                continue
            value = _literal(stmt.value)
            if value is _UNKNOWN:
                return None
            values.append(value)
    return values or None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    return None


_UNKNOWN = object()


def _literal(node: ast.expr | None) -> Any:
    if node is None:
        return _UNKNOWN
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _UNKNOWN
    return _jsonable(value)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_jsonable(v) for v in value]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        mapped = {k: _jsonable(v) for k, v in value.items()}
        return _UNKNOWN if any(v is _UNKNOWN for v in mapped.values()) else mapped
    return _UNKNOWN


def _apply_default(schema: JsonSchema, value: ast.expr | None) -> bool:
    """Record a field's default and ``Field(...)`` metadata; True when it has a default."""
    if value is None:
        return False
    if not (isinstance(value, ast.Call) and (_dotted(value.func) or "").endswith("Field")):
        default = _literal(value)
        if default is not _UNKNOWN:
            schema["default"] = default
        return True
    has_default = any(k.arg == "default_factory" for k in value.keywords)
    default_node: ast.expr | None = value.args[0] if value.args else None
    for keyword in value.keywords:
        if keyword.arg == "default":
            default_node = keyword.value
    _apply_constraints(schema, value)
    if default_node is not None and not (
        isinstance(default_node, ast.Constant) and default_node.value is ...
    ):
        has_default = True
        default = _literal(default_node)
        if default is not _UNKNOWN:
            schema["default"] = default
    return has_default


def _apply_constraints(schema: JsonSchema, call: ast.Call) -> None:
    """The JSON Schema keywords of a ``Field(...)`` call (bounds, lengths, pattern, docs)."""
    for keyword in call.keywords:
        if keyword.arg in ("description", "title", "examples", "pattern"):
            literal = _literal(keyword.value)
            if literal is not _UNKNOWN:
                schema[keyword.arg] = literal
        elif keyword.arg in _NUMBER_CONSTRAINTS:
            number = _number(keyword.value)
            if number is not None:
                schema[_NUMBER_CONSTRAINTS[keyword.arg]] = number
        elif keyword.arg in ("min_length", "max_length"):
            number = _number(keyword.value)
            if isinstance(number, int):
                unit = "Items" if schema.get("type") == "array" else "Length"
                schema[("min" if keyword.arg == "min_length" else "max") + unit] = number


Number = int | float
_ARITHMETIC: dict[type[ast.operator], Callable[[Number, Number], Number | None]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b if abs(b) <= 128 else None,
}


def _number(node: ast.expr) -> int | float | None:
    """A numeric literal or constant arithmetic on literals (``24 * 60``, ``2**63 - 1``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return None if isinstance(node.value, bool) else node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        left, right = _number(node.left), _number(node.right)
        if left is None or right is None:
            return None
        try:
            result = _ARITHMETIC[type(node.op)](left, right)
        except (ZeroDivisionError, OverflowError):
            return None
        return result if isinstance(result, (int, float)) else None
    return None


def _any_of(options: list[JsonSchema]) -> JsonSchema:
    flat: list[JsonSchema] = []
    for option in options:
        for item in option.get("anyOf", [option]) if set(option) == {"anyOf"} else [option]:
            if item not in flat:
                flat.append(item)
    if any(not item for item in flat):
        return {}  # one branch accepts anything, so the union does too
    return flat[0] if len(flat) == 1 else {"anyOf": flat}
