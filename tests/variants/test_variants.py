"""The article's runbooks across the variation space of the simulators (bot_sim.variation):
pairwise coverage of every axis, and random draws from seeds. Each combination's outcome is the
oracle's (expectations.py): a pass, or a clear failure in the page's own words that changed
nothing (or, for guards after Acumatica's answer, left the Enable switch as it was).

CI runs every pairwise combination and the first 5 seeds; `BOT_VARIANTS=all` runs all 20 seeds
(docs/reliability.md, "Variants").
"""

from __future__ import annotations

import pytest
from expectations import reauthorize, sliding_expiration
from variants_helpers import INTEGRATION_USER, Variants, judge, label, pairwise, seeded, world

pytestmark = pytest.mark.browser

PAIRWISE = pairwise()
SEEDED = seeded()
CASES = [pytest.param(v, id=f"pairwise{i:02d}-{label(v)}") for i, v in enumerate(PAIRWISE)] + [
    pytest.param(v, id=f"seed{seed:02d}-{label(v)}") for seed, v in SEEDED
]


@pytest.mark.parametrize("variation", CASES)
def test_reauthorize(variants: Variants, variation: dict[str, str]) -> None:
    expected = reauthorize(variation)
    run, before = variants.run("reauthorize", variation)
    after = world(variants.sims)
    judge(run, expected, before, after)
    if expected.verdict == "passed":
        integration = after["integration"]
        assert integration["enabled"] is True
        assert integration["status"] == "Connected"
        assert integration["authorized_user"] == INTEGRATION_USER
        assert integration["tenant"] == "Acme Live"


@pytest.mark.parametrize("variation", CASES)
def test_sliding_expiration(variants: Variants, variation: dict[str, str]) -> None:
    expected = sliding_expiration(variation)
    run, before = variants.run("sliding-expiration", variation)
    after = world(variants.sims)
    judge(run, expected, before, after)
    if expected.verdict == "passed":
        (app,) = after["apps"].values()
        assert app["refresh"]["mode"] == "Sliding Expiration"
        assert (app["refresh"]["sliding_days"], app["refresh"]["infinite"]) == (15.0, True)


def test_pairwise_covers_every_pair_of_values() -> None:
    """The covering array really is one: every two axes' values meet in some combination."""
    names = list(PAIRWISE[0])
    from bot_sim.variation import AXES

    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            met = {(row[first], row[second]) for row in PAIRWISE}
            wanted = {(a, b) for a in AXES[first].values for b in AXES[second].values}
            assert met == wanted, (first, second, wanted - met)
