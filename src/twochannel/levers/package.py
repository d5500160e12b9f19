"""Policy packages: levers with units, ranges and sources, an enactment year and a phase-in
time (institutional lag), composable, stored as TOML beside a scenario (docs/policies.md).

A package file looks like::

    name = "alaska-fund"
    description = "An AI sovereign wealth fund paying an equal dividend."
    scenario = "baseline.toml"   # optional: a scenario file (relative to this file) or preset
    enact_year = 2027            # default enactment year of every lever (calendar year)
    phase_in = 5                 # default institutional lag of every lever, years

    [levers.sovereign_fund]
    stake = 0.25
    payout_rate = 0.05
    leakage = 0.05
    enact_year = 2028            # optional, per lever

Every problem is an :class:`~twochannel.params.scenario.InputError` naming the file, the
lever, the field and the value (with the allowed range); the CLI turns it into exit code 2.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from twochannel.params import policy_slots as PS
from twochannel.params.fields import ParameterInfo, check_ranges, infos_from_model
from twochannel.params.fields import param_field as _p
from twochannel.params.presets import preset_path, resolve_scenario
from twochannel.params.scenario import InputError, Scenario
from twochannel.params.schema import PARAM_DTYPE, copy_record

__all__ = [
    "ADOPTION_MEAN_FIELD",
    "BASE_YEAR",
    "LEVERS",
    "LEVER_KINDS",
    "MIN_YEAR",
    "AiLiteracy",
    "ComputeAccess",
    "Lever",
    "PolicyPackage",
    "load_policy",
]

#: Default calendar year of t = 0 (docs/model.md §1); a scenario's ``start_year`` replaces it.
BASE_YEAR = 2025
#: Latest enactment year accepted.
MAX_YEAR = 2525
#: Earliest enactment year any lever accepts (the lower bound of a scenario's start year); a
#: package bound to a run accepts enactment from the run's start year on (issue 16).
MIN_YEAR = 1000


def _year_text(year: float) -> str:
    """A calendar year as the range messages print it (2025, not 2025.0)."""
    return f"{year:g}" if float(year).is_integer() else repr(year)


class Lever(BaseModel):
    """Common part of every lever: when it is enacted and how long it takes to phase in."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, populate_by_name=True)

    #: "redistribution", "predistribution", "labor" or "technology/institutions".
    family: ClassVar[str] = ""
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    enact_year: float | None = None
    phase_in: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Lever:
        problems = check_ranges(self, infos_from_model(type(self)))
        # the lower bound is the run's start year, checked by the package (issue 16)
        if self.enact_year is not None and not (MIN_YEAR <= self.enact_year <= MAX_YEAR):
            problems.append(
                f"field 'enact_year' = {self.enact_year!r} is outside the allowed range "
                f"[{MIN_YEAR}, {MAX_YEAR}] (calendar year)"
            )
        if self.phase_in is not None and not (0.0 <= self.phase_in <= 100.0):
            problems.append(
                f"field 'phase_in' = {self.phase_in!r} is outside the allowed range [0, 100] years"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def is_active(self) -> bool:
        """False when every intensity is zero (the lever is then the identity)."""
        return any(v not in (None, 0.0) for k, v in self.intensities().items())

    def intensities(self) -> dict[str, float]:
        """The fields whose zero value switches the lever off."""
        raise NotImplementedError


class UBI(Lever):
    family: ClassVar[str] = "redistribution"
    title: ClassVar[str] = "Universal basic income"
    summary: ClassVar[str] = (
        "An equal transfer to every household, financed by the package's taxes (a deficit is "
        "closed by a flat tax on labor income). No channel in the aggregate model beyond its "
        "financing; it acts on households."
    )
    amount_usd: float = _p(
        0.0,
        key="amount_usd",
        symbol="b",
        unit="USD per household per year (2025 dollars, grows with output)",
        allowed=(0.0, 200_000.0),
        plausible=(1_000.0, 24_000.0),
        description="Transfer paid to every household each year.",
        source="Alaska Permanent Fund Dividend 2024: USD 1,702 per person (Alaska Department of "
        "Revenue, Permanent Fund Dividend Division, https://pfd.alaska.gov/); proposals for a"
        " US UBI of USD 12,000 per adult (the 'Freedom Dividend' of Andrew Yang's 2020 "
        "presidential campaign)",
        equations="docs/households.md §2 (step 5) transfers_i",
    )

    def intensities(self) -> dict[str, float]:
        return {"amount_usd": self.amount_usd}


class CapitalTax(Lever):
    family: ClassVar[str] = "redistribution"
    title: ClassVar[str] = "Capital-income and wealth taxation"
    summary: ClassVar[str] = (
        "Raises the tax wedge on private capital income (adds to τ(P), M8) and/or taxes wealth "
        "above the top-1% entry threshold each year (adds to the drain m on top wealth, M10)."
    )
    income_rate: float = _p(
        0.0,
        key="income_rate",
        symbol="Δτ",
        unit="share of private capital income",
        allowed=(0.0, 0.6),
        plausible=(0.0, 0.2),
        description="Extra tax on private capital income, added to the wedge τ(P).",
        source="US top tax rates on capital income of 20-40% (Congressional Budget Office, "
        "https://www.cbo.gov/topics/taxes); Saez & Zucman (2019), 'The triumph of injustice: "
        "how the rich dodge taxes and how to make them pay', W. W. Norton, "
        "https://taxjusticenow.org/",
        equations="M8, M9",
    )
    wealth_rate: float = _p(
        0.0,
        key="wealth_rate",
        symbol="τ_W",
        unit="1/yr (share of wealth above the top-1% entry)",
        allowed=(0.0, 0.1),
        plausible=(0.0, 0.03),
        description="Annual tax on wealth above the top-1% entry threshold.",
        source="Proposed US wealth taxes of 2-3% a year above USD 50 million: Saez & Zucman (2019), "
        "'The triumph of injustice: how the rich dodge taxes and how to make them pay', W. W."
        " Norton, https://taxjusticenow.org/",
        equations="M10 (m + τ_W)",
    )

    def intensities(self) -> dict[str, float]:
        return {"income_rate": self.income_rate, "wealth_rate": self.wealth_rate}


class RobotTax(Lever):
    family: ClassVar[str] = "redistribution"
    title: ClassVar[str] = "Robot / compute tax"
    summary: ClassVar[str] = (
        "Taxes the income of AI-complement capital — the automation and captured-surplus "
        "terms of s_K (M4) — at rate τ_R."
    )
    rate: float = _p(
        0.0,
        key="rate",
        symbol="τ_R",
        unit="share of private AI-complement capital income",
        allowed=(0.0, 0.9),
        plausible=(0.0, 0.3),
        description="Tax rate on the income of AI-complement (compute, data, infrastructure) "
        "capital.",
        source="Optimal robot tax of 1-4% of robot value, falling to 0 as automation completes: "
        "Guerreiro, Rebelo & Teles (2022), 'Should robots be taxed?', Review of Economic "
        "Studies 89(1): 279-311, doi:10.1093/restud/rdab019; Acemoglu, Manera & Restrepo "
        "(2020), 'Does the US tax code favor automation?', NBER Working Paper 27052, "
        "doi:10.3386/w27052",
        equations="M4 (AI terms), M9",
    )

    def intensities(self) -> dict[str, float]:
        return {"rate": self.rate}


class SovereignFund(Lever):
    family: ClassVar[str] = "predistribution"
    title: ClassVar[str] = "AI sovereign wealth fund (Alaska model)"
    summary: ClassVar[str] = (
        "A public stake in AI-complement capital income flows into a fund that pays an equal "
        "dividend per household (a percent of fund value, Alaska's POMV rule); a governance "
        "leakage diverts part of the stake's income back to private owners."
    )
    stake: float = _p(
        0.0,
        key="stake",
        symbol="χ_SWF",
        unit="share of AI-complement capital income",
        allowed=(0.0, 1.0),
        plausible=(0.05, 0.4),
        description="Public claim on the income of AI-complement capital (royalty or equity).",
        source="Alaska: 25-50% of oil royalties go to the Permanent Fund (Constitution of the State "
        "of Alaska, art. IX sec. 15, "
        "https://ltgov.alaska.gov/information/alaskas-constitution/); a stake of about "
        "1/5-1/3 removes the asset trap (chi*, M32; docs/model.md §8.3)",
        equations="M9 (χ on the AI part of s_K), M32",
    )
    payout_rate: float = _p(
        0.05,
        key="payout_rate",
        symbol="π_F",
        unit="1/yr (share of fund value)",
        allowed=(0.0, 0.5),
        plausible=(0.03, 0.06),
        description="Dividend paid each year as a share of the fund's value.",
        source="Alaska Permanent Fund percent-of-market-value draw of 5% (Alaska Senate Bill 26, "
        "2018; Alaska Permanent Fund Corporation, https://apfc.org/)",
        equations="docs/policies.md §3 (fund accounting)",
    )
    leakage: float = _p(
        0.0,
        key="leakage",
        symbol="ℓ_F",
        unit="share of the stake's income",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.3),
        description="Governance leakage: share of the stake's income captured by private "
        "insiders instead of reaching the fund.",
        source="Assumption; governance risk of sovereign funds: Truman (2010), 'Sovereign wealth "
        "funds: threat or salvation?', Peterson Institute for International Economics, "
        "https://www.piie.com/bookstore/sovereign-wealth-funds-threat-or-salvation",
        equations="docs/policies.md §2",
    )

    def intensities(self) -> dict[str, float]:
        return {"stake": self.stake}


