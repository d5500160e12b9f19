"""Scenario files (TOML), ``--set`` assignments and the AI path (params/scenario.py)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA_DIR
from twochannel.macro.simulate import solve_path
from twochannel.params.scenario import (
    AIPath,
    InputError,
    Scenario,
    load_scenario,
    parameters_from_mapping,
    parse_assignments,
)
from twochannel.params.schema import Parameters

INVALID_DIR = DATA_DIR / "invalid_scenarios"
VALID_DIR = DATA_DIR / "valid_scenarios"

#: Expected fragments of the InputError message for each invalid fixture (besides the file
#: name, which every message must contain): the offending field and, for range errors, the
#: allowed range text.
INVALID_CASES: dict[str, list[str]] = {
    "unknown_parameter_key.toml": ["sigmaa", "unknown parameter", "did you mean 'sigma'"],
    "out_of_range_value.toml": ["elasticity_of_substitution", "sigma", "25", "[0.05, 10]"],
    "wrong_type_string.toml": ["retooling_rate", "rhoR", "'fast'", "wrong type", "[0, 10]"],
    "malformed_toml.toml": ["malformed TOML"],
    "unknown_top_level_field.toml": ["solver", "top-level"],
    "bad_ai_path_kind.toml": ["kind", "spline", "logistic"],
    "points_unequal_lengths.toml": ["times", "levels", "3 times", "2 levels"],
    "points_non_increasing_times.toml": ["times", "strictly increasing"],
    "negative_horizon.toml": ["horizon", "-50", "[1, 5000]"],
    "unknown_ai_path_field.toml": ["ai_path", "midpoint"],
    "tau_min_above_tau_max.toml": ["tau_min", "tau_max", "0.45"],
    "points_level_out_of_range.toml": ["levels", "[0, 20]"],
    "boolean_parameter.toml": ["broad_ownership_share", "chi", "wrong type"],
    "horizon_wrong_type.toml": ["horizon", "'300'", "[1, 5000]"],
    "times_with_points_of_logistic.toml": ["times", "points", "logistic"],
}


def test_every_invalid_fixture_has_an_expectation() -> None:
    on_disk = {p.name for p in INVALID_DIR.glob("*.toml")}
    assert on_disk == set(INVALID_CASES)


@pytest.mark.parametrize("fname", sorted(INVALID_CASES))
def test_invalid_scenario_raises_input_error_naming_file_and_field(fname: str) -> None:
    path = INVALID_DIR / fname
    with pytest.raises(InputError) as exc:
        load_scenario(path)
    msg = str(exc.value)
    assert fname in msg, f"message does not name the file: {msg}"
    for fragment in INVALID_CASES[fname]:
        assert fragment in msg, f"{fragment!r} missing from: {msg}"


def test_input_error_is_a_value_error() -> None:
    assert issubclass(InputError, ValueError)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError, match=r"nope\.toml"):
        load_scenario(missing)


def test_nan_horizon_rejected(tmp_path: Path) -> None:
    f = tmp_path / "nan_horizon.toml"
    f.write_text("horizon = nan\n", encoding="utf-8")
    with pytest.raises(InputError, match="horizon"):
        load_scenario(f)


def test_non_finite_ai_times_rejected(tmp_path: Path) -> None:
    f = tmp_path / "inf_times.toml"
    f.write_text(
        '[ai_path]\nkind = "points"\ntimes = [0, inf]\nlevels = [0, 1]\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match="times"):
        load_scenario(f)


def test_empty_scenario_file_is_the_baseline(tmp_path: Path) -> None:
    f = tmp_path / "empty.toml"
    f.write_text("", encoding="utf-8")
    sc = load_scenario(f)
    assert sc.parameters == Parameters()
    assert sc.ai_path == AIPath()
    assert sc.horizon == 300.0
    assert sc.name == "empty"  # defaults to the file stem


# --- valid scenarios ---------------------------------------------------------------------


def test_valid_logistic_scenario_loads_values() -> None:
    sc = load_scenario(VALID_DIR / "logistic.toml")
    p = sc.parameters
    assert sc.name == "logistic-fast-ai"
    assert sc.horizon == 120.0
    assert sc.ai_path.kind == "logistic"
    assert p.elasticity_of_substitution == 1.5
    assert p.long_run_ai_level == 2.0
    assert p.retooling_rate == 0.05
    assert (p.ai_midpoint, p.ai_scale) == (8.0, 3.0)
    # untouched values stay at the baseline
    assert p.skill_dispersion == Parameters().skill_dispersion
    assert sc.source.endswith("logistic.toml")


def test_valid_points_scenario_loads_path() -> None:
    sc = load_scenario(VALID_DIR / "points.toml")
    assert sc.ai_path.kind == "points"
    assert sc.ai_path.times == (0.0, 5.0, 10.0, 20.0)
    assert sc.ai_path.levels == (0.0, 0.3, 0.8, 1.2)
    assert sc.ai_path.long_run_level(sc.parameters) == 1.2
    assert sc.parameters.broad_ownership_share == 0.1


#: The integrator is accurate far beyond this; a(t) is reported from the kernel's own
#: evaluation of the path, so only round-off separates it from the formula.
AI_PATH_TOL = 1e-12


@pytest.mark.parametrize("fname", ["logistic.toml", "step.toml", "points.toml"])
def test_valid_scenarios_simulate(fname: str) -> None:
    sc = load_scenario(VALID_DIR / fname)
    ds = solve_path(sc)
    assert ds.attrs["converged"] == 1
    assert ds.attrs["selected_regime"] in {"labor", "asset"}
    assert float(ds.t[-1]) == sc.horizon
    assert np.all(np.isfinite(ds.top1_share.values))
    t = ds.t.values
    a = ds.ai_level.values
    p = sc.parameters
    if sc.ai_path.kind == "logistic":
        expected = p.long_run_ai_level / (1 + np.exp(-(t - p.ai_midpoint) / p.ai_scale))
    elif sc.ai_path.kind == "step":
        expected = np.full_like(t, p.long_run_ai_level)
    else:
        expected = np.interp(t, sc.ai_path.times, sc.ai_path.levels)
    np.testing.assert_allclose(a, expected, atol=AI_PATH_TOL)


def test_points_path_held_constant_after_last_point() -> None:
    sc = load_scenario(VALID_DIR / "points.toml")
    ds = solve_path(sc)
    after = ds.ai_level.sel(t=slice(20, None)).values
    assert np.all(after == 1.2)
    assert float(ds.ai_level.sel(t=7.0)) == pytest.approx(0.3 + 0.5 * 2 / 5, abs=AI_PATH_TOL)


# --- AIPath ------------------------------------------------------------------------------


def test_ai_path_validation_in_python() -> None:
    with pytest.raises(InputError, match="kind"):
        AIPath(kind="cubic")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="equal"):
        AIPath(kind="points", times=(0.0,), levels=())
    with pytest.raises(InputError, match="increasing"):
        AIPath(kind="points", times=(5.0, 1.0), levels=(0.0, 1.0))
    with pytest.raises(InputError, match=r"\[0, 20\]"):
        AIPath(kind="points", times=(0.0, 1.0), levels=(0.0, -0.5))


def test_ai_path_describe() -> None:
    p = Parameters()
    assert AIPath().describe(p) == {"kind": "logistic", "abar": 1.0, "t_m": 5.0, "t_s": 2.0}
    assert AIPath(kind="step").describe(p) == {"kind": "step", "abar": 1.0}
    pts = AIPath(kind="points", times=(0.0, 1.0), levels=(0.0, 2.0))
    assert pts.describe(p)["levels"] == [0.0, 2.0]
    assert pts.long_run_level(p) == 2.0


# --- --set assignments and overrides -----------------------------------------------------


def test_parse_assignments() -> None:
    assert parse_assignments(["sigma=1.5", " rhoR = 0.2"]) == {"sigma": 1.5, "rhoR": 0.2}
    assert parse_assignments(None) == {}


@pytest.mark.parametrize(
    ("item", "fragment"),
    [
        ("sigma", "KEY=VALUE"),
        ("sigma=abc", "wrong type"),
        ("sigma=nan", "not finite"),
        ("sigma=inf", "not finite"),
        ("nosuch=1", "unknown parameter 'nosuch'"),
    ],
)
def test_parse_assignments_errors(item: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        parse_assignments([item])


def test_with_overrides_validates() -> None:
    sc = Scenario().with_overrides({"sigma": 1.5, "retooling_rate": 0.03})
    assert sc.parameters.elasticity_of_substitution == 1.5
    assert sc.parameters.retooling_rate == 0.03
    assert Scenario().with_overrides({}) == Scenario()
    with pytest.raises(InputError, match=r"\[0.05, 10\]"):
        Scenario().with_overrides({"sigma": 20.0})
    with pytest.raises(InputError, match="did you mean"):
        Scenario().with_overrides({"sigm": 1.0})
    with pytest.raises(InputError, match="tau_max"):
        Scenario().with_overrides({"tau_min": 0.5})


def test_parameters_from_mapping_types() -> None:
    p = parameters_from_mapping({"sigma": 2, "m": None}, "test")
    assert p.elasticity_of_substitution == 2.0 and p.top_wealth_drain is None
    with pytest.raises(InputError, match="wrong type"):
        parameters_from_mapping({"sigma": [1.0]}, "test")
    with pytest.raises(InputError, match="test"):
        parameters_from_mapping({"sigma": math.nan}, "test")


# --- strict input (issue: hardening) ----------------------------------------------------------
@pytest.mark.parametrize("raw", ["0_1", "１", "0.1.2", "1e", "0x10", " ", "1,5"])
def test_set_refuses_numbers_outside_plain_decimal_notation(raw: str) -> None:
    with pytest.raises(InputError, match="plain decimal notation"):
        parse_assignments([f"rhoR={raw}"])


def test_set_refuses_a_parameter_named_twice() -> None:
    with pytest.raises(InputError, match="given twice, as 'sigma' and as 'elasticity"):
        parse_assignments(["sigma=1.5", "elasticity_of_substitution=2"])


def test_file_refuses_a_parameter_named_twice(tmp_path: Path) -> None:
    f = tmp_path / "twice.toml"
    f.write_text("[parameters]\nsigma = 1.5\nelasticity_of_substitution = 2.0\n")
    with pytest.raises(InputError, match="given twice"):
        load_scenario(f)


@pytest.mark.parametrize("name", ["bad\\u0000name", "esc\\u001b[31mred"])
def test_file_refuses_control_characters_in_names(tmp_path: Path, name: str) -> None:
    f = tmp_path / "ctl.toml"
    f.write_text(f'name = "{name}"\n')
    with pytest.raises(InputError, match="control character"):
        load_scenario(f)


def test_parse_number_grammar() -> None:
    from twochannel.core.numbers import parse_number

    assert parse_number("1e-3", "--x") == 1e-3
    assert parse_number("+.5", "--x") == 0.5
    assert parse_number("3.", "--x") == 3.0
    for bad in ("1_000", "٣", "inf", "nan", ""):
        with pytest.raises(InputError, match="--x"):
            parse_number(bad, "--x")
    with pytest.raises(InputError, match="not a finite number"):
        parse_number("1e999", "--x")
    assert parse_number("1e999", "--x", allow_nonfinite=True) == float("inf")


def test_envelope_errors_name_the_file_and_field(tmp_path: Path) -> None:
    cases = {
        "kind = 3": ("[ai_path]\nkind = 3\n", r"\[ai_path\]: ai_path.kind = 3 is not one of"),
        "horizon = true": ("horizon = true\n", r"field 'horizon' = True is outside"),
        "sources = 'x'": ("sources = 'x'\n", r"'sources' must be a list of strings"),
        "parameters = 1": ("parameters = 1\n", r"\[parameters\] must be a table"),
        "ai_path = 1": ("ai_path = 1\n", r"\[ai_path\] must be a table"),
    }
    for text, pattern in cases.values():
        f = tmp_path / "env.toml"
        f.write_text(text)
        with pytest.raises(InputError, match=pattern):
            load_scenario(f)
