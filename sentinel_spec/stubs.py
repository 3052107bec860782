"""Python stubs for the functions a spec imports: the right signature, in the right module.

``sentinel add``, ``sentinel import-wasp`` and the language server's "create function"
action all write stubs through ``write_stubs``. It never overwrites: a function the
module already defines (any module-level name, as the checker sees it) is left alone,
and a new one is appended at the end of the module, with the imports it needs added
after the module's own imports.

What a stub looks like depends on where the import sits in the spec (its *role*:
``query.fn``, ``api.fn``, ``page.component``, ...): the parameters the runtime passes,
and a body that fails loudly (``HttpError(501)`` for requests, ``NotImplementedError``
for a job) rather than pretend to work.
"""

from __future__ import annotations

import ast as pyast
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sentinel_spec.analyzer.resolve import SRC_PREFIX, module_level_names

__all__ = [
    "ROLES",
    "FileChange",
    "Role",
    "StubReport",
    "StubRequest",
    "module_file",
    "plan_stubs",
    "role_of",
    "stub_source",
    "write_stubs",
]


@dataclass(frozen=True)
class Role:
    """How the runtime calls a function imported at one place of the spec."""

    params: str
    returns: str
    is_async: bool
    body: str  # may use {what}: e.g. "query `getTasks`"
    uses_http_error: bool = False


_NOT_IMPLEMENTED = 'raise HttpError(501, "{what} is not implemented yet")'

ROLES: dict[str, Role] = {
    "query.fn": Role("args: Any, context: Any", "Any", True, _NOT_IMPLEMENTED, True),
    "action.fn": Role("args: Any, context: Any", "Any", True, _NOT_IMPLEMENTED, True),
    "crud.operations.*.overrideFn": Role(
        "args: Any, context: Any", "Any", True, _NOT_IMPLEMENTED, True
    ),
    "api.fn": Role("request: Any, context: Any", "Any", True, _NOT_IMPLEMENTED, True),
    "page.component": Role(
        "request: Any, context: Any",
        "Any",
        False,
        'return "<h1>{title}</h1><p>Write this page in {file}.</p>"',
    ),
    "job.perform.fn": Role(
        "args: Any, context: Any",
        "Any",
        True,
        'raise NotImplementedError("{what} is not implemented yet")',
    ),
    "websocket.fn": Role(
        "websocket: Any, context: Any",
        "None",
        True,
        'raise NotImplementedError("{what} is not implemented yet")',
    ),
    "app.webSocket.fn": Role("socket: Any, context: Any", "None", True, "return None"),
    "app.server.setupFn": Role("app: Any", "None", False, "return None"),
    "app.server.middlewareConfigFn": Role(
        "middleware: dict[str, Any]", "dict[str, Any]", False, "return middleware"
    ),
    "api.middlewareConfigFn": Role(
        "middleware: dict[str, Any]", "dict[str, Any]", False, "return middleware"
    ),
    "apiNamespace.middlewareConfigFn": Role(
        "middleware: dict[str, Any]", "dict[str, Any]", False, "return middleware"
    ),
    "app.auth.onAfterSignup": Role("user: Any, context: Any", "None", True, "return None"),
    "app.auth.methods.google.configFn": Role(
        "", "dict[str, Any]", False, 'return {{"scopes": ["openid", "email", "profile"]}}'
    ),
    "app.auth.methods.*.userSignupFields": Role(
        "data: dict[str, Any]", "dict[str, Any]", False, "return {{}}"
    ),
    "app.db.seeds[]": Role("session: Any", "None", True, "return None"),
}
_ANY_CALL = Role("*args: Any, **kwargs: Any", "Any", False, _NOT_IMPLEMENTED, True)


def role_of(path: str) -> Role:
    """The role of an import at ``path`` (``kind.field.field``; ``[]`` for a list item).

    ``*`` in a role matches one key (a crud operation, an auth method).
    """
    if path in ROLES:
        return ROLES[path]
    parts = path.split(".")
    for pattern, role in ROLES.items():
        pattern_parts = pattern.split(".")
        if len(pattern_parts) == len(parts) and all(
            p in ("*", q) for p, q in zip(pattern_parts, parts, strict=True)
        ):
            return role
    return _ANY_CALL


@dataclass(frozen=True)
class StubRequest:
    """One function to exist: ``function`` in the module of ``import_path`` (``@src/a/b``)."""

    import_path: str
    function: str
    role: str  # a key of ROLES (or any path; unknown ones get a catch-all signature)
    what: str  # for the body and docstring: "query `getTasks`"