class InfrastructureBonds(Lever):
    family: ClassVar[str] = "predistribution"
    title: ClassVar[str] = "AI infrastructure bonds"
    summary: ClassVar[str] = (
        "Households buy bonds that finance a share of AI-complement capital; usage fees paid "
        "by AI firms repay the coupons. Vertical integration erodes the fee base at a given "
        "rate, so the bond-financed share decays after enactment."
    )
    share: float = _p(
        0.0,
        key="share",
        symbol="χ_B",
        unit="share of AI-complement capital income",
        allowed=(0.0, 1.0),
        plausible=(0.05, 0.3),
        description="Share of AI-complement capital financed by publicly held bonds; its "
        "usage-fee income pays the coupons.",
        source="Assumption: bonds sold to the public act as chi on the debt-financed part of AI "
        "capital (docs/model.md §10); modelled on war-bond-style public financing of AI "
        "infrastructure, for which no estimate exists",
        equations="M9 (χ on the AI part of s_K)",
    )
    erosion_rate: float = _p(
        0.0,
        key="erosion_rate",
        symbol="ε_B",
        unit="1/yr",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.1),
        description="Rate at which vertical integration erodes the usage-fee base.",
        source="Assumption: platforms may integrate vertically and build their own infrastructure to"
        " avoid paying usage fees; no estimate of the rate exists",
        equations="docs/policies.md §1 (decay)",
    )

    def intensities(self) -> dict[str, float]:
        return {"share": self.share}


