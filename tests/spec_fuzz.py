"""A mutation fuzzer of ``.sq`` files: mutate valid specs, compile, check the answer.

The seeds are the valid specs under ``tests/golden`` and SentinelIQ's ``app.sq``. A
mutation is a byte flip, a token deleted, duplicated or moved, a huge literal, deep
nesting, a truncation or a splice of another seed; an input is one to four of them.
Every input goes through what ``sentinel build`` runs (``load_spec``, then ``generate``
when the spec compiles) and must end in one of two ways:

- ``SpecErrors`` whose every span lies inside the text it points into, with line and
  column agreeing with the offsets, and which renders;
- an ``AppSpec`` whose generated files are valid Python (and JSON).

Anything else (an exception, a span outside the file, an input over the hang timeout) is
a ``Finding``. ``tests/unit/compiler/test_spec_fuzz.py`` runs a short, deterministic
round in CI; ``bench/fuzz_spec.py`` runs for as long as it is asked to.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sentinel_spec import load_spec
from sentinel_spec.errors import SpecErrors
from sentinel_spec.generator import generate
from sentinel_spec.limits import MAX_LITERAL_CHARS, MAX_NESTING, MAX_NUMBER_CHARS

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"

# A hang detector, not a speed check: an input this slow is a finding whatever the load.
HANG_SECONDS = 30.0


@dataclass(frozen=True)
class Seed:
    name: str
    source: bytes
    project: Path  # where its src/ lives (imports resolve against it)


def seeds() -> list[Seed]:
    """Every valid spec of the repository, with the folder its imports resolve in."""
    found = [Seed("sentineliq/app.sq", (ROOT / "app.sq").read_bytes(), ROOT)]
    for case in sorted((GOLDEN / "analyze" / "valid").iterdir()):
        if (case / "app.sq").is_file():
            found.append(Seed(f"analyze/{case.name}", (case / "app.sq").read_bytes(), case))
    for case in sorted((GOLDEN / "models").iterdir()):
        if (case / "app.sq").is_file():
            found.append(Seed(f"models/{case.name}", (case / "app.sq").read_bytes(), case))
    for spec in sorted((GOLDEN / "parse" / "valid").glob("*.sq")):
        found.append(Seed(f"parse/{spec.name}", spec.read_bytes(), spec.parent))
    return found


# ---------------------------------------------------------------- mutations

_TOKEN = re.compile(
    rb'"(?:[^"\\\n]++|\\.)*+"|\{=json.*?json=\}|-?[0-9][0-9.eE+-]*|[A-Za-z_@][A-Za-z0-9_.]*'
    rb"|\s+|//[^\n]*|.",
    re.DOTALL,
)
_INTERESTING = [
    *b'{}[]()",:@=\\/*?-+.#$',
    *b"\n\t\r ",
    0,
    0x7F,
    0xC3,
    0xA9,
    0xE2,
    0x80,
    0xFF,
    0xED,
    0xA0,
]
_HUGE_NUMBERS = [
    "1" * 4301,
    "-" + "9" * 5000,
    "1e999",
    "-1.5e400",
    "9223372036854775808",
    "1" * (MAX_NUMBER_CHARS + 1),
    "0." + "0" * 4300 + "1",
]


def _huge_string(rng: random.Random) -> str:
    size = rng.choice([MAX_LITERAL_CHARS, MAX_LITERAL_CHARS + 1, 300_000])
    body = rng.choice(["x", "\\n", "é", "\\u00e9", "/", ":a/"])
    return '"' + (body * (size // len(body) + 1))[:size] + '"'


def _unit_string(rng: random.Random) -> str:
    digits = rng.choice(["1" * 4301, "9" * 25, "0", "99999999999999999999"])
    unit = rng.choice(["m", "s", "d", "mb", "gb", "/minute", "/10 minutes", "/ms"])
    return '"' + digits + unit + '"'


def _nested(rng: random.Random) -> str:
    depth = rng.choice([MAX_NESTING - 2, MAX_NESTING, MAX_NESTING + 1, 1000, 50_000])
    form = rng.randrange(4)
    if form == 0:
        return "[" * depth + "]" * depth
    if form == 1:
        return "{ a: " * depth + "1" + " }" * depth
    if form == 2:
        return "{=json " + "[" * depth + "]" * depth + " json=}"
    return '{=json {"a": ' * 1 + '{"b": ' * depth + "1" + "}" * depth + "} json=}"


def _tokens(data: bytes) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(data)]


def _pick_token(data: bytes, rng: random.Random, solid: bool = True) -> tuple[int, int]:
    spans = _tokens(data)
    if solid:
        spans = [s for s in spans if not data[s[0] : s[1]].isspace()] or spans
    return rng.choice(spans) if spans else (0, 0)


Mutation = Callable[[bytes, random.Random, list[Seed]], tuple[bytes, str]]


def flip_byte(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    if not data:
        return bytes([rng.choice(_INTERESTING)]), "insert one byte into the empty file"
    at = rng.randrange(len(data))
    byte = rng.choice(_INTERESTING) if rng.random() < 0.7 else rng.randrange(256)
    return data[:at] + bytes([byte]) + data[at + 1 :], f"byte {at} := 0x{byte:02x}"


def delete_tokens(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    start, end = _pick_token(data, rng)
    if rng.random() < 0.3:  # a run of tokens
        end = min(len(data), end + rng.randrange(1, 200))
    return data[:start] + data[end:], f"delete bytes {start}..{end}"


def duplicate_tokens(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    start, end = _pick_token(data, rng)
    if rng.random() < 0.3:
        end = min(len(data), end + rng.randrange(1, 400))
    times = rng.choice([1, 1, 2, 50])
    chunk = data[start:end]
    return data[:end] + chunk * times + data[end:], f"repeat bytes {start}..{end} x{times}"


def move_token(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    start, end = _pick_token(data, rng)
    chunk, rest = data[start:end], data[:start] + data[end:]
    at = rng.randrange(len(rest) + 1)
    return rest[:at] + chunk + rest[at:], f"move bytes {start}..{end} to {at}"


def huge_literal(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    spans = _tokens(data)
    numbers = [s for s in spans if data[s[0] : s[1]][:1] in b"-0123456789"]
    strings = [s for s in spans if data[s[0] : s[1]][:1] == b'"']
    kind = rng.randrange(3)
    if kind == 0 and numbers:
        start, end = rng.choice(numbers)
        text = rng.choice(_HUGE_NUMBERS)
    elif kind == 1 and strings:
        start, end = rng.choice(strings)
        text = _unit_string(rng) if rng.random() < 0.5 else _huge_string(rng)
    else:
        start, end = _pick_token(data, rng)
        text = rng.choice([*_HUGE_NUMBERS, _unit_string(rng), _huge_string(rng)])
    return data[:start] + text.encode() + data[end:], f"bytes {start}..{end} := {text[:20]}…"


def deep_nesting(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    start, end = _pick_token(data, rng)
    text = _nested(rng)
    return data[:start] + text.encode() + data[end:], f"bytes {start}..{end} := {text[:20]}…"


_STRINGS = [
    "",
    "/",
    "//",
    "/operations/get-x",
    "/crud/x/get",
    "/openapi.json",
    "/a/:id/:id",
    "/:x",
    "a" * 300,
    "\\u0000",
    "\\ud83d\\ude00",
    "é",
    "0m",
    "30d",
    "1/ms",
    "5/10 minutes",
    "* * * * *",
    "61 * * * *",
    "Europe/Paris",
    "../etc",
    "@src/../x",
    "@src/ops",
    "{}",
    "[1, 2]",
    "null",
]
_NAMES = ["class", "None", "String", "Json", "app", "_", "A" * 300, "x" * 70, "getX", "get_x"]


def same_kind(data: bytes, rng: random.Random, pool: list[Seed]) -> tuple[bytes, str]:
    """A token replaced by one of its kind (a name by a name, a string by a string...):
    the syntax mostly survives, so the analyzer and the generator get the input."""
    start, end = _pick_token(data, rng)
    token = data[start:end]
    first = token[:1]
    if first == b'"':
        if rng.random() < 0.5:
            text = '"' + rng.choice(_STRINGS) + '"'
        else:
            other = rng.choice(pool).source
            strings = [m.group(0) for m in re.finditer(rb'"(?:[^"\\\n]++|\\.)*+"', other)]
            text = (rng.choice(strings) if strings else b'""').decode("utf-8", "replace")
    elif first.isalpha() or first in b"_@":
        if rng.random() < 0.4:
            text = rng.choice(_NAMES)
        else:
            other = rng.choice(pool).source
            names = re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", other) or [b"x"]
            text = rng.choice(names).decode()
    elif first in b"-0123456789":
        text = rng.choice(["0", "-1", "1.5", "255", "65536", "1e3", "10485761", "7"])
    else:
        return data, "nothing to replace"
    return data[:start] + text.encode() + data[end:], f"bytes {start}..{end} := {text[:30]}"


def truncate(data: bytes, rng: random.Random, _: list[Seed]) -> tuple[bytes, str]:
    at = rng.randrange(len(data) + 1)
    return data[:at], f"truncate at {at}"


def splice(data: bytes, rng: random.Random, pool: list[Seed]) -> tuple[bytes, str]:
    other = rng.choice(pool)
    lines = other.source.splitlines(keepends=True)
    if not lines:
        return data, "splice nothing"
    first = rng.randrange(len(lines))
    chunk = b"".join(lines[first : first + rng.randrange(1, 30)])
    at = rng.randrange(len(data) + 1)
    return data[:at] + chunk + data[at:], f"splice {other.name} lines {first + 1}+ at {at}"


MUTATIONS: tuple[Mutation, ...] = (
    flip_byte,
    flip_byte,
    delete_tokens,
    delete_tokens,
    duplicate_tokens,
    move_token,
    huge_literal,
    deep_nesting,
    truncate,
    splice,
    same_kind,
    same_kind,
    same_kind,
    same_kind,
)


def mutate(seed: Seed, rng: random.Random, pool: list[Seed]) -> tuple[bytes, list[str]]:
    data, steps = seed.source, []
    if rng.random() < 0.3:  # one token of the same kind: most such inputs still compile
        data, what = same_kind(data, rng, pool)
        return data, [f"same_kind: {what}"]
    for _ in range(rng.choice([1, 1, 1, 2, 3, 4])):
        mutation = rng.choice(MUTATIONS)
        data, what = mutation(data, rng, pool)
        steps.append(f"{mutation.__name__}: {what}")
    return data, steps


# ---------------------------------------------------------------- running one input


@dataclass
class Outcome:
    kind: str  # "compiled", "errors", "finding"
    seconds: float
    problem: str = ""


class Hang(Exception):
    pass


@contextmanager
def hang_detector(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in this (main) thread after ``seconds`` of wall time."""

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"no answer after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def span_problems(errors: SpecErrors) -> list[str]:
    """Spans outside the text they point into, or whose line:col disagrees with the offset."""
    problems = []
    for error in errors.errors:
        span = error.span
        text = errors.sources.get(span.file)
        if text is None:
            # Only a file refused unread (over the size limit) has no text: its one error
            # is at its very start.
            if (span.line, span.column, span.start_offset, span.end_offset) != (1, 1, 0, 0):
                problems.append(f"no source for {span.file}: {error.message[:80]}")
            continue
        if not 0 <= span.start_offset <= span.end_offset <= len(text):
            problems.append(f"offsets {span.start_offset}..{span.end_offset} of {len(text)}")
            continue
        line = text.count("\n", 0, span.start_offset) + 1
        column = span.start_offset - (text.rfind("\n", 0, span.start_offset) + 1) + 1
        if (span.line, span.column) != (line, column):
            problems.append(
                f"{span.line}:{span.column} but offset {span.start_offset} is {line}:{column}"
                f" ({error.message[:80]})"
            )
    return problems