@dataclass
class StubReport:
    created_modules: list[Path] = field(default_factory=list)
    added: list[tuple[Path, str]] = field(default_factory=list)
    existing: list[tuple[Path, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (import path, why)


_MODULE_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def module_file(project: Path, import_path: str) -> Path | None:
    """The file of ``@src/a/b``: ``src/a/b.py``, or ``src/a/b/__init__.py`` when that
    package exists; None when the path cannot name a Python module."""
    if not import_path.startswith(SRC_PREFIX):
        return None
    parts = ["src", *import_path[len(SRC_PREFIX) :].split("/")]
    if not all(_MODULE_PART.match(p) for p in parts):
        return None
    package = project.joinpath(*parts)
    if (package / "__init__.py").is_file():
        return package / "__init__.py"
    return project.joinpath(*parts[:-1], parts[-1] + ".py")


def stub_source(request: StubRequest, project_relative_file: str) -> str:
    """The text of one stub function (no imports)."""
    role = role_of(request.role)
    title = request.what.split("`")[1] if "`" in request.what else request.function
    body = role.body.format(what=request.what, title=title, file=project_relative_file)
    prefix = "async def" if role.is_async else "def"
    return (
        f"{prefix} {request.function}({role.params}) -> {role.returns}:\n"
        f'    """{request.what[0].upper()}{request.what[1:]} in app.sq."""\n'
        f"    {body}\n"
    )


@dataclass(frozen=True)
class FileChange:
    """A file to write: ``old`` is None when it does not exist yet."""

    path: Path
    old: str | None
    new: str


def plan_stubs(
    project: Path, requests: Iterable[StubRequest]
) -> tuple[list[FileChange], StubReport]:
    """What ``write_stubs`` would write (new ``__init__.py`` files included), writing nothing.

    The language server turns the changes into a workspace edit the editor can undo.
    """
    report = StubReport()
    by_file: dict[Path, list[StubRequest]] = {}
    for request in requests:
        path = module_file(project, request.import_path)
        if path is None:
            report.refused.append((request.import_path, "not an @src/ path of Python names"))
            continue
        by_file.setdefault(path, []).append(request)
    changes: list[FileChange] = []
    for path, wanted in by_file.items():
        for change in _plan_module(project, path, wanted, report):
            if all(c.path != change.path for c in changes):  # a package shared by modules
                changes.append(change)
    report.created_modules = list(dict.fromkeys(report.created_modules))
    return changes, report


def write_stubs(project: Path, requests: Iterable[StubRequest]) -> StubReport:
    """Make every requested function exist; touch no function that is already there."""
    changes, report = plan_stubs(project, requests)
    for change in changes:
        change.path.parent.mkdir(parents=True, exist_ok=True)
        change.path.write_text(change.new, encoding="utf-8")
    return report


def _plan_module(
    project: Path, path: Path, wanted: Sequence[StubRequest], report: StubReport
) -> list[FileChange]:
    existed = path.is_file()
    text = path.read_text(encoding="utf-8") if existed else ""
    try:
        tree = pyast.parse(text)
    except SyntaxError as error:
        for request in wanted:
            report.refused.append(
                (request.import_path, f"{path} does not parse (line {error.lineno})")
            )
        return []
    defined = set(module_level_names(tree).names)
    new: list[StubRequest] = []
    for request in wanted:
        if request.function in defined:
            report.existing.append((path, request.function))
        elif all(r.function != request.function for r in new):
            new.append(request)
    if not new:
        return []
    changes: list[FileChange] = []
    relative = path.relative_to(project).as_posix()
    needs = {"Any"} | (
        {"HttpError"} if any(role_of(r.role).uses_http_error for r in new) else set()
    )
    original = text if existed else None
    if not existed:
        changes += _new_packages(project, path, report)
        text = f'"""Functions app.sq imports from {_dotted(relative)}."""\n\n'
        text += "from __future__ import annotations\n\n"
        text += _import_lines(needs)
        report.created_modules.append(path)
    else:
        missing = {name for name in needs if name not in defined}
        if missing:
            text = _insert_imports(text, tree, _import_lines(missing))
    chunks = [stub_source(r, relative) for r in new]
    text = text.rstrip("\n") + "\n\n\n" + "\n\n".join(chunks)
    report.added.extend((path, r.function) for r in new)
    return [*changes, FileChange(path, original, text)]


def _import_lines(names: set[str]) -> str:
    lines = ""
    if "Any" in names:
        lines += "from typing import Any\n"
    if "HttpError" in names:
        lines += "\nfrom sentinel_spec.runtime import HttpError\n"
    return lines


def _insert_imports(text: str, tree: pyast.Module, lines: str) -> str:
    """Put import lines after the module's last top-level import (or its docstring)."""
    anchor = 0
    for stmt in tree.body:
        is_docstring = stmt is tree.body[0] and _is_string(stmt)
        if isinstance(stmt, pyast.Import | pyast.ImportFrom) or (anchor == 0 and is_docstring):
            anchor = stmt.end_lineno or stmt.lineno
    source_lines = text.splitlines(keepends=True)
    if source_lines and not source_lines[-1].endswith("\n"):
        source_lines[-1] += "\n"
    insert = lines if anchor == 0 else lines.lstrip("\n")
    return "".join(source_lines[:anchor]) + insert + "".join(source_lines[anchor:])


def _is_string(stmt: pyast.stmt) -> bool:
    return (
        isinstance(stmt, pyast.Expr)
        and isinstance(stmt.value, pyast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _new_packages(project: Path, path: Path, report: StubReport) -> list[FileChange]:
    """An empty ``__init__.py`` for every folder from ``src/`` down to ``path``'s that lacks one."""
    folder = path.parent
    chain: list[Path] = []
    while folder != project and project in folder.parents:
        chain.append(folder)
        folder = folder.parent
    changes = []
    for package in reversed(chain):
        init = package / "__init__.py"
        if not init.exists() and init != path:
            changes.append(FileChange(init, None, ""))
            report.created_modules.append(init)
    return changes


def _dotted(relative: str) -> str:
    return relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