class WorkerOwnership(Lever):
    family: ClassVar[str] = "predistribution"
    title: ClassVar[str] = "Worker ownership (ESOP)"
    summary: ClassVar[str] = (
        "A share of capital income is paid to workers in proportion to their wages; it vests "
        "over the vesting period; liquidity lets workers sell vested shares back at a rate, "
        "which lowers the long-run share to share/(1 + liquidity·vesting)."
    )
    share: float = _p(
        0.0,
        key="share",
        symbol="χ_E",
        unit="share of capital income",
        allowed=(0.0, 0.9),
        plausible=(0.02, 0.2),
        description="Share of all capital income owned by workers once fully vested.",
        source="US ESOPs hold about 1.5-2% of corporate equity for 10.5 million participants "
        "(National Center for Employee Ownership, 2024, https://www.nceo.org/); the Mondragon"
        " cooperatives (https://www.mondragon-corporation.com/en/)",
        equations="M9 (adds to χ)",
    )
    vesting_years: float = _p(
        6.0,
        key="vesting_years",
        symbol="T_E",
        unit="years",
        allowed=(0.0, 40.0),
        plausible=(3.0, 6.0),
        description="Vesting period; replaces the lever's phase-in time.",
        source="ERISA maximum vesting schedules, a 3-year cliff or 6-year graded (26 U.S.C. 411, "
        "https://www.law.cornell.edu/uscode/text/26/411)",
        equations="docs/policies.md §1 (lag)",
    )
    liquidity: float = _p(
        0.0,
        key="liquidity",
        symbol="l_E",
        unit="1/yr",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.1),
        description="Rate at which vested worker shares are sold back to concentrated owners.",
        source="Assumption: liquidity and scale constraints limit how much of a large firm's equity "
        "workers can hold; no estimate exists",
        equations="docs/policies.md §2",
    )

    def intensities(self) -> dict[str, float]:
        return {"share": self.share}


class RetrainingCredits(Lever):
    family: ClassVar[str] = "labor"
    title: ClassVar[str] = "Retraining credits"
    summary: ClassVar[str] = (
        "Raise the retooling rate ρ_R (M16) at a cost per retrained worker, paid from the "
        "public budget."
    )
    boost: float = _p(
        0.0,
        key="boost",
        symbol="Δρ_R",
        unit="1/yr",
        allowed=(0.0, 1.0),
        plausible=(0.01, 0.1),
        description="Increase of the yearly retooling hazard of exposed, not-yet-retooled workers.",
        source="Assumption within the plausible range of rho_R (docs/model.md §3); sectoral training"
        " evaluations in Katz, Roth, Hendra & Schaberg (2022), 'Why do sectoral employment "
        "programs work? Lessons from WorkAdvance', Journal of Labor Economics 40(S1): "
        "S249-S291, doi:10.1086/717932",
        equations="M16",
    )
    cost_per_worker_usd: float = _p(
        15_000.0,
        key="cost_per_worker_usd",
        symbol="c_R",
        unit="USD per retrained worker (2025 dollars, grows with output)",
        allowed=(0.0, 500_000.0),
        plausible=(5_000.0, 30_000.0),
        description="Public cost of each worker retrained because of the credits.",
        source="Assumption, the order of magnitude of US sectoral training programmes (Year Up, "
        "Project QUEST: about USD 10,000-30,000 per participant): Katz, Roth, Hendra & "
        "Schaberg (2022), Journal of Labor Economics 40(S1): S249-S291, doi:10.1086/717932",
        equations="docs/policies.md §3 (budget)",
    )

    def intensities(self) -> dict[str, float]:
        return {"boost": self.boost}


#: The household engine's adoption calibration (docs/households.md §11) that the aggregate
#: mapping of the two adoption levers uses (the aggregate model has no adoption state; a test
#: keeps these equal to the HouseholdParameters defaults): 2025 adopted share A_0, yearly hazard
#: λ̄ and the starting intensity q_0.
ADOPTION_MEAN_FIELD = {"initial_share": 0.28, "hazard": 0.20, "initial_intensity": 0.38}
_BBD = (
    "Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper "
    "32966, doi:10.3386/w32966"
)


def _ramp(t: float, start: float, lag: float) -> float:
    """0 before ``start``, then 1 − e^{−(t − start)/lag} (1 at once for lag 0)."""
    if t < start:
        return 0.0
    return 1.0 if lag <= 0.0 else 1.0 - math.exp(-(t - start) / lag)


