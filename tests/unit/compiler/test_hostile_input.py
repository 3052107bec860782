"""Regression tests for issue 7's compiler defects: each hostile input gets a positioned
diagnostic (file:line:col and a caret), never a traceback, and costs what its size costs.

The golden cases under ``tests/golden/{parse,analyze}/invalid`` show the full rendering of
most of them; these tests pin the defect itself (the crash, the position, the count).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sentinel_spec import errors as errors_module
from sentinel_spec import load_spec
from sentinel_spec.analyzer import analyze
from sentinel_spec.devserver.diagnostics import problems_from_spec_errors
from sentinel_spec.errors import SourceSpan, SpecError, SpecErrors, render_errors
from sentinel_spec.limits import (
    MAX_DECLARATIONS,
    MAX_LITERAL_CHARS,
    MAX_NESTING,
    MAX_SHOWN_ERRORS,
    MAX_SPEC_BYTES,
)
from sentinel_spec.parser import parse

ROOT = Path(__file__).resolve().parents[3]
HUGE = "1" * 4301  # one digit past Python's int-string conversion limit
OPS = "def f(args, context):\n    return None\n"


def errors_of(tmp_path: Path, source: str) -> list[SpecError]:
    """Every diagnostic of ``source`` as ``load_spec`` reports it (never an exception)."""
    (tmp_path / "src").mkdir(exist_ok=True)
    (tmp_path / "src" / "ops.py").write_text(OPS)
    spec = tmp_path / "app.sq"
    spec.write_text(source, encoding="utf-8")
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec)
    rendered = raised.value.render(limit=None)
    for error in raised.value.errors:
        span = error.span
        assert 0 <= span.start_offset <= span.end_offset <= len(source), error
        assert f"app.sq:{span.line}:{span.column}: error: {error.message}" in rendered
    return raised.value.errors


def only(errors: list[SpecError], fragment: str) -> SpecError:
    found = [e for e in errors if fragment in e.message]
    assert len(found) == 1, [e.message for e in errors]
    return found[0]


def position(source: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``source``."""
    offset = source.index(needle)
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def at(error: SpecError) -> tuple[int, int]:
    return error.span.line, error.span.column


# ---------------------------------------------------------------- 1. crashes


def test_a_4301_digit_number_in_a_value_is_a_positioned_error(tmp_path: Path) -> None:
    source = (
        f'app A {{ title: "x", server: {{ sentry: {{ dsn: "", tracesSampleRate: {HUGE} }} }} }}'
    )
    error = only(errors_of(tmp_path, source), "is too long")
    assert at(error) == position(source, HUGE)
    assert error.span.end_offset - error.span.start_offset == len(HUGE)
    assert len(error.message) < 200  # the number is quoted cut, not whole


def test_a_4301_digit_number_in_a_json_block_is_a_positioned_error(tmp_path: Path) -> None:
    source = (
        'app A { title: "x" }\njob j { executor: PgBoss, perform: { fn: import { f } from '
        f'"@src/ops", executorOptions: {{ pgBoss: {{=json {{"retryLimit": {HUGE}}} json=}} }} }} }}'
    )
    error = only(errors_of(tmp_path, source), "is too long")
    assert at(error) == position(source, HUGE)


@pytest.mark.parametrize(
    ("setting", "text"),
    [
        (
            'auth: { userEntity: U, onAuthFailedRedirectTo: "/", '
            'sessions: { idleTimeout: "{}m" } }',
            "duration",
        ),
        ('server: { bodyLimits: { json: "{}mb" } }', "size"),
        ('server: { rateLimit: { default: "{}/minute" } }', "rate limit"),
        ('server: { rateLimit: { default: "5/{} minutes" } }', "rate limit"),
    ],
)
def test_a_4301_digit_count_in_a_unit_string_is_a_positioned_error(
    tmp_path: Path, setting: str, text: str
) -> None:
    source = 'app A { title: "x", ' + setting.replace("{}", HUGE) + " }\nentity U { id Int @id }"
    error = only(errors_of(tmp_path, source), f"invalid {text}")
    assert "its number is too large" in error.message
    opening = source.rfind('"', 0, source.index(HUGE))  # the error spans the whole string
    assert (error.span.start_offset, error.span.end_offset) == (
        opening,
        source.index('"', opening + 1) + 1,
    )


