"""The long run of the mutation fuzzer of .sq files (tests/spec_fuzz.py).

Mutates the valid specs under tests/golden and SentinelIQ's app.sq for --seconds, checks
every answer (diagnostics with spans inside the file, or a spec that generates valid
Python) and prints the time per input (median, p99, max and the slowest input). Each
finding is shrunk (chunks removed while the same problem remains) and saved to --out
with its seed, mutations and problem, to become a regression test.

    python bench/fuzz_spec.py [--seconds 600] [--seed N] [--out fuzz-findings]

The CI round (tests/unit/compiler/test_spec_fuzz.py) runs 400 inputs; this one runs
tens of thousands. A run is reproducible from its printed --seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.spec_fuzz import Campaign, Finding, run_one  # noqa: E402


def signature(problem: str) -> str:
    """What identifies a problem across inputs: its last line (the exception, or the span)."""
    lines = [line for line in problem.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def shrink(finding: Finding, project: Path, budget: float = 60.0) -> bytes:
    """A smaller input with the same problem: drop chunks, halving their size."""
    data, wanted, deadline = finding.data, signature(finding.problem), time.time() + budget
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and time.time() < deadline:
        at, shrunk = 0, False
        while at < len(data) and time.time() < deadline:
            candidate = data[:at] + data[at + chunk :]
            outcome = run_one(candidate, project)
            if outcome.kind == "finding" and signature(outcome.problem) == wanted:
                data, shrunk = candidate, True
            else:
                at += chunk
        if not shrunk:
            chunk //= 2
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"spec fuzzer: --seed {seed}, {args.seconds:.0f} s")
    rng = random.Random(seed)
    distinct: dict[str, Finding] = {}
    with tempfile.TemporaryDirectory() as tmp:
        campaign = Campaign(Path(tmp))
        started = last_report = time.time()
        while time.time() - started < args.seconds:
            campaign.run(rng)
            for finding in campaign.findings:
                distinct.setdefault(signature(finding.problem), finding)
            campaign.findings.clear()
            if time.time() - last_report > 60:
                print(f"  {time.time() - started:.0f} s: {campaign.summary()}", flush=True)
                last_report = time.time()
        print(campaign.summary())
        print(f"{len(distinct)} distinct finding(s)")
        for number, (key, finding) in enumerate(distinct.items(), 1):
            origin = next(s for s in campaign.pool if s.name == finding.seed)
            small = shrink(finding, campaign.project(origin))
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"finding-{number}.sq").write_bytes(small)
            (args.out / f"finding-{number}.txt").write_text(
                f"seed {finding.seed}\nmutations {finding.steps}\n\n{finding.problem}\n"
            )
            print(f"  {number}. {key} ({finding.seed}; {len(small)} bytes after shrinking)")
    sys.exit(1 if distinct else 0)


if __name__ == "__main__":
    main()
