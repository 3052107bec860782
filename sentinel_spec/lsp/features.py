"""What the language server answers, as plain functions of one analysed document.

``server.py`` wires them to LSP requests; each takes the ``Analysis`` of the document
(the last one: completion does not wait for the next check) and an offset, and returns
``lsprotocol`` values. Positions are converted here (``Lines``): LSP counts UTF-16 units
from 0, spans count code points from 1.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path

from lsprotocol import types as lsp

from sentinel_spec import ast, kinds
from sentinel_spec.analyzer import schema as s
from sentinel_spec.analyzer.entity_rules import DEFAULT_FUNCTIONS
from sentinel_spec.analyzer.model import (
    BLOCK_ATTRIBUTES,
    FIELD_ATTRIBUTES,
    NATIVE_TYPES,
    RELATION_ARGS,
)
from sentinel_spec.appspec import ON_DELETE, SCALAR_TYPES
from sentinel_spec.errors import SourceSpan
from sentinel_spec.fmt import FormatRefused, declaration_kind, format_source
from sentinel_spec.lsp.cursor import Cursor, cursor_at
from sentinel_spec.lsp.field_docs import KIND_DOCS, field_doc
from sentinel_spec.lsp.index import (
    Analysis,
    ImportSite,
    Index,
    module_path,
    python_names,
    span_contains,
)
from sentinel_spec.lsp.schema_paths import describe_type, dict_fields, field_at, type_at, unwrap
from sentinel_spec.parser import KEYWORDS
from sentinel_spec.stubs import StubRequest, plan_stubs, role_of

SOURCE = "sentinel"


class Lines:
    """Offsets <-> LSP positions for one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> lsp.Position:
        line = bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        chunk = self.text[start:offset]
        units = len(chunk) if chunk.isascii() else len(chunk.encode("utf-16-le")) // 2
        return lsp.Position(line=line, character=units)

    def offset(self, position: lsp.Position) -> int:
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = (
            self.starts[position.line + 1] - 1
            if position.line + 1 < len(self.starts)
            else len(self.text)
        )
        line = self.text[start:end]
        if line.isascii():
            return start + min(position.character, len(line))
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return start + index
            units += 2 if ord(char) > 0xFFFF else 1
        return end

    def range(self, start: int, end: int) -> lsp.Range:
        return lsp.Range(start=self.position(start), end=self.position(end))

    def span(self, span: SourceSpan) -> lsp.Range:
        return self.range(span.start_offset, span.end_offset)


# ---------------------------------------------------------------- diagnostics


def diagnostics(analysis: Analysis) -> list[lsp.Diagnostic]:
    lines = Lines(analysis.source)
    found = [
        lsp.Diagnostic(
            range=lines.span(error.span),
            message=error.message + (f"\nhint: {error.hint}" if error.hint else ""),
            severity=lsp.DiagnosticSeverity.Error,
            source=SOURCE,
        )
        for error in analysis.errors
    ]
    found += [
        lsp.Diagnostic(
            range=lines.span(warning.span),
            message=warning.message,
            severity=lsp.DiagnosticSeverity.Warning,
            source=SOURCE,
        )
        for warning in analysis.warnings
    ]
    return found


# ---------------------------------------------------------------- completion


