"""The parameter schema of the aggregate model (docs/model.md §3 and §9).

One frozen pydantic model, :class:`Parameters`, declares every parameter once: its full
economic name (the Python attribute), the short key of docs/model.md §9 (accepted as an alias
everywhere: TOML files, ``--set``, the web forms), the symbol, the unit, the baseline value,
the *allowed* range (hard validity: outside it an equation is undefined or meaningless), the
*plausible* range of docs/model.md §3 (documentation and sensitivity analysis only), a description,
the source and the equations it enters.

The schema is validated once, at the edge (:func:`twochannel.params.validate_parameters`);
kernels receive the packed float vector of :func:`pack`.

Decision recorded in ``docs/model.md`` §"Decisions": docs/model.md §3 gives plausible ranges, not
validity ranges. Rejecting a value outside the plausible range would forbid the sharp-limit
checks of docs/model.md §11.8 (κ = 200, T_P = 0.02) and the transformative scenarios of docs/model.md §6.3 (ā up to 6), so
the allowed range is the wider domain on which the equations are defined.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

from twochannel.params.fields import ParameterInfo, check_ranges, infos_from_model
from twochannel.params.fields import param_field as _p
from twochannel.params.policy_slots import (
    CONTROL_DTYPE,
    N_CONTROLS,
    N_POLICY_SLOTS,
    SLOT_DEPLOY_STRETCH,
)

__all__ = [
    "PACK_ORDER",
    "PARAMETERS",
    "PARAM_DTYPE",
    "ParameterInfo",
    "Parameters",
    "copy_record",
    "pack",
    "param_record",
    "param_table",
]


class Parameters(BaseModel):
    """All parameters of the aggregate model (docs/model.md §3), baseline of docs/model.md §9.

    Construct with full names or the docs/model.md §9 short keys::

        >>> Parameters(sigma=1.5).elasticity_of_substitution
        1.5
        >>> Parameters(elasticity_of_substitution=1.5).elasticity_of_substitution
        1.5

    ``top_wealth_drain`` (m) is ``None`` by default, meaning *calibrated*: it is solved so that
    the pre-AI labor fixed point equals ``calibration_top1_share`` (docs/model.md §9, §11.3); see
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
        source="US labor share of net income 0.57-0.63, hence a competitive capital share near 0.36 "
        "once contestable rents are set apart: U.S. Bureau of Economic Analysis, NIPA Table "
        "1.12 'National income by type of income', https://apps.bea.gov/iTable/; "
        "Karabarbounis & Neiman (2014), 'The global decline of the labor share', QJE 129(1): "
        "61-103, doi:10.1093/qje/qjt032",
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
        source="Assumption: the size of contestable rents is not pinned down; 0.03-0.10 of income is"
        " the order of the markups in De Loecker, Eeckhout & Unger (2020), 'The rise of "
        "market power and the macroeconomic implications', QJE 135(2): 561-644, "
        "doi:10.1093/qje/qjz041",
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
        source="Pre-AI US labor share of net income: U.S. Bureau of Economic Analysis, NIPA Table "
        "1.12 'National income by type of income', https://apps.bea.gov/iTable/; "
        "Karabarbounis & Neiman (2014), 'The global decline of the labor share', QJE 129(1): "
        "61-103, doi:10.1093/qje/qjt032",
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
        source="About 20% of tasks exposed x about 23% profitably automatable: Acemoglu (2024), 'The"
        " simple macroeconomics of AI', NBER Working Paper 32487, doi:10.3386/w32487; task "
        "model of Acemoglu & Restrepo (2018), 'The race between man and machine', AER 108(6):"
        " 1488-1542, doi:10.1257/aer.20160696",
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
        source="Scenario assumption: no estimate exists of how much AI raises the effective "
        "productivity of AI-complement capital; 1 (a doubling at a = 1) stands for falling "
        "compute costs and is varied over 0-5",
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
        source="Scenario assumption: aggregate capital-labor elasticities range from about 0.4 "
        "(Chirinko (2008), 'Sigma: the long and short of it', Journal of Macroeconomics "
        "30(2): 671-686, doi:10.1016/j.jmacro.2007.10.010) to 1.25 (Karabarbounis & Neiman "
        "(2014), 'The global decline of the labor share', QJE 129(1): 61-103, "
        "doi:10.1093/qje/qjt032); AI against cognitive labor is taken as plausibly above 1",
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
        source="Scenario magnitude, informed by evidence that AI gains are largest for the least "
        "skilled: Brynjolfsson, Li & Raymond (2025), 'Generative AI at work', QJE 140(2): "
        "889-942, doi:10.1093/qje/qjae044; Noy & Zhang (2023), 'Experimental evidence on the "
        "productivity effects of generative artificial intelligence', Science 381(6654): "
        "187-192, doi:10.1126/science.adh2586; Dell'Acqua et al. (2023), 'Navigating the "
        "jagged technological frontier', Harvard Business School Working Paper 24-013, "
        "doi:10.2139/ssrn.4573321",
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
        source="SD of log wages read from P90/P10 = exp(2.563 Δ) in the U.S. Bureau of Labor "
        "Statistics, Occupational Employment and Wage Statistics, https://www.bls.gov/oes/ "
        "(all occupations, May 2025: ln(128,560/31,200)/2.563 = 0.55; 0.60 is assumed for the"
        " AI-exposed)",
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
        source="Assumption: the share of dispersion removed is not measured; the direction follows "
        "the compression found by Brynjolfsson, Li & Raymond (2025, doi:10.1093/qje/qjae044),"
        " Noy & Zhang (2023, doi:10.1126/science.adh2586) and Dell'Acqua et al. (2023, "
        "doi:10.2139/ssrn.4573321); docs/evidence.md §2 tests it on OEWS data",
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
        source="Long-run US real growth of about 2% a year, as in Moll, Rachel & Restrepo (2022), "
        "'Uneven growth: automation's impact on income and wealth inequality', Econometrica "
        "90(6): 2645-2683, doi:10.3982/ECTA19417",
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
        source="Calibrated so that β(0.30) = 6 years of income (M6), the order of the US "
        "wealth/income ratio in Piketty & Zucman (2014), 'Capital is back: wealth-income "
        "ratios in rich countries 1700-2010', QJE 129(3): 1255-1310, doi:10.1093/qje/qju018",
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
        source="Magnitude assumed; saving rates rise with wealth in Saez & Zucman (2016), 'Wealth "
        "inequality in the United States since 1913', QJE 131(2): 519-578, "
        "doi:10.1093/qje/qjw004, and Mian, Straub & Sufi (2020), 'The saving glut of the "
        "rich', NBER Working Paper 26941, doi:10.3386/w26941",
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
        source="Calibrated: solves F(0.30; a = 0, h = 1) = 0.30 for m (docs/model.md §9, §11.3)",
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
        source="Idiosyncratic capital-income risk drives the Pareto tail: Benhabib, Bisin & Zhu "
        "(2011), 'The distribution of wealth and fiscal policy in economies with finitely "
        "lived agents', Econometrica 79(1): 123-157, doi:10.3982/ECTA8416; the value 0.25 is "
        "an assumption within 0.15-0.35",
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
        source="Assumption: a reset every 25 years on average (death, division, loss of top status),"
        " within a generation length of 25-50 years",
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
        source="Calibrated so that M12 with ζ near 1.5 gives the top-1% wealth share of 0.30-0.32 in"
        " the Federal Reserve Board, Distributional Financial Accounts, "
        "https://www.federalreserve.gov/releases/z1/dataviz/dfa/ (docs/evidence.md §3)",
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
        source="Definition: the headline share is that of the top 1% (docs/model.md, decision 10)",
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
        source="Canonical random growth converges too slowly: Gabaix, Lasry, Lions & Moll (2016), "
        "'The dynamics of inequality', Econometrica 84(6): 2071-2111, doi:10.3982/ECTA13569; "
        "the multiplier 3 is an assumption",
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
        source="Assumption: the effective tax and predistribution wedge on top capital income under "
        "captured politics has no direct estimate; for scale, effective tax rates at the top "
        "in Piketty, Saez & Zucman (2018), 'Distributional national accounts: methods and "
        "estimates for the United States', QJE 133(2): 553-609, doi:10.1093/qje/qjx043",
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
        source="Assumption: the wedge under strong labor power, above today's effective top rates "
        "(Piketty, Saez & Zucman 2018, doi:10.1093/qje/qjx043)",
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
        source="Assumption: sets the lock-in threshold S_c = 1/(1 + psi) = 0.40 named in the seed "
        "documents; de facto power of elites in Acemoglu & Robinson (2008), 'Persistence of "
        "power, elites, and institutions', AER 98(1): 267-293, doi:10.1257/aer.98.1.267; "
        "contested evidence of elite influence in Gilens & Page (2014), 'Testing theories of "
        "American politics', Perspectives on Politics 12(3): 564-581, "
        "doi:10.1017/S1537592714001595",
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
        source="Assumption, not empirically pinned: bistability needs kappa of about 4 or more at "
        "baseline (docs/model.md §3, §12)",
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
        source="Assumption; for scale, US union membership fell from 20.1% (1983) to 9.9% (2024) of "
        "wage and salary workers: U.S. Bureau of Labor Statistics, 'Union members', "
        "https://www.bls.gov/news.release/union2.toc.htm",
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
        source="Policy lever, 0 at baseline (no broad or public ownership of AI capital today); "
        "instruments: a sovereign fund such as the Alaska Permanent Fund (https://apfc.org/),"
        " employee ownership (NCEO, https://www.nceo.org/), AI infrastructure bonds "
        "(docs/policies.md §2)",
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
        source="Assumption and policy lever: 0.10 a year (half-life about 7 years); the 40-60-year "
        "Engels' pause implies a historical pace of 0.01-0.03: Allen (2009), 'Engels' pause: "
        "technical change, capital accumulation, and inequality in the British industrial "
        "revolution', Explorations in Economic History 46(4): 418-435, "
        "doi:10.1016/j.eeh.2009.04.004",
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
        source="Assumption: 5% of exposed workers have already retooled in 2025; no measurement "
        "exists",
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
        source="Scale: a = 1 is the full realization of current LLM task exposure in Eloundou, "
        "Manning, Mishkin & Rock (2024), 'GPTs are GPTs: labor market impact potential of "
        "LLMs', Science 384(6702): 1306-1308, doi:10.1126/science.adj0998; Acemoglu (2024), "
        "'The simple macroeconomics of AI', NBER Working Paper 32487, doi:10.3386/w32487, "
        "implies a of about 0.10-0.15 over a decade (docs/model.md §2.2)",
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
        source="Scenario assumption: adoption reaches half of its long-run level in 2030 (t_m = 5 "
        "years after 2025)",
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
        source="Scenario assumption: a scale of 2 years takes a(t) from 10% to 90% of its long-run "
        "level in about 9 years (2 ln 9 t_s)",
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
        source="Numerical guard on the capital share (M4), not an economic quantity",
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
        source="Average task-level cost saving of about 27% in Acemoglu (2024), 'The simple "
        "macroeconomics of AI', NBER Working Paper 32487, doi:10.3386/w32487; enters the "
        "output index only",
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
        source="Top-1% share of household net worth, 2025 Q3: Federal Reserve Board, Distributional "
        "Financial Accounts, https://www.federalreserve.gov/releases/z1/dataviz/dfa/",
        equations="docs/model.md §5",
    )
    calibration_top1_share: float = _p(
        0.30,
        key="S_cal",
        symbol="S_cal",
        unit="share of net worth",
        allowed=(0.01, 0.99),
        plausible=None,
        description="Top-1% share of the pre-AI labor fixed point targeted when m is calibrated.",
        source="Assumption: the pre-AI labor steady state is placed at a top-1% share of 0.30, just "
        "below the 2025 value of the DFA (docs/model.md §9)",
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
        """Values keyed by the docs/model.md §9 short keys."""
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
    """Map a full name or a docs/model.md §9 short key to the full name; ``KeyError`` if unknown."""
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


#: The kernel record (a numba ``Record``): one float64 field per parameter, by full name, in
#: schema order, then the policy table — ``controls`` (one :data:`CONTROL_DTYPE` row per
#: control of :mod:`twochannel.params.policy_slots`), the deployment-cadence stretch factor and
#: start (years after 2025), and ``policy_active`` (False: every lever neutral). Kernels read
#: ``p.retooling_rate``, ``p.controls[C_CAPTAX].target``, ``p.policy_active``.
PARAM_DTYPE = np.dtype(
    [(name, np.float64) for name in PACK_ORDER]
    + [
        ("controls", CONTROL_DTYPE, (N_CONTROLS,)),
        ("deployment_stretch", np.float64),
        ("deployment_start", np.float64),
        ("policy_active", np.bool_),
    ]
)


def param_table(params: Parameters, n: int = 1) -> np.ndarray:
    """``n`` copies of the kernel record of ``params`` as a 1-D structured array (batch kernels).

    Policy neutral (no control, stretch 1, ``policy_active`` False); columns can be replaced by
    name: ``rows["retooling_rate"] = values``. ``top_wealth_drain`` must be resolved first.
    """
    if params.top_wealth_drain is None:
        raise ValueError("top_wealth_drain (m) must be calibrated before building a record")
    out = np.zeros(n, dtype=PARAM_DTYPE)
    for name in PACK_ORDER:
        out[name] = float(getattr(params, name))
    out["deployment_stretch"] = 1.0
    return out


def param_record(params: Parameters) -> np.void:
    """The kernel record of ``params``: a writable view of a fresh one-row :func:`param_table`.

    >>> rec = param_record(Parameters(top_wealth_drain=0.03))
    >>> float(rec["retooling_rate"]), bool(rec["policy_active"])
    (0.1, False)
    """
    return param_table(params, 1)[0]


def copy_record(rec: np.void) -> np.void:
    """An independent copy of a kernel record (writes to it leave ``rec`` alone)."""
    out = np.empty(1, dtype=PARAM_DTYPE)
    out[0] = rec
    return out[0]
