"""The personal strategy lens: one person's choices side by side (docs/outlook.md §6).

For one person (occupation, wage percentile, wealth) the lens (:mod:`twochannel.lab.outlook`)
runs a set of strategies on the same population path with the same seed, so every strategy
faces the same shocks (common random numbers) and their differences are the effects of the
choices:

* retooling: now, in 5 years, in 10 years;
* AI in one's work: adopt now, never;
* wealth: hold a share X of it in AI-beneficiary (concentrated, AI-complement) assets, or a
  broad index (the market portfolio, the population's wealth-dependent share).

Choices a strategy does not set are the person's own (``Person`` fields). The table "what
moves this person up most" compares each choice with its alternative, replica by replica, at
the horizon.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from twochannel.lab.outlook import (
    BASE_YEAR,
    OutlookResult,
    Person,
    PopulationPath,
    WageRule,
    simulate_person,
)

__all__ = [
    "DEFAULT_AI_SHARE",
    "Strategy",
    "StrategyResult",
    "simulate_strategies",
    "strategies_for",
]

#: Share of wealth in AI-beneficiary assets of the "hold AI assets" strategy when the person
#: gives none.
DEFAULT_AI_SHARE = 0.5
#: Bands reported per strategy (the lens's p10, median, p90).
_BANDS = (("p10", "p10"), ("p50", "median"), ("p90", "p90"))


@dataclass(frozen=True)
class Strategy:
    """A named choice: the person with one field set."""

    name: str
    group: str
    person: Person


def strategies_for(person: Person, years: int, ai_share: float | None = None) -> list[Strategy]:
    """The strategies of ``person`` that fit in ``years`` years after 2025."""
    share = DEFAULT_AI_SHARE if ai_share is None else ai_share
    out = []
    for delay in (0, 5, 10):
        if delay <= years:
            name = "retool now" if delay == 0 else f"retool in {delay} years"
            out.append(
                Strategy(
                    f"{name} ({BASE_YEAR + delay})",
                    "retool",
                    replace(person, retool_year=BASE_YEAR + delay),
                )
            )
    out.append(
        Strategy(f"adopt AI now ({BASE_YEAR})", "adopt", replace(person, adopt_year=BASE_YEAR))
    )
    out.append(Strategy("never adopt AI", "adopt", replace(person, adopt_year="never")))
    out.append(
        Strategy(
            f"hold {100 * share:.0f}% of wealth in AI-beneficiary assets",
            "assets",
            replace(person, ai_asset_share=share),
        )
    )
    out.append(
        Strategy(
            "hold a broad index (the market portfolio)",
            "assets",
            replace(person, ai_asset_share=None),
        )
    )
    return out


def _bands(res: OutlookResult, variable: str) -> list[dict[str, float]]:
    b = res.bands(variable)
    return [
        {"year": int(y), **{key: float(b[band][i]) for key, band in _BANDS}}
        for i, y in enumerate(res.years)
    ]


@dataclass(frozen=True)
class StrategyResult:
    """Every strategy's outlook, on one population path and one seed."""

    person: dict[str, Any]
    runs: list[tuple[Strategy, OutlookResult]]
    provenance: dict[str, Any]

    def run(self, name: str) -> OutlookResult:
        return next(res for s, res in self.runs if s.name == name)

    def moves(self) -> list[dict[str, Any]]:
        """Each choice against its alternative: medians over the replicas of the paired
        differences (same shocks) in income and wealth percentile averaged over every year
        (``mean_*``) and at the horizon (``year``), and of the relative differences in dollars
        at the horizon; sorted by the mean income percentile gained."""
        by_group: dict[str, list[str]] = {}
        for s, _ in self.runs:
            by_group.setdefault(s.group, []).append(s.name)
        pairs = []
        for group, names in by_group.items():
            first = names[0]
            pairs += [(group, first, other) for other in names[1:]]
        rows: list[dict[str, Any]] = []
        for group, choice, other in pairs:
            a, b = self.run(choice).draws, self.run(other).draws
            gain = {
                v: np.median(np.mean(a[v] - b[v], axis=1))
                for v in ("income_percentile", "wealth_percentile")
            }
            rows.append(
                {
                    "group": group,
                    "choice": choice,
                    "instead_of": other,
                    "mean_income_percentile_points": float(gain["income_percentile"]),
                    "mean_wealth_percentile_points": float(gain["wealth_percentile"]),
                    "year": int(self.run(choice).years[-1]),
                    "income_percentile_points": float(
                        np.median(a["income_percentile"][:, -1] - b["income_percentile"][:, -1])
                    ),
                    "wealth_percentile_points": float(
                        np.median(a["wealth_percentile"][:, -1] - b["wealth_percentile"][:, -1])
                    ),
                    "income_change": float(
                        np.median(a["income_usd"][:, -1] / b["income_usd"][:, -1] - 1.0)
                    ),
                    "wealth_change": float(
                        np.median(
                            np.divide(
                                a["wealth_usd"][:, -1],
                                b["wealth_usd"][:, -1],
                                out=np.ones_like(a["wealth_usd"][:, -1]),
                                where=b["wealth_usd"][:, -1] > 0,
                            )
                            - 1.0
                        )
                    ),
                }
            )
        rows.sort(
            key=lambda r: (
                -r["mean_income_percentile_points"],
                -r["mean_wealth_percentile_points"],
            )
        )
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``twochannel outlook --strategies``."""
        return {
            "person": self.person,
            "strategies": [
                {
                    "name": s.name,
                    "group": s.group,
                    "retool_year": s.person.retool_year,
                    "adopt_year": s.person.adopt_year,
                    "ai_asset_share": s.person.ai_asset_share,
                    **{v: _bands(res, v) for v in OutlookResult.VARIABLES},
                }
                for s, res in self.runs
            ],
            "moves": self.moves(),
            "provenance": self.provenance,
        }


def simulate_strategies(
    person: Person,
    path: PopulationPath,
    *,
    replicas: int = 1000,
    seed: int = 2025,
    wage_rule: WageRule = "individual",
    ai_share: float | None = None,
) -> StrategyResult:
    """Every strategy of :func:`strategies_for` for ``person`` on ``path``, one seed (common
    random numbers: the same replicas face the same shocks under every strategy)."""
    person.validate(path.years)
    runs = [
        (s, simulate_person(s.person, path, replicas=replicas, seed=seed, wage_rule=wage_rule))
        for s in strategies_for(person, path.years, ai_share)
    ]
    base = runs[0][1]
    described = {
        k: v
        for k, v in base.person.items()
        if k not in ("retool_year", "retooling", "adopt_year", "adoption", "ai_asset_share")
    }
    described["ai_asset_rule"] = (
        "AI-beneficiary assets are held as concentrated (AI-complement) assets at the "
        "scenario's own returns (docs/outlook.md §1)"
    )
    return StrategyResult(person=described, runs=runs, provenance=base.provenance)
