"""The adopted share by decile without a sort of the households, against the definition
(the ten groups of numpy.array_split of the households in stable sort order)."""

from __future__ import annotations

import numpy as np
import pytest

from twochannel.households.adoption import adoption_deciles


def _by_definition(adoption: np.ndarray, by: np.ndarray) -> list[float]:
    order = np.argsort(by, kind="stable")
    with np.errstate(invalid="ignore"):
        return [
            float(np.mean(adoption[g] > 0)) if g.size else float("nan")
            for g in np.array_split(order, 10)
        ]


@pytest.mark.parametrize("n", [1, 5, 10, 11, 19, 997, 20_000])
@pytest.mark.parametrize("kind", ["continuous", "few values", "mass at zero"])
def test_deciles_equal_the_stable_sort_definition(n: int, kind: str) -> None:
    rng = np.random.default_rng(n)
    for _ in range(5):
        if kind == "continuous":
            by = rng.lognormal(size=n)
        elif kind == "few values":
            by = rng.integers(0, 4, n).astype(float)
        else:
            by = rng.lognormal(size=n)
            by[rng.random(n) < 0.6] = 0.0
        q = rng.random(n) * (rng.random(n) < 0.4)
        got, want = adoption_deciles(q, by), _by_definition(q, by)
        assert np.array_equal(got, want, equal_nan=True)
