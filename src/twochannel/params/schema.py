"""The parameter schema of the aggregate model (MODEL.md §3 and §9).

One frozen pydantic model, :class:`Parameters`, declares every parameter once: its full
economic name (the Python attribute), the short key of MODEL.md §9 (accepted as an alias
everywhere: TOML files, ``--set``, the web forms), the symbol, the unit, the baseline value,
the *allowed* range (hard validity: outside it an equation is undefined or meaningless), the
*plausible* range of MODEL.md §3 (documentation and sensitivity analysis only), a description,
the source and the equations it enters.

The schema is validated once, at the edge (:func:`twochannel.params.validate_parameters`);
kernels receive the packed float vector of :func:`pack`.

Decision recorded in ``docs/model.md`` §"Decisions": MODEL.md §3 gives plausible ranges, not
validity ranges. Rejecting a value outside the plausible range would forbid the sharp-limit
checks of §11.8 (κ = 200, T_P = 0.02) and the transformative scenarios of §6.3 (ā up to 6), so
the allowed range is the wider domain on which the equations are defined.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from twochannel.params.fields import ParameterInfo, check_ranges, infos_from_model
from twochannel.params.fields import param_field as _p
from twochannel.params.policy_slots import N_POLICY_SLOTS, SLOT_DEPLOY_STRETCH

__all__ = [
    "PACK_ORDER",
    "PARAMETERS",
    "ParameterInfo",
    "Parameters",
    "pack",
]


class Parameters(BaseModel):
    """All parameters of the aggregate model (MODEL.md §3), baseline of §9.

    Construct with full names or the §9 short keys::

        >>> Parameters(sigma=1.5).elasticity_of_substitution
        1.5
        >>> Parameters(elasticity_of_substitution=1.5).elasticity_of_substitution
        1.5

    ``top_wealth_drain`` (m) is ``None`` by default, meaning *calibrated*: it is solved so that
    the pre-AI labor fixed point equals ``calibration_top1_share`` (MODEL.md §9, §11.3); see
    :func:`twochannel.macro.calibrate_drain`.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        strict=True,
        validate_default=True,
    )

    # --- Block A: production, factor shares, the two AI channels -------------------------
    competitive_capital_share: float = _p(
        0.36,
        key="sKc",
        symbol="s_Kc",
        unit="share of net income",
        allowed=(0.0, 0.9),
        plausible=(0.30, 0.40),
        description="Competitive capital share of net income, excluding contestable rents.",
        source="US labor share 0.57-0.63 (BEA NIPA; MODEL.md T-L1, T-L2)",
        equations="M4",
    )
    contestable_rent_share: float = _p(
        0.08,
        key="omegaR",
        symbol="ω_R",
        unit="share of net income",
        allowed=(0.0, 0.5),
        plausible=(0.03, 0.10),
        description="Contestable rents (markups, markdowns) captured by capital when labor "
        "power P = 0.",
        source="worker-power / markdown literature; assumption (MODEL.md §3 row 2)",
        equations="M4, M22",
    )
    reference_labor_share: float = _p(
        0.60,
        key="sL0",
        symbol="s_L0",
        unit="share of net income",
        allowed=(0.05, 1.0),
        plausible=(0.56, 0.64),
        description="Pre-AI labor share used to scale the augmentation surplus G.",
        source="BEA NIPA labor share (MODEL.md T-L1, T-L2)",
        equations="M3",
    )
    automation_value_share: float = _p(
        0.02,
        key="thetaA",
        symbol="θ_A",
        unit="share of output",
        allowed=(0.0, 0.5),
        plausible=(0.005, 0.05),
        description="Value share of tasks newly automated at a = 1, at pre-AI prices.",
        source="Acemoglu-Restrepo task model; Acemoglu (2024): ~20% of tasks exposed x ~23% "
        "profitably automatable (T-A5)",
        equations="M4, M5",
    )
    ai_capital_productivity_gain: float = _p(
        1.0,
        key="cK",
        symbol="c_K",
        unit="proportional gain at a = 1",
        allowed=(0.0, 50.0),
        plausible=(0.0, 5.0),
        description="Proportional gain in effective productivity of AI-complement capital "
        "(compute, data, infrastructure) at a = 1.",
        source="compute cost declines; scenario parameter (MODEL.md §3 row 5)",
        equations="M2",
    )
    elasticity_of_substitution: float = _p(
        1.2,
        key="sigma",
        symbol="σ",
        unit="elasticity",
        allowed=(0.05, 10.0),
        plausible=(0.3, 2.0),
        description="Elasticity of substitution between AI-performed and human-performed "
        "tasks; AI raises capital's value share iff σ > 1.",
        source="aggregate K-L estimates 0.3-1.25 (T-E1..E3); AI vs cognitive labor "
        "plausibly > 1; scenario",
        equations="M2",
    )
    catch_up_elasticity: float = _p(
        0.30,
        key="gA",
        symbol="g_A",
        unit="surplus per unit a per log point per labor share",
        allowed=(0.0, 2.0),
        plausible=(0.05, 0.50),
        description="Augmentation surplus per unit of AI level, per log point of pre-AI "
        "dispersion, per unit of labor share (catch-up of below-frontier workers).",
        source="Brynjolfsson-Li-Raymond 2025; Noy-Zhang 2023; Dell'Acqua et al. 2023 (T-A1..A3)",
        equations="M3",
    )
    skill_dispersion: float = _p(
        0.60,
        key="Delta0",
        symbol="Δ0",
        unit="log points (SD of log wage)",
        allowed=(0.0, 3.0),
        plausible=(0.40, 0.80),
        description="Pre-AI standard deviation of log productivity/wages among AI-exposed workers.",
        source="US 90/10 wage ratio = exp(2.563 Δ) (BLS OEWS; T-D1)",
        equations="M3, M17",
    )
    compression_strength: float = _p(
        0.5,
        key="phic",
        symbol="φ_c",
        unit="share of log dispersion",
        allowed=(0.0, 1.0),
        plausible=(0.1, 0.6),
        description="Share of log wage dispersion removed at a·h = 1 in a fully exposed "
        "occupation.",
        source="BLR/Noy-Zhang/Dell'Acqua compression; assumption",
        equations="M17",
    )
    # --- Block B: accumulation and the return on wealth ---------------------------------
    growth_rate: float = _p(
        0.02,
        key="g",
        symbol="g",
        unit="1/yr",
        allowed=(0.001, 0.2),
        plausible=(0.015, 0.03),
        description="Real growth rate of aggregate income.",
        source="Moll-Rachel-Restrepo 2022 (T-I4, T-R3)",
        equations="M5, M6, M10",
    )
    base_saving_rate: float = _p(
        0.09,
        key="s0",
        symbol="s_0",
        unit="share of income",
        allowed=(0.001, 1.0),
        plausible=None,
        description="Aggregate saving rate out of income at a top-1% share of zero.",
        source="calibrated so that β(0.30) = 6 years of income (MODEL.md §3 row 11)",
        equations="M6",
    )
    saving_rate_slope: float = _p(
        0.10,
        key="s1",
        symbol="s_1",
        unit="saving rate per unit top-1% share",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.15),
        description="Increase of the saving rate with the top-1% wealth share (saving of "
        "the rich; the bounded-returns stabilizer).",
        source="Saez-Zucman 2016; Mian-Straub-Sufi; magnitude assumed",
        equations="M6, M22",
    )
    top_wealth_drain: float | None = _p(
        None,
        key="m",
        symbol="m",
        unit="1/yr",
        allowed=(-0.2, 0.5),
        plausible=None,
        description="Drain on top wealth (consumption, philanthropy, division, net of labor "
        "income top-ups). None = calibrated so that the pre-AI labor root equals "
        "calibration_top1_share (baseline 0.0074671).",
        source="calibrated (MODEL.md §9, §11.3)",
        equations="M10, M26",
    )
    return_volatility: float = _p(
        0.25,
        key="s",
        symbol="s",
        unit="1/sqrt(yr)",
        allowed=(0.01, 2.0),
        plausible=(0.15, 0.35),
        description="Idiosyncratic return volatility of top wealth (the Kesten driver of "
        "the Pareto tail).",
        source="Benhabib-Bisin-Zhu 2011 (T-P3)",
        equations="M10, M11, M13a",
    )
    reset_rate: float = _p(
        0.04,
        key="delta",
        symbol="δ",
        unit="1/yr",
        allowed=(0.001, 1.0),
        plausible=(0.02, 0.05),
        description="Dynastic reset rate: death, division, loss of top status.",
        source="generation length 25-50 years",
        equations="M11, M13a, M26",
    )
    pareto_level: float = _p(
        1.45,
        key="A",
        symbol="A",
        unit="dimensionless",
        allowed=(0.01, 10.0),
        plausible=(1.0, 1.6),
        description="Level constant of the Pareto top-share mapping; absorbs the non-Pareto "
        "bulk of the distribution.",
        source="calibrated to a top-1% share of 0.30-0.32 with ζ ≈ 1.5 (T-P1, T-C1, T-C2)",
        equations="M12, M25",
    )
    top_fraction: float = _p(
        0.01,
        key="p",
        symbol="p",
        unit="population fraction",
        allowed=(0.01, 0.01),
        plausible=None,
        description="Top fraction of the headline share (fixed: the top 1%).",
        source="definition",
        equations="M12",
    )
    tail_speed_multiplier: float = _p(
        3.0,
        key="lam_m",
        symbol="λ_m",
        unit="multiplier",
        allowed=(0.01, 100.0),
        plausible=(1.0, 10.0),
        description="Speed multiplier on canonical random-growth convergence (type and "
        "scale dependence).",
        source="Gabaix-Lasry-Lions-Moll 2016: canonical speed too slow (T-P2)",
        equations="M13a",
    )
    # --- Block D: political economy -------------------------------------------------------
    tax_wedge_captured: float = _p(
        0.15,
        key="tau_min",
        symbol="τ_min",
        unit="share of top capital income",
        allowed=(0.0, 0.99),
        plausible=(0.05, 0.25),
        description="Effective tax + predistribution wedge on top capital income when P = 0.",
        source="assumption; T-G3",
        equations="M8, M28, M32",
    )
    tax_wedge_strong: float = _p(
        0.40,
        key="tau_max",
        symbol="τ_max",
        unit="share of top capital income",
        allowed=(0.0, 0.99),
        plausible=(0.30, 0.55),
        description="Effective tax + predistribution wedge on top capital income when P = 1.",
        source="assumption",
        equations="M8, M27, M29",
    )
    political_efficiency: float = _p(
        1.5,
        key="psi",
        symbol="ψ",
        unit="ratio",
        allowed=(0.01, 100.0),
        plausible=(1.0, 3.0),
        description="Political efficiency of a dollar of top wealth relative to a dollar of "
        "mass resources; sets the lock-in threshold S_c = 1/(1 + ψ).",
        source="Acemoglu-Robinson 2008; Gilens-Page 2014 (T-G1, T-G2); assumption",
        equations="M14, M25",
    )
    contest_decisiveness: float = _p(
        6.0,
        key="kappa",
        symbol="κ",
        unit="Tullock exponent",
        allowed=(0.1, 1000.0),
        plausible=(2.0, 10.0),
        description="Decisiveness of the political contest. Not empirically pinned: "
        "bistability requires κ ≳ 4 at the baseline.",
        source="assumption (MODEL.md §3 row 22, §12)",
        equations="M14",
    )
    institutional_lag: float = _p(
        5.0,
        key="T_P",
        symbol="T_P",
        unit="yr",
        allowed=(0.001, 500.0),
        plausible=(2.0, 20.0),
        description="Institutional adjustment time of labor power P.",
        source="assumption; union density halved in 41 years (T-L4)",
        equations="M15, M22",
    )
    broad_ownership_share: float = _p(
        0.0,
        key="chi",
        symbol="χ",
        unit="share of capital income",
        allowed=(0.0, 0.99),
        plausible=(0.0, 0.4),
        description="Share of capital income owned broadly or publicly (sovereign wealth "
        "fund, ESOP, public AI-infrastructure bonds), not accruing to concentrated top wealth.",
        source="policy lever (T-X1..X3)",
        equations="M9, M27, M28, M32",
    )
    # --- Block E: labor side ----------------------------------------------------------------
    retooling_rate: float = _p(
        0.10,
        key="rhoR",
        symbol="ρ_R",
        unit="1/yr",
        allowed=(0.0, 10.0),
        plausible=(0.01, 0.30),
        description="Retooling rate of AI-exposed workers (half-life ln2/ρ_R).",
        source="historical 0.01-0.03 (T-H1, T-H4, T-J1..J3); policy lever",
        equations="M16, M29",
    )
    initial_retooled_share: float = _p(
        0.05,
        key="h0",
        symbol="h0",
        unit="share of exposed workers",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.2),
        description="Retooled share of AI-exposed workers at t = 0 (2025).",
        source="assumption",
        equations="M16, M29",
    )
    # --- Block 0: AI path -------------------------------------------------------------------
    long_run_ai_level: float = _p(
        1.0,
        key="abar",
        symbol="ā",
        unit="AI index (1 = current-generation LLM exposure)",
        allowed=(0.0, 20.0),
        plausible=(0.1, 3.0),
        description="Long-run AI capability x diffusion level. Acemoglu (2024) decade "
        "estimate ≈ 0.10-0.15; > 1 transformative.",
        source="Eloundou et al. 2024; Acemoglu 2024 (MODEL.md §2.2)",
        equations="M1",
    )
    ai_midpoint: float = _p(
        5.0,
        key="t_m",
        symbol="t_m",
        unit="yr after 2025",
        allowed=(-50.0, 200.0),
        plausible=None,
        description="Midpoint of the logistic AI diffusion path.",
        source="scenario",
        equations="M1",
    )
    ai_scale: float = _p(
        2.0,
        key="t_s",
        symbol="t_s",
        unit="yr",
        allowed=(0.05, 100.0),
        plausible=(1.0, 8.0),
        description="Time scale of the logistic AI diffusion path.",
        source="scenario",
        equations="M1",
    )
    # --- Guards, diagnostics, initial condition, calibration target ----------------------
    capital_share_cap: float = _p(
        0.95,
        key="sbar",
        symbol="s̄",
        unit="share",
        allowed=(0.5, 1.0),
        plausible=None,
        description="Cap on the capital share (numerical guard).",
        source="MODEL.md §3 row 29",
        equations="M4",
    )
    automation_output_gain: float = _p(
        0.27,
        key="piA",
        symbol="π_A",
        unit="output per unit automated value share",
        allowed=(0.0, 2.0),
        plausible=(0.1, 0.4),
        description="Output gain per unit of automated value share (Hulten); output index "
        "only, no feedback.",
        source="average task cost saving in Acemoglu 2024 (T-A5)",
        equations="M5",
    )
    initial_top1_share: float = _p(
        0.317,
        key="S0",
        symbol="S0",
        unit="share of net worth",
        allowed=(0.01, 0.99),
        plausible=None,
        description="Top-1% wealth share at t = 0 (2025); sets η0 and P0 = P*(S0).",
        source="Fed Distributional Financial Accounts, 2025 Q3 (T-W1)",
        equations="§5",
    )
    calibration_top1_share: float = _p(
        0.30,
        key="S_cal",
        symbol="S_cal",
        unit="share of net worth",
        allowed=(0.01, 0.99),
        plausible=None,
        description="Top-1% share of the pre-AI labor fixed point targeted when m is calibrated.",
        source="MODEL.md §9",
        equations="M21 (calibration of m)",
    )

    @model_validator(mode="after")
    def _check_ranges(self) -> Parameters:
        problems = check_ranges(self, PARAMETERS)
        if self.tax_wedge_captured > self.tax_wedge_strong:
            problems.append(
                f"parameter 'tax_wedge_captured' (tau_min) = {self.tax_wedge_captured!r} must "
                f"not exceed 'tax_wedge_strong' (tau_max) = {self.tax_wedge_strong!r}"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    # -- convenience -----------------------------------------------------------------------
    def with_values(self, **updates: float | None) -> Parameters:
        """Return a validated copy with some values replaced (full names or short keys)."""
        data = self.model_dump()
        for k, v in updates.items():
            data[resolve_name(k)] = v
        return Parameters(**data)

    def by_key(self) -> dict[str, float | None]:
        """Values keyed by the MODEL.md §9 short keys."""
        return {info.key: getattr(self, name) for name, info in PARAMETERS.items()}

    @property
    def lock_in_threshold(self) -> float:
        """S_c = 1/(1 + ψ) (M14, M25)."""
        return 1.0 / (1.0 + self.political_efficiency)


#: Metadata of every parameter, by full name, in schema order.
PARAMETERS: dict[str, ParameterInfo] = infos_from_model(Parameters)
_BY_KEY: dict[str, str] = {info.key: name for name, info in PARAMETERS.items()}
_BY_KEY_LOWER: dict[str, str] = {k.lower(): v for k, v in _BY_KEY.items()}


def resolve_name(name: str) -> str:
    """Map a full name or a §9 short key to the full name; ``KeyError`` if unknown."""
    if name in PARAMETERS:
        return name
    if name in _BY_KEY:
        return _BY_KEY[name]
    raise KeyError(name)


#: Order of the packed float vector handed to the numba kernels (full names).
PACK_ORDER: tuple[str, ...] = tuple(PARAMETERS)


def pack(params: Parameters) -> np.ndarray:
    """Pack a parameter set into the float64 vector the kernels read.

    The vector ends with the neutral policy slots of :mod:`twochannel.params.policy_slots`
    (no lever active); :meth:`twochannel.levers.PolicyPackage.apply` fills them.

    ``top_wealth_drain`` must be resolved (calibrated) first.
    """
    if params.top_wealth_drain is None:
        raise ValueError("top_wealth_drain (m) must be calibrated before packing")
    out = np.zeros(len(PACK_ORDER) + N_POLICY_SLOTS, dtype=np.float64)
    out[: len(PACK_ORDER)] = [float(getattr(params, n)) for n in PACK_ORDER]
    out[len(PACK_ORDER) + SLOT_DEPLOY_STRETCH] = 1.0
    return out
