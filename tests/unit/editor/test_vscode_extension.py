"""The VS Code extension folder: manifest, grammar and language configuration.

VS Code itself does not run here; the grammar's regexes (Oniguruma syntax, which these
stay within) are compiled with ``re`` and run over the SentinelIQ spec, and its keyword
list is held to the kinds table so a new kind cannot be forgotten. ``extension.js`` is
run in node (when installed) with stand-ins for the ``vscode`` and language-client
modules, so its activation is checked without VS Code or ``npm install``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sentinel_spec import ast, kinds
from sentinel_spec.parser import parse

REPO = Path(__file__).resolve().parents[3]
EXTENSION = REPO / "editors" / "vscode"


def load(name: str) -> Any:
    return json.loads((EXTENSION / name).read_text())


def grammar() -> Any:
    return load("syntaxes/sq.tmLanguage.json")


def test_the_manifest_points_at_files_that_exist() -> None:
    manifest = load("package.json")
    assert (EXTENSION / manifest["main"]).is_file()
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "sq" and language["extensions"] == [".sq"]
    assert (EXTENSION / language["configuration"]).is_file()
    (tm,) = manifest["contributes"]["grammars"]
    assert tm["language"] == "sq" and (EXTENSION / tm["path"]).is_file()
    assert tm["scopeName"] == grammar()["scopeName"]
    assert "vscode-languageclient" in manifest["dependencies"]
    ignored = (EXTENSION / ".gitignore").read_text().split()
    assert "node_modules/" in ignored and "*.vsix" in ignored


def test_the_client_starts_sentinel_lsp() -> None:
    source = (EXTENSION / "extension.js").read_text()
    assert '"lsp"' in source and "TransportKind.stdio" in source
    assert 'language: "sq"' in source
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot syntax-check extension.js")
    subprocess.run([node, "--check", str(EXTENSION / "extension.js")], check=True)


def test_language_configuration_knows_comments_brackets_and_quoters() -> None:
    config = load("language-configuration.json")
    assert config["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    assert ["{=json", "json=}"] in config["brackets"]
    opens = {pair["open"]: pair["close"] for pair in config["autoClosingPairs"]}
    assert opens["{=json"] == " json=}" and opens["{=psl"] == " psl=}" and opens["{"] == "}"


def patterns(node: Any) -> list[dict[str, Any]]:
    """Every rule of the grammar, nested ones included."""
    found = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "match" in item or "begin" in item:
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def test_every_regex_compiles() -> None:
    for rule in patterns(grammar()):
        for key in ("match", "begin", "end"):
            if key in rule:
                re.compile(rule[key])


def test_the_declaration_keywords_are_the_kinds_table() -> None:
    repository = grammar()["repository"]
    keywords = re.match(r"\\b\((.*?)\)", repository["declaration"]["match"]).group(1)
    assert set(keywords.split("|")) == {k.name for k in kinds.dict_kinds()}
    assert repository["entity"]["patterns"][0]["begin"].startswith(r"\b(entity)")
    assert repository["enum"]["begin"].startswith(r"\b(enum)")


def test_the_rules_find_what_the_parser_finds_in_sentineliq() -> None:
    source = (REPO / "app.sq").read_text()
    module, errors = parse(source)
    assert errors == []
    repository = grammar()["repository"]
    starts = (
        repository["declaration"]["match"],
        repository["enum"]["begin"],
        *(p["begin"] for p in repository["entity"]["patterns"]),
    )
    found = {m.group(2) for rule in starts for m in re.finditer(rule, source, re.MULTILINE)}
    assert {d.name.name for d in module.declarations} <= found
    imports = len(re.findall(repository["import"]["match"], source))
    assert imports == source.count("import {") and imports > 20
    json_open = re.compile(repository["json"]["begin"])
    json_close = re.compile(repository["json"]["end"])
    assert (
        len(json_open.findall(source)) == len(json_close.findall(source)) == source.count("{=json")
    )
    line_comment = re.compile(repository["comments"]["patterns"][0]["match"], re.MULTILINE)
    assert line_comment.search(source).group(0).startswith("// SentinelIQ")
    escape = re.compile(repository["string"]["patterns"][0]["match"])
    assert escape.fullmatch(r"\u00e9") and escape.fullmatch(r"\"") and not escape.fullmatch(r"\q")
    assert isinstance(module.declarations[0], ast.Decl)


# Loads extension.js in node with stand-ins for the two modules VS Code and npm provide,
# runs activate() with settings, and prints what it did as JSON.
ACTIVATE = r"""
const Module = require("module");
const load = Module._load;
const did = { commands: [], watched: [], clients: [], started: 0, errors: [] };
const settings = JSON.parse(process.argv[2]);
const disposable = { dispose() {} };
const vscode = {
  workspace: {
    getConfiguration: (section) => ({ get: (key, fallback) => settings[key] ?? fallback }),
    workspaceFolders: [{ uri: { fsPath: "/work/project" } }],
    createFileSystemWatcher: (glob) => { did.watched.push(glob); return disposable; },
  },
  window: { showErrorMessage: (message) => did.errors.push(message) },
  commands: { registerCommand: (name) => { did.commands.push(name); return disposable; } },
};
class LanguageClient {
  constructor(id, name, server, client) {
    did.clients.push({ id, name, server, selector: client.documentSelector });
  }
  start() {
    did.started += 1;
    return settings.fail ? Promise.reject(new Error("ENOENT")) : Promise.resolve();
  }
  stop() { return Promise.resolve(); }
  dispose() {}
}
Module._load = function (request, ...rest) {
  if (request === "vscode") return vscode;
  if (request === "vscode-languageclient/node") {
    return { LanguageClient, TransportKind: { stdio: 0 } };
  }
  return load.call(this, request, ...rest);
};
const extension = require(process.argv[1]);
extension.activate({ subscriptions: [] }).then(() => console.log(JSON.stringify(did)));
"""


def activate(settings: dict[str, Any]) -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run extension.js")
    done = subprocess.run(
        [node, "-e", ACTIVATE, str(EXTENSION / "extension.js"), json.dumps(settings)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def test_activation_starts_the_configured_server_for_sq_files() -> None:
    did = activate({})
    (client,) = did["clients"]
    assert client["server"] == {
        "command": "sentinel",
        "args": ["lsp"],
        "transport": 0,
        "options": {"cwd": "/work/project"},
    }
    assert client["selector"] == [{"scheme": "file", "language": "sq"}]
    assert did["started"] == 1 and did["errors"] == []
    assert did["watched"] == ["**/*.py"]  # Python edits re-check the imports
    manifest_commands = [c["command"] for c in load("package.json")["contributes"]["commands"]]
    assert did["commands"] == manifest_commands
    custom = activate({"command": "/venv/bin/sentinel", "extraArgs": ["--debounce", "0.3"]})
    assert custom["clients"][0]["server"]["command"] == "/venv/bin/sentinel"
    assert custom["clients"][0]["server"]["args"] == ["lsp", "--debounce", "0.3"]


def test_a_server_that_cannot_start_is_explained() -> None:
    did = activate({"fail": True})
    (message,) = did["errors"]
    assert "could not start `sentinel lsp`" in message and "sentinel.command" in message