class ComputeAccess(Lever):
    family: ClassVar[str] = "labor"
    title: ClassVar[str] = "Public compute access"
    summary: ClassVar[str] = (
        "Gives a share of households free access to frontier AI models (and the compute behind "
        "them): a covered household that does not yet use AI in its work adopts it "
        "(docs/households.md §11). Paid per covered household and year. The aggregate model "
        "has no adoption state: it gets the retooling speed-up the adoption gain implies "
        "(docs/policies.md §2.12)."
    )
    share: float = _p(
        0.0,
        key="share",
        symbol="s_A",
        unit="share of households",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.5),
        description="Share of households given public access (drawn at random, fixed for the "
        "run), reached over the phase-in time.",
        source="Assumption; public access points for the internet (libraries, the US Affordable "
        "Connectivity Program) are the model, no estimate for AI exists",
        equations="docs/households.md §11",
    )
    cost_per_household_usd: float = _p(
        240.0,
        key="cost_per_household_usd",
        symbol="c_A",
        unit="USD per covered household per year (2025 dollars, grows with output)",
        allowed=(0.0, 100_000.0),
        plausible=(100.0, 2_400.0),
        description="Public cost of one household's access for a year.",
        source="OpenAI ChatGPT Plus consumer subscription, USD 20 a month in 2025 "
        "(https://openai.com/chatgpt/pricing/), as the price of a frontier-model seat",
        equations="docs/policies.md §3 (budget)",
    )

    def intensities(self) -> dict[str, float]:
        return {"share": self.share}

    def coverage(self, t: float, start: float, lag: float) -> float:
        """Covered share of households at t (years after 2025)."""
        return self.share * _ramp(t, start, lag)


class AiLiteracy(Lever):
    family: ClassVar[str] = "labor"
    title: ClassVar[str] = "AI-literacy programmes"
    summary: ClassVar[str] = (
        "Courses for the households least likely to adopt AI (the lowest adoption hazards of "
        "2025): their adoption hazard is multiplied by 1 + b while they have not adopted. Paid "
        "per participant and year. The aggregate model gets the retooling speed-up the "
        "adoption gain implies (docs/policies.md §2.12)."
    )
    speedup: float = _p(
        0.0,
        key="speedup",
        symbol="b_L",
        unit="relative increase of the adoption hazard",
        allowed=(0.0, 20.0),
        plausible=(0.0, 3.0),
        description="Relative increase of the targeted households' yearly adoption hazard.",
        source="Assumption; " + _BBD + " find adoption rising steeply with education, which "
        "the programme stands in for",
        equations="docs/households.md §11",
    )
    target_share: float = _p(
        0.5,
        key="target_share",
        symbol="f_L",
        unit="share of households",
        allowed=(0.0, 1.0),
        plausible=(0.1, 0.6),
        description="Share of households targeted: those with the lowest 2025 adoption hazard "
        "(least-paid occupations and positions).",
        source="Assumption: the bottom half by adoption propensity, where use at work is about "
        "one in five (" + _BBD + ")",
        equations="docs/households.md §11",
    )
    cost_per_participant_usd: float = _p(
        1_500.0,
        key="cost_per_participant_usd",
        symbol="c_L",
        unit="USD per participant per year (2025 dollars, grows with output)",
        allowed=(0.0, 100_000.0),
        plausible=(300.0, 5_000.0),
        description="Public cost per targeted household that does not yet use AI, per year.",
        source="Assumption: a short course, a tenth of the USD 10,000-30,000 per participant of "
        "US sectoral training programmes in Katz, Roth, Hendra & Schaberg (2022), 'Why do "
        "sectoral employment programs work? Lessons from WorkAdvance', Journal of Labor "
        "Economics 40(S1): S249-S291, doi:10.1086/717932",
        equations="docs/policies.md §3 (budget)",
    )

    def intensities(self) -> dict[str, float]:
        return {"speedup": self.speedup, "target_share": self.target_share}

    def is_active(self) -> bool:
        return self.speedup > 0.0 and self.target_share > 0.0

    def boost(self, t: float, start: float, lag: float) -> float:
        """The targeted households' hazard speed-up at t."""
        return self.speedup * _ramp(t, start, lag)


class PortableIdentities(Lever):
    family: ClassVar[str] = "labor"
    title: ClassVar[str] = "Portable professional identities"
    summary: ClassVar[str] = (
        "Credentials and reputations that workers carry between employers make the "
        "augmentation surplus worker-embodied: retooled workers keep a share π of it even "
        "without bargaining power (M4: P·h becomes (P + π(1 − P))·h)."
    )
    portability: float = _p(
        0.0,
        key="portability",
        symbol="π",
        unit="share",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.5),
        description="Share of the augmentation surplus that retooled workers keep regardless "
        "of labor power.",
        source="Assumption: portable professional identities are a proposal of the essays that "
        "motivated the project; no estimate of their effect exists",
        equations="M4",
    )

    def intensities(self) -> dict[str, float]:
        return {"portability": self.portability}


