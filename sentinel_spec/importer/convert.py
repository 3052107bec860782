"""Wasp declarations (+ Prisma models) -> the text of an equivalent ``app.sq``.

What carries over is decided by Sentinel's own schemas (``analyzer/schema.py``): a Wasp
key that the Sentinel schema has at the same place is converted by the Sentinel type
there (an import, a reference, a choice, a dict...); every other key is reported with
its position and the reason (``WHY``), never dropped in silence. JavaScript imports
become Python imports (``@src/auth/email-and-pass/emails`` -> ``@src/auth/email_and_pass/
emails``, ``getTasks`` -> ``get_tasks``) and each gets a stub with the signature its place
needs (``stubs.ROLES``).
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field

from sentinel_spec import kinds
from sentinel_spec.analyzer import schema as s
from sentinel_spec.analyzer.entity_rules import DEFAULT_FUNCTIONS
from sentinel_spec.analyzer.model import (
    BLOCK_ATTRIBUTES,
    FIELD_ATTRIBUTES,
    NATIVE_TYPES,
    RELATION_ARGS,
)
from sentinel_spec.contract.names import snake
from sentinel_spec.importer.prisma import (
    PArg,
    PAttribute,
    PCall,
    PExpr,
    PField,
    PList,
    PLiteral,
    PModel,
    PSchema,
)
from sentinel_spec.importer.values import (
    Pos,
    WBool,
    WDecl,
    WDict,
    WImport,
    WList,
    WNum,
    WOpaque,
    WQuoter,
    WRef,
    WStr,
    WValue,
)
from sentinel_spec.lsp.schema_paths import unwrap
from sentinel_spec.parser import KEYWORDS
from sentinel_spec.stubs import StubRequest

# Why a Wasp key has no Sentinel counterpart, by the last part(s) of its path.
WHY: dict[str, str] = {
    "wasp": "Sentinel does not pin a Wasp version",
    "head": "the HTML head of Wasp's React client; Sentinel pages are rendered on the server",
    "client": "Wasp's React client (rootComponent, setupFn); Sentinel pages are rendered "
    "on the server",
    "envValidationSchema": "a Zod schema; declare variables with env(...) in app.sq",
    "usernameAndPassword": "Sentinel's auth methods are email and google",
    "gitHub": "Sentinel's auth methods are email and google",
    "discord": "Sentinel's auth methods are email and google",
    "keycloak": "Sentinel's auth methods are email and google",
    "slack": "Sentinel's auth methods are email and google",
    "onBeforeOAuthRedirect": "Sentinel builds the Google redirect itself (state, nonce, "
    "PKCE); use configFn for scopes",
    "externalAuthEntity": "Sentinel keeps identities itself",
    "prerender": "Sentinel renders every page on request",
    "ssr": "Sentinel renders every page on the server already",
    "autoConnect": "the socket is opened by the page's own script",
    "prismaSetupFn": "there is no Prisma client; code gets SQLAlchemy sessions",
    "system": "Sentinel runs on PostgreSQL only",
    "prisma": "there is no Prisma client; code gets SQLAlchemy sessions",
    "schedule.executorOptions": "a schedule runs the job with the job's own options",
    "dependencies": "npm packages; the Python ones go in requirements.txt",
}
EMAIL_PROVIDERS = {"SMTP": "SMTP", "SendGrid": "SendGrid", "Dummy": "Console"}


@dataclass(frozen=True)
class Note:
    """Something of the Wasp app that is not in app.sq as it was (``changed``: it is, in
    another form: a renamed declaration, Dummy as Console)."""

    pos: Pos
    what: str
    why: str
    changed: bool = False

    def __str__(self) -> str:
        verdict = "changed" if self.changed else "not carried over"
        return f"{self.pos}: {verdict}: {self.what}: {self.why}"

    def sort_key(self) -> tuple[str, int, int]:
        return (self.pos.file, self.pos.line, self.pos.column)


@dataclass
class Conversion:
    text: str
    notes: list[Note] = field(default_factory=list)
    stubs: list[StubRequest] = field(default_factory=list)


def python_module(path: str) -> str | None:
    """A Wasp import path as an ``@src/`` Python module path, or None if it is not code."""
    for prefix, base in (
        ("@src/", ""),
        ("./src/", ""),
        ("@server/", "server/"),
        ("@client/", "client/"),
    ):
        if path.startswith(prefix):
            rest = base + path[len(prefix) :]
            break
    else:
        return None
    rest = re.sub(r"\.(?:m?[jt]sx?|json)$", "", rest)
    parts = [python_identifier(snake(p) or p) for p in rest.split("/") if p and p != "."]
    return "@src/" + "/".join(parts) if parts else None


def python_identifier(name: str) -> str:
    cleaned = re.sub(r"\W", "_", name)
    if cleaned[:1].isdigit():
        cleaned = "_" + cleaned
    return cleaned + "_" if keyword.iskeyword(cleaned) else cleaned


class Converter:
    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.stubs: list[StubRequest] = []
        self.renamed: dict[str, str] = {}
        self._python: dict[tuple[str, str], str] = {}  # (module, function) -> the JS import
        self._enum_members: set[str] = set()
        self._dropped_fields: set[tuple[str, str]] = set()  # (model, field)

    # ------------------------------------------------------------ the whole spec

    def convert(self, decls: list[WDecl], prisma: PSchema | None) -> Conversion:
        self._plan_names(decls, prisma)
        parts: list[str] = []
        apps = [d for d in decls if d.kind == "app"]
        for extra in apps[1:]:
            self.note(extra.pos, f"app {extra.name}", "a spec has exactly one app")
        if apps:
            parts.append(self.declaration(apps[0]))
        if prisma is not None:
            for kind, name, pos in prisma.other_blocks:
                why = (
                    "the database is DATABASE_URL"
                    if kind == "datasource"
                    else ("Sentinel generates SQLAlchemy models itself")
                )
                self.note(pos, f"{kind} {name}", why)
            for enum in prisma.enums:
                parts.append(f"enum {enum.name} {{ {' '.join(enum.members)} }}")
            self._implicit_many_to_many(prisma.models)
            for model in prisma.models:
                parts.append(self.entity(model))
        for decl in decls:
            if decl.kind == "app":
                continue
            if decl.kind == "entity":
                psl = self._psl_model(decl)
                if psl is not None:
                    parts.append(self.entity(psl))
                continue
            text = self.declaration(decl)
            if text:
                parts.append(text)
        notes = sorted(self.notes, key=Note.sort_key)
        return Conversion("\n\n".join(parts) + "\n", notes, self.stubs)

    def _plan_names(self, decls: list[WDecl], prisma: PSchema | None) -> None:
        """Sentinel's case rules for names: note and fix the names that break them."""
        if prisma is not None:
            self._enum_members = {m for e in prisma.enums for m in e.members}
        for decl in decls:
            if decl.kind not in kinds.names():
                continue
            case = kinds.kind(decl.kind).case
            name = decl.name
            fixed = name
            if case == "upper" and not name[0].isupper():
                fixed = name[0].upper() + name[1:]
            elif case == "lower" and not name[0].islower():
                fixed = name[0].lower() + name[1:]
            if fixed in KEYWORDS or keyword.iskeyword(fixed):
                fixed += "_"
            if fixed != name:
                self.renamed[name] = fixed
                self.note(
                    decl.pos,
                    f"the name `{name}`",
                    f"renamed `{fixed}` (Sentinel's naming rules)",
                    changed=True,
                )

    def note(self, pos: Pos, what: str, why: str, changed: bool = False) -> None:
        self.notes.append(Note(pos, what, why, changed))

    # ------------------------------------------------------------ dict declarations

    def declaration(self, decl: WDecl) -> str:
        if decl.kind not in s.DECL_SCHEMAS:
            self.note(decl.pos, f"{decl.kind} {decl.name}", "Sentinel has no such declaration")
            return ""
        if not isinstance(decl.value, WDict):
            self.note(decl.pos, f"{decl.kind} {decl.name}", "its body is not a dict")
            return ""
        name = self.renamed.get(decl.name, decl.name)
        if decl.kind == "route":
            path = decl.value.get("path")
            if isinstance(path, WStr) and "*" in path.value:
                self.note(
                    decl.pos,
                    f"route {decl.name} ({path.value})",
                    "catch-all routes: Sentinel answers unknown paths with a 404",
                )
                return ""
        owner = f"{decl.kind} `{name}`"
        body = self.dict_value(decl.value, s.DECL_SCHEMAS[decl.kind], (decl.kind,), owner)
        return f"{decl.kind} {name} {body}"

    def dict_value(self, value: WDict, t: s.DictT, path: tuple[str, ...], owner: str) -> str:
        entries = []
        for entry in value.entries:
            spec = t.fields.get(entry.key)
            if spec is None:
                self.note(entry.pos, _where(owner, (*path, entry.key)), self._why(path, entry.key))
                continue
            converted = self.value(entry.value, spec.type, (*path, entry.key), owner)
            if converted is not None:
                entries.append(f"{entry.key}: {converted}")
        return "{ " + ", ".join(entries) + " }" if entries else "{}"

    def _why(self, path: tuple[str, ...], key: str) -> str:
        two = f"{path[-1]}.{key}"
        return WHY.get(two) or WHY.get(key) or f"Sentinel's {'.'.join(path)} has no `{key}`"

    def value(self, value: WValue, t: s.Type, path: tuple[str, ...], owner: str) -> str | None:
        dotted = _where(owner, path)
        forms = unwrap(t)
        if isinstance(value, WOpaque):
            self.note(value.pos, f"{dotted} = {value.text}", "not a value the importer can read")
            return None
        for form in forms:
            converted = self._as(value, form, path, owner)
            if converted is not None:
                return converted
        expected = " or ".join(
            f.expected if not isinstance(f, s.DictT) else "a dict" for f in forms
        )
        self.note(value.pos, dotted, f"expected {expected}")
        return None

    def _as(self, value: WValue, t: s.Type, path: tuple[str, ...], owner: str) -> str | None:
        if isinstance(t, s.DictT) and isinstance(value, WDict):
            return self.dict_value(value, t, path, owner)
        if isinstance(t, s.ListT) and isinstance(value, WList):
            items = [
                self.value(i, t.item, (*path[:-1], path[-1] + "[]"), owner) for i in value.items
            ]
            return "[" + ", ".join(i for i in items if i is not None) + "]"
        if isinstance(t, s.ImportT) and isinstance(value, WImport):
            return self.python_import(value, ".".join(path), owner)
        if isinstance(t, s.DeclRefT) and isinstance(value, WRef | WStr):
            name = value.name if isinstance(value, WRef) else value.value
            return self.renamed.get(name, name)
        if isinstance(t, s.ChoiceT) and isinstance(value, WRef | WStr):
            name = value.name if isinstance(value, WRef) else value.value
            if path[-1] == "provider":
                mapped = EMAIL_PROVIDERS.get(name)
                if mapped is None:
                    self.note(
                        value.pos,
                        f"provider {name}",
                        "not a Sentinel email provider: Console until you choose SMTP or SendGrid",
                    )
                    return "Console"
                if mapped != name:
                    self.note(
                        value.pos, f"provider {name}", f"Sentinel's equivalent is {mapped}", True
                    )
                return mapped
            return name if name in t.options else None
        if isinstance(t, s.BoolT) and isinstance(value, WBool):
            return "true" if value.value else "false"
        if isinstance(t, s.IntT | s.FloatT) and isinstance(value, WNum):
            text = value.text
            return text[:-2] if isinstance(t, s.IntT) and text.endswith(".0") else text
        if isinstance(t, s.StrT | s.DurationT | s.SizeT | s.RateT) and isinstance(value, WStr):
            return json.dumps(value.value, ensure_ascii=False)
        if isinstance(t, s.HttpRouteT):
            return self.http_route(value)
        if isinstance(t, s.JsonT):
            return self.json_value(value, path, owner)
        return None

    def http_route(self, value: WValue) -> str | None:
        method: WValue | None = None
        route: WValue | None = None
        if isinstance(value, WList) and len(value.items) == 2:
            method, route = value.items
        elif isinstance(value, WDict):
            method = value.get("method")
            route = value.get("route") or value.get("path")
        method_name = (
            method.name
            if isinstance(method, WRef)
            else method.value
            if isinstance(method, WStr)
            else None
        )
        if method_name is None or not isinstance(route, WStr):
            return None
        return f"({method_name.upper()}, {json.dumps(route.value)})"

    def json_value(self, value: WValue, path: tuple[str, ...], owner: str) -> str | None:
        if isinstance(value, WQuoter) and value.tag == "json":
            try:
                data = json.loads(value.text)
            except ValueError:
                self.note(value.pos, _where(owner, path), "its {=json json=} is not JSON")
                return None
        else:
            data = _plain(value)
            if data is _NOT_PLAIN:
                return None
        if path[-1] == "pgBoss" and isinstance(data, dict):
            known = set(s.JOB_OPTIONS)
            for key in [k for k in data if k not in known]:
                self.note(value.pos, _where(owner, (*path, key)), "not a job option Sentinel runs")
                del data[key]
        return "{=json " + json.dumps(data, ensure_ascii=False) + " json=}"

    def python_import(self, value: WImport, role: str, owner: str) -> str | None:
        module = python_module(value.path)
        if module is None:
            self.note(value.pos, f"import from {value.path}", "not a module of the app's own code")
            return None
        function = python_identifier(snake(value.name) or value.name)
        key = f"{value.path}#{value.name}#{value.default}"
        base, count = function, 1
        while self._python.setdefault((module, function), key) != key:
            count += 1
            function = f"{base}_{count}"
        self.stubs.append(StubRequest(module, function, role, owner))
        return f"import {{ {function} }} from {json.dumps(module)}"

    # ------------------------------------------------------------ entities

    def _psl_model(self, decl: WDecl) -> PModel | None:
        from sentinel_spec.importer.lexer import Cursor, tokenize
        from sentinel_spec.importer.prisma import read_model_body

        if not isinstance(decl.value, WQuoter) or decl.value.tag != "psl":
            self.note(decl.pos, f"entity {decl.name}", "expected a {=psl ... psl=} body")
            return None
        pos = decl.value.pos
        # `{=psl` becomes `{` and four spaces, so positions in the body stay the file's own.
        padded = "\n" * (pos.line - 1) + " " * (pos.column - 1) + "{    " + decl.value.text + "}"
        cursor = Cursor(tokenize(padded, pos.file, "prisma"))
        return read_model_body(cursor, self.renamed.get(decl.name, decl.name), decl.pos)

    def entity(self, model: PModel) -> str:
        lines: list[str] = []
        for item in model.items:
            if isinstance(item, PField):
                line = self.field(model, item)
            else:
                line = self.block_attribute(model, item)
            if line:
                lines.append(line)
        name = self.renamed.get(model.name, model.name)
        return f"entity {name} {{\n" + "\n".join(f"  {line}" for line in lines) + "\n}"

    def _implicit_many_to_many(self, models: list[PModel]) -> None:
        """Prisma's implicit many-to-many (a list on both sides, no foreign key): Sentinel
        needs the join entity written out, so both list fields are left out."""
        by_name = {m.name: m for m in models}
        for model in models:
            for f in model.fields:
                other = by_name.get(f.type)
                if f.modifier != "[]" or other is None or _relation_has_keys(f):
                    continue
                name = _relation_name(f)
                for g in other.fields:
                    if g is f or g.type != model.name or g.modifier != "[]":
                        continue
                    implicit = _relation_name(g) == name and not _relation_has_keys(g)
                    if implicit and (model.name, f.name) not in self._dropped_fields:
                        self._dropped_fields |= {(model.name, f.name), (other.name, g.name)}
                        self.note(
                            f.pos,
                            f"{model.name}.{f.name} <-> {other.name}.{g.name}",
                            "an implicit many-to-many relation: declare the join entity "
                            "(two relations) in app.sq",
                        )

    def field(self, model: PModel, f: PField) -> str | None:
        where = f"{model.name}.{f.name}"
        if (model.name, f.name) in self._dropped_fields:
            return None
        if f.unsupported_type is not None:
            self.note(f.pos, where, f"Unsupported({f.unsupported_type}) has no Sentinel type")
            return None
        if any(a.name == "ignore" for a in f.attributes):
            self.note(f.pos, where, "@ignore: Sentinel has no ignored fields")
            return None
        attributes = [t for a in f.attributes if (t := self.field_attribute(model, f, a))]
        type_name = self.renamed.get(f.type, f.type)
        return " ".join([f.name, type_name + f.modifier, *attributes])

    def field_attribute(self, model: PModel, f: PField, a: PAttribute) -> str | None:
        where = f"{model.name}.{f.name} @{a.name}"
        name = a.name
        if name.startswith("db."):
            if name[3:] not in NATIVE_TYPES:
                self.note(a.pos, where, "not a native type Sentinel knows")
                return None
            return "@" + name + (self.args(a.args) if a.args else "")
        if name not in FIELD_ATTRIBUTES:
            self.note(a.pos, where, "Sentinel has no such field attribute")
            return None
        if name in ("id", "unique", "updatedAt"):
            if a.args:
                self.note(a.pos, where, "its arguments (map, sort, length) are not carried")
            return "@" + name
        if name == "default":
            return self.default(a, where)
        if name == "relation":
            kept = []
            for arg in a.args or ():
                if arg.name is None or arg.name in RELATION_ARGS:
                    kept.append(arg)
                else:
                    self.note(
                        a.pos,
                        f"{where}({arg.name}: ...)",
                        "Sentinel relations take name, fields, references, onDelete",
                    )
            return "@relation" + self.args(tuple(kept))
        return "@" + name + (self.args(a.args) if a.args else "")

    def default(self, a: PAttribute, where: str) -> str | None:
        if not a.args or len(a.args) != 1:
            self.note(a.pos, where, "expected one value")
            return None
        value = a.args[0].value
        if isinstance(value, PList) and value.items:
            self.note(a.pos, where, "a list field can only default to []")
            return None
        if (
            isinstance(value, PCall)
            and value.has_parens
            and (value.name not in DEFAULT_FUNCTIONS or value.args)
        ):
            self.note(a.pos, where, f"{value.name}(...) is not a default Sentinel computes")
            return None
        return f"@default({self.expr(value)})"

    def block_attribute(self, model: PModel, a: PAttribute) -> str | None:
        where = f"{model.name} @@{a.name}"
        if a.name not in BLOCK_ATTRIBUTES:
            self.note(a.pos, where, "Sentinel has no such block attribute")
            return None
        if a.name == "map":
            return "@@map" + self.args(a.args or ())
        fields = next((arg for arg in a.args or () if arg.name in (None, "fields")), None)
        dropped = [arg.name for arg in a.args or () if arg is not fields]
        if dropped:
            self.note(
                a.pos,
                where,
                f"its {', '.join(str(d) for d in dropped)} argument(s) are not carried",
            )
        if fields is None or not isinstance(fields.value, PList):
            self.note(a.pos, where, "expected a list of fields")
            return None
        names = []
        for item in fields.value.items:
            if isinstance(item, PCall):
                if item.args:
                    self.note(
                        a.pos,
                        f"{where} {item.name}(...)",
                        "sort and length options are not carried",
                    )
                names.append(item.name)
        return f"@@{a.name}([{', '.join(names)}])"

    def args(self, args: tuple[PArg, ...]) -> str:
        return (
            "("
            + ", ".join((f"{a.name}: " if a.name else "") + self.expr(a.value) for a in args)
            + ")"
        )

    def expr(self, value: PExpr) -> str:
        if isinstance(value, PList):
            return "[" + ", ".join(self.expr(i) for i in value.items) + "]"
        if isinstance(value, PCall):
            return f"{value.name}()" if value.has_parens else value.name
        return value.text


