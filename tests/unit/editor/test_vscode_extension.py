"""The VS Code extension folder: manifest, grammar and language configuration.

VS Code itself does not run here; the grammar's regexes (Oniguruma syntax, which these
stay within) are compiled with ``re`` and run over the SentinelIQ spec, and its keyword
list is held to the kinds table so a new kind cannot be forgotten.
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