def _check_generated(spec: object) -> str:
    for draft in generate(spec):  # type: ignore[arg-type]
        if draft.path.endswith(".py"):
            compile(draft.content, draft.path, "exec")
        elif draft.path.endswith(".json"):
            json.loads(draft.content)
    return ""


def run_one(data: bytes, project: Path, hang_seconds: float = HANG_SECONDS) -> Outcome:
    """Compile ``data`` as ``project/app.sq`` (``project`` holds a copy of the seed's src/)."""
    spec = project / "app.sq"
    spec.write_bytes(data)
    started = time.perf_counter()
    try:
        with hang_detector(hang_seconds):
            try:
                compiled = load_spec(spec)
            except SpecErrors as errors:
                errors.render()
                problems = span_problems(errors)
                kind = "errors" if errors.errors else "finding"
                problem = "; ".join(problems) if problems else ""
                if not errors.errors:
                    problem = "SpecErrors without any error"
                return Outcome(
                    "finding" if problem else kind, time.perf_counter() - started, problem
                )
            _check_generated(compiled)
    except Exception:
        return Outcome("finding", time.perf_counter() - started, traceback.format_exc(limit=-8))
    return Outcome("compiled", time.perf_counter() - started)


# ---------------------------------------------------------------- a campaign


@dataclass
class Finding:
    seed: str
    steps: list[str]
    data: bytes
    problem: str


