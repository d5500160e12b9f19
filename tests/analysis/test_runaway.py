"""Runaway tails (S → 1) are flagged, never shown as an ordinary stable state: in the regime
map (``runaway``), the bifurcation branches (``runaway``) and the figures (their own colour and
legend entry)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np

from twochannel.lab.bifurcation import RUNAWAY_TOP1_SHARE, is_runaway, solve_bifurcation
from twochannel.lab.regime_map import solve_regime_map
from twochannel.params.scenario import Scenario
from twochannel.plots.model import plot_bifurcation, plot_regime_map


def test_is_runaway_threshold() -> None:
    assert is_runaway(RUNAWAY_TOP1_SHARE) and not is_runaway(0.9)
    assert is_runaway(np.array([0.5, 1.0])).tolist() == [False, True]


def test_high_ai_levels_run_away_in_the_map_and_the_diagram() -> None:
    sc = Scenario()
    ds = solve_regime_map(
        sc, "rhoR", "abar", x_values=np.array([0.01, 0.1]), y_values=np.array([0.5, 6.0])
    )
    runaway = ds["runaway"].values
    assert runaway.tolist() == is_runaway(ds["final_top1_share"].values).tolist()
    assert runaway[1].any() and not runaway[0].any()
    fig = plot_regime_map(ds)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert any(lab.startswith("runaway tail") for lab in labels)
    bif = solve_bifurcation(sc, "abar", values=np.array([1.0, 6.0]))
    flagged = bif.branches[bif.branches.runaway]
    assert len(flagged) and (flagged.top1_share >= RUNAWAY_TOP1_SHARE).all()
    assert not bif.branches[~bif.branches.stable].runaway.any()
    fig = plot_bifurcation(bif)
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(lab.startswith("runaway tail") for lab in labels)
