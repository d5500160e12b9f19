"""``twochannel fit``: estimate the model's empirical inputs from the real data.

* ``fit compression`` — the compression test (DiD and event study of within-occupation wage
  dispersion on AI exposure after 2022, robustness grid, placebo) and φ_c (M17) with its
  interval, written as a calibration file and a scenario TOML;
* ``fit wealth`` — the Pareto level A and tail ζ (M12) per DFA quarter, the household layer's
  t = 0 law, and the DFA top shares against the labor-side dispersion.

The sub-app is a :class:`twochannel.cli.registry.FitGroup`: each command lives in its own
module (thin wrappers over :mod:`twochannel.reports.fit`) and is imported when it runs. Bad
input (unknown index or outcome, missing data directory or files) ends with a one-line
``error:`` and exit code 2.
"""

from __future__ import annotations

import typer

from twochannel.cli.registry import FIT_HELP, FitGroup

__all__ = ["fit_app"]

fit_app = typer.Typer(
    name="fit",
    cls=FitGroup,
    help=FIT_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@fit_app.callback()
def _fit() -> None:
    """Estimates from the real data."""
