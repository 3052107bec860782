"""Parser speed: 10,000 small declarations (5,000 queries, 5,000 entities).

Prints the parse time and its ratio to ``json.loads`` of a document with the same
number of objects, measured in the same run (the ratio cancels most of the machine's
load). Best of ``--rounds`` runs after one warm-up parse (lark's tables built and cached).

    python bench/parse.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the repository's sentinel_spec
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TEMPLATE = (
    'query q{i} {{ fn: import {{ f as g{i} }} from "@src/ops", entities: [Case, Alert],'
    " auth: true }}\n"
    "entity E{i} {{ id String @id @default(uuid()) name String? @unique }}\n"
)


def ten_thousand_declarations() -> str:
    return "".join(TEMPLATE.format(i=i) for i in range(5000))


def json_baseline() -> str:
    item = {"fn": {"import": "f", "as": "g", "from": "@src/ops"}, "entities": ["Case", "Alert"]}
    return json.dumps([dict(item, name=f"q{i}") for i in range(10_000)])


def best_of(rounds: int, run: object) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    from sentinel_spec.parser import parse

    source = ten_thousand_declarations()
    document = json_baseline()
    module, errors = parse(source)  # warm-up; also checks the input is sound
    assert not errors and len(module.declarations) == 10_000
    spec_time = best_of(options.rounds, lambda: parse(source))
    json_time = best_of(options.rounds, lambda: json.loads(document))
    print(f"parse 10,000 declarations: {spec_time:.3f} s (best of {options.rounds})")
    print(f"json.loads of 10,000 objects: {json_time:.3f} s; ratio {spec_time / json_time:.1f}x")


if __name__ == "__main__":
    main()
