"""Request bodies of the API. Values are checked by the library's own schema (the parameter
and lever schemas), so an error carries the CLI's text: field, value and allowed range."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "BifurcationRequest",
    "CompareJob",
    "CompareRequest",
    "DecomposeJob",
    "DecomposeRequest",
    "JobRequest",
    "MapRequest",
    "OutlookJob",
    "OutlookRequest",
    "ScenarioRequest",
    "SimulateJob",
    "SimulateRequest",
    "SteadyRequest",
    "WindowRequest",
]

_SCENARIO_DOC = (
    "A scenario preset's name (GET /api/v1/presets), or an inline scenario "
    '{"name", "horizon", "parameters": {KEY: number}, "ai_path": {"kind", "times", "levels"}}; '
    "default: the policy's own scenario, else the built-in baseline."
)
_POLICY_DOC = (
    "null (no policy), a policy preset's name, or an inline package "
    '{"name", "enact_year", "phase_in", "levers": {LEVER: {FIELD: number}}} (GET /api/v1/levers).'
)


class ScenarioRequest(BaseModel):
    """Scenario, parameter overrides and policy package: the common part of every request."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    scenario: str | dict[str, Any] | None = Field(default=None, description=_SCENARIO_DOC)
    set_: dict[str, Any] = Field(
        default_factory=dict,
        alias="set",
        description="Parameter overrides {KEY: number}, full names or short keys (rhoR, abar, …).",
    )
    policy: str | dict[str, Any] | None = Field(default=None, description=_POLICY_DOC)


class SteadyRequest(ScenarioRequest):
    ai_level: float | None = Field(default=None, description="AI level a (default ā).")
    retooled_share: float = Field(default=1.0, description="Retooled share h.")


class SimulateRequest(ScenarioRequest):
    years: float | None = Field(
        default=100.0, description="Years simulated (default 100; null: the scenario's horizon)."
    )
    engine: Literal["macro", "agents"] = Field(
        default="macro",
        description="macro here; household runs (agents) go through POST /api/v1/jobs.",
    )
    households: int = Field(default=100_000, description="Households (agents engine, jobs only).")
    seed: int | None = Field(default=2025, description="Random seed (agents engine).")


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    reform: str | dict[str, Any] = Field(description="Reform: a policy preset or inline package.")
    baseline: str | dict[str, Any] | None = Field(
        default=None,
        description="Baseline: a policy preset or inline package (default: no policy).",
    )
    scenario: str | dict[str, Any] | None = Field(default=None, description=_SCENARIO_DOC)
    set_: dict[str, Any] = Field(default_factory=dict, alias="set")
    engine: Literal["macro", "agents"] = "macro"
    households: int = Field(
        default=5_000, description="Households per arm (distributional results)."
    )
    years: int = Field(default=75, description="Years reported after 2025.")
    seed: int = 2025


class WindowRequest(ScenarioRequest):
    first: float = Field(default=2025.0, description="Earliest enactment year scanned.")
    last: float | None = Field(
        default=None, description="Latest enactment year (default first + 100)."
    )
    resolution: float = Field(default=0.1, description="Precision of the window's edge, years.")
    sensitivities: bool = Field(
        False, description="Also the window's sensitivities (AI speed, antitrust, …)."
    )


class OutlookRequest(ScenarioRequest):
    occupation: str = Field(description="SOC 2018 code, e.g. 43-4051.")
    wage_percentile: float = Field(description="Wage percentile within the occupation, (0, 100).")
    wealth: float = Field(description="Net worth in 2025 US dollars (≥ 0).")
    retool_year: int | Literal["never"] | None = None
    ai_asset_share: float | None = None
    adopt_year: int | Literal["never"] | None = Field(
        default=None, description="Year you start using AI in your work, 'never', or at random."
    )
    strategies: bool = Field(
        default=False,
        description="Compare strategies side by side (docs/outlook.md §6): retool now / in 5 / "
        "in 10 years, adopt AI now / never, AI-beneficiary assets / a broad index.",
    )
    exposure_index: str = "eloundou"
    households: int = 5_000
    years: int = 50
    replicas: int = 300
    seed: int = 2025
    wage_rule: Literal["individual", "occupation"] = "individual"


class BifurcationRequest(ScenarioRequest):
    param: str = Field(default="abar", description="Parameter varied (full name or short key).")
    values: list[float] | None = Field(
        default=None, description="Values (default: a plausible range)."
    )
    n: int = Field(default=121, description="Points when values is null.")


class MapRequest(ScenarioRequest):
    x: str = "rhoR"
    y: str = "abar"
    nx: int = 15
    ny: int = 15
    x_range: list[float] | None = Field(default=None, description="[start, stop] of x.")
    y_range: list[float] | None = Field(default=None, description="[start, stop] of y.")


class SimulateJob(SimulateRequest):
    kind: Literal["simulate"]
    engine: Literal["macro", "agents"] = "agents"
    households: int = 20_000


class OutlookJob(OutlookRequest):
    kind: Literal["outlook"]


class CompareJob(CompareRequest):
    kind: Literal["compare"]


class DecomposeRequest(ScenarioRequest):
    years: int = Field(default=50, description="Years after 2025 (the horizon of the outcomes).")
    households: int = Field(default=20_000, description="Households in each of the four runs.")
    seed: int = Field(default=2025, description="Seed shared by the four runs (common numbers).")


class DecomposeJob(DecomposeRequest):
    kind: Literal["decompose"]


JobRequest = Annotated[
    SimulateJob | OutlookJob | CompareJob | DecomposeJob, Field(discriminator="kind")
]
