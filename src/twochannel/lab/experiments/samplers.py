"""Designs of experiments from the field's libraries.

* ``monte-carlo``: independent draws, one child of ``numpy.random.SeedSequence(seed).spawn``
  per design point (so any run can be reproduced on its own);
* ``lhs``: Latin hypercube, :class:`scipy.stats.qmc.LatinHypercube`;
* ``sobol``: Saltelli's scheme on a scrambled Sobol' sequence, :func:`SALib.sample.sobol.sample`
  (N (2k + 2) points, or N (k + 2) without second-order indices);
* ``morris``: ``n`` Morris trajectories on ``levels`` levels, :func:`SALib.sample.morris.sample`;
* ``grid``: a full factorial of ``n`` points per axis.

Every sampler draws in the unit cube; each uncertain input maps its column through its
distribution's quantile function (:meth:`Distribution.ppf`). Each run also gets its own seed
(a second ``SeedSequence`` stream), used by the stochastic household engine.
"""

from __future__ import annotations

import inspect
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from twochannel.lab.experiments.spec import ExperimentSpec

__all__ = ["Design", "make_design", "unit_problem"]


@dataclass(frozen=True)
class Design:
    """The runs of an experiment: one row per run, in design order."""

    names: list[str]
    unit: np.ndarray  # design points in the unit cube (points × k)
    x: np.ndarray  # input values of each run (runs × k)
    point: np.ndarray  # design point of each run
    replicate: np.ndarray  # replicate number of each run
    seeds: np.ndarray  # int64 seed of each run

    @property
    def n_runs(self) -> int:
        return int(self.x.shape[0])


def unit_problem(names: list[str]) -> dict[str, Any]:
    """The SALib problem on the unit cube (the quantile maps are applied afterwards)."""
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _lhs(k: int, n: int, gen: np.random.Generator) -> np.ndarray:
    from scipy.stats import qmc

    kw = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"
    return np.asarray(qmc.LatinHypercube(d=k, **{kw: gen}).random(n))


def _unit(spec: ExperimentSpec, stream: np.random.SeedSequence) -> np.ndarray:
    k, n = len(spec.names), spec.n
    if spec.sampler == "monte-carlo":
        return np.array([np.random.default_rng(c).random(k) for c in stream.spawn(n)])
    if spec.sampler == "lhs":
        return _lhs(k, n, np.random.default_rng(stream))
    if spec.sampler == "sobol":
        from SALib.sample import sobol  # heavy optional import, only for Sobol designs

        return np.asarray(
            sobol.sample(
                unit_problem(spec.names),
                n,
                calc_second_order=spec.second_order,
                seed=spec.seed,
            )
        )
    if spec.sampler == "morris":
        from SALib.sample import morris  # heavy optional import, only for Morris designs

        return np.asarray(
            morris.sample(unit_problem(spec.names), n, num_levels=spec.levels, seed=spec.seed)
        )
    axis = np.linspace(0.0, 1.0, n) if n > 1 else np.array([0.5])
    return np.array(list(itertools.product(axis, repeat=k)), dtype=float)


def make_design(spec: ExperimentSpec) -> Design:
    """All runs of the experiment, deterministic in ``spec.seed``."""
    s_points, s_seeds = np.random.SeedSequence(spec.seed).spawn(2)
    unit = _unit(spec, s_points)
    if unit.shape[0] != spec.n_points:
        raise AssertionError("design size differs from ExperimentSpec.n_points")
    cols = [spec.uncertainties[nm].ppf(unit[:, j]) for j, nm in enumerate(spec.names)]
    values = np.column_stack(cols) if cols else np.zeros((unit.shape[0], 0))
    r = spec.replicates
    n_runs = unit.shape[0] * r
    seeds = np.array(
        [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in s_seeds.spawn(n_runs)],
        dtype=np.int64,
    )
    return Design(
        names=spec.names,
        unit=unit,
        x=np.repeat(values, r, axis=0),
        point=np.repeat(np.arange(unit.shape[0]), r),
        replicate=np.tile(np.arange(r), unit.shape[0]),
        seeds=seeds,
    )
