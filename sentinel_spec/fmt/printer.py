"""The canonical layout of a parsed ``.sq`` file, comments included.

The layout is a function of the syntax tree, the comments and where blank lines were,
never of the rest of the original whitespace, so formatting twice changes nothing:

- two-space indents, a line at most ``WIDTH`` wide where a value can be broken;
- a dict, list or tuple stays on one line when it fits and holds no comment, else one
  item a line with a trailing comma; a declaration body is always broken unless it fits
  and no value has brackets of its own (``route Home { path: "/", to: HomePage }``);
- entity fields are aligned in columns (name, type, attributes), as Prisma does; an
  enum stays on one line when it fits;
- keys, fields and items keep the order they were written in; strings and numbers
  keep their spelling; ``{=json ... json=}`` is re-printed from its value;
- a comment stays where it was relative to the items around it: on its own line
  before an item, or at the end of the item's line. A comment inside something the
  printer keeps on one line (an import, between a key and its value) moves to the
  line before that item; none is ever dropped;
- one blank line is kept where the source had one or more between two items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sentinel_spec import ast
from sentinel_spec.fmt.comments import CommentIndex

WIDTH = 100
INDENT = "  "

_BLANK_LINE = re.compile(r"\n[ \t\f\r]*\n")
# Values that let a declaration body stay on one line: no brackets of their own.
_SIMPLE = (ast.StringLit, ast.NumberLit, ast.BoolLit, ast.Ref, ast.ImportExpr, ast.EnvExpr)

Node = TypeVar("Node")


class Printer:
    """Prints one parsed file; every comment of ``comments`` is placed exactly once."""

    def __init__(self, source: str, comments: CommentIndex) -> None:
        self.source = source
        self.comments = comments

    # ------------------------------------------------------------ the file

    def module(self, module: ast.Module) -> str:
        lines = self._block(
            sorted(module.declarations, key=_start), 0, len(self.source), "", self.declaration
        )
        left = self.comments.unplaced()
        if left:  # a bug in the placement rules; never lose a comment over it
            raise AssertionError(f"comments not placed: {[c.text for c in left]}")
        return "\n".join(lines).strip("\n") + "\n" if lines else ""

    def declaration(self, decl: ast.Declaration, indent: str = "") -> list[str]:
        if isinstance(decl, ast.EntityDecl):
            return self._entity(decl, indent)
        if isinstance(decl, ast.EnumDecl):
            return self._enum(decl, indent)
        head = f"{indent}{decl.kind.name} {decl.name.name} "
        body = decl.body
        simple = all(isinstance(e.value, _SIMPLE) for e in body.entries)
        if simple and not self._has_comments(body):
            flat = self._flat(body)
            if len(head) + len(flat) <= WIDTH:
                return [head + flat]
        lines = self._broken(body, indent)
        lines[0] = head + lines[0]
        return lines

    # ------------------------------------------------------------ blocks of items

    def _block(
        self,
        items: Sequence[Node],
        lo: int,
        hi: int,
        indent: str,
        render: Callable[[Node, str], list[str]],
    ) -> list[str]:
        """Items one a line (each rendered by ``render``), with the comments between them.

        ``lo``/``hi`` bound the region whose loose comments belong to this block.
        """
        spans = [_span_of(item) for item in items]
        pieces: list[tuple[int, int, int, Any]] = [
            (start, end, 1, item) for (start, end), item in zip(spans, items, strict=True)
        ]
        for index in self.comments.within(lo, hi):
            comment = self.comments.comments[index]
            if not any(start <= comment.start < end for start, end in spans):
                pieces.append((comment.start, comment.end, 0, index))
        pieces.sort(key=lambda piece: piece[0])

        lines: list[str] = []
        previous_end: int | None = None
        for start, end, is_item, payload in pieces:
            gap = None if previous_end is None else self.source[previous_end:start]
            blank = gap is not None and _BLANK_LINE.search(gap) is not None
            if not is_item:
                comment = self.comments.place(payload)
                first, *rest = comment.text.split("\n")
                if gap is not None and "\n" not in gap:  # at the end of the line before
                    lines[-1] += " " + first
                else:
                    if blank:
                        lines.append("")
                    lines.append(indent + first)
                lines.extend(rest)
            else:
                body = render(payload, indent)
                if blank:
                    lines.append("")
                for index in self.comments.within(start, end):  # left inside the item
                    first, *rest = self.comments.place(index).text.split("\n")
                    lines.append(indent + first)
                    lines.extend(rest)
                lines.extend(body)
            previous_end = end
        return lines

    # ------------------------------------------------------------ values

    def _value(self, expr: ast.Expr, indent: str, column: int, suffix: int) -> list[str]:
        """``expr`` starting at ``column`` of a line: the rest of that line, then whole lines.

        ``suffix`` is the width of what follows the value on its last line (a comma).
        """
        if isinstance(expr, ast.DictExpr | ast.ListExpr | ast.TupleExpr):
            if not self._has_comments(expr):
                flat = self._flat(expr)
                if column + len(flat) + suffix <= WIDTH or not _items(expr):
                    return [flat]
            return self._broken(expr, indent)
        if isinstance(expr, ast.JsonExpr):
            flat = self._flat(expr)
            if column + len(flat) + suffix <= WIDTH:
                return [flat]
            return self._json_broken(expr, indent)
        return [self._flat(expr)]

    def _broken(self, expr: ast.DictExpr | ast.ListExpr | ast.TupleExpr, indent: str) -> list[str]:
        opening, closing = _BRACKETS[type(expr)]
        inner = indent + INDENT
        span = expr.span
        if isinstance(expr, ast.DictExpr):
            body = self._block(
                expr.entries, span.start_offset + 1, span.end_offset, inner, self._entry
            )
        else:
            body = self._block(
                expr.items, span.start_offset + 1, span.end_offset, inner, self._item
            )
        return [opening, *body, indent + closing]

    def _entry(self, entry: ast.DictEntry, indent: str) -> list[str]:
        head = f"{indent}{entry.key.name}: "
        lines = self._value(entry.value, indent, len(head), 1)
        lines[0] = head + lines[0]
        lines[-1] += ","
        return lines

    def _item(self, item: ast.Expr, indent: str) -> list[str]:
        lines = self._value(item, indent, len(indent), 1)
        lines[0] = indent + lines[0]
        lines[-1] += ","
        return lines

    def _json_broken(self, expr: ast.JsonExpr, indent: str) -> list[str]:
        text = _json_text(expr, indent=2)
        if text is None or "\n" not in text:
            return [self._flat(expr)]
        first, *middle, last = text.split("\n")
        return [f"{{=json {first}", *(indent + line for line in middle), f"{indent}{last} json=}}"]

    def _flat(self, expr: ast.Expr) -> str:
        if isinstance(expr, ast.StringLit | ast.NumberLit):
            return self._raw(expr.span)
        if isinstance(expr, ast.BoolLit):
            return "true" if expr.value else "false"
        if isinstance(expr, ast.Ref):
            return expr.name
        if isinstance(expr, ast.DictExpr):
            if not expr.entries:
                return "{}"
            entries = ", ".join(f"{e.key.name}: {self._flat(e.value)}" for e in expr.entries)
            return f"{{ {entries} }}"
        if isinstance(expr, ast.ListExpr):
            return "[" + ", ".join(self._flat(i) for i in expr.items) + "]"
        if isinstance(expr, ast.TupleExpr):
            return "(" + ", ".join(self._flat(i) for i in expr.items) + ")"
        if isinstance(expr, ast.ImportExpr):
            alias = f" as {expr.alias.name}" if expr.alias else ""
            return f"import {{ {expr.name.name}{alias} }} from {self._raw(expr.path.span)}"
        if isinstance(expr, ast.JsonExpr):
            text = _json_text(expr, indent=None)
            if text is None:  # cannot be printed back inside the quoter: keep it as written
                return self._raw(expr.span)
            return f"{{=json {text} json=}}"
        default = f", {self._flat(expr.default)}" if expr.default is not None else ""
        return f"env({self._raw(expr.name.span)}{default})"

    # ------------------------------------------------------------ entities and enums

    def _entity(self, decl: ast.EntityDecl, indent: str) -> list[str]:
        opening, closing = ("{=psl", "psl=}") if decl.psl else ("{", "}")
        head = f"{indent}entity {decl.name.name} {opening}"
        items: list[ast.FieldDef | ast.Attribute] = sorted(
            (*decl.fields, *decl.block_attributes), key=_start
        )
        name_width = max((len(f.name.name) for f in decl.fields), default=0)
        type_width = max((len(_type_text(f.type)) for f in decl.fields), default=0)

        def render(item: ast.FieldDef | ast.Attribute, inner: str) -> list[str]:
            if isinstance(item, ast.Attribute):
                return [inner + self._attribute(item)]
            attributes = " ".join(self._attribute(a) for a in item.attributes)
            line = f"{item.name.name.ljust(name_width)} {_type_text(item.type).ljust(type_width)}"
            return [(inner + f"{line} {attributes}").rstrip()]

        body = self._block(
            items, decl.name.span.end_offset, decl.span.end_offset, indent + INDENT, render
        )
        if not body:
            return [f"{head}{' ' if decl.psl else ''}{closing}"]
        return [head, *body, indent + closing]

    def _attribute(self, attribute: ast.Attribute) -> str:
        name = ("@@" if attribute.block else "@") + attribute.name.name
        if not attribute.args:
            return name
        return f"{name}({', '.join(self._attr_arg(a) for a in attribute.args)})"

    def _attr_arg(self, arg: ast.AttrArg) -> str:
        value = self._attr_value(arg.value)
        return f"{arg.name.name}: {value}" if arg.name else value

    def _attr_value(self, value: ast.AttrValue) -> str:
        if isinstance(value, ast.FuncCall):
            return f"{value.name.name}()"
        if isinstance(value, ast.AttrList):
            return "[" + ", ".join(self._attr_value(v) for v in value.items) + "]"
        return self._flat(value)

    def _enum(self, decl: ast.EnumDecl, indent: str) -> list[str]:
        head = f"{indent}enum {decl.name.name} "
        span = decl.span
        if not self.comments.any_within(decl.name.span.end_offset, span.end_offset):
            members = " ".join(m.name for m in decl.members)
            flat = head + (f"{{ {members} }}" if members else "{}")
            if len(flat) <= WIDTH:
                return [flat]
        body = self._block(
            decl.members,
            decl.name.span.end_offset,
            span.end_offset,
            indent + INDENT,
            lambda member, inner: [inner + member.name],
        )
        return [head + "{", *body, indent + "}"]

    # ------------------------------------------------------------ helpers

    def _has_comments(self, expr: ast.Expr) -> bool:
        return self.comments.any_within(expr.span.start_offset, expr.span.end_offset)

    def _raw(self, span: Any) -> str:
        return self.source[span.start_offset : span.end_offset]


_BRACKETS: dict[type, tuple[str, str]] = {
    ast.DictExpr: ("{", "}"),
    ast.ListExpr: ("[", "]"),
    ast.TupleExpr: ("(", ")"),
}


def _items(expr: ast.DictExpr | ast.ListExpr | ast.TupleExpr) -> tuple[Any, ...]:
    return expr.entries if isinstance(expr, ast.DictExpr) else expr.items


def _start(node: Any) -> int:
    offset: int = node.span.start_offset
    return offset


def _span_of(node: Any) -> tuple[int, int]:
    return node.span.start_offset, node.span.end_offset


def _type_text(type_ref: ast.TypeRef) -> str:
    return type_ref.name.name + ("?" if type_ref.optional else "[]" if type_ref.is_list else "")


def _json_text(expr: ast.JsonExpr, indent: int | None) -> str | None:
    """The quoter's value as JSON text, or None when it would end the quoter early.

    On one line, objects get a space inside their braces, as dicts do: ``{ "a": 1 }``.
    """
    if indent is None:
        text = _json_line(expr.value)
    else:
        text = json.dumps(expr.value, ensure_ascii=False, indent=indent)
    return None if "json=}" in text else text


def _json_line(value: object) -> str:
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = ", ".join(
            f"{json.dumps(k, ensure_ascii=False)}: {_json_line(v)}" for k, v in value.items()
        )
        return f"{{ {members} }}"
    if isinstance(value, list):
        return "[" + ", ".join(_json_line(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
