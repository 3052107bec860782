"""Text of a ``.sq`` file -> ``ast.Module`` plus every syntax error found.

One LALR lark parser per process, built lazily on first use (importing this module
does not import lark). The AST is built *inline* by ``_AstBuilder`` while parsing, so
no intermediate tree exists; lark does not hand ``meta`` to inline callbacks, so the
grammar keeps all tokens and every span is joined from a node's first and last child.

``parse`` never raises on bad input. A syntax error stops the parse of the
declaration it is in; the file is then re-parsed declaration by declaration (split
where a line starts with a kind and a name, see ``_declaration_start``) so every
broken declaration is reported once and every sound one is still returned.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from sentinel_spec import ast, kinds
from sentinel_spec.errors import (
    LineIndex,
    SourceSpan,
    SpecError,
    did_you_mean,
    suggestion_budget,
)
from sentinel_spec.gc_pause import gc_paused
from sentinel_spec.limits import (
    MAX_DECLARATIONS,
    MAX_LITERAL_CHARS,
    MAX_NESTING,
    MAX_SPEC_BYTES,
    size_text,
)
from sentinel_spec.literals import (
    LiteralError,
    bad_escape,
    nearest_number,
    read_json,
    read_number,
)

if TYPE_CHECKING:
    from lark import Lark, Token
    from lark.exceptions import UnexpectedInput

__all__ = ["DECLARATION_KINDS", "KEYWORDS", "parse"]

# The language's kinds (``kinds.py``) and reserved words, as they are when imported; the
# parser itself reads ``kinds.KINDS`` on every call (``_vocabulary``), so the table is
# the one list.
DECLARATION_KINDS: tuple[str, ...] = kinds.names()
_OTHER_KEYWORDS = ("import", "from", "true", "false", "env")
KEYWORDS: frozenset[str] = frozenset((*DECLARATION_KINDS, *_OTHER_KEYWORDS))

_JSON_OPEN = "{=json"
_JSON_CLOSE = "json=}"
# strict=False: a raw tab inside a string is harmless; JSON proper forbids it.
_STRING_DECODER = json.JSONDecoder(strict=False)


# Where a declaration may start, for resynchronising after a syntax error: a kind
# keyword at column 1 and a name, unless what follows the name is what follows a
# field's type (`?`, `[]`, `@`, end of line): `page String` in an entity is a field.
# Strings, comments and quoters are matched first so a keyword inside them is not
# taken for a declaration. Compiled on first error (re.compile is slow at import).
def _declaration_start(kind_names: tuple[str, ...]) -> str:
    return (
        r'"(?:[^"\\\n]++|\\.)*+"|//[^\n]*|/\*[\s\S]*?\*/|\{=json[\s\S]*?json=\}|\{=psl[\s\S]*?psl=\}'
        r"|^(?P<kind>" + "|".join(kind_names) + r")"
        r"(?=[ \t]*\{|[ \t]+[A-Za-z_][A-Za-z0-9_]*+(?:\s*\{|(?![ \t]*(?:[?@}\r\n]|\[\]|//|/\*|$))))"
    )


class _Vocabulary(NamedTuple):
    """What the parser derives from ``kinds.KINDS``."""

    kinds: tuple[str, ...]
    keywords: frozenset[str]
    declaration_start: str
    kind_terminal: str  # the grammar's KIND line


@cache
def _vocabulary_of(table: tuple[kinds.DeclKind, ...]) -> _Vocabulary:
    names = tuple(k.name for k in table)
    # In the table's order; the lookahead keeps `api` from matching inside `apiNamespace`.
    dict_kinds = [k.name for k in table if k.form == "dict"]
    terminal = "KIND.2: /(" + "|".join(dict_kinds) + ")(?![A-Za-z0-9_])/"
    return _Vocabulary(
        names, frozenset((*names, *_OTHER_KEYWORDS)), _declaration_start(names), terminal
    )


_last_vocabulary: tuple[tuple[kinds.DeclKind, ...], _Vocabulary] | None = None


def _vocabulary() -> _Vocabulary:
    # Looked up several times a parse: compare the table by identity, not by hashing it.
    global _last_vocabulary
    table = kinds.KINDS
    if _last_vocabulary is None or _last_vocabulary[0] is not table:
        _last_vocabulary = (table, _vocabulary_of(table))
    return _last_vocabulary[1]


def declaration_start_pattern() -> str:
    """Where a declaration may start (the error recovery's split; group ``kind``), for tools
    that read half-written files the same way (the language server)."""
    return _vocabulary().declaration_start


# Human names for terminals in "expected ..." messages; punctuation is shown quoted.
_TERMINAL_NAMES: dict[str, str] = {
    "IDENT": "identifier",
    "STRING": "string",
    "NUMBER": "number",
    "KIND": "declaration keyword",
    "ENTITY": '"entity"',
    "ENUM": '"enum"',
    "IMPORT": '"import"',
    "FROM": '"from"',
    "AS": '"as"',
    "ENV": '"env"',
    "TRUE": '"true"',
    "FALSE": '"false"',
    "FIELD_ATTR": "attribute (@...)",
    "BLOCK_ATTR": "block attribute (@@...)",
    "JSON_QUOTER": "{=json ... json=}",
    "PSL_OPEN": '"{=psl"',
    "PSL_CLOSE": '"psl=}"',
    "$END": "end of input",
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "LSQB": '"["',
    "RSQB": '"]"',
    "LPAR": '"("',
    "RPAR": '")"',
    "COMMA": '","',
    "COLON": '":"',
    "QMARK": '"?"',
}
_VALUE_START = frozenset(
    {"STRING", "NUMBER", "TRUE", "FALSE", "IDENT", "LBRACE", "LSQB", "LPAR"}
    | {"IMPORT", "JSON_QUOTER", "ENV"}
)
_DECLARATION_START_TERMINALS = frozenset({"KIND", "ENTITY", "ENUM"})
_ITEM_START = _VALUE_START | {"FIELD_ATTR", "BLOCK_ATTR"}


def parse(source: str, file: str = "app.sq") -> tuple[ast.Module, list[SpecError]]:
    """Parse ``source``; return every declaration that parsed, and all syntax errors.

    Declarations with value-level errors (a duplicate key, bad JSON, a bad escape) are
    kept; those whose syntax is broken or whose name is a keyword are left out.
    """
    from lark.exceptions import UnexpectedInput

    if len(source) > MAX_SPEC_BYTES:
        return ast.Module((), _whole_span(source, file)), [file_too_large(file, len(source))]
    parser = _parser()
    errors: list[SpecError] = []
    with gc_paused(), _LOCK, suggestion_budget():
        _BUILDER.begin(file, 0, 0, errors)
        try:
            declarations = _run(parser, source)
        except (UnexpectedInput, _TooDeep) as whole_file_error:
            errors.clear()  # the per-declaration pass below finds them all again
            declarations = _parse_each_declaration(parser, source, file, errors)
            if not errors:  # cannot happen unless the split misleads; never lose the error
                errors.append(_recovery_error(whole_file_error, source, file))
        finally:
            _BUILDER.begin(file, 0, 0, [])
    return assemble(source, file, declarations, errors)


def assemble(
    source: str, file: str, declarations: list[ast.Declaration], errors: list[SpecError]
) -> tuple[ast.Module, list[SpecError]]:
    """``parse``'s answer from the declarations and errors found in ``source``, in order."""
    if len(declarations) > MAX_DECLARATIONS:
        errors.append(_too_many_declarations(declarations[MAX_DECLARATIONS]))
        declarations = declarations[:MAX_DECLARATIONS]
    module = ast.Module(tuple(declarations), _whole_span(source, file))
    return module, sorted(errors, key=SpecError.sort_key)


# ---------------------------------------------------------------- piecewise parsing
#
# For a tool that parses a file edited a little at a time (the language server): the
# pieces of ``declaration_bounds``, each parsed alone, then joined, give ``parse``'s
# answer. Each piece starts where the parser's state is "between declarations", so a
# whole-file parse reads a piece exactly as a parse of the piece alone does, up to the
# piece's end; and from the first piece that does not parse alone, it reads the rest
# of the file exactly as a parse of that rest alone does.


def declaration_bounds(source: str) -> list[int]:
    """Where the error recovery splits ``source``: 0, each declaration start, the end."""
    starts = [
        m.start()
        for m in re.finditer(_vocabulary().declaration_start, source, re.MULTILINE)
        if m.group("kind")
    ]
    return [0, *(s for s in starts if s > 0), len(source)]


def parses_alone(text: str, file: str = "app.sq") -> bool:
    """Whether ``text`` parses without a syntax error (value-level errors do not count)."""
    from lark.exceptions import UnexpectedInput

    with gc_paused(), _LOCK:
        _BUILDER.begin(file, 0, 0, [])
        try:
            _run(_parser(), text)
        except (UnexpectedInput, _TooDeep):
            return False
        finally:
            _BUILDER.begin(file, 0, 0, [])
    return True


def parse_in_place(
    source: str, begin: int, end: int, line_shift: int, file: str = "app.sq"
) -> tuple[list[ast.Declaration], list[SpecError]] | None:
    """The declarations and value-level errors of ``source[begin:end]`` (a piece of
    ``declaration_bounds``, ``line_shift`` lines down), positioned as a whole-file parse
    gives them; None when the piece has a syntax error."""
    from lark.exceptions import UnexpectedInput

    errors: list[SpecError] = []
    with gc_paused(), _LOCK, suggestion_budget():
        _BUILDER.begin(file, line_shift, begin, errors)
        try:
            declarations = _run(_parser(), source[begin:end])
        except (UnexpectedInput, _TooDeep):
            return None
        finally:
            _BUILDER.begin(file, 0, 0, [])
    return declarations, errors


# ``reuse(begin, end, line_shift)``: the declarations of the piece ``source[begin:end]``
# (lines shifted down ``line_shift``), already placed, when it is known to parse alone
# without any error; None to have it parsed here.
Reuse = Callable[[int, int, int], "list[ast.Declaration] | None"]


def parse_recovering(
    source: str, file: str, bounds: list[int], reuse: Reuse
) -> tuple[ast.Module, list[SpecError]]:
    """``parse``'s answer for a ``source`` whose whole-file parse fails (a syntax error):
    its per-declaration pass, with the pieces ``reuse`` knows taken from it."""
    errors: list[SpecError] = []
    with gc_paused(), _LOCK, suggestion_budget():
        try:
            declarations = _parse_each_declaration(_parser(), source, file, errors, bounds, reuse)
        finally:
            _BUILDER.begin(file, 0, 0, [])
    if not errors:  # the whole file parsed after all: never answer differently
        return parse(source, file)
    return assemble(source, file, declarations, errors)


def file_too_large(file: str, size: int, unit: str = "characters") -> SpecError:
    """The one error of a spec over the size limit (nothing of it is parsed)."""
    return SpecError(
        SourceSpan(1, 1, 1, 1, 0, 0, file),
        f"{file} is {size:,} {unit} ({size_text(size)}): a spec may be at most "
        f"{size_text(MAX_SPEC_BYTES)}",
        "a spec this large is most likely generated or pasted by mistake",
    )


def _too_many_declarations(first_over: ast.Declaration) -> SpecError:
    return SpecError(
        first_over.name.span,
        f"more than {MAX_DECLARATIONS:,} declarations: this one and those after it are not checked",
    )


def _recovery_error(error: Exception, source: str, file: str) -> SpecError:
    if isinstance(error, _TooDeep):
        return _BUILDER.too_deep(error.token)
    from lark.exceptions import UnexpectedInput

    assert isinstance(error, UnexpectedInput)
    return _translate(error, source, 0, len(source), 0, file)[0]


# ---------------------------------------------------------------- the lark instance


def _parser() -> Lark:
    return _parser_for(_vocabulary().kind_terminal)


_KIND_LINE = re.compile(r"^KIND\.2: .*$", re.MULTILINE)


@cache
def _parser_for(kind_terminal: str) -> Lark:
    from importlib.resources import files

    from lark import Lark

    grammar = files("sentinel_spec").joinpath("grammar.lark").read_text(encoding="utf-8")
    # The KIND terminal comes from kinds.py (the grammar file's copy is for reading).
    grammar, count = _KIND_LINE.subn(kind_terminal.replace("\\", "\\\\"), grammar)
    assert count == 1, "grammar.lark must define KIND.2 on one line"
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        start="module",
        keep_all_tokens=True,
        maybe_placeholders=False,
        transformer=_BUILDER,
        lexer_callbacks={
            **dict.fromkeys(_OPENING, _BUILDER.open_bracket),
            **dict.fromkeys(_CLOSING, _BUILDER.close_bracket),
        },
        # Building the LALR tables is most of a small build's time: lark keeps them in
        # a file in the temp folder, keyed by grammar, options and lark version.
        cache=True,
    )


