"""``sentinel lsp``: the language server (pygls, over stdio).

Each open ``.sq`` document keeps its last ``Analysis``. An edit schedules a new one
after a short pause (``debounce`` seconds, so typing does not re-check every key);
opening and saving check at once, and so does a change to a Python file the editor
reports (``workspace/didChangeWatchedFiles``), since imports point into ``src/``.
Requests that return positions (hover, definition, references, rename, code actions)
first bring the analysis up to the document's version; completion reads the live text
with the last analysis's names, so it never waits for a check.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from sentinel_spec import __version__
from sentinel_spec.lsp import features
from sentinel_spec.lsp.index import (
    Analysis,
    CachedImports,
    CheckCache,
    ChunkedParser,
    analyse,
)

DEFAULT_DEBOUNCE = 0.15  # seconds of quiet after a keystroke before re-checking
TRIGGERS = [":", "@", '"', "/", "{", "(", "[", ",", " "]


@dataclass
class OpenSpec:
    uri: str
    path: Path
    version: int | None = None
    analysis: Analysis | None = None
    analysed_version: int | None = None
    last_whole: Analysis | None = None  # the last version that parsed whole
    parser: ChunkedParser = field(default_factory=ChunkedParser)
    checks: CheckCache = field(default_factory=CheckCache)
    pending: asyncio.TimerHandle | None = None


class SentinelServer(LanguageServer):
    def __init__(self, debounce: float = DEFAULT_DEBOUNCE) -> None:
        super().__init__("sentinel", __version__)
        self.debounce = debounce
        self.specs: dict[str, OpenSpec] = {}
        self.imports: dict[Path, CachedImports] = {}

    # ------------------------------------------------------------ analysis

    def spec(self, uri: str) -> OpenSpec:
        spec = self.specs.get(uri)
        if spec is None:
            path = Path(to_fs_path(uri) or uri)
            spec = self.specs[uri] = OpenSpec(uri, path)
        return spec

    def text(self, spec: OpenSpec) -> str:
        return self.workspace.get_text_document(spec.uri).source

    def analyse(self, spec: OpenSpec) -> Analysis:
        """Check the document as it is now, publish its diagnostics, keep the analysis."""
        if spec.pending is not None:
            spec.pending.cancel()
            spec.pending = None
        folder = spec.path.parent
        imports = self.imports.get(folder)
        if imports is None:
            imports = self.imports[folder] = CachedImports(folder)
        spec.analysis = analyse(
            self.text(spec), spec.path.name, folder, imports, spec.parser, spec.checks
        )
        spec.analysed_version = spec.version
        if spec.analysis.parsed_whole:
            spec.last_whole = spec.analysis  # its index is built only if completion asks
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=spec.uri,
                version=spec.version,
                diagnostics=features.diagnostics(spec.analysis),
            )
        )
        return spec.analysis

    def current(self, uri: str) -> tuple[OpenSpec, Analysis]:
        """The document's analysis for its current version (checking it now if stale)."""
        spec = self.spec(uri)
        if spec.analysis is None or spec.analysed_version != spec.version:
            return spec, self.analyse(spec)
        return spec, spec.analysis

    def schedule(self, spec: OpenSpec) -> None:
        if spec.pending is not None:
            spec.pending.cancel()
        if self.debounce <= 0:
            self.analyse(spec)
            return
        loop = asyncio.get_running_loop()
        spec.pending = loop.call_later(self.debounce, self.analyse, spec)

    def offset(self, uri: str, position: lsp.Position) -> int:
        return features.Lines(self.workspace.get_text_document(uri).source).offset(position)


def build_server(debounce: float = DEFAULT_DEBOUNCE) -> SentinelServer:
    server = SentinelServer(debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SentinelServer, params: lsp.DidOpenTextDocumentParams) -> None:
        spec = ls.spec(params.text_document.uri)
        spec.version = params.text_document.version
        ls.analyse(spec)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SentinelServer, params: lsp.DidChangeTextDocumentParams) -> None:
        spec = ls.spec(params.text_document.uri)
        spec.version = params.text_document.version
        ls.schedule(spec)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SentinelServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.analyse(ls.spec(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SentinelServer, params: lsp.DidCloseTextDocumentParams) -> None:
        spec = ls.specs.pop(params.text_document.uri, None)
        if spec is not None and spec.pending is not None:
            spec.pending.cancel()
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: SentinelServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        for spec in list(ls.specs.values()):
            ls.analyse(spec)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=TRIGGERS)
    )
    def completion(ls: SentinelServer, params: lsp.CompletionParams) -> lsp.CompletionList:
        spec = ls.spec(params.text_document.uri)
        analysis = spec.analysis if spec.analysis is not None else ls.analyse(spec)
        text = ls.text(spec)
        offset = features.Lines(text).offset(params.position)
        fallback = spec.last_whole.index if spec.last_whole is not None else None
        items = features.complete(analysis, text, offset, spec.path.parent, fallback)
        return lsp.CompletionList(is_incomplete=False, items=items)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: SentinelServer, params: lsp.HoverParams) -> lsp.Hover | None:
        spec, analysis = ls.current(params.text_document.uri)
        offset = ls.offset(spec.uri, params.position)
        return features.hover(analysis, offset, spec.path.parent)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: SentinelServer, params: lsp.DefinitionParams) -> lsp.Location | None:
        spec, analysis = ls.current(params.text_document.uri)
        offset = ls.offset(spec.uri, params.position)
        return features.definition(analysis, offset, spec.uri, spec.path.parent)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    def references(ls: SentinelServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
        spec, analysis = ls.current(params.text_document.uri)
        offset = ls.offset(spec.uri, params.position)
        return features.references(analysis, offset, spec.uri, params.context.include_declaration)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: SentinelServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
        spec, analysis = ls.current(params.text_document.uri)
        return features.prepare_rename(analysis, ls.offset(spec.uri, params.position))

    @server.feature(lsp.TEXT_DOCUMENT_RENAME)
    def rename(ls: SentinelServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
        spec, analysis = ls.current(params.text_document.uri)
        offset = ls.offset(spec.uri, params.position)
        try:
            return features.rename(analysis, offset, spec.uri, params.new_name)
        except features.RenameRefused as refused:
            raise JsonRpcInvalidRequest(str(refused)) from None

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def code_action(ls: SentinelServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        spec, analysis = ls.current(params.text_document.uri)
        start = ls.offset(spec.uri, params.range.start)
        end = ls.offset(spec.uri, params.range.end)
        return features.code_actions(
            analysis, start, end, spec.path.parent, params.context.diagnostics
        )

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: SentinelServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        spec = ls.spec(params.text_document.uri)
        return features.formatting(ls.text(spec), spec.path.name)

    return server


def serve(debounce: float = DEFAULT_DEBOUNCE) -> None:
    """Run the server on stdin/stdout until the client says exit."""
    build_server(debounce).start_io()