def complete(
    analysis: Analysis,
    text: str,
    offset: int,
    spec_dir: Path,
    fallback: Index | None = None,
) -> list[lsp.CompletionItem]:
    """Completions at ``offset`` of ``text`` (the editor's text, maybe newer than the analysis).

    ``fallback`` is the index of the last version that parsed whole: while a declaration is
    half-written the parser may lose its neighbours, and their names are still offered.
    """
    cursor = cursor_at(text, offset)
    index = merged(analysis.index, fallback)
    if cursor.kind == "top":
        return [_kind_item(k) for k in kinds.KINDS]
    if cursor.kind == "key":
        return [
            _field_item(name, spec, (*cursor.path, name))
            for name, spec in dict_fields(cursor.path).items()
            if name not in cursor.present
        ]
    if cursor.kind == "value":
        return _value_items(cursor, index)
    if cursor.kind == "import_name":
        path = module_path(spec_dir, cursor.module) if cursor.module else None
        return [
            lsp.CompletionItem(
                label=n.name, kind=lsp.CompletionItemKind.Function, detail=n.signature
            )
            for n in (python_names(path) if path else [])
        ]
    if cursor.kind == "import_path":
        lines = Lines(text)
        where = lines.range(offset - len(cursor.prefix), offset)
        return [
            lsp.CompletionItem(
                label=module,
                kind=lsp.CompletionItemKind.Module,
                text_edit=lsp.TextEdit(range=where, new_text=module),
                filter_text=module,
            )
            for module in src_modules(spec_dir)
        ]
    if cursor.kind == "entity_type":
        names = [
            *((t, lsp.CompletionItemKind.TypeParameter) for t in SCALAR_TYPES),
            *((n, lsp.CompletionItemKind.Class) for n in index.names_of("entity")),
            *((n, lsp.CompletionItemKind.Enum) for n in index.names_of("enum")),
        ]
        return [lsp.CompletionItem(label=n, kind=k) for n, k in names]
    if cursor.kind == "attribute":
        if cursor.block:
            labels = list(BLOCK_ATTRIBUTES)
        else:
            labels = [*FIELD_ATTRIBUTES, *(f"db.{n}" for n in NATIVE_TYPES)]
        return [lsp.CompletionItem(label=n, kind=lsp.CompletionItemKind.Property) for n in labels]
    if cursor.kind == "attribute_arg":
        return _attribute_arg_items(cursor, index)
    return []


def _kind_item(kind: kinds.DeclKind) -> lsp.CompletionItem:
    if kind.form == "entity":
        body = "{\n  id Int @id @default(autoincrement())\n  $0\n}"
    elif kind.form == "enum":
        body = "{ $0 }"
    else:
        counter = [1]
        body = _snippet_dict(s.DECL_SCHEMAS[kind.name], "", counter, top=True)
    name = "${1:Name}" if kind.case == "upper" else "${1:name}"
    return lsp.CompletionItem(
        label=kind.name,
        kind=lsp.CompletionItemKind.Keyword,
        detail=f"declare {kind.name}",
        documentation=KIND_DOCS.get(kind.name),
        insert_text=f"{kind.name} {name} {body}",
        insert_text_format=lsp.InsertTextFormat.Snippet,
    )


def _snippet_dict(t: s.DictT, indent: str, counter: list[int], top: bool = False) -> str:
    """A snippet of a dict with its required fields, placeholders numbered from 2."""
    required = [(k, f) for k, f in t.fields.items() if f.required]
    if not required:
        return "{ $0 }" if top else "{}"
    inner = indent + "  "
    lines = [f"{inner}{key}: {_snippet_value(f.type, inner, counter)}," for key, f in required]
    return "{\n" + "\n".join(lines) + f"\n{indent}}}"


def _snippet_value(t: s.Type, indent: str, counter: list[int]) -> str:
    def slot(text: str) -> str:
        counter[0] += 1
        return f"${{{counter[0]}:{text}}}"

    if isinstance(t, s.ImportT):
        return f'import {{ {slot("fn")} }} from "@src/{slot("module")}"'
    if isinstance(t, s.HttpRouteT):
        return f'({slot("GET")}, "{slot("/path")}")'
    if isinstance(t, s.DictT):
        return _snippet_dict(t, indent, counter)
    if isinstance(t, s.DeclRefT):
        return slot(t.kind.capitalize())
    if isinstance(t, s.ChoiceT):
        return slot(t.options[0])
    if isinstance(t, s.ListT):
        return f"[{slot('')}]"
    return f'"{slot("")}"'


def _field_item(name: str, spec: s.FieldSpec, path: tuple[str, ...]) -> lsp.CompletionItem:
    need = "required" if spec.required else "optional"
    return lsp.CompletionItem(
        label=name,
        kind=lsp.CompletionItemKind.Field,
        detail=f"{describe_type(spec.type)} ({need})",
        documentation=field_doc(".".join(path)),
        insert_text=f"{name}: ",
    )


