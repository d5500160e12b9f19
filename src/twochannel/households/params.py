"""Parameters of the household layer (docs/households.md §1–§2) that the aggregate model does not have.

Both layers share :class:`twochannel.params.Parameters`; these add what only households need.
Units: wealth and income are measured in multiples of 2025 mean household income, detrended by
the growth rate g (so a constant value means growth at the pace of the economy).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from twochannel.params.fields import ParameterInfo, check_ranges, infos_from_model
from twochannel.params.fields import param_field as _p

__all__ = [
    "EXPOSURE_INDICES",
    "HOUSEHOLD_PARAMETERS",
    "HouseholdParameters",
]

#: Exposure indices available in the shipped calibration table (docs/households.md §1).
EXPOSURE_INDICES = ("eloundou", "aioe", "tomlinson", "anthropic", "eisfeldt")
ExposureIndex = Literal["eloundou", "aioe", "tomlinson", "anthropic", "eisfeldt"]


class HouseholdParameters(BaseModel):
    """Household-layer parameters. ``None`` for the calibrated ones (m_h, s_w and the four of the
    concentrated share φ) means: use the values calibrated by
    ``scripts/calibrate_households.py`` and shipped with the package."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=True)

    exposure_index: ExposureIndex = "eloundou"
    wage_wealth_rank_correlation: float = _p(
        0.5,
        key="rho_ww",
        symbol="ρ_ww",
        unit="Gaussian-copula correlation",
        allowed=(-0.99, 0.99),
        plausible=(0.3, 0.6),
        description="Correlation of wage rank and wealth rank at t = 0 (Gaussian copula).",
        source="Assumption of the order of the earnings-wealth association in the Survey of Consumer"
        " Finances: Kuhn & Ríos-Rull (2016), '2013 update on the U.S. earnings, income, and "
        "wealth distributional facts: a view from macroeconomics', Federal Reserve Bank of "
        "Minneapolis Quarterly Review 37(1): 2-73, doi:10.21034/qr.3711",
        equations="docs/households.md §1",
    )
    labor_saving_rate: float | None = _p(
        None,
        key="s_w",
        symbol="s_w",
        unit="share of labor income",
        allowed=(0.0, 1.0),
        plausible=None,
        description="Share of labor income above the consumption floor ȳ_c saved into wealth. "
        "None = calibrated so that the pre-AI stationary wealth/income ratio equals β(S_cal) "
        "(M6).",
        source="Calibrated by scripts/calibrate_households.py: the pre-AI stationary wealth/income "
        "ratio equals beta(S_cal) = 6 years (M6; docs/households.md §2)",
        equations="docs/households.md §2 (step 5)",
    )
    saving_wealth_scale: float | None = _p(
        None,
        key="x_s",
        symbol="x_s",
        unit="multiples of mean wealth",
        allowed=(0.0, 100.0),
        plausible=(0.0, 2.0),
        description="Relative wealth ω/W̄ at which a household makes half of its Stone-Geary "
        "saving: it saves s_w·h(x)·max(y_L − ȳ_c, 0) with h(x) = x/(x + x_s), so that "
        "households with little wealth save little (hand-to-mouth). 0 = h ≡ 1. None = "
        "calibrated so that the pre-AI bottom-50% wealth share stays at its DFA 2025 value.",
        source="Calibrated by scripts/calibrate_households.py: the pre-AI bottom-50% wealth "
        "share over the first 50 years equals its Fed DFA 2025Q3 value (0.025); mechanism: "
        "saving rises with wealth and the bottom half saves about nothing out of income "
        "(Saez & Zucman 2016, QJE 131(2): 519-578, doi:10.1093/qje/qjw004; Mian, Straub & "
        "Sufi 2021, 'The saving glut of the rich', NBER w26941; Fagereng, Holm, Moll & "
        "Natvik 2019, 'Saving behavior across the wealth distribution', NBER w26588), and "
        "about a third of US households live hand-to-mouth (Kaplan, Violante & Weidner "
        "2014, Brookings Papers on Economic Activity 2014(1): 77-138; docs/households.md §2)",
        equations="docs/households.md §2 (step 5)",
    )
    wealth_drain: float | None = _p(
        None,
        key="m_h",
        symbol="m_h",
        unit="1/yr",
        allowed=(-0.2, 0.5),
        plausible=None,
        description="Consumption out of wealth (all households). None = calibrated so that "
        "the pre-AI stationary top-1% share equals S_cal (0.30).",
        source="Calibrated by scripts/calibrate_households.py: the pre-AI stationary top-1% share "
        "equals S_cal = 0.30, the aggregate labor steady state (docs/households.md §2)",
        equations="docs/households.md §2 (step 5)",
    )
    concentrated_premium: float = _p(  # issue 10
        0.0,
        key="pi_c",
        symbol="π_c",
        unit="1/yr",
        allowed=(-0.05, 0.1),
        plausible=(0.0, 0.05),
        description="Competitive return premium of concentrated assets (business and "
        "corporate equity) over broad assets (housing, deposits, pensions), paid out of the "
        "competitive capital income: broad assets earn r_b − π_c·Φ̄ and concentrated ones "
        "r_b − π_c·Φ̄ + π_c + r_e (Φ̄ the concentrated share of all wealth), so capital income "
        "still adds up to s_K·Y. 0 = only rents set the two apart (the shipped calibration).",
        source="Mechanism: returns to wealth rise with wealth through the share of equity and "
        "private business (Fagereng, Guiso, Malacrino & Pistaferri 2020, Econometrica 88(1): "
        "115-170, doi:10.3982/ECTA14835; Bach, Calvet & Sodini 2020, AER 110(9): 2703-2747, "
        "doi:10.1257/aer.20170666); size: US equity earned a few points a year above housing, "
        "bonds and bills since 1870 (Jordà, Knoll, Kuvshinov, Schularick & Taylor 2019, "
        "'The rate of return on everything, 1870-2015', QJE 134(3): 1225-1298, "
        "doi:10.1093/qje/qjz012); measured effects in docs/households.md §6",
        equations="docs/households.md §2 (step 3)",
    )
    broad_return_volatility: float | None = _p(  # issue 10
        None,
        key="s_b",
        symbol="s_b",
        unit="1/sqrt(yr)",
        allowed=(0.0, 2.0),
        plausible=(0.04, 0.25),
        description="Idiosyncratic volatility of the return on broad assets (owner-occupied "
        "housing, deposits, pensions, diversified funds). A household's return shock has "
        "volatility s_i = (1 − φ_i) s_b + φ_i s_c, rising with its concentrated share φ_i "
        "when s_c > s_b. None = the scenario's s (one volatility for all, the shipped "
        "calibration).",
        source="Default: the aggregate model's s (M10), one volatility for all. Evidence for a "
        "lower value: the standard deviation of the return on an individual owner-occupied "
        "house, about 0.14 a year (Flavin & Yamashita 2002, 'Owner-occupied housing and the "
        "composition of the household portfolio', American Economic Review 92(1): 345-362, "
        "doi:10.1257/000282802760015775), times real estate over broad net worth, 0.478 for "
        "all households in the Fed DFA 2025Q3 (1.39 for the bottom 50%): 0.067 (0.19 for the "
        "bottom half); measured effects in docs/households.md §6",
        equations="docs/households.md §2 (step 5)",
    )
    concentrated_return_volatility: float | None = _p(  # issue 10
        None,
        key="s_c",
        symbol="s_c",
        unit="1/sqrt(yr)",
        allowed=(0.0, 2.0),
        plausible=(0.25, 0.6),
        description="Idiosyncratic volatility of the return on concentrated assets (private "
        "business and directly held corporate equity), the part of s_i = (1 − φ_i) s_b + φ_i "
        "s_c that rises with the concentrated share φ_i. None = the scenario's s (one "
        "volatility for all, the shipped calibration).",
        source="Default: the aggregate model's s (M10). Mechanism for a higher value: "
        "concentrated (private business) equity is undiversified and far riskier than broad "
        "wealth (Moskowitz & Vissing-Jørgensen 2002, 'The returns to entrepreneurial "
        "investment: a private equity premium puzzle?', AER 92(4): 745-778, "
        "doi:10.1257/00028280260344443), returns to wealth are heterogeneous and their risk "
        "rises with the risky share (Fagereng, Guiso, Malacrino & Pistaferri 2020, "
        "'Heterogeneity and persistence in returns to wealth', Econometrica 88(1): 115-170, "
        "doi:10.3982/ECTA14835), and idiosyncratic return risk at the top makes the Pareto "
        "tail (Benhabib, Bisin & Zhu 2011, Econometrica 79(1): 123-157, doi:10.3982/ECTA8416); "
        "measured effects in docs/households.md §6",
        equations="docs/households.md §2 (step 5)",
    )
    consumption_floor: float = _p(
        0.75,
        key="c_floor",
        symbol="ȳ_c",
        unit="multiples of mean labor income",
        allowed=(0.0, 5.0),
        plausible=(0.0, 1.0),
        description="Labor income below which a household saves nothing: it saves s_w of the "
        "labor income above ȳ_c·(mean labor income), so saving rates rise with income "
        "(Stone–Geary). 0 gives a flat saving rate s_w.",
        source="Near the BLS OEWS May 2025 median / mean annual wage (50,980 / 69,770 = 0.73; "
        "https://www.bls.gov/oes/): about the lower half of earners saves nothing, as "
        "bottom-half saving rates are near zero in Saez & Zucman (2016), 'Wealth inequality "
        "in the United States since 1913', QJE 131(2): 519-578, doi:10.1093/qje/qjw004, and "
        "saving rates rise with income in Dynan, Skinner & Zeldes (2004), 'Do the rich save "
        "more?', Journal of Political Economy 112(2): 397-444, doi:10.1086/381475; 0.75 "
        "chosen among 0.7-0.9 by the consistency grid (docs/households.md §7)",
        equations="docs/households.md §2 (step 4)",
    )
    concentrated_share_floor: float | None = _p(
        None,
        key="phi0",
        symbol="φ_0",
        unit="share of wealth",
        allowed=(0.0, 1.0),
        plausible=(0.0, 0.4),
        description="Share of wealth held in concentrated assets (corporate and private "
        "business equity) by the least wealthy households. None = fitted to the DFA portfolio "
        "shares by wealth group (shipped calibration).",
        source="Fitted by scripts/calibrate_households.py to corporate equities and mutual fund "
        "shares plus private business equity over net worth by wealth group, 2025 Q3: Federal"
        " Reserve Board, Distributional Financial Accounts, "
        "https://www.federalreserve.gov/releases/z1/dataviz/dfa/",
        equations="docs/households.md §2, φ(x)",
    )
    concentrated_share_cap: float | None = _p(
        None,
        key="phi1",
        symbol="φ_1",
        unit="share of wealth",
        allowed=(0.0, 1.0),
        plausible=(0.5, 1.0),
        description="Concentrated-asset share approached by the wealthiest households. None = "
        "fitted to the DFA portfolio shares (shipped calibration).",
        source="Fitted with φ_0 (scripts/calibrate_households.py) to the portfolio shares by wealth "
        "group, 2025 Q3: Federal Reserve Board, Distributional Financial Accounts, "
        "https://www.federalreserve.gov/releases/z1/dataviz/dfa/",
        equations="docs/households.md §2, φ(x)",
    )
    concentrated_share_midpoint: float | None = _p(
        None,
        key="x_c",
        symbol="x_c",
        unit="multiples of mean wealth",
        allowed=(0.01, 1000.0),
        plausible=(1.0, 50.0),
        description="Relative wealth ω/W̄ at which the concentrated share is halfway from φ_0 "
        "to φ_1. None = fitted to the DFA portfolio shares (shipped calibration).",
        source="Fitted with φ_0 (scripts/calibrate_households.py) to the portfolio shares by wealth "
        "group, 2025 Q3: Federal Reserve Board, Distributional Financial Accounts, "
        "https://www.federalreserve.gov/releases/z1/dataviz/dfa/",
        equations="docs/households.md §2, φ(x)",
    )
    concentrated_share_slope: float | None = _p(
        None,
        key="gamma_phi",
        symbol="γ_φ",
        unit="1 (per log point of relative wealth)",
        allowed=(0.1, 10.0),
        plausible=(0.5, 3.0),
        description="Steepness of the concentrated share in log relative wealth. None = fitted "
        "to the DFA portfolio shares (shipped calibration).",
        source="Fitted with φ_0 (scripts/calibrate_households.py) to the portfolio shares by wealth "
        "group, 2025 Q3: Federal Reserve Board, Distributional Financial Accounts, "
        "https://www.federalreserve.gov/releases/z1/dataviz/dfa/",
        equations="docs/households.md §2, φ(x)",
    )
    adoption_initial_share: float = _p(
        0.28,
        key="ai_adopt0",
        symbol="A_0",
        unit="share of households",
        allowed=(0.0, 1.0),
        plausible=(0.2, 0.6),
        description="Share of households whose earner uses generative AI in their work in 2025 "
        "(adoption intensity q > 0; docs/households.md §11). 1 with ai_q0 = 1: universal, "
        "equal adoption, the engine without adoption.",
        source="Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966: 28% of employed US adults aged 18-64 used generative AI for their job "
        "in August 2024 (Real-Time Population Survey; NBER Digest, December 2024, "
        "https://www.nber.org/digest/202412/workplace-adoption-generative-ai)",
        equations="docs/households.md §11",
    )
    adoption_hazard: float = _p(
        0.20,
        key="ai_hazard",
        symbol="λ̄",
        unit="1/yr",
        allowed=(0.0, 5.0),
        plausible=(0.1, 0.4),
        description="Yearly adoption hazard of a household with the mean 2025 hazard "
        "multiplier (m = 1) that does not yet use AI in its work.",
        source="Derived from the Federal Reserve Bank of St. Louis Real-Time Population Survey "
        "series of generative-AI use outside work by US adults aged 18-64 (FRED "
        "RPSGENAIUSAGESHARENONWORK, https://fred.stlouisfed.org/series/"
        "RPSGENAIUSAGESHARENONWORK; the survey of Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966): 36.0% in 2024Q3, 54.8% in 2026Q2, "
        "so the non-users' share fell by exp(-0.20 x 1.75 years)",
        equations="docs/households.md §11",
    )
    adoption_education_slope: float = _p(
        0.45,
        key="ai_edu",
        symbol="b_o",
        unit="log hazard per SD of log occupation median wage",
        allowed=(-5.0, 5.0),
        plausible=(0.0, 1.5),
        description="How much faster households in better-paid occupations adopt (education "
        "proxy: the standardised log median wage of the occupation; the population has no "
        "education variable).",
        source="Chosen so that, in 2025, adoption in the best-paid third of occupations is about "
        "twice that in the least-paid third (docs/households.md §11), as in Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966: use at work "
        "above 40% in management, business and computer occupations, about one in five "
        "among workers without a college degree",
        equations="docs/households.md §11",
    )
    adoption_wage_slope: float = _p(
        0.2,
        key="ai_wage",
        symbol="b_w",
        unit="log hazard per SD of the within-occupation wage position z",
        allowed=(-5.0, 5.0),
        plausible=(0.0, 1.0),
        description="How much faster better-paid workers within an occupation adopt.",
        source="Assumption of a gradient smaller than the occupation one; adoption rises with "
        "income in Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966",
        equations="docs/households.md §11",
    )
    adoption_wealth_slope: float = _p(
        0.2,
        key="ai_wealth",
        symbol="b_ω",
        unit="log hazard per unit of ln(1 + ω/W̄)",
        allowed=(-5.0, 5.0),
        plausible=(0.0, 1.0),
        description="How much faster wealthier households adopt (access to equipment, paid "
        "models and time to learn).",
        source="Assumption (no adoption survey by wealth is published); adoption rises with "
        "household income in Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966",
        equations="docs/households.md §11",
    )
    adoption_initial_intensity: float = _p(
        0.38,
        key="ai_q0",
        symbol="q_0",
        unit="1 (0 no use, 1 full use)",
        allowed=(0.0, 1.0),
        plausible=(0.2, 0.8),
        description="Adoption intensity of a household when it adopts: how well it uses AI "
        "in its work at first.",
        source="Bick, Blandin & Deming (2024), 'The Rapid Adoption of Generative AI', NBER Working Paper 32966, doi:10.3386/w32966, https://www.nber.org/papers/w32966: of the 28% of employed adults who used generative AI for work, 10.6% of "
        "all employed used it every workday of the previous week (10.6/28 = 0.38)",
        equations="docs/households.md §11",
    )
    adoption_learning_rate: float = _p(
        0.2,
        key="ai_learn",
        symbol="κ",
        unit="1/yr",
        allowed=(0.0, 5.0),
        plausible=(0.05, 0.5),
        description="Rate at which an adopter's intensity closes its gap to full use: "
        "q <- 1 - (1 - q)·exp(-κ) a year.",
        source="Assumption: the gap to full use halves in about 3.5 years",
        equations="docs/households.md §11",
    )
    moment_matching: bool = Field(
        default=True,
        description="Variance reduction: rescale the return shocks of the households of each "
        "octave of relative wealth so that the stratum's wealth after shocks and resets equals "
        "its expectation (docs/households.md §3). False draws them independently.",
    )
    wealth_floor: float = _p(
        0.0,
        key="floor",
        symbol="ω_min",
        unit="multiples of 2025 mean household income",
        allowed=(0.0, 10.0),
        plausible=None,
        description="Lowest wealth a household can hold (non-negative in this version).",
        source="Assumption: no negative net worth in this version (default 0)",
        equations="docs/households.md §2 (step 5)",
    )
    reset_pool: float = _p(
        0.9,
        key="reset_pool",
        symbol="q_reset",
        unit="population quantile",
        allowed=(0.1, 1.0),
        plausible=None,
        description="A reset household's wealth is redrawn from the distribution below this "
        "quantile (bottom 90%).",
        source="Assumption: death, division or loss of top status rarely leaves a dynasty at the "
        "top, so a reset household's wealth is redrawn from the bottom 90%",
        equations="docs/households.md §2 (step 5)",
    )
    households_represented: float = _p(
        131.4e6,
        key="n_us",
        symbol="N_US",
        unit="households",
        allowed=(1.0, 1e10),
        plausible=None,
        description="Number of US households the simulated ones represent (equal weights).",
        source="U.S. Census Bureau, America's Families and Living Arrangements: 2024 (Current "
        "Population Survey), "
        "https://www.census.gov/topics/families/families-and-households.html",
        equations="docs/households.md §1",
    )

    @model_validator(mode="after")
    def _check(self) -> HouseholdParameters:
        problems = check_ranges(self, HOUSEHOLD_PARAMETERS)
        lo, hi = self.concentrated_share_floor, self.concentrated_share_cap
        if lo is not None and hi is not None and lo > hi:
            problems.append(
                f"concentrated share floor φ_0 = {lo!r} exceeds its cap φ_1 = {hi!r} (phi0 ≤ phi1)"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


HOUSEHOLD_PARAMETERS: dict[str, ParameterInfo] = infos_from_model(HouseholdParameters)
