"""``sentinel lsp`` driven by a real LSP client (pytest-lsp) over stdio.

The server runs as the ``sentinel`` command would in an editor; every test opens a
small project's ``app.sq`` and talks LSP to it: diagnostics while typing, completion,
hover, definitions, references, rename, the create-function quick fix, formatting.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from sentinel_spec.analyzer import schema
from sentinel_spec.errors import SpecErrors
from tests.servers import SENTINEL

SPEC = """\
app Todo { title: "Todo" }

enum Priority { LOW HIGH }

entity Task {
  id       Int      @id @default(autoincrement())
  title    String
  priority Priority @default(LOW)
}

query getTasks {
  fn: import { get_tasks } from "@src/tasks",
  entities: [Task],
}

action addTask {
  fn: import { add_task } from "@src/tasks",
  entities: [Task],
}

route HomeRoute { path: "/", to: HomePage }
page HomePage { component: import { home } from "@src/pages" }
"""

TASKS = """\
from typing import Any


async def get_tasks(args: Any, context: Any) -> list[Any]:
    return []


async def add_task(args: Any, context: Any) -> Any:
    return None


def helper() -> None:
    pass
"""


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="sentinel-lsp-"))
    (root / "src").mkdir()
    (root / "src" / "__init__.py").write_text("")
    (root / "src" / "tasks.py").write_text(TASKS)
    (root / "src" / "pages.py").write_text("def home(request, context):\n    return 'hi'\n")
    (root / "app.sq").write_text(SPEC)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[*SENTINEL, "lsp", "--debounce", "0.05"]),
)
async def client(lsp_client: LanguageClient, project: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=project.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def uri_of(project: Path, name: str = "app.sq") -> str:
    return (project / name).as_uri()


async def open_spec(client: LanguageClient, project: Path, text: str, name: str = "app.sq") -> str:
    uri = uri_of(project, name)
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="sq", version=1, text=text)
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def position(text: str, marker: str, delta: int = 0) -> lsp.Position:
    """The position of the first ``marker`` in ``text`` (plus ``delta`` characters)."""
    offset = text.index(marker) + delta
    line = text.count("\n", 0, offset)
    return lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))


def cli_errors(project: Path, text: str, name: str) -> list[tuple[int, int, str]]:
    from sentinel_spec import load_spec

    path = project / name
    path.write_text(text)
    try:
        load_spec(path)
    except SpecErrors as errors:
        return [(e.span.line - 1, e.span.column - 1, e.message) for e in errors.errors]
    finally:
        path.unlink()
    return []


@pytest.mark.asyncio
async def test_diagnostics_are_those_of_sentinel_check_while_typing(
    client: LanguageClient, project: Path
) -> None:
    broken = SPEC.replace("entities: [Task],\n}\n\naction", "entities: [Tsk],\n}\n\naction")
    broken = broken.replace("to: HomePage }", "to: HomePag }")
    uri = await open_spec(client, project, broken, "typing.sq")
    got = [
        (d.range.start.line, d.range.start.character, d.message.split("\nhint:")[0])
        for d in client.diagnostics[uri]
    ]
    assert got == cli_errors(project, broken, "typing-check.sq")
    assert len(got) == 2
    # A half-written declaration: the syntax error is reported, the rest still checked.
    half = broken + "\nquery half {\n  fn: import { x } from\n"
    change(client, uri, 2, half)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    messages = [d.message for d in client.diagnostics[uri]]
    assert len(messages) == 3
    assert any("unexpected end of input" in m for m in messages)
    # Fixing everything clears them.
    change(client, uri, 3, SPEC)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


@pytest.mark.asyncio
async def test_quick_edits_are_debounced_into_one_check(
    client: LanguageClient, project: Path
) -> None:
    uri = await open_spec(client, project, SPEC, "debounce.sq")
    published: list[int | None] = []
    handlers = client.protocol.fm.features
    store = handlers[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: lsp.PublishDiagnosticsParams) -> None:
        if params.uri == uri:
            published.append(params.version)
        store(params)

    handlers[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    for version in range(2, 12):
        change(client, uri, version, SPEC + "\n" * version)
    await asyncio.sleep(0.6)
    assert published == [11]


@pytest.mark.asyncio
async def test_completion_of_kinds_fields_references_members_and_python_names(
    client: LanguageClient, project: Path
) -> None:
    uri = await open_spec(client, project, SPEC, "complete.sq")

    async def labels(text: str, marker: str, delta: int = 0) -> set[str]:
        change(client, uri, 2, text)
        result = await client.text_document_completion_async(
            lsp.CompletionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                position=position(text, marker, delta),
            )
        )
        assert isinstance(result, lsp.CompletionList)
        return {item.label for item in result.items}

    kinds = await labels(SPEC + "\nq", "\nq", 2)
    assert {"query", "action", "entity", "enum", "page", "route", "job", "api"} <= kinds
    no_entities = SPEC.replace("entities: [Task],\n}\n\naction", "\n}\n\naction")
    fields = await labels(no_entities, "  \n}\n\naction", 2)
    assert fields == set(schema.DECL_SCHEMAS["query"].fields) - {"fn"}
    refs = await labels(SPEC.replace("entities: [Task]", "entities: [Task, ]"), "[Task, ", 7)
    assert refs == {"Task"}
    pages = await labels(SPEC.replace("to: HomePage", "to: "), "to: ", 4)
    assert pages == {"HomePage"}
    members = await labels(SPEC.replace("@default(LOW)", "@default()"), "y @default(", 11)
    assert {"LOW", "HIGH", "autoincrement()"} <= members
    python = await labels(SPEC.replace("{ add_task }", "{  }"), '{  } from "@src/tasks"', 2)
    assert python == {"get_tasks", "add_task", "helper", "Any"}
    types = await labels(SPEC.replace("  title    String\n", "  owner \n"), "owner ", 6)
    assert {"String", "Task", "Priority"} <= types


@pytest.mark.asyncio
async def test_names_of_the_last_whole_version_are_offered_while_half_written(
    client: LanguageClient, project: Path
) -> None:
    """A broken declaration drops out of the parse; its name is still completed, from the
    last version that parsed whole (the server keeps that analysis, not its index)."""
    uri = await open_spec(client, project, SPEC, "fallback.sq")
    for version in (2, 3):  # two sound versions: the whole one is not the first analysis
        change(client, uri, version, SPEC + "\n" * version)
        await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    broken = SPEC.replace(
        'page HomePage { component: import { home } from "@src/pages" }',
        "page HomePage { component: import { home } from",
    ).replace("to: HomePage", "to: ")
    change(client, uri, 4, broken)
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert any("unexpected" in d.message for d in client.diagnostics[uri])
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=position(broken, "to: ", 4),
        )
    )
    assert isinstance(result, lsp.CompletionList)
    assert {item.label for item in result.items} == {"HomePage"}


@pytest.mark.asyncio
async def test_hover_definition_references_and_rename(
    client: LanguageClient, project: Path
) -> None:
    uri = await open_spec(client, project, SPEC, "navigate.sq")
    doc = lsp.TextDocumentIdentifier(uri=uri)

    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc, position=position(SPEC, "entities: [Task]", 2))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert "**query.entities** (optional)" in hover.contents.value
    assert "a list of entity names" in hover.contents.value

    on_import = await client.text_document_hover_async(
        lsp.HoverParams(text_document=doc, position=position(SPEC, "get_tasks"))
    )
    assert on_import is not None
    assert "async def get_tasks(args: Any, context: Any) -> list[Any]" in on_import.contents.value

    to_entity = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc, position=position(SPEC, "[Task]", 1))
    )
    assert isinstance(to_entity, lsp.Location)
    assert to_entity.range.start == position(SPEC, "Task {", 0)

    to_python = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=doc, position=position(SPEC, "add_task"))
    )
    assert isinstance(to_python, lsp.Location)
    assert to_python.uri == (project / "src" / "tasks.py").as_uri()
    assert to_python.range.start.line == TASKS.splitlines().index(
        "async def add_task(args: Any, context: Any) -> Any:"
    )

    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=doc,
            position=position(SPEC, "Task {"),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None and len(found) == 3  # the declaration and two entities lists

    edit = await client.text_document_rename_async(
        lsp.RenameParams(text_document=doc, position=position(SPEC, "[Task]", 1), new_name="Chore")
    )
    assert edit is not None and edit.changes is not None
    edits = edit.changes[uri]
    assert len(edits) == 3 and {e.new_text for e in edits} == {"Chore"}
    with pytest.raises(Exception, match="entity names start with a uppercase letter"):
        await client.text_document_rename_async(
            lsp.RenameParams(text_document=doc, position=position(SPEC, "Task {"), new_name="todo")
        )


@pytest.mark.asyncio
async def test_quick_fix_writes_the_missing_function_and_clears_the_error(
    client: LanguageClient, project: Path
) -> None:
    job = 'perform: { fn: import { nightly } from "@src/jobs/nightly" }'
    text = SPEC + f"\njob nightly {{\n  executor: PgBoss,\n  {job},\n}}\n"
    uri = await open_spec(client, project, text, "fix.sq")
    (problem,) = [d for d in client.diagnostics[uri] if d.severity == lsp.DiagnosticSeverity.Error]
    assert "src.jobs.nightly" in problem.message
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=problem.range,
            context=lsp.CodeActionContext(diagnostics=[problem]),
        )
    )
    assert actions is not None
    (action,) = actions
    assert isinstance(action, lsp.CodeAction)
    assert (
        action.title == "Create `async def nightly(args: Any, context: Any)` in src/jobs/nightly.py"
    )
    assert list(action.diagnostics or []) == [problem]
    # Apply the edit as an editor would: create the files, then write their text.
    assert action.edit is not None and action.edit.document_changes is not None
    for step in action.edit.document_changes:
        if isinstance(step, lsp.CreateFile):
            path = Path(step.uri.removeprefix("file://"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        else:
            assert isinstance(step, lsp.TextDocumentEdit)
            path = Path(step.text_document.uri.removeprefix("file://"))
            (only,) = step.edits
            path.write_text(only.new_text)
    written = (project / "src" / "jobs" / "nightly.py").read_text()
    assert "async def nightly(args: Any, context: Any) -> Any:" in written
    assert (project / "src" / "jobs" / "__init__.py").is_file()
    client.workspace_did_change_watched_files(
        lsp.DidChangeWatchedFilesParams(
            changes=[
                lsp.FileEvent(
                    uri=(project / "src" / "jobs" / "nightly.py").as_uri(),
                    type=lsp.FileChangeType.Created,
                )
            ]
        )
    )
    await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    errors = [d for d in client.diagnostics[uri] if d.severity == lsp.DiagnosticSeverity.Error]
    assert errors == []


@pytest.mark.asyncio
async def test_formatting_is_sentinel_fmt(client: LanguageClient, project: Path) -> None:
    messy = 'app Todo {title:"Todo",}   // the app\n'
    uri = await open_spec(client, project, messy, "format.sq")
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits is not None
    (edit,) = edits
    assert edit.new_text == 'app Todo { title: "Todo" } // the app\n'
