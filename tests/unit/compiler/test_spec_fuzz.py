"""A short round of the mutation fuzzer of ``.sq`` files (``tests/spec_fuzz.py``).

Hypothesis drives the mutator's random choices, so a finding shrinks to a small input
and the round is the same on every run (derandomized). Each input must end in
diagnostics whose spans lie inside the file, or in a spec that generates valid Python;
the hang detector is a generous timeout, not a speed check (``bench/fuzz_spec.py``
runs long rounds and prints the time per input).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.spec_fuzz import Campaign, Seed, run_one, seeds

EXAMPLES = 400  # about 20 s on one loaded core


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Campaign]:
    fuzz = Campaign(tmp_path_factory.mktemp("fuzz"))
    yield fuzz
    print(f"\nspec fuzzer: {fuzz.summary()}")


def test_every_seed_is_a_valid_spec_or_a_parse_only_one(campaign: Campaign) -> None:
    # The analyze and models seeds, and SentinelIQ's app.sq, compile as they are; the
    # parse seeds have no src/ and may fail only on imports.
    for seed in campaign.pool:
        outcome = run_one(seed.source, campaign.project(seed))
        if seed.name.startswith("parse/"):
            assert outcome.kind in ("compiled", "errors"), (seed.name, outcome.problem)
        else:
            assert outcome.kind == "compiled", (seed.name, outcome.problem)
    assert len(campaign.pool) >= 15


def test_the_seeds_include_sentineliq() -> None:
    names = [seed.name for seed in seeds()]
    assert "sentineliq/app.sq" in names
    assert all(isinstance(seed, Seed) and seed.source for seed in seeds())


@settings(
    max_examples=EXAMPLES,
    deadline=None,  # time is measured, not asserted
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_specs_get_diagnostics_or_compile(campaign: Campaign, rng: random.Random) -> None:
    before = len(campaign.findings)
    campaign.run(rng)
    if len(campaign.findings) > before:
        finding = campaign.findings[-1]
        path = Path(campaign.workdir) / "finding.sq"
        path.write_bytes(finding.data)
        raise AssertionError(
            f"seed {finding.seed}, mutations {finding.steps} (input saved to {path}):\n"
            f"{finding.problem}"
        )