def _run(parser: Lark, text: str) -> list[ast.Declaration]:
    # The inline builder's ``module`` callback makes the result a list, not a Tree.
    declarations: list[ast.Declaration] = parser.parse(text)  # type: ignore[assignment]
    return declarations


# Brackets of values; PSL_OPEN/PSL_CLOSE are not counted, a model body holds no values.
_OPENING = ("LBRACE", "LSQB", "LPAR")
_CLOSING = ("RBRACE", "RSQB", "RPAR")


class _TooDeep(Exception):
    """Raised by the lexer at the bracket that opens one level past ``MAX_NESTING``."""

    def __init__(self, token: Token) -> None:
        super().__init__(token)
        self.token = token


# The builder is shared by the cached parser, and holds per-call state (file name,
# position shift, error sink): calls are serialised.
_LOCK = threading.Lock()


# ---------------------------------------------------------------- error recovery


def _parse_each_declaration(
    parser: Lark,
    source: str,
    file: str,
    errors: list[SpecError],
    bounds: list[int] | None = None,
    reuse: Reuse | None = None,
) -> list[ast.Declaration]:
    from lark.exceptions import UnexpectedInput

    if bounds is None:
        bounds = declaration_bounds(source)
    declarations: list[ast.Declaration] = []
    line_shift = 0
    for index in range(len(bounds) - 1):
        begin, end = bounds[index], bounds[index + 1]
        if index > 0:
            line_shift += source.count("\n", bounds[index - 1], begin)
        if reuse is not None:
            known = reuse(begin, end, line_shift)
            if known is not None:
                declarations.extend(known)
                continue
        chunk = source[begin:end]
        _BUILDER.begin(file, line_shift, begin, errors)
        try:
            declarations.extend(_run(parser, chunk))
        except _TooDeep as deep:
            errors.append(_BUILDER.too_deep(deep.token))
        except UnexpectedInput as error:
            precise = len(errors) < PRECISE_SYNTAX_ERRORS
            translated, swallows_rest = _translate(
                error, source, begin, end, line_shift, file, precise
            )
            errors.append(translated)
            if swallows_rest:
                break
    return declarations