def _where(owner: str, path: tuple[str, ...]) -> str:
    """``app.server.cors`` for the app; ``page `Home`: ssr`` for other declarations."""
    if path[0] == "app":
        return ".".join(path)
    return f"{owner.replace('`', '')}: {'.'.join(path[1:])}"


def _relation(f: PField) -> PAttribute | None:
    return next((a for a in f.attributes if a.name == "relation"), None)


def _relation_name(f: PField) -> str | None:
    relation = _relation(f)
    for arg in relation.args or () if relation else ():
        if arg.name in (None, "name") and isinstance(arg.value, PLiteral):
            return arg.value.text
    return None


def _relation_has_keys(f: PField) -> bool:
    relation = _relation(f)
    return relation is not None and any(a.name == "fields" for a in relation.args or ())


_NOT_PLAIN = object()


def _plain(value: WValue) -> object:
    """A W value as plain JSON data (TS objects used where Wasp wants JSON)."""
    if isinstance(value, WStr):
        return value.value
    if isinstance(value, WNum):
        number = float(value.text)
        return int(number) if number.is_integer() else number
    if isinstance(value, WBool):
        return value.value
    if isinstance(value, WList):
        return [_plain(i) for i in value.items]
    if isinstance(value, WDict):
        return {e.key: _plain(e.value) for e in value.entries}
    return _NOT_PLAIN
