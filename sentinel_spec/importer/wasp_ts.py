"""``main.wasp.ts``: the TypeScript spec of Wasp 0.15+, read without running it.

Two styles are understood. The ``wasp-config`` one (0.15 to 0.23)::

    const app = new App('todoApp', { title: 'ToDo', wasp: { version: '^0.15.0' } })
    app.auth({ userEntity: 'User', ... })
    const main = app.page('MainPage', { component: { importDefault: 'Main', from: '@src/Main' } })
    app.route('RootRoute', { path: '/', to: main })
    app.query('getTasks', { fn: { import: 'getTasks', from: '@src/queries' }, entities: ['Task'] })

and the ``@wasp.sh/spec`` one (0.24+): ``app({ name, title, ..., decls: [route(...),
query(getTasks, {...}), ...] })`` with functions imported ``with { type: "ref" }``.
The file is parsed as a small subset of JavaScript (imports, ``const``, calls, object
and array literals, strings); anything else (helpers defined in other files, spreads,
computed values) is reported with its position, not guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypeAlias

from sentinel_spec.importer.lexer import Cursor, Token, tokenize
from sentinel_spec.importer.values import (
    Pos,
    WaspSource,
    WaspSyntaxError,
    WBool,
    WDecl,
    WDict,
    WEntry,
    WImport,
    WList,
    WNum,
    WOpaque,
    WRef,
    WStr,
    WValue,
)

# ---------------------------------------------------------------- a JavaScript subset


@dataclass(frozen=True)
class JObj:
    entries: tuple[tuple[str, JNode, Pos], ...]
    pos: Pos


@dataclass(frozen=True)
class JArr:
    items: tuple[JNode, ...]
    pos: Pos


@dataclass(frozen=True)
class JLit:
    value: str | float | bool | None
    text: str
    pos: Pos


@dataclass(frozen=True)
class JName:
    name: str
    pos: Pos


@dataclass(frozen=True)
class JCall:
    callee: JNode
    args: tuple[JNode, ...]
    pos: Pos
    new: bool = False


@dataclass(frozen=True)
class JMember:
    target: JNode
    name: str
    pos: Pos


@dataclass(frozen=True)
class JOpaque:
    text: str
    pos: Pos


JNode: TypeAlias = JObj | JArr | JLit | JName | JCall | JMember | JOpaque

_CLOSERS = {"(": ")", "[": "]", "{": "}"}


class _Parser:
    def __init__(self, tokens: list[Token], source: str) -> None:
        self.c = Cursor(tokens)
        self.source = source

    def skip_balanced(self) -> None:
        """Past one bracketed group or one token."""
        token = self.c.take()
        if token.text in _CLOSERS and token.kind == "punct":
            depth = [_CLOSERS[token.text]]
            while depth:
                t = self.c.take()
                if t.kind == "eof":
                    raise WaspSyntaxError(token.pos, f"`{token.text}` is not closed")
                if t.kind == "punct" and t.text in _CLOSERS:
                    depth.append(_CLOSERS[t.text])
                elif t.kind == "punct" and t.text == depth[-1]:
                    depth.pop()

    def skip_statement(self) -> None:
        while self.c.peek().kind != "eof" and self.c.peek().text != ";":
            if self.c.peek().text in ("}",) and self.c.peek().kind == "punct":
                self.c.take()
                continue
            self.skip_balanced()
        self.c.accept(";")

    def expression(self) -> JNode:
        token = self.c.peek()
        if token.text == "new" and token.kind == "ident":
            self.c.take()
            callee: JNode = JName(self.c.expect_kind("ident", "a class name").text, token.pos)
            args = self.arguments() if self.c.peek().text == "(" else ()
            node: JNode = JCall(callee, args, token.pos, new=True)
        else:
            node = self.primary()
        while True:
            nxt = self.c.peek()
            if nxt.text == "." and nxt.kind == "punct":
                self.c.take()
                node = JMember(node, self.c.expect_kind("ident", "a property").text, nxt.pos)
            elif nxt.text == "(" and nxt.kind == "punct":
                node = JCall(node, self.arguments(), node_pos(node))
            elif nxt.kind == "ident" and nxt.text in ("as", "satisfies"):
                self.c.take()
                self.skip_type()
            else:
                return node

    def skip_type(self) -> None:
        self.skip_balanced()
        while self.c.peek().text in (".", "<", "[", "|", "&"):
            if self.c.peek().text == "<":
                depth = 0
                while True:
                    t = self.c.take()
                    depth += t.text == "<"
                    depth -= t.text == ">"
                    if depth == 0 or t.kind == "eof":
                        break
            else:
                self.c.take()
                if self.c.peek().text not in (")", ",", ";", "]", "}"):
                    self.skip_balanced()

    def arguments(self) -> tuple[JNode, ...]:
        self.c.expect("(")
        args: list[JNode] = []
        while not self.c.accept(")"):
            args.append(self.expression())
            if not self.c.accept(","):
                self.c.expect(")")
                break
        return tuple(args)

    def primary(self) -> JNode:
        token = self.c.peek()
        if token.kind == "string":
            self.c.take()
            return JLit(_js_string(token), token.text, token.pos)
        if token.kind == "number":
            self.c.take()
            return JLit(float(token.text), token.text, token.pos)
        if token.kind == "ident":
            if token.text in ("true", "false"):
                self.c.take()
                return JLit(token.text == "true", token.text, token.pos)
            if token.text in ("null", "undefined"):
                self.c.take()
                return JLit(None, token.text, token.pos)
            if self.c.peek(1).text == "=>":
                return self.opaque()
            self.c.take()
            return JName(token.text, token.pos)
        if token.text == "{":
            return self.object()
        if token.text == "[":
            return self.array()
        if token.text == "(":
            return self.opaque()  # a parenthesised expression or an arrow function
        if token.text == "...":
            return self.opaque()
        raise WaspSyntaxError(token.pos, f"unexpected `{token.text or 'end of file'}`")

    def opaque(self) -> JOpaque:
        start = self.c.peek()
        self.skip_balanced()
        while self.c.peek().text in ("=>",) or (
            self.c.peek().kind not in ("eof",)
            and self.c.peek().text not in (",", ")", "]", "}", ";")
        ):
            self.skip_balanced()
        end = self.c.peek().offset
        return JOpaque(self.source[start.offset : end].strip(), start.pos)

    def object(self) -> JObj:
        start = self.c.expect("{")
        entries: list[tuple[str, JNode, Pos]] = []
        while not self.c.accept("}"):
            token = self.c.peek()
            if token.text == "...":
                self.c.take()
                entries.append(("...", self.expression(), token.pos))
            else:
                if token.kind == "string":
                    key = _js_string(token)
                elif token.kind in ("ident", "number"):
                    key = token.text
                else:
                    raise WaspSyntaxError(token.pos, f"unexpected `{token.text}` in an object")
                self.c.take()
                if self.c.accept(":"):
                    entries.append((key, self.expression(), token.pos))
                elif self.c.peek().text == "(":  # a method: not data
                    self.c.take()
                    self.c.at -= 1
                    self.skip_balanced()
                    self.skip_balanced()
                    entries.append((key, JOpaque(f"{key}(...) {{...}}", token.pos), token.pos))
                else:
                    entries.append((key, JName(key, token.pos), token.pos))  # shorthand
            if not self.c.accept(","):
                self.c.expect("}")
                break
        return JObj(tuple(entries), start.pos)

    def array(self) -> JArr:
        start = self.c.expect("[")
        items: list[JNode] = []
        while not self.c.accept("]"):
            items.append(self.expression())
            if not self.c.accept(","):
                self.c.expect("]")
                break
        return JArr(tuple(items), start.pos)


def node_pos(node: JNode) -> Pos:
    return node.pos


def _js_string(token: Token) -> str:
    text = token.text
    body = text[1:-1]
    if text[0] == "'":
        body = body.replace('\\"', '"').replace('"', '\\"').replace("\\'", "'")
    elif text[0] == "`":
        body = body.replace('"', '\\"')
    try:
        value: str = json.loads(f'"{body}"')
    except ValueError:
        return body
    return value


# ---------------------------------------------------------------- reading the spec


@dataclass(frozen=True)
class _Imported:
    name: str  # the exported name ("default" for a default import)
    path: str
    ref: bool  # `with { type: "ref" }`: a reference to user code (0.24 spec)


@dataclass(frozen=True)
class _DeclHandle:
    kind: str
    name: str


APP_DECLS = ("page", "route", "query", "action", "api", "apiNamespace", "job", "crud")
APP_SECTIONS = ("auth", "server", "client", "db", "emailSender", "webSocket")


class _Reader:
    def __init__(self, file: str, source: WaspSource) -> None:
        self.file = file
        self.out = source
        self.imports: dict[str, _Imported] = {}
        self.values: dict[str, JNode | _DeclHandle] = {}
        self.app_var: str | None = None
        self.app_entries: list[WEntry] = []
        self.app_name: str | None = None
        self.app_pos: Pos | None = None

    # ------------------------------------------------------------ statements

    def run(self, parser: _Parser) -> None:
        c = parser.c
        while c.peek().kind != "eof":
            token = c.peek()
            try:
                if token.text == "import" and token.kind == "ident":
                    self.import_statement(parser)
                elif token.text == "export" and c.peek(1).text == "default":
                    c.take()
                    c.take()
                    self.evaluate(parser.expression(), statement=True)
                    c.accept(";")
                elif token.text in ("export", "const", "let", "var"):
                    if token.text == "export":
                        c.take()
                    self.variable(parser)
                elif token.text == ";":
                    c.take()
                else:
                    self.evaluate(parser.expression(), statement=True)
                    c.accept(";")
            except WaspSyntaxError as error:
                self.out.problems.append((error.pos, f"not read: {error.message}"))
                parser.skip_statement()
        if self.app_name is not None and self.app_pos is not None:
            app = WDict(tuple(self.app_entries), self.app_pos)
            self.out.decls.insert(0, WDecl("app", self.app_name, app, self.app_pos))

    def import_statement(self, parser: _Parser) -> None:
        c = parser.c
        c.take()
        if c.accept("type"):
            parser.skip_statement()
            return
        bound: list[tuple[str, str]] = []  # (local, exported)
        if c.peek().kind == "string":  # a side-effect import
            c.take()
        else:
            if c.peek().kind == "ident" and c.peek().text != "from":
                bound.append((c.take().text, "default"))
                c.accept(",")
            if c.accept("*"):
                c.expect("as")
                bound.append((c.take().text, "*"))
            if c.accept("{"):
                while not c.accept("}"):
                    c.accept("type")
                    exported = c.take().text
                    local = c.take().text if c.accept("as") else exported
                    bound.append((local, exported))
                    c.accept(",")
            c.expect("from")
        path_token = c.expect_kind("string", "the module path")
        ref = False
        if c.peek().text in ("with", "assert"):
            c.take()
            attrs = parser.object()
            ref = any(
                k == "type" and isinstance(v, JLit) and v.value == "ref"
                for k, v, _ in attrs.entries
            )
        c.accept(";")
        for local, exported in bound:
            self.imports[local] = _Imported(exported, _js_string(path_token), ref)

    def variable(self, parser: _Parser) -> None:
        c = parser.c
        c.take()  # const / let / var
        name = c.expect_kind("ident", "a variable name")
        if c.accept(":"):
            parser.skip_type()
        c.expect("=")
        value = parser.expression()
        c.accept(";")
        result = self.evaluate(value)
        self.values[name.text] = result if isinstance(result, _DeclHandle) else value
        callee = value.callee if isinstance(value, JCall) and value.new else None
        if isinstance(callee, JName) and callee.name == "App":
            self.app_var = name.text

    # ------------------------------------------------------------ calls

    def evaluate(self, node: JNode, statement: bool = False) -> _DeclHandle | None:
        """Run the spec calls in ``node``; the declaration it creates, if any."""
        if not isinstance(node, JCall):
            if statement and not isinstance(node, JName):
                self.out.problems.append(
                    (node.pos, "not read: a statement that is not a spec call")
                )
            return None
        callee = node.callee
        if node.new and isinstance(callee, JName) and callee.name == "App":
            self.new_app(node)
            return None
        target = callee.target if isinstance(callee, JMember) else None
        if isinstance(target, JName) and target.name in (self.app_var or "app",):
            assert isinstance(callee, JMember)
            return self.app_method(callee.name, node)
        if isinstance(callee, JName) and self._is_spec_function(callee.name, "app"):
            self.functional_app(node)
            return None
        if statement:
            self.out.problems.append(
                (
                    node.pos,
                    f"not read: `{_describe(callee)}(...)` (a call the importer does not know)",
                )
            )
        return None

    def new_app(self, node: JCall) -> None:
        if not node.args or not isinstance(node.args[0], JLit):
            raise WaspSyntaxError(node.pos, "new App(...) needs the app's name first")
        self.app_name = str(node.args[0].value)
        self.app_pos = node.pos
        if len(node.args) > 1:
            config = self.to_value(node.args[1])
            if isinstance(config, WDict):
                self.app_entries.extend(config.entries)

    def app_method(self, method: str, node: JCall) -> _DeclHandle | None:
        if method in APP_SECTIONS:
            if node.args:
                self.app_entries.append(WEntry(method, self.to_value(node.args[0]), node.pos))
            return None
        if method in APP_DECLS and len(node.args) >= 1 and isinstance(node.args[0], JLit):
            name = str(node.args[0].value)
            body = self.to_value(node.args[1]) if len(node.args) > 1 else WDict((), node.pos)
            self.out.decls.append(WDecl(method, name, body, node.pos))
            return _DeclHandle(method, name)
        self.out.problems.append((node.pos, f"not read: app.{method}(...)"))
        return None

    def _is_spec_function(self, local: str, exported: str) -> bool:
        imported = self.imports.get(local)
        return imported is not None and imported.name == exported and "wasp" in imported.path

    def functional_app(self, node: JCall) -> None:
        config = node.args[0] if node.args else None
        if not isinstance(config, JObj):
            raise WaspSyntaxError(node.pos, "app(...) needs an object")
        self.app_pos = node.pos
        for key, value, pos in config.entries:
            if key == "name" and isinstance(value, JLit):
                self.app_name = str(value.value)
            elif key in ("decls", "spec") and isinstance(value, JArr):
                for item in value.items:
                    self.functional_decl(item)
            else:
                self.app_entries.append(WEntry(key, self.to_value(value), pos))

    def functional_decl(self, node: JNode) -> str | None:
        """One item of ``decls: [...]``: ``route(...)``, ``query(fn, {...})``, ...; the name."""
        if not (isinstance(node, JCall) and isinstance(node.callee, JName)):
            self.out.problems.append(
                (node.pos, f"not read: `{_describe(node)}` (declarations made elsewhere)")
            )
            return None
        kind = self.imports.get(node.callee.name)
        kind_name = kind.name if kind is not None and "wasp" in kind.path else node.callee.name
        args = node.args
        options = self.to_value(args[-1]) if len(args) > 1 and isinstance(args[-1], JObj) else None
        extra = options.entries if isinstance(options, WDict) else ()
        if kind_name == "page" and args:
            component = self.to_value(args[0])
            name = _page_name(args[0])
            body = WDict((WEntry("component", component, node.pos), *extra), node.pos)
            self.out.decls.append(WDecl("page", name, body, node.pos))
            return name
        if kind_name == "route" and len(args) >= 3 and isinstance(args[0], JLit):
            page = self.functional_decl(args[2]) if isinstance(args[2], JCall) else None
            target: WValue = WRef(page, node.pos) if page else self.to_value(args[2])
            more = self.to_value(args[3]) if len(args) > 3 else None
            route_extra = more.entries if isinstance(more, WDict) else ()
            body = WDict(
                (
                    WEntry("path", self.to_value(args[1]), node.pos),
                    WEntry("to", target, node.pos),
                    *route_extra,
                ),
                node.pos,
            )
            self.out.decls.append(WDecl("route", str(args[0].value), body, node.pos))
            return str(args[0].value)
        if kind_name in ("query", "action", "api", "job") and args:
            fn = self.to_value(args[0])
            name = fn.name if isinstance(fn, WImport) and not fn.default else _describe(args[0])
            if kind_name == "job":
                perform = WDict((WEntry("fn", fn, node.pos),), node.pos)
                body = WDict((WEntry("perform", perform, node.pos), *extra), node.pos)
            else:
                body = WDict((WEntry("fn", fn, node.pos), *extra), node.pos)
            self.out.decls.append(WDecl(kind_name, name, body, node.pos))
            return name
        if kind_name in ("crud", "apiNamespace") and args and isinstance(args[0], JLit):
            body = options if isinstance(options, WDict) else WDict((), node.pos)
            self.out.decls.append(WDecl(kind_name, str(args[0].value), body, node.pos))
            return str(args[0].value)
        self.out.problems.append((node.pos, f"not read: `{kind_name}(...)`"))
        return None

    # ------------------------------------------------------------ values

    def to_value(self, node: JNode) -> WValue:
        if isinstance(node, JLit):
            if isinstance(node.value, bool):
                return WBool(node.value, node.pos)
            if isinstance(node.value, float):
                return WNum(node.text, node.pos)
            if node.value is None:
                return WOpaque(node.text, node.pos)
            return WStr(node.value, node.pos)
        if isinstance(node, JArr):
            return WList(tuple(self.to_value(i) for i in node.items), node.pos)
        if isinstance(node, JObj):
            keys = {k for k, _, _ in node.entries}
            values = {k: v for k, v, _ in node.entries}
            if "from" in keys and keys & {"import", "importDefault"} and len(keys) == 2:
                source = values["from"]
                if isinstance(source, JLit) and isinstance(source.value, str):
                    default = "importDefault" in keys
                    name = values["importDefault" if default else "import"]
                    if isinstance(name, JLit) and isinstance(name.value, str):
                        return WImport(name.value, source.value, node.pos, default)
            entries = []
            for key, value, pos in node.entries:
                if key == "...":
                    entries.append(WEntry(key, WOpaque(f"...{_describe(value)}", pos), pos))
                else:
                    entries.append(WEntry(key, self.to_value(value), pos))
            return WDict(tuple(entries), node.pos)
        if isinstance(node, JCall):  # `to: app.page(...)`: the declaration it makes
            handle = self.evaluate(node)
            if handle is not None:
                return WRef(handle.name, node.pos)
            return WOpaque(_describe(node), node.pos)
        if isinstance(node, JName):
            bound = self.values.get(node.name)
            if isinstance(bound, _DeclHandle):
                return WRef(bound.name, node.pos)
            if bound is not None:
                return self.to_value(bound)
            imported = self.imports.get(node.name)
            if imported is not None and imported.ref:
                path = (
                    "@src/" + imported.path.removeprefix("./src/")
                    if imported.path.startswith("./src/")
                    else imported.path
                )
                default = imported.name == "default"
                return WImport(node.name if default else imported.name, path, node.pos, default)
            return WOpaque(node.name, node.pos)
        return WOpaque(_describe(node), node.pos)


def _describe(node: JNode) -> str:
    if isinstance(node, JName):
        return node.name
    if isinstance(node, JMember):
        return f"{_describe(node.target)}.{node.name}"
    if isinstance(node, JCall):
        return f"{_describe(node.callee)}(...)"
    if isinstance(node, JOpaque):
        return node.text[:40]
    if isinstance(node, JLit):
        return node.text
    return "{...}" if isinstance(node, JObj) else "[...]"


def _page_name(component: JNode) -> str:
    name = _describe(component)
    return name if name.endswith("Page") else name + "Page"


def read_wasp_ts(text: str, file: str) -> WaspSource:
    source = WaspSource()
    parser = _Parser(tokenize(text, file, "ts"), text)
    reader = _Reader(file, source)
    reader.run(parser)
    if not any(d.kind == "app" for d in source.decls):
        source.problems.append((Pos(file, 1, 1), "no app found (`new App(...)` or `app({...})`)"))
    return source