class DeploymentCadence(Lever):
    family: ClassVar[str] = "technology/institutions"
    title: ClassVar[str] = "Slower deployment cadence"
    summary: ClassVar[str] = (
        "Slows the AI path's clock by a factor k from enactment: a(t) = a₀(t_d + (t − t_d)/k); "
        "for the logistic path M1 this delays t_m and stretches t_s. Phase-in does not apply."
    )
    stretch: float = _p(
        1.0,
        key="stretch",
        symbol="k",
        unit="factor (1 = no change)",
        allowed=(1.0, 20.0),
        plausible=(1.0, 3.0),
        description="Factor by which deployment is slowed after enactment.",
        source="Assumption: a slower deployment cadence, giving the labor side time to adjust, is a "
        "proposal of the essays that motivated the project; no estimate of its effect exists",
        equations="M1",
    )

    def intensities(self) -> dict[str, float]:
        return {"stretch": self.stretch - 1.0}


class Antitrust(Lever):
    family: ClassVar[str] = "technology/institutions"
    title: ClassVar[str] = "Antitrust"
    summary: ClassVar[str] = "Lowers the contestable rent share ω_R (M4) by a fraction."
    rent_cut: float = _p(
        0.0,
        key="rent_cut",
        symbol="x_ω",
        unit="share of ω_R removed",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.5),
        description="Fraction of contestable rents removed by competition policy.",
        source="Markup and rent estimates: De Loecker, Eeckhout & Unger (2020), 'The rise of market "
        "power and the macroeconomic implications', QJE 135(2): 561-644, "
        "doi:10.1093/qje/qjz041; omega_R in docs/model.md §3",
        equations="M4",
    )

    def intensities(self) -> dict[str, float]:
        return {"rent_cut": self.rent_cut}


class Institutions(Lever):
    family: ClassVar[str] = "technology/institutions"
    title: ClassVar[str] = "Institutions"
    summary: ClassVar[str] = (
        "Insulate politics from wealth: lower ψ (raising the lock-in threshold "
        "S_c = 1/(1 + ψ), M14) and/or lengthen the capture time T_P (M15)."
    )
    psi_cut: float = _p(
        0.0,
        key="psi_cut",
        symbol="x_ψ",
        unit="share of ψ removed",
        allowed=(0.0, 0.9),
        plausible=(0.0, 0.4),
        description="Fractional reduction of the political efficiency of top wealth ψ.",
        source="Assumption; campaign-finance and lobbying rules, with evidence on influence in "
        "Gilens & Page (2014), 'Testing theories of American politics: elites, interest "
        "groups, and average citizens', Perspectives on Politics 12(3): 564-581, "
        "doi:10.1017/S1537592714001595; psi in docs/model.md §3",
        equations="M14",
    )
    capture_lag_extension: float = _p(
        0.0,
        key="capture_lag_extension",
        symbol="x_T",
        unit="share of T_P added",
        allowed=(0.0, 10.0),
        plausible=(0.0, 1.0),
        description="Fractional lengthening of the institutional capture time T_P.",
        source="Assumption; the institutional lag is double-edged (docs/model.md §10)",
        equations="M15",
    )

    def intensities(self) -> dict[str, float]:
        return {"psi_cut": self.psi_cut, "capture_lag_extension": self.capture_lag_extension}


#: Lever name in the TOML file → class.
LEVER_KINDS: dict[str, type[Lever]] = {
    "ubi": UBI,
    "capital_tax": CapitalTax,
    "robot_tax": RobotTax,
    "sovereign_fund": SovereignFund,
    "infrastructure_bonds": InfrastructureBonds,
    "worker_ownership": WorkerOwnership,
    "retraining_credits": RetrainingCredits,
    "portable_identities": PortableIdentities,
    "compute_access": ComputeAccess,
    "ai_literacy": AiLiteracy,
    "deployment_cadence": DeploymentCadence,
    "antitrust": Antitrust,
    "institutions": Institutions,
}
#: Metadata of every lever field (unit, range, description, source, equations).
LEVERS: dict[str, dict[str, ParameterInfo]] = {
    name: infos_from_model(cls) for name, cls in LEVER_KINDS.items()
}

_PACKAGE_KEYS = {
    "name",
    "description",
    "scenario",
    "enact_year",
    "phase_in",
    "levers",
    "rationale",
    "sources",
}
DEFAULT_ENACT_YEAR = 2027.0
DEFAULT_PHASE_IN = 5.0