def merged(index: Index, fallback: Index | None) -> Index:
    if fallback is None or fallback is index:
        return index
    declarations = {**fallback.declarations, **index.declarations}
    return Index(declarations, index.references, index.imports, index.keys)


def _value_items(cursor: Cursor, index: Index) -> list[lsp.CompletionItem]:
    t = type_at(cursor.path)
    if t is None:
        return []
    items: list[lsp.CompletionItem] = []
    if isinstance(t, s.EnvT):
        items.append(_snippet("env(...)", 'env("${1:NAME}")'))
    for form in unwrap(t):
        if isinstance(form, s.DeclRefT):
            items += [
                lsp.CompletionItem(label=n, kind=lsp.CompletionItemKind.Reference, detail=form.kind)
                for n in index.names_of(form.kind)
            ]
        elif isinstance(form, s.ChoiceT):
            items += [
                lsp.CompletionItem(label=o, kind=lsp.CompletionItemKind.EnumMember)
                for o in form.options
            ]
        elif isinstance(form, s.BoolT):
            items += [
                lsp.CompletionItem(label=b, kind=lsp.CompletionItemKind.Keyword)
                for b in ("true", "false")
            ]
        elif isinstance(form, s.ImportT):
            items.append(_snippet("import { } from", 'import { ${1:fn} } from "@src/${2:module}"'))
        elif isinstance(form, s.JsonT):
            items.append(_snippet("{=json json=}", "{=json ${1:{\\}} json=}"))
        elif isinstance(form, s.HttpRouteT):
            if cursor.tuple_index == 0 and cursor.prefix != "(":
                methods = ("GET", "POST", "PUT", "PATCH", "DELETE", "ALL")
                items += [
                    lsp.CompletionItem(label=m, kind=lsp.CompletionItemKind.EnumMember)
                    for m in methods
                ]
        elif isinstance(form, s.DictT):
            items.append(_snippet("{ }", "{ $0 }"))
        elif isinstance(form, s.ListT):
            items.append(_snippet("[ ]", "[$0]"))
    return items


def _snippet(label: str, text: str) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label,
        kind=lsp.CompletionItemKind.Snippet,
        insert_text=text,
        insert_text_format=lsp.InsertTextFormat.Snippet,
    )


def _attribute_arg_items(cursor: Cursor, index: Index) -> list[lsp.CompletionItem]:
    if cursor.attribute == "default":
        items = [
            lsp.CompletionItem(label=f"{fn}()", kind=lsp.CompletionItemKind.Function)
            for fn in DEFAULT_FUNCTIONS
        ]
        decl = index.declarations.get(cursor.field_type or "")
        if isinstance(decl, ast.EnumDecl):  # an enum field: its members first
            members = [
                lsp.CompletionItem(
                    label=m.name, kind=lsp.CompletionItemKind.EnumMember, sort_text=f"0{m.name}"
                )
                for m in decl.members
            ]
            return members + items
        return items
    if cursor.attribute == "relation":
        return [
            *(
                lsp.CompletionItem(
                    label=a, kind=lsp.CompletionItemKind.Property, insert_text=f"{a}: "
                )
                for a in RELATION_ARGS
            ),
            *(
                lsp.CompletionItem(label=o, kind=lsp.CompletionItemKind.EnumMember)
                for o in ON_DELETE
            ),
        ]
    return []


def src_modules(spec_dir: Path) -> list[str]:
    """``@src/...`` for every Python module under ``src/``."""
    root = spec_dir / "src"
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(spec_dir).with_suffix("")
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        if all(p.isidentifier() for p in parts) and len(parts) > 1:
            found.append("@src/" + "/".join(parts[1:]))
    return found


# ---------------------------------------------------------------- hover