def test_a_unit_string_out_of_the_64_bit_range_is_refused(tmp_path: Path) -> None:
    source = 'app A { title: "x", server: { bodyLimits: { json: "9999999999999999999gb" } } }'
    error = only(errors_of(tmp_path, source), "invalid size")
    assert error.hint is not None and "64-bit" in error.hint


def test_numbers_past_the_float_and_int_ranges_are_refused(tmp_path: Path) -> None:
    source = (
        'app A { title: "x", server: { sentry: { dsn: "", tracesSampleRate: 1e999 } } }\n'
        "entity T { id Int @id big BigInt @default(9223372036854775808) }"
    )
    errors = errors_of(tmp_path, source)
    assert at(only(errors, "too large for a float")) == position(source, "1e999")
    assert at(only(errors, "out of range")) == position(source, "9223372036854775808")


def test_an_out_of_range_number_does_not_invent_a_second_problem(tmp_path: Path) -> None:
    source = (
        'app A { title: "x", auth: { userEntity: U, onAuthFailedRedirectTo: "/", '
        "passwordPolicy: { minLength: 99999999999999999999 } } }\nentity U { id Int @id }"
    )
    (error,) = errors_of(tmp_path, source)
    assert "out of range" in error.message


def test_json_nested_a_thousand_deep_is_a_positioned_error(tmp_path: Path) -> None:
    deep = "[" * 1000 + "]" * 1000
    source = (
        'app A { title: "x" }\njob j { executor: PgBoss, perform: { fn: import { f } from '
        f'"@src/ops" }}, schedule: {{ cron: "* * * * *", args: {{=json {deep} json=}} }} }}'
    )
    error = only(errors_of(tmp_path, source), "JSON nested more than")
    line, column = position(source, deep)
    assert at(error) == (line, column + MAX_NESTING)  # the bracket one level too deep