@dataclass(frozen=True)
class PolicyPackage:
    """A composable set of levers with enactment years and phase-in times."""

    levers: dict[str, Lever] = field(default_factory=dict)
    name: str = "no policy"
    description: str = ""
    enact_year: float = DEFAULT_ENACT_YEAR
    phase_in: float = DEFAULT_PHASE_IN
    scenario: Scenario | None = None
    source: str = "built-in"
    #: calendar year of t = 0 of the run the package acts in (issue 16: the scenario's
    #: ``start_year``; enactment years are checked against it by :meth:`at_start_year`)
    base_year: float = BASE_YEAR

    def __post_init__(self) -> None:
        problems = self.enactment_problems(self.base_year)
        if problems:
            raise InputError(f"policy '{self.name}': " + "; ".join(problems))

    # ----------------------------------------------------------------------------- calendar
    def enactment_problems(self, base_year: float) -> list[str]:
        """Messages for every enactment year before ``base_year`` (the run's start year)."""
        lo = f"[{_year_text(base_year)}, {MAX_YEAR}] (calendar year)"
        out = []
        explicit = [lv.enact_year for lv in self.levers.values()]
        if self.enact_year < base_year and None in explicit:
            out.append(
                f"field 'enact_year' = {self.enact_year!r} is outside the allowed range {lo}"
            )
        for name, lv in self.levers.items():
            if lv.enact_year is not None and lv.enact_year < base_year:
                out.append(
                    f"lever '{name}': field 'enact_year' = {lv.enact_year!r} is outside the "
                    f"allowed range {lo}"
                )
        return out

    def at_start_year(self, start_year: float) -> PolicyPackage:
        """The package bound to a run starting in ``start_year`` (t = 0): enactment times are
        then years after ``start_year``; an enactment before it is an :class:`InputError`."""
        if float(start_year) == self.base_year:
            return self
        problems = self.enactment_problems(float(start_year))
        if problems:
            raise InputError(f"policy '{self.name}': " + "; ".join(problems))
        return replace(self, base_year=float(start_year))

    # ----------------------------------------------------------------------------- queries
    def active(self) -> dict[str, Lever]:
        """The levers that are switched on."""
        return {k: v for k, v in self.levers.items() if v.is_active()}

    def is_empty(self) -> bool:
        return not self.active()

    def lever(self, name: str) -> Lever | None:
        lv = self.levers.get(name)
        return lv if lv is not None and lv.is_active() else None

    def start(self, name: str) -> float:
        """Enactment time of a lever, years after the base year (2025 unless bound to a
        run with another start year, :meth:`at_start_year`)."""
        lv = self.levers[name]
        year = self.enact_year if lv.enact_year is None else lv.enact_year
        return float(year) - self.base_year

    def lag(self, name: str) -> float:
        """Phase-in time (institutional lag) of a lever, years."""
        lv = self.levers[name]
        return float(self.phase_in if lv.phase_in is None else lv.phase_in)

    # ----------------------------------------------------------------------------- edits
    def shifted(self, years: float) -> PolicyPackage:
        """The same package with every enactment year moved by ``years``."""
        levers = {
            k: (
                v
                if v.enact_year is None
                else v.model_copy(update={"enact_year": v.enact_year + years})
            )
            for k, v in self.levers.items()
        }
        return PolicyPackage(
            levers=levers,
            name=self.name,
            description=self.description,
            enact_year=self.enact_year + years,
            phase_in=self.phase_in,
            scenario=self.scenario,
            source=self.source,
            base_year=self.base_year,
        )

    def enacted_in(self, year: float) -> PolicyPackage:
        """The package with its earliest enactment year moved to ``year`` (relative timing kept)."""
        return self.shifted(year - self.earliest_year())

    def earliest_year(self) -> float:
        act = self.active()
        if not act:
            return self.enact_year
        return min(self.start(k) for k in act) + self.base_year

    # ----------------------------------------------------------------------------- mapping
    def controls(self) -> list[tuple[str, float, float, float, float]]:
        """(control, target, start, lag, decay) for every active control (docs/policies.md §2)."""
        out: list[tuple[str, float, float, float, float]] = []

        def add(
            control: str, lever: str, target: float, lag: float | None = None, decay: float = 0.0
        ) -> None:
            if target != 0.0:
                out.append(
                    (
                        control,
                        float(target),
                        self.start(lever),
                        self.lag(lever) if lag is None else float(lag),
                        float(decay),
                    )
                )

        if (lv := self.lever("capital_tax")) is not None:
            assert isinstance(lv, CapitalTax)
            add("capital_tax", "capital_tax", lv.income_rate)
            add("wealth_tax", "capital_tax", lv.wealth_rate)
        if (lv := self.lever("robot_tax")) is not None:
            assert isinstance(lv, RobotTax)
            add("robot_tax", "robot_tax", lv.rate)
        if (lv := self.lever("worker_ownership")) is not None:
            assert isinstance(lv, WorkerOwnership)
            # χ̇_E = (share − χ_E)/T_E − l χ_E  ⇒  χ_E → share/(1 + l T_E) at rate 1/T_E + l
            t_e, liq = lv.vesting_years, lv.liquidity
            if t_e > 0.0:
                rate = 1.0 / t_e + liq
                add("broad_ownership", "worker_ownership", lv.share / (1.0 + liq * t_e), 1.0 / rate)
            else:
                add("broad_ownership", "worker_ownership", lv.share, 0.0)
        if (lv := self.lever("sovereign_fund")) is not None:
            assert isinstance(lv, SovereignFund)
            add("sovereign_fund", "sovereign_fund", lv.stake * (1.0 - lv.leakage))
        if (lv := self.lever("infrastructure_bonds")) is not None:
            assert isinstance(lv, InfrastructureBonds)
            add("infrastructure_bonds", "infrastructure_bonds", lv.share, decay=lv.erosion_rate)
        if (lv := self.lever("retraining_credits")) is not None:
            assert isinstance(lv, RetrainingCredits)
            add("retraining", "retraining_credits", lv.boost)
        if (lv := self.lever("antitrust")) is not None:
            assert isinstance(lv, Antitrust)
            add("antitrust", "antitrust", lv.rent_cut)
        if (lv := self.lever("institutions")) is not None:
            assert isinstance(lv, Institutions)
            add("institutions_psi", "institutions", lv.psi_cut)
            add("institutions_lag", "institutions", lv.capture_lag_extension)
        if (lv := self.lever("portable_identities")) is not None:
            assert isinstance(lv, PortableIdentities)
            add("portable_identity", "portable_identities", lv.portability)
        return out

    def adoption_controls(
        self, retooling_rate: float
    ) -> list[tuple[str, float, float, float, float]]:
        """The aggregate model's rows for the two adoption levers (docs/policies.md, adoption
        levers): Δρ(t) = ρ_R·q̄_A·ΔA(t), the retooling speed-up of the households' adoption
        gain ΔA(t) in the mean-field of the household engine (non-adopters N(t) = (1 − A_0)
        e^{−λ̄ t}; q̄_A = (1 + q_0)/2 the mean intensity of a new adopter in its first years).
        Compute access: ΔA = s_A·ramp·N(t), a control of target ρ_R·q̄_A·s_A·N(t_e), the
        lever's phase-in and decay λ̄. Literacy: ΔA ≈ f_L·N(t)·(1 − e^{−λ̄ b_L (t − t_e)}), a
        control of target ρ_R·q̄_A·f_L·N(t_e), lag 1/(λ̄ b_L) and decay λ̄."""
        mf = ADOPTION_MEAN_FIELD
        lam = mf["hazard"]
        q_bar = 0.5 * (1.0 + mf["initial_intensity"])
        out: list[tuple[str, float, float, float, float]] = []
        if (lv := self.lever("compute_access")) is not None:
            assert isinstance(lv, ComputeAccess)
            t_e = self.start("compute_access")
            n_e = (1.0 - mf["initial_share"]) * math.exp(-lam * max(t_e, 0.0))
            target = retooling_rate * q_bar * lv.share * n_e
            out.append(("compute_access", target, t_e, self.lag("compute_access"), lam))
        if (lv := self.lever("ai_literacy")) is not None:
            assert isinstance(lv, AiLiteracy)
            t_e = self.start("ai_literacy")
            n_e = (1.0 - mf["initial_share"]) * math.exp(-lam * max(t_e, 0.0))
            target = retooling_rate * q_bar * lv.target_share * n_e
            out.append(("ai_literacy", target, t_e, 1.0 / (lam * lv.speedup), lam))
        return out

    def apply(self, record: np.void, engine: str = "macro") -> np.void:
        """A copy of the kernel record (:func:`twochannel.params.param_record`) with this
        package's policy table filled: one ``controls`` row per control it sets, the
        deployment-cadence fields and ``policy_active``. The household engine
        (``engine="agents"``) acts on the adoption levers through its adoption state and
        gets no aggregate rows for them (:meth:`adoption_controls`)."""
        if record.dtype != PARAM_DTYPE:
            raise ValueError("record must come from twochannel.params.param_record")
        rec = copy_record(record)
        rec["controls"] = np.zeros(PS.N_CONTROLS, dtype=PS.CONTROL_DTYPE)
        rec["deployment_stretch"] = 1.0
        rec["deployment_start"] = 0.0
        controls = self.controls()
        if engine == "macro":
            controls += self.adoption_controls(float(rec["retooling_rate"]))
        table = rec["controls"]
        for control, target, start, lag, decay in controls:
            table[PS.C[control]] = (target, start, lag, decay)
        if (lv := self.lever("deployment_cadence")) is not None:
            assert isinstance(lv, DeploymentCadence)
            rec["deployment_stretch"] = lv.stretch
            rec["deployment_start"] = self.start("deployment_cadence")
        rec["policy_active"] = bool(controls or self.lever("deployment_cadence"))
        return rec

    def describe(self) -> dict[str, Any]:
        """Provenance record: every active lever with its fields, enactment and phase-in."""
        return {
            "name": self.name,
            "source": self.source,
            "levers": {
                k: {
                    **{f: getattr(v, f) for f in LEVERS[k]},
                    "enact_year": self.start(k) + self.base_year,
                    "phase_in": self.lag(k),
                    "family": type(v).family,
                }
                for k, v in self.active().items()
            },
        }