def hover(analysis: Analysis, offset: int, spec_dir: Path) -> lsp.Hover | None:
    index = analysis.index
    lines = Lines(analysis.source)
    for site in index.keys:
        if span_contains(site.key.span, offset):
            spec = field_at(site.path)
            dotted = ".".join(site.path)
            if spec is None:
                return _markdown(
                    f"`{dotted}`: not a field of this declaration", lines, site.key.span
                )
            need = "required" if spec.required else "optional"
            doc = field_doc(dotted) or ""
            text = f"**{dotted}** ({need})\n\n{describe_type(spec.type)}\n\n{doc}"
            return _markdown(text, lines, site.key.span)
    for imp in index.imports:
        if span_contains(imp.expr.span, offset):
            return _markdown(_import_hover(imp, spec_dir), lines, imp.expr.span)
    name = _name_at(analysis, offset)
    if name is not None:
        decl = index.declarations.get(name[0])
        if decl is not None:
            text = _declaration_text(analysis.source, decl)
            kind = declaration_kind(decl)
            return _markdown(f"```sq\n{text}\n```\n\n{KIND_DOCS.get(kind, '')}", lines, name[1])
    for decl in analysis.module.declarations:
        if isinstance(decl, ast.Decl) and span_contains(decl.kind.span, offset):
            return _markdown(KIND_DOCS.get(decl.kind.name, ""), lines, decl.kind.span)
    return None


def _markdown(text: str, lines: Lines, span: SourceSpan) -> lsp.Hover:
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text.strip()),
        range=lines.span(span),
    )


def _import_hover(imp: ImportSite, spec_dir: Path) -> str:
    role = role_of(imp.role)
    expected = f"{'async def' if role.is_async else 'def'} {imp.expr.name.name}({role.params})"
    path = module_path(spec_dir, imp.expr.path.value)
    defined = (
        next((n for n in python_names(path) if n.name == imp.expr.name.name), None)
        if path
        else None
    )
    where = (
        f"`{path.relative_to(spec_dir).as_posix()}`" if path else "a module that does not exist yet"
    )
    text = f"**{imp.owner}** calls `{expected}`\n\n"
    if defined is not None:
        text += f"Defined in {where}, line {defined.line}:\n```python\n{defined.signature}\n```"
    else:
        text += f"Not defined in {where}: the quick fix writes it."
    doc = field_doc(imp.role.replace("[]", ""))
    return text + (f"\n\n{doc}" if doc else "")


def _declaration_text(source: str, decl: ast.Declaration, limit: int = 16) -> str:
    text = source[decl.span.start_offset : decl.span.end_offset]
    shown = text.split("\n")
    return "\n".join(shown[:limit] + (["  ..."] if len(shown) > limit else []))


# ---------------------------------------------------------------- definition, references, rename


def _name_at(analysis: Analysis, offset: int) -> tuple[str, SourceSpan] | None:
    """The declaration name at ``offset``: a declaration's own name or a reference to one."""
    for decl in analysis.module.declarations:
        if span_contains(decl.name.span, offset):
            return decl.name.name, decl.name.span
    for ref in analysis.index.references:
        if span_contains(ref.span, offset) and ref.name in analysis.index.declarations:
            return ref.name, ref.span
    return None


def definition(analysis: Analysis, offset: int, uri: str, spec_dir: Path) -> lsp.Location | None:
    lines = Lines(analysis.source)
    for imp in analysis.index.imports:
        if span_contains(imp.expr.span, offset):
            path = module_path(spec_dir, imp.expr.path.value)
            if path is None:
                return None
            found = next((n for n in python_names(path) if n.name == imp.expr.name.name), None)
            line = (found.line - 1) if found else 0
            column = found.column if found else 0
            where = lsp.Range(
                start=lsp.Position(line=line, character=column),
                end=lsp.Position(line=line, character=column),
            )
            return lsp.Location(uri=path.as_uri(), range=where)
    name = _name_at(analysis, offset)
    if name is None:
        return None
    decl = analysis.index.declarations.get(name[0])
    if decl is None:
        return None
    return lsp.Location(uri=uri, range=lines.span(decl.name.span))


def _occurrences(analysis: Analysis, name: str) -> list[SourceSpan]:
    spans = [r.span for r in analysis.index.references if r.name == name]
    decl = analysis.index.declarations.get(name)
    kind = declaration_kind(decl) if decl is not None else None
    if kind in ("entity", "enum"):  # enum members with the same name are other things
        spans = [
            r.span for r in analysis.index.references if r.name == name and r.kind in (None, kind)
        ]
    return spans