def test_spec_values_nested_a_hundred_thousand_deep_stop_at_the_limit(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    source = f'app A {{ title: "x" }}\nquery q {{ fn: import {{ f }} from "@src/ops", x: {deep} }}'
    error = only(errors_of(tmp_path, source), "values nested more than")
    line, column = position(source, deep)
    assert at(error) == (line, column + MAX_NESTING - 1)  # the query's `{` is the first level


def test_nesting_up_to_the_limit_is_fine() -> None:
    # The query body's `{` is the first level, so a list of 63 levels reaches the limit.
    value = "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1)
    _, errors = parse(f"query q {{ x: {value} }}")
    assert errors == []


def test_a_256_character_timezone_is_unknown_even_where_tzdata_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zoneinfo opens a file named after the key in the tzdata package when it is
    # installed; a name over 255 bytes then raised ENAMETOOLONG. A package of that
    # name (empty) is enough to take that path.
    fake = tmp_path / "fake"
    (fake / "tzdata" / "zoneinfo").mkdir(parents=True)
    (fake / "tzdata" / "__init__.py").write_text("")
    (fake / "tzdata" / "zoneinfo" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(fake))
    for name in [n for n in sys.modules if n == "tzdata" or n.startswith("tzdata.")]:
        monkeypatch.delitem(sys.modules, name)
    project = tmp_path / "project"
    project.mkdir()
    zone = "a" * 256
    source = (
        'app A { title: "x" }\njob j { executor: PgBoss, perform: { fn: import { f } from '
        f'"@src/ops" }}, schedule: {{ cron: "* * * * *", timezone: "{zone}" }} }}'
    )
    error = only(errors_of(project, source), "unknown timezone")
    assert at(error) == (2, position(source, zone)[1] - 1)  # the string, quote included


# ---------------------------------------------------------------- 2. rendering


def _broken(lines: int) -> tuple[str, list[SpecError]]:
    source = "".join(f"query q{i} {{ fn: 1 }}\n" for i in range(lines))
    errors = [
        SpecError(SourceSpan(i + 1, 16, i + 1, 17, 0, 0), f"problem {i}") for i in range(lines)
    ]
    return source, errors


def test_rendering_indexes_each_source_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = errors_module.LineIndex.__init__

    def counting(self: errors_module.LineIndex, source: str) -> None:
        built.append(len(source))
        original(self, source)

    monkeypatch.setattr(errors_module.LineIndex, "__init__", counting)
    source, errors = _broken(2000)
    rendered = render_errors(errors, {"app.sq": source})
    assert len(built) == 1
    assert rendered.count(": error: ") == 2000
    assert "app.sq:1500:16: error: problem 1499\n  query q1499 { fn: 1 }\n" in rendered


def test_one_run_prints_the_first_errors_and_counts_the_rest() -> None:
    source, errors = _broken(MAX_SHOWN_ERRORS + 70)
    rendered = SpecErrors(errors, {"app.sq": source}).render()
    assert rendered.count(": error: ") == MAX_SHOWN_ERRORS
    assert rendered.endswith("... and 70 more errors (fix the ones above first)")
    assert f"app.sq:{MAX_SHOWN_ERRORS}:16:" in rendered
    assert f"app.sq:{MAX_SHOWN_ERRORS + 1}:16:" not in rendered


def test_the_dev_overlay_lists_as_many_as_the_terminal() -> None:
    source, errors = _broken(MAX_SHOWN_ERRORS + 3)
    problems = problems_from_spec_errors(SpecErrors(errors, {"app.sq": source}))
    assert len(problems) == MAX_SHOWN_ERRORS + 1
    assert [p.line for p in problems[:2]] == [1, 2]
    assert problems[-1].message == "... and 3 more errors (fix the ones above first)"


def test_sentinel_check_caps_its_output(tmp_path: Path) -> None:
    source, _ = _broken(MAX_SHOWN_ERRORS + 20)
    (tmp_path / "app.sq").write_text('app A { title: "x" }\n' + source)
    result = subprocess.run(
        [sys.executable, "-c", "from sentinel_spec.cli import main; main()", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count(": error: ") == MAX_SHOWN_ERRORS
    assert "... and 20 more errors (fix the ones above first)" in result.stderr
    assert f"{MAX_SHOWN_ERRORS + 20} errors in app.sq" in result.stderr


def test_a_long_line_is_shown_as_a_window_around_the_caret() -> None:
    line = "x" * 10_000 + " bad " + "y" * 10_000
    start = line.index("bad")
    error = SpecError(SourceSpan(1, start + 1, 1, start + 4, start, start + 3), "bad here")
    shown, caret = render_errors([error], {"app.sq": line}).split("\n")[1:3]
    assert len(shown) < 500
    assert caret.index("^") == shown.index("bad") and caret.count("^") == 3


def test_a_message_quoting_a_huge_name_is_cut() -> None:
    error = SpecError(SourceSpan(1, 1, 1, 2), "unknown `" + "n" * 100_000 + "`")
    assert len(error.message) <= errors_module.MAX_MESSAGE_CHARS


# ---------------------------------------------------------------- 3. limits


def test_a_spec_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "app.sq"
    spec.write_text('app A { title: "' + "x" * MAX_SPEC_BYTES + '" }')
    with pytest.raises(SpecErrors) as raised:
        load_spec(spec)
    (error,) = raised.value.errors
    assert at(error) == (1, 1)
    assert "a spec may be at most 2 MiB" in error.message
    assert "app.sq:1:1: error:" in raised.value.render()


def test_parse_refuses_a_text_over_the_size_limit() -> None:
    module, errors = parse(" " * (MAX_SPEC_BYTES + 1))
    assert module.declarations == ()
    assert [at(e) for e in errors] == [(1, 1)]


def test_a_string_literal_over_the_limit_is_one_error() -> None:
    source = 'app A { title: "' + "x" * (MAX_LITERAL_CHARS + 1) + '" }'
    _, errors = parse(source)
    (error,) = errors
    assert at(error) == (1, 16)
    assert f"at most {MAX_LITERAL_CHARS:,}" in error.message


def test_a_string_literal_at_the_limit_is_fine() -> None:
    _, errors = parse('app A { title: "' + "x" * MAX_LITERAL_CHARS + '" }')
    assert errors == []


def test_declarations_past_the_limit_are_one_error_at_the_first_of_them() -> None:
    source = "".join(f"enum E{i} {{ A }}\n" for i in range(MAX_DECLARATIONS + 5))
    module, errors = parse(source)
    assert len(module.declarations) == MAX_DECLARATIONS
    (error,) = errors
    assert at(error) == (MAX_DECLARATIONS + 1, 6)


# ---------------------------------------------------------------- 4. the empty file


def test_an_empty_file_reports_missing_app_at_1_1_within_the_file(tmp_path: Path) -> None:
    (error,) = errors_of(tmp_path, "")
    assert "missing `app`" in error.message
    assert error.span == SourceSpan(1, 1, 1, 1, 0, 0, "app.sq")


# ---------------------------------------------------------------- 5. accepted but wrong


def test_two_operation_names_with_one_url_collide(tmp_path: Path) -> None:
    source = (
        'app A { title: "x" }\n'
        'query list_notes { fn: import { f } from "@src/ops" }\n'
        'query listNotes { fn: import { f } from "@src/ops" }\n'
    )
    error = only(errors_of(tmp_path, source), "/operations/list-notes")
    assert at(error) == position(source, "listNotes")


@pytest.mark.parametrize(
    "path",
    ["/operations/list-notes", "/crud/notes/get", "/auth/email/login", "/openapi.json"],
)
def test_an_api_cannot_take_a_framework_path(tmp_path: Path, path: str) -> None:
    source = (
        'app A { title: "x", auth: { userEntity: U, onAuthFailedRedirectTo: "/" } }\n'
        "entity U { id Int @id }\n"
        f'api shadow {{ fn: import {{ f }} from "@src/ops", httpRoute: (POST, "{path}") }}\n'
    )
    error = only(errors_of(tmp_path, source), "api `shadow`")
    assert at(error) == position(source, f'"{path}"')


def test_native_type_arguments_must_be_in_range(tmp_path: Path) -> None:
    source = 'app A { title: "x" }\nentity T { id Int @id name String @db.VarChar(-1) }'
    error = only(errors_of(tmp_path, source), "@db.VarChar")
    assert at(error) == position(source, "-1")


def test_two_fields_cannot_share_a_column(tmp_path: Path) -> None:
    source = 'app A { title: "x" }\nentity T { id Int @id a String @map("c") b String @map("c") }'
    error = only(errors_of(tmp_path, source), "column `c`")
    assert at(error) == position(source, '@map("c") }')


def test_a_json_default_must_be_json(tmp_path: Path) -> None:
    source = 'app A { title: "x" }\nentity T { id Int @id data Json? @default("{") }'
    error = only(errors_of(tmp_path, source), "invalid JSON")
    assert at(error) == position(source, '"{"')


def test_a_json_default_is_read_as_json(tmp_path: Path) -> None:
    (tmp_path / "app.sq").write_text(
        'app A { title: "x" }\nentity T { id Int @id data Json @default("{\\"k\\": [1]}") }'
    )
    spec = load_spec(tmp_path / "app.sq")
    default = spec.entities[0].fields[1].default
    assert default is not None and default.value == {"k": [1]}


def test_sentineliq_spec_still_compiles() -> None:
    module, errors = parse((ROOT / "app.sq").read_text(encoding="utf-8"))
    spec, more = analyze(module, ROOT)
    assert errors + more == [], render_errors(errors + more, {})
    assert spec is not None


def test_did_you_mean_has_a_budget_per_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each unknown name was compared with every declaration of its kind: 2,000 unknown
    # references to 2,000 entities made 4 million difflib comparisons (minutes).
    import difflib

    compared: list[int] = []
    original = difflib.get_close_matches

    def counting(word: str, possibilities: list[str], *args: object, **kw: object) -> object:
        compared.append(len(possibilities))
        return original(word, possibilities, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(difflib, "get_close_matches", counting)
    n = 2000
    source = 'app A { title: "x" }\n' + "".join(
        f"entity Entity{i} {{ id Int @id }}\nquery q{i} {{ entities: [Entyty{i}x] }}\n"
        for i in range(n)
    )
    module, syntax = parse(source)
    assert syntax == []
    _, more = analyze(module, ROOT)
    unknown = [e for e in more if "is not an entity" in e.message]
    assert len(unknown) == n
    assert sum(compared) <= errors_module.SUGGESTION_BUDGET
    assert "did you mean `Entity0`?" in unknown[0].message  # the first ones still get it


def test_the_reserved_dev_server_path_is_the_overlays() -> None:
    from sentinel_spec.analyzer.routes import DEV_SERVER_PATH
    from sentinel_spec.devserver.overlay import ERRORS_ROUTE

    assert ERRORS_ROUTE.startswith(DEV_SERVER_PATH + "/")


def test_the_reserved_namespaces_come_from_the_route_plan(tmp_path: Path) -> None:
    from sentinel_spec.analyzer.context import Context
    from sentinel_spec.analyzer.resolve import collect_namespace
    from sentinel_spec.analyzer.routes import framework_paths
    from sentinel_spec.contract import routes

    source = 'app A { title: "x", auth: { userEntity: U, onAuthFailedRedirectTo: "/" } }'
    module, _ = parse(source)
    namespace, _ = collect_namespace(module)
    reserved = {p.path for p in framework_paths(Context.of(module, namespace, "app.sq"))}
    planned = [
        routes.operation("getCases", "query", auth=False),
        routes.crud("Cases", "getAll", is_public=False),
        routes.openapi(),
        *routes.auth_routes(email=True, google=True, two_factor=True),
    ]
    for route in planned:
        first = "/" + route.path.strip("/").split("/")[0]
        assert route.path in reserved or first in reserved, route.path


def test_past_the_first_syntax_errors_expected_lists_are_not_replayed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Replaying the parser per terminal (lark's accepts()) cost ~0.5 ms an error: 100,000
    # broken declarations took over a minute. Only the first ones get the replay.
    from lark.parsers.lalr_interactive_parser import InteractiveParser

    from sentinel_spec.parser import PRECISE_SYNTAX_ERRORS

    replays: list[int] = []
    original = InteractiveParser.accepts

    def counting(self: InteractiveParser) -> set[str]:
        replays.append(1)
        result: set[str] = original(self)
        return result

    monkeypatch.setattr(InteractiveParser, "accepts", counting)
    n = PRECISE_SYNTAX_ERRORS + 300
    source = 'app A { title: "x" }\n' + "".join(f"query q{i} {{ fn: }}\n" for i in range(n))
    _, errors = parse(source)
    assert len(errors) == n
    assert len(replays) <= PRECISE_SYNTAX_ERRORS + 1  # (+1: the whole-file attempt)
    assert [at(e) for e in errors[:2]] == [(2, 16), (3, 16)]
    assert errors[0].message == errors[-1].message  # the same wording either way here
