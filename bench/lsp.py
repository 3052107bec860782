"""Language server latency: diagnostics after an edit, and completion.

Drives ``sentinel lsp --debounce 0`` over stdio with pygls' own client, on the SentinelIQ
spec and on a synthetic spec of 1,000 declarations. For each: the time from sending an
edit (``didChange``) to receiving its ``publishDiagnostics``, for two kinds of edit:
``diagnostics``, a comment line added at the end (the file stays sound), and ``typing``,
a new declaration typed two keys at a time in the middle of the file (so the file is
half-written, and lines are added above half the declarations); and the time to answer
a completion request at three kinds of place (a key, a reference, a Python name). The
baseline, measured in the same run, is the in-process parse + check of the same text
(what ``sentinel check`` does); its ratio cancels most of the machine's load.

Targets (issue 12): p50 < 50 ms on SentinelIQ, p50 < 150 ms on 1,000 declarations.

    python bench/lsp.py [--edits 40] [--completions 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the repository's sentinel_spec
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parent.parent
SERVER = [
    sys.executable,
    "-c",
    "from sentinel_spec.cli import main; main()",
    "lsp",
    "--debounce",
    "0",
]


def synthetic_project(root: Path, declarations: int = 1000) -> Path:
    """app + entities, enums, queries, actions, apis, routes and pages: ``declarations`` in all."""
    functions = [f"f{i}" for i in range(50)]
    (root / "src").mkdir()
    (root / "src" / "__init__.py").write_text("")
    (root / "src" / "ops.py").write_text(
        "".join(f"def {f}(args, context):\n    return None\n\n\n" for f in functions)
    )
    entity = (
        "entity {name} {{\n  id Int @id @default(autoincrement())\n  title String\n"
        "  level Level @default(LOW)\n  note String?\n  createdAt DateTime @default(now())\n}}"
    )
    parts = ['app Big { title: "Big" }', "enum Level { LOW MID HIGH }", entity.format(name="E0")]
    count = 3
    entities = ["E0"]
    while count < declarations:
        i = count
        if i % 10 < 2:
            name = f"E{i}"
            entities.append(name)
            parts.append(entity.format(name=name))
        elif i % 10 < 6:
            refs = ", ".join(entities[-3:])
            parts.append(
                f'query q{i} {{\n  fn: import {{ {functions[i % 50]} as g{i} }} from "@src/ops",\n'
                f"  entities: [{refs}],\n}}"
            )
        elif i % 10 < 8:
            parts.append(
                f'action a{i} {{\n  fn: import {{ {functions[i % 50]} }} from "@src/ops",\n'
                f"  entities: [{entities[-1]}],\n}}"
            )
        elif i % 10 == 8:
            parts.append(
                f'api api{i} {{\n  fn: import {{ {functions[i % 50]} }} from "@src/ops",\n'
                f'  httpRoute: (GET, "/api/x{i}"),\n}}'
            )
        else:
            parts.append(f'route R{i} {{ path: "/p{i}", to: P{i} }}')
            parts.append(f'page P{i} {{ component: import {{ f0 }} from "@src/ops" }}')
            count += 1
        count += 1
    (root / "app.sq").write_text("\n\n".join(parts) + "\n")
    return root / "app.sq"


# Typed into the middle of the file in the ``typing`` edits, two keys at a time.
TYPED = (
    "query typedQuery {\n"
    '  fn: import { typed_query } from "@src/typed",\n'
    "  entities: [],\n"
    "  auth: false,\n"
    "}\n\n"
)


def baseline_ms(spec: Path, rounds: int = 5) -> float:
    from sentinel_spec.analyzer import analyze
    from sentinel_spec.parser import parse

    text = spec.read_text()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        module, _ = parse(text, spec.name)
        analyze(module, spec.parent, spec.name)
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(spec: Path, edits: int, completions: int) -> dict[str, list[float]]:
    client = LanguageClient("sentinel-bench", "1")
    received: dict[int, float] = {}
    got = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            received[params.version] = time.perf_counter()
            got.set()

    await client.start_io(*SERVER, cwd=str(spec.parent))
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=spec.parent.as_uri())
    )
    client.initialized(lsp.InitializedParams())
    uri = spec.as_uri()
    text = spec.read_text()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="sq", version=1, text=text)
        )
    )
    while 1 not in received:
        got.clear()
        await asyncio.wait_for(got.wait(), 60)

    async def change(version: int, edited: str) -> float:
        sent = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=edited)],
            )
        )
        while version not in received:
            got.clear()
            await asyncio.wait_for(got.wait(), 60)
        return (received[version] - sent) * 1000

    results: dict[str, list[float]] = {"diagnostics": [], "typing": [], "completion": []}
    for version in range(2, edits + 2):
        results["diagnostics"].append(await change(version, text + f"\n// edit {version}\n"))
    middle = text.find("\n\n", len(text) // 2) + 2  # a declaration start mid-file
    for keys in range(edits):
        typed = TYPED[: 2 * (keys % (len(TYPED) // 2)) + 2]
        edited = text[:middle] + typed + text[middle:]
        results["typing"].append(await change(edits + 2 + keys, edited))

    places = []
    for marker, delta in (("entities: [", 11), ("fn: import { ", 13), ("\n  title", 3)):
        at = text.find(marker)
        if at >= 0:
            offset = at + delta
            line = text.count("\n", 0, offset)
            places.append(
                lsp.Position(line=line, character=offset - (text.rfind("\n", 0, offset) + 1))
            )
    for round_ in range(completions):
        position = places[round_ % len(places)]
        sent = time.perf_counter()
        await client.text_document_completion_async(
            lsp.CompletionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri), position=position
            )
        )
        results["completion"].append((time.perf_counter() - sent) * 1000)

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def report(name: str, spec: Path, edits: int, completions: int, target: float) -> None:
    from sentinel_spec.parser import parse

    declarations = len(parse(spec.read_text(), spec.name)[0].declarations)
    base = baseline_ms(spec)
    results = asyncio.run(measure(spec, edits, completions))
    print(f"{name}: {declarations} declarations; in-process parse+check {base:.1f} ms (baseline)")
    for kind, values in results.items():
        p50, p90 = statistics.median(values), percentile(values, 0.9)
        verdict = "meets" if p50 < target else "MISSES"
        print(
            f"  {kind:<11} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms  "
            f"({p50 / base:.2f}x baseline; {verdict} p50 < {target:.0f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--completions", type=int, default=30)
    options = parser.parse_args()
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    report("SentinelIQ", REPO / "app.sq", options.edits, options.completions, 50)
    with tempfile.TemporaryDirectory(prefix="sentinel-bench-lsp-") as folder:
        spec = synthetic_project(Path(folder))
        report("synthetic", spec, options.edits, options.completions, 150)


if __name__ == "__main__":
    main()