def _number(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)


class _PolicyFile(BaseModel):
    """The envelope of a policy file: which fields exist and their types. Values are checked
    afterwards (years and phase-in against their ranges, each lever by its own model)."""

    model_config = ConfigDict(extra="forbid")
    name: StrictStr = "policy"
    description: StrictStr = ""
    rationale: StrictStr = ""
    sources: list[StrictStr] = []
    enact_year: StrictFloat | StrictInt = DEFAULT_ENACT_YEAR
    phase_in: StrictFloat | StrictInt = DEFAULT_PHASE_IN
    scenario: StrictStr | None = None
    levers: dict[str, dict[str, Any]] = {}


def _envelope_message(origin: str, raw: dict[str, Any], exc: ValidationError) -> str:
    """The one-line message for the first problem pydantic found in a policy file."""
    errors = exc.errors()
    extra = sorted(str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden")
    if extra:
        return f"{origin}: unknown top-level field(s) {extra}; allowed: {sorted(_PACKAGE_KEYS)}"
    loc = errors[0]["loc"]
    key = str(loc[0])
    value = raw.get(key)
    if key in ("name", "description", "rationale"):
        return f"{origin}: field '{key}' = {value!r} must be a string"
    if key == "sources":
        return f"{origin}: field 'sources' = {value!r} must be a list of strings"
    if key == "enact_year":
        return (
            f"{origin}: field 'enact_year' = {value!r} has the wrong type: expected a calendar "
            f"year, a number in [{BASE_YEAR}, {MAX_YEAR}]"
        )
    if key == "phase_in":
        return (
            f"{origin}: field 'phase_in' = {value!r} has the wrong type: expected a number of "
            "years in [0, 100]"
        )
    if key == "scenario":
        return f"{origin}: field 'scenario' must be a file name or preset name"
    if len(loc) == 1:
        return f"{origin}: field 'levers' = {value!r} must be a table of [levers.NAME] tables"
    lname = str(loc[1])
    body = value.get(lname) if isinstance(value, dict) else None
    return f"{origin}: lever '{lname}' = {body!r} must be a table of fields"


def _parse_lever(lname: str, body: dict[str, Any], origin: str) -> Lever:
    """One ``[levers.NAME]`` table validated by its lever model."""
    if lname not in LEVER_KINDS:
        close = difflib.get_close_matches(lname, list(LEVER_KINDS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise InputError(
            f"{origin}: unknown lever '{lname}'{hint}; levers: {', '.join(LEVER_KINDS)}"
        )
    cls = LEVER_KINDS[lname]
    allowed = set(cls.model_fields)
    extra = set(body) - allowed
    if extra:
        raise InputError(
            f"{origin}: lever '{lname}': unknown field(s) {sorted(extra)}; allowed: "
            f"{', '.join(sorted(allowed))}"
        )
    cleaned: dict[str, Any] = {}
    for fname, value in body.items():
        if not _number(value):
            info = LEVERS[lname].get(fname)
            rng = f" in {info.range_text()} [{info.unit}]" if info else ""
            raise InputError(
                f"{origin}: lever '{lname}', field '{fname}' = {value!r}: expected a "
                f"finite number{rng}"
            )
        cleaned[fname] = float(value)
    try:
        return cls(**cleaned)
    except ValidationError as exc:
        msgs = [str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors()]
        raise InputError(f"{origin}: lever '{lname}': " + "; ".join(msgs)) from None


def _package_scenario(ref: str, origin: str, base_dir: Path | None) -> Scenario:
    try:
        return resolve_scenario(ref, base_dir=base_dir, origin=origin)
    except InputError as exc:
        text = str(exc)
        if not text.startswith(origin):
            text = f"{origin}: scenario '{ref}': {text}"
        raise InputError(text) from None


def parse_policy(raw: dict[str, Any], origin: str, base_dir: Path | None = None) -> PolicyPackage:
    """Validate a mapping (a parsed policy TOML) into a :class:`PolicyPackage`: the envelope by
    :class:`_PolicyFile`, then the ranges, the scenario and each lever."""
    try:
        env = _PolicyFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(_envelope_message(origin, raw, exc)) from None
    enact, phase = env.enact_year, env.phase_in
    if not _number(enact):
        raise InputError(
            f"{origin}: field 'enact_year' = {enact!r} has the wrong type: expected a calendar "
            f"year, a number in [{BASE_YEAR}, {MAX_YEAR}]"
        )
    scenario = None if env.scenario is None else _package_scenario(env.scenario, origin, base_dir)
    # enactment from the package's own scenario's start year on (default 2025; issue 16)
    base = BASE_YEAR if scenario is None else scenario.start_year
    if not (base <= enact <= MAX_YEAR):
        raise InputError(
            f"{origin}: field 'enact_year' = {enact!r} is outside the allowed range "
            f"[{_year_text(base)}, {MAX_YEAR}] (calendar year)"
        )
    if not _number(phase):
        raise InputError(
            f"{origin}: field 'phase_in' = {phase!r} has the wrong type: expected a number of "
            "years in [0, 100]"
        )
    if not (0 <= phase <= 100):
        raise InputError(
            f"{origin}: field 'phase_in' = {phase!r} is outside the allowed range [0, 100] years"
        )
    levers = {lname: _parse_lever(lname, body, origin) for lname, body in env.levers.items()}
    for lname, lv in levers.items():
        if lv.enact_year is not None and lv.enact_year < base:
            raise InputError(
                f"{origin}: lever '{lname}': field 'enact_year' = {lv.enact_year!r} is outside "
                f"the allowed range [{_year_text(base)}, {MAX_YEAR}] (calendar year)"
            )
    return PolicyPackage(
        levers=levers,
        name=env.name,
        description=env.description,
        enact_year=float(enact),
        phase_in=float(phase),
        scenario=scenario,
        source=origin,
        base_year=float(base),
    )


def load_policy(path: str | Path) -> PolicyPackage:
    """Read and validate a policy-package TOML file (or a preset name, see ``presets``)."""
    p = Path(path)
    if not p.is_file():
        found = preset_path(str(path), kind="policy")
        if found is None:
            raise InputError(
                f"{path}: policy file not found (and not a preset; run 'twochannel presets')"
            )
        p = found
    origin = str(p)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{origin}: malformed TOML: {exc}") from None
    return parse_policy(raw, origin, base_dir=p.parent)