@dataclass
class Campaign:
    """Runs inputs against per-seed project copies in ``workdir``; keeps the statistics."""

    workdir: Path
    pool: list[Seed] = field(default_factory=seeds)
    times: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    slowest: tuple[float, str, list[str]] = (0.0, "", [])
    _projects: dict[str, Path] = field(default_factory=dict)

    def project(self, seed: Seed) -> Path:
        """A folder with a copy of the seed's ``src/`` (never the repository's own)."""
        if seed.name not in self._projects:
            target = self.workdir / re.sub(r"[^A-Za-z0-9_.-]", "_", seed.name)
            target.mkdir(parents=True, exist_ok=True)
            if (seed.project / "src").is_dir():
                shutil.copytree(seed.project / "src", target / "src", dirs_exist_ok=True)
            self._projects[seed.name] = target
        return self._projects[seed.name]

    def run(self, rng: random.Random) -> Outcome:
        seed = rng.choice(self.pool)
        data, steps = mutate(seed, rng, self.pool)
        outcome = run_one(data, self.project(seed))
        self.times.append(outcome.seconds)
        self.counts[outcome.kind] = self.counts.get(outcome.kind, 0) + 1
        if outcome.seconds > self.slowest[0]:
            self.slowest = (outcome.seconds, seed.name, steps)
        if outcome.kind == "finding":
            self.findings.append(Finding(seed.name, steps, data, outcome.problem))
        return outcome

    def summary(self) -> str:
        ordered = sorted(self.times) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        seconds, name, steps = self.slowest
        return (
            f"{len(self.times)} inputs ({counts}); per input: median "
            f"{ordered[len(ordered) // 2] * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max "
            f"{seconds * 1000:.0f} ms ({name}: {'; '.join(steps)[:200]})"
        )