# Finding what really was expected replays the parser once per terminal (about 0.5 ms an
# error): 100,000 syntax errors took over a minute. Past this many (far more than one run
# prints) the expected lists come from the LALR table, which may name a few extra tokens.
PRECISE_SYNTAX_ERRORS = 200


def _translate(
    error: UnexpectedInput,
    source: str,
    begin: int,
    end: int,
    line_shift: int,
    file: str,
    precise: bool = True,
) -> tuple[SpecError, bool]:
    """A lark exception (positions relative to ``source[begin:end]``) as a ``SpecError``.

    The flag says whether the problem swallows the rest of the file (an unterminated
    block comment or quoter), so later declarations must not be parsed.
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(source, begin + (error.pos_in_stream or 0), file)
    if isinstance(error, UnexpectedToken):
        expected = _accepted(error) if precise else set(error.expected)
        token = error.token
        if token.type == "$END":
            return _unexpected_end(source, end, expected, file), False
        span = _token_span(token, line_shift, begin, file)
        return SpecError(
            span, _unexpected_message(_describe(token), expected), _token_hint(token, expected)
        ), False
    return SpecError(_point(source, begin, file), "syntax error"), False


def _accepted(error: Any) -> set[str]:
    """Terminals that would really advance the parser (LALR's merged lookaheads overstate)."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        accepted: set[str] = interactive.accepts()
        if accepted:
            return accepted
    return set(error.expected)


def _unexpected_character(source: str, offset: int, file: str) -> tuple[SpecError, bool]:
    char = source[offset]
    if char == '"':
        line_end = source.find("\n", offset)
        line_end = len(source) if line_end < 0 else line_end
        return SpecError(
            _region(source, offset, line_end, file),
            "unterminated string",
            'close it with `"` on the same line; write a line break as \\n',
        ), False
    if source.startswith("/*", offset):
        return SpecError(
            _region(source, offset, offset + 2, file),
            "unterminated block comment",
            "close it with `*/`",
        ), True
    if char == "=" and offset > 0 and source[offset - 1] == "{":
        tag = re.match(r"=([A-Za-z_][A-Za-z0-9_]*)", source[offset:])
        opening = "{=" + (tag.group(1) if tag else "")
        region = _region(source, offset - 1, offset - 1 + len(opening), file)
        if opening == _JSON_OPEN:
            return SpecError(
                region, f"unterminated `{_JSON_OPEN}` quoter", f"close it with `{_JSON_CLOSE}`"
            ), True
        return SpecError(
            region,
            f"unknown quoter `{opening}`",
            f"values use `{_JSON_OPEN} ... {_JSON_CLOSE}`; entities `{{=psl ... psl=}}`",
        ), False
    shown = json.dumps(char)
    return SpecError(
        _region(source, offset, offset + 1, file), f"unexpected character {shown}"
    ), False


def _unexpected_end(source: str, end: int, expected: set[str], file: str) -> SpecError:
    if end < len(source):
        # The declaration runs into the next one: point at the next keyword.
        keyword = re.match(r"[A-Za-z_]+", source[end:])
        stop = end + (len(keyword.group(0)) if keyword else 1)
        return SpecError(
            _region(source, end, stop, file),
            _unexpected_message(f'"{source[end:stop]}"', expected),
            "the declaration above is not finished; is a closing bracket missing?",
        )
    last = len(source.rstrip())
    hint = None
    if "PSL_CLOSE" in expected:
        hint = "close the entity body with `psl=}`"
    elif expected & {"RBRACE", "RSQB", "RPAR"}:
        hint = "is a closing bracket missing?"
    return SpecError(
        _region(source, last, last, file),  # zero width: nothing is there
        _unexpected_message("end of input", expected),
        hint,
    )


def _unexpected_message(found: str, expected: Iterable[str]) -> str:
    names = _expected_names(set(expected))
    if not names:
        return f"unexpected {found}"
    if len(names) == 1:
        return f"unexpected {found}, expected {names[0]}"
    return f"unexpected {found}, expected one of: {', '.join(names)}"


def _expected_names(expected: set[str]) -> list[str]:
    names: list[str] = []
    if expected >= _VALUE_START:
        expected -= _VALUE_START
        names.append("a value")
    if expected >= _DECLARATION_START_TERMINALS:
        expected -= _DECLARATION_START_TERMINALS | {"$END"}
        names.append("a declaration (" + ", ".join(_vocabulary().kinds) + ")")
    names.extend(sorted(_TERMINAL_NAMES.get(t, t) for t in expected))
    return names


def _describe(token: Token) -> str:
    text = token.value if len(token.value) <= 30 else token.value[:29] + "…"
    if token.type == "STRING":
        return f"string {text}"
    return json.dumps(text, ensure_ascii=False)


def _token_hint(token: Token, expected: set[str]) -> str | None:
    kind = token.type
    if kind == "IDENT" and expected >= _DECLARATION_START_TERMINALS:
        guess = did_you_mean(token.value, _vocabulary().kinds)
        return guess or "a declaration starts with its kind: `query getCases { ... }`"
    if kind == "COMMA" and "FIELD_ATTR" in expected:
        return "entity fields are not separated by commas"
    if kind == "IDENT" and expected == {"STRING"}:
        return f'write it as a string: "{token.value}"'
    # (Enum members need no commas: there IDENT is expected too, and no hint fits.)
    if "COMMA" in expected and "IDENT" not in expected and kind in _ITEM_START:
        return "is a `,` missing before it?"
    if expected == {"IDENT", "RBRACE"} or expected == {"IDENT"}:
        if kind == "STRING":
            return "dict keys are identifiers: drop the quotes"
        if kind == "COLON":
            return "a key is missing before `:`"
    return None


# ---------------------------------------------------------------- spans


def _token_span(token: Token, line_shift: int, offset_shift: int, file: str) -> SourceSpan:
    return SourceSpan(
        token.line + line_shift,  # type: ignore[operator]
        token.column,  # type: ignore[arg-type]
        token.end_line + line_shift,  # type: ignore[operator]
        token.end_column,  # type: ignore[arg-type]
        token.start_pos + offset_shift,  # type: ignore[operator]
        token.end_pos + offset_shift,  # type: ignore[operator]
        file,
    )


def _position(source: str, offset: int) -> tuple[int, int]:
    # Through a line index built once per source: counting newlines from the start for
    # each error made 16,000 syntax errors quadratic.
    starts = _line_starts(source)
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@lru_cache(maxsize=1)
def _line_starts(source: str) -> list[int]:
    return LineIndex(source).starts


def _region(source: str, start: int, end: int, file: str) -> SourceSpan:
    line, column = _position(source, start)
    end_line, end_column = _position(source, end)
    return SourceSpan(line, column, end_line, end_column, start, end, file)


def _point(source: str, offset: int, file: str) -> SourceSpan:
    return _region(source, offset, offset, file)


def _whole_span(source: str, file: str) -> SourceSpan:
    # ``_region(source, 0, len(source))`` without indexing every line (the language
    # server asks for it on every keystroke).
    last_line_start = source.rfind("\n") + 1
    end_line = source.count("\n") + 1
    return SourceSpan(1, 1, end_line, len(source) - last_line_start + 1, 0, len(source), file)


# ---------------------------------------------------------------- the AST builder


class _AstBuilder:
    """Inline lark callbacks, one per grammar rule, each returning an ``ast`` node.

    Children arrive as lark ``Token`` (a ``str`` subclass) or already built nodes.
    """

    def __init__(self) -> None:
        self.begin("app.sq", 0, 0, [])

    def begin(self, file: str, line_shift: int, offset_shift: int, errors: list[SpecError]) -> None:
        """Set where the text being parsed sits in its file, and where errors go."""
        self.file = file
        self.line_shift = line_shift
        self.offset_shift = offset_shift
        self.errors = errors
        self.depth = 0

    # ------------------------------------------------------------ nesting (lexer callbacks)

    def open_bracket(self, token: Token) -> Token:
        self.depth += 1
        if self.depth > MAX_NESTING:
            # Stops this declaration's parse: nothing deeper is built, however deep it goes.
            raise _TooDeep(token)
        return token

    def close_bracket(self, token: Token) -> Token:
        self.depth -= 1
        return token

    def too_deep(self, token: Token) -> SpecError:
        return SpecError(
            self._span(token),
            f"values nested more than {MAX_NESTING} levels deep",
            "a spec value this deep is most likely generated by mistake",
        )

    # ------------------------------------------------------------ helpers

    def _span(self, item: Any) -> SourceSpan:
        if isinstance(item, str):
            return _token_span(item, self.line_shift, self.offset_shift, self.file)  # type: ignore[arg-type]
        span: SourceSpan = item.span
        return span

    def _join(self, first: Any, last: Any) -> SourceSpan:
        # Hot path: read token positions directly instead of building a span per token.
        if isinstance(first, str):
            line, column = first.line + self.line_shift, first.column  # type: ignore[attr-defined]
            start = first.start_pos + self.offset_shift  # type: ignore[attr-defined]
        else:
            span = first.span
            line, column, start = span.line, span.column, span.start_offset
        if isinstance(last, str):
            end_line = last.end_line + self.line_shift  # type: ignore[attr-defined]
            end_column = last.end_column  # type: ignore[attr-defined]
            end = last.end_pos + self.offset_shift  # type: ignore[attr-defined]
        else:
            span = last.span
            end_line, end_column, end = span.end_line, span.end_column, span.end_offset
        return SourceSpan(line, column, end_line, end_column, start, end, self.file)

    def _ident(self, token: Token) -> ast.Ident:
        return ast.Ident(token.value, self._span(token))

    def _string(self, token: Token) -> ast.StringLit:
        if len(token) - 2 > MAX_LITERAL_CHARS:
            self.errors.append(
                SpecError(
                    self._span(token),
                    f"string of {len(token) - 2:,} characters: a string literal may have at "
                    f"most {MAX_LITERAL_CHARS:,}",
                )
            )
            return ast.StringLit("", self._span(token))
        return ast.StringLit(self._decode(token), self._span(token))

    def _decode(self, token: Token) -> str:
        text = str(token)
        if "\\" not in text:
            return text[1:-1]
        bad = bad_escape(text)
        if bad is None:
            try:
                value: str = _STRING_DECODER.decode(text)
                return value
            except ValueError:
                pass
        start, end = bad if bad is not None else (0, len(text))
        escape = text[start:end]
        if escape.startswith("\\u") and len(escape) == 6:
            message = f"invalid escape `{escape}` in string: a lone surrogate is not text"
            hint = "write the character itself, or a surrogate pair like \\ud83d\\ude00"
        else:
            message = f"invalid escape `{escape}` in string" if bad else "invalid string"
            hint = 'valid escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX'
        span = self._span(token)
        self.errors.append(
            SpecError(
                SourceSpan(
                    span.line,
                    span.column + start,
                    span.line,
                    span.column + end,
                    span.start_offset + start,
                    span.start_offset + end,
                    self.file,
                ),
                message,
                hint,
            )
        )
        return text[1:-1]

    def _keyword_name(self, name: Token, kind: str) -> bool:
        """Report a keyword used as a declaration name; True when it was one."""
        if name.value not in _vocabulary().keywords:
            return False
        self.errors.append(
            SpecError(
                self._span(name),
                f"`{name.value}` is a keyword and cannot name a declaration ({kind})",
                "choose another name",
            )
        )
        return True

    @staticmethod
    def _nodes(children: list[Any]) -> tuple[Any, ...]:
        """Children that are nodes (drops punctuation and keyword tokens)."""
        return tuple(c for c in children if not isinstance(c, str))

    # ------------------------------------------------------------ declarations

    def module(self, children: list[Any]) -> list[ast.Declaration]:
        return [c for c in children if c is not None]

    def generic_decl(self, children: list[Any]) -> ast.Decl | None:
        kind, name, body = children
        if self._keyword_name(name, kind.value):
            return None
        return ast.Decl(self._ident(kind), self._ident(name), body, self._join(kind, body))

    def entity_decl(self, children: list[Any]) -> ast.EntityDecl | None:
        keyword, name, opening = children[0], children[1], children[2]
        if self._keyword_name(name, "entity"):
            return None
        items = children[3:-1]
        fields = tuple(i for i in items if isinstance(i, ast.FieldDef))
        attributes = tuple(i for i in items if isinstance(i, ast.Attribute))
        return ast.EntityDecl(
            self._ident(name),
            fields,
            attributes,
            opening.type == "PSL_OPEN",
            self._join(keyword, children[-1]),
        )

    def enum_decl(self, children: list[Any]) -> ast.EnumDecl | None:
        keyword, name = children[0], children[1]
        if self._keyword_name(name, "enum"):
            return None
        members = tuple(self._ident(t) for t in children[3:-1] if t.type == "IDENT")
        return ast.EnumDecl(self._ident(name), members, self._join(keyword, children[-1]))

    # ------------------------------------------------------------ model bodies

    def field(self, children: list[Any]) -> ast.FieldDef:
        name, type_ref, *attributes = children
        return ast.FieldDef(
            self._ident(name), type_ref, tuple(attributes), self._join(name, children[-1])
        )

    def type_ref(self, children: list[Any]) -> ast.TypeRef:
        name = children[0]
        optional = len(children) == 2
        is_list = len(children) == 3
        return ast.TypeRef(self._ident(name), optional, is_list, self._join(name, children[-1]))

    def field_attribute(self, children: list[Any]) -> ast.Attribute:
        return self._attribute(children, block=False)

    def block_attribute(self, children: list[Any]) -> ast.Attribute:
        return self._attribute(children, block=True)

    def _attribute(self, children: list[Any], block: bool) -> ast.Attribute:
        token = children[0]
        name = ast.Ident(token.value.lstrip("@"), self._span(token))
        args: tuple[ast.AttrArg, ...] = ()
        end: Any = token
        if len(children) == 2:
            args, end = children[1]
        return ast.Attribute(name, args, block, self._join(token, end))

    def attr_args(self, children: list[Any]) -> tuple[tuple[ast.AttrArg, ...], Token]:
        # Not a node of its own: the attribute takes the arguments and the ")" for its span.
        return self._nodes(children), children[-1]

    def attr_arg(self, children: list[Any]) -> ast.AttrArg:
        value = children[0]
        return ast.AttrArg(None, value, value.span)

    def named_attr_arg(self, children: list[Any]) -> ast.AttrArg:
        name, _, value = children
        return ast.AttrArg(self._ident(name), value, self._join(name, value))

    def func_call(self, children: list[Any]) -> ast.FuncCall:
        return ast.FuncCall(self._ident(children[0]), self._join(children[0], children[-1]))

    def attr_list(self, children: list[Any]) -> ast.AttrList:
        return ast.AttrList(self._nodes(children), self._join(children[0], children[-1]))

    # ------------------------------------------------------------ values

    def string_lit(self, children: list[Any]) -> ast.StringLit:
        return self._string(children[0])

    def number_lit(self, children: list[Any]) -> ast.NumberLit:
        token = children[0]
        try:
            value = read_number(token.value)
        except LiteralError as bad:
            self.errors.append(SpecError(self._span(token), bad.message, bad.hint))
            value = nearest_number(token.value)  # reported; the declaration is still checked
        return ast.NumberLit(value, self._span(token))

    def true_lit(self, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(True, self._span(children[0]))

    def false_lit(self, children: list[Any]) -> ast.BoolLit:
        return ast.BoolLit(False, self._span(children[0]))

    def ref(self, children: list[Any]) -> ast.Ref:
        return ast.Ref(children[0].value, self._span(children[0]))

    def dict_expr(self, children: list[Any]) -> ast.DictExpr:
        entries: tuple[ast.DictEntry, ...] = self._nodes(children)
        seen: dict[str, ast.DictEntry] = {}
        for entry in entries:
            first = seen.setdefault(entry.key.name, entry)
            if first is not entry:
                self.errors.append(
                    SpecError(
                        entry.key.span,
                        f"duplicate key `{entry.key.name}`",
                        f"first given at line {first.key.span.line}",
                    )
                )
        return ast.DictExpr(entries, self._join(children[0], children[-1]))

    def entry(self, children: list[Any]) -> ast.DictEntry:
        key, _, value = children
        return ast.DictEntry(self._ident(key), value, self._join(key, value))

    def list_expr(self, children: list[Any]) -> ast.ListExpr:
        return ast.ListExpr(self._nodes(children), self._join(children[0], children[-1]))

    def tuple_expr(self, children: list[Any]) -> ast.TupleExpr:
        # The size is checked by the schema, which knows what the tuple is for.
        return ast.TupleExpr(self._nodes(children), self._join(children[0], children[-1]))

    def import_expr(self, children: list[Any]) -> ast.ImportExpr:
        name = self._ident(children[2])
        alias = self._ident(children[4]) if len(children) == 8 else None
        path = self._string(children[-1])
        return ast.ImportExpr(name, alias, path, self._join(children[0], children[-1]))

    def json_expr(self, children: list[Any]) -> ast.JsonExpr:
        token = children[0]
        span = self._span(token)
        raw = token.value[len(_JSON_OPEN) : -len(_JSON_CLOSE)]
        try:
            value = read_json(raw)
        except LiteralError as bad:
            self._json_error(span, raw, bad.offset, bad.message, bad.hint)
            return ast.JsonExpr(raw, None, span, ok=False)
        return ast.JsonExpr(raw, value, span)

    def _json_error(
        self, span: SourceSpan, raw: str, pos: int, message: str, hint: str | None = None
    ) -> None:
        """Report a problem at offset ``pos`` of the text inside a JSON quoter."""
        at = span.start_offset + len(_JSON_OPEN) + pos
        line = span.line + raw.count("\n", 0, pos)
        line_start = raw.rfind("\n", 0, pos) + 1
        column = (span.column + len(_JSON_OPEN) if line_start == 0 else 1) + pos - line_start
        self.errors.append(
            SpecError(
                SourceSpan(line, column, line, column + 1, at, at + 1, self.file),
                message,
                hint or "the text between `{=json` and `json=}` must be one JSON value",
            )
        )

    def env_expr(self, children: list[Any]) -> ast.EnvExpr:
        name = self._string(children[2])
        nodes = self._nodes(children)
        default = nodes[0] if nodes else None
        return ast.EnvExpr(name, default, self._join(children[0], children[-1]))


_BUILDER = _AstBuilder()