def references(
    analysis: Analysis, offset: int, uri: str, include_declaration: bool
) -> list[lsp.Location]:
    name = _name_at(analysis, offset)
    if name is None:
        return []
    lines = Lines(analysis.source)
    spans = _occurrences(analysis, name[0])
    decl = analysis.index.declarations.get(name[0])
    if include_declaration and decl is not None:
        spans = [decl.name.span, *spans]
    return [lsp.Location(uri=uri, range=lines.span(span)) for span in spans]


class RenameRefused(Exception):
    pass


def prepare_rename(analysis: Analysis, offset: int) -> lsp.Range | None:
    name = _name_at(analysis, offset)
    if name is None or name[0] not in analysis.index.declarations:
        return None
    return Lines(analysis.source).span(name[1])


def rename(analysis: Analysis, offset: int, uri: str, new_name: str) -> lsp.WorkspaceEdit:
    name = _name_at(analysis, offset)
    if name is None or name[0] not in analysis.index.declarations:
        raise RenameRefused("no declaration here to rename")
    decl = analysis.index.declarations[name[0]]
    kind = kinds.kind(declaration_kind(decl))
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", new_name) or new_name in KEYWORDS:
        raise RenameRefused(f"`{new_name}` cannot name a declaration")
    if kind.case is not None and (new_name[0].isupper() != (kind.case == "upper")):
        raise RenameRefused(f"{kind.name} names start with a {kind.case}case letter")
    if new_name in analysis.index.declarations:
        raise RenameRefused(f"`{new_name}` is already declared")
    lines = Lines(analysis.source)
    spans = [decl.name.span, *_occurrences(analysis, name[0])]
    edits = [lsp.TextEdit(range=lines.span(span), new_text=new_name) for span in spans]
    return lsp.WorkspaceEdit(changes={uri: edits})


# ---------------------------------------------------------------- code actions, formatting


def code_actions(
    analysis: Analysis,
    start: int,
    end: int,
    spec_dir: Path,
    diagnostics_in_range: Iterable[lsp.Diagnostic],
) -> list[lsp.CodeAction]:
    """ "Create function" for each import in the range whose function does not exist."""
    actions = []
    relevant = list(diagnostics_in_range)
    for imp in analysis.index.imports:
        span = imp.expr.span
        if span.end_offset < start or span.start_offset > end:
            continue
        request = StubRequest(imp.expr.path.value, imp.expr.name.name, imp.role, imp.owner)
        changes, report = plan_stubs(spec_dir, [request])
        if not report.added:
            continue
        target = report.added[0][0]
        document_changes: list[lsp.TextDocumentEdit | lsp.CreateFile] = []
        for change in changes:
            if change.old is None:
                document_changes.append(lsp.CreateFile(uri=change.path.as_uri()))
                whole = lsp.Range(
                    start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)
                )
            else:
                whole = Lines(change.old).range(0, len(change.old))
            document_changes.append(
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                        uri=change.path.as_uri(), version=None
                    ),
                    edits=[lsp.TextEdit(range=whole, new_text=change.new)],
                )
            )
        role = role_of(imp.role)
        signature = f"{'async def' if role.is_async else 'def'} {imp.expr.name.name}({role.params})"
        lines = Lines(analysis.source)
        actions.append(
            lsp.CodeAction(
                title=f"Create `{signature}` in {target.relative_to(spec_dir).as_posix()}",
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[d for d in relevant if _overlaps(lines.span(imp.expr.span), d.range)]
                or None,
                is_preferred=True,
                edit=lsp.WorkspaceEdit(document_changes=document_changes),
            )
        )
    return actions


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def formatting(text: str, file: str) -> list[lsp.TextEdit] | None:
    """One edit replacing the document with ``sentinel fmt``'s layout; None on syntax errors."""
    try:
        formatted = format_source(text, file)
    except FormatRefused:
        return None
    if formatted == text:
        return []
    return [lsp.TextEdit(range=Lines(text).range(0, len(text)), new_text=formatted)]
