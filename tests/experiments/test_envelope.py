"""The experiment file's envelope (lab/experiments/envelope.py): tables, fields and types as
pydantic models, each problem one line naming the file, the field and the value as written."""

from __future__ import annotations

import tomllib

import pytest

from twochannel.core.errors import InputError
from twochannel.lab.experiments.spec import parse_experiment

GOOD = "[uncertainties]\nrhoR = { low = 0.02, high = 0.1 }\n"
CASES = {
    "[experiment]\nn = 1.5\n" + GOOD: "'experiment.n' = 1.5 must be an integer in [1, 10000000]",
    "[experiment]\nn = true\n" + GOOD: "'experiment.n' = True must be an integer",
    '[experiment]\nwindow = "yes"\n' + GOOD: "'experiment.window' = 'yes' must be true or false",
    "[experiment]\nfoo = 1\n" + GOOD: "'experiment' = ['foo'] has unknown keys; allowed:",
    GOOD: "'experiment' = None is required: an [experiment] table",
    "x = 1\n[experiment]\n" + GOOD: "'(top level)' = ['x'] are unknown tables",
    "[experiment]\nsources = [1]\n" + GOOD: "'experiment.sources' = [1] must be a list of strings",
    "[experiment]\n[uncertainties]\nrhoR = 3\n": "'uncertainties.rhoR' = 3 must be a table",
    '[experiment]\n[uncertainties]\nrhoR = { low = "a", high = 0.1 }\n': (
        "'uncertainties.rhoR.low' = 'a' must be a finite number"
    ),
    "[experiment]\n[uncertainties]\nrhoR = { low = 0.02, high = 0.1, wat = 1 }\n": (
        "'uncertainties.rhoR' = ['wat'] has unknown keys"
    ),
    "[experiment]\n[uncertainties]\n": "'uncertainties' = {} must be a non-empty table",
    "[experiment]\n" + GOOD + '[levers]\n"ubi.amount" = 3\n': (
        "'levers.ubi.amount' = 3 must be a table { low = …, high = … }"
    ),
    "[experiment]\n" + GOOD + '[levers]\n"ubi.amount" = { low = 0.1 }\n': (
        "'levers.ubi.amount.high' = None is required"
    ),
    "optimize = 3\n[experiment]\n" + GOOD: "'optimize' = 3 must be a table",
    "[experiment]\nseed = -1\n" + GOOD: "'experiment.seed' = -1 is outside the allowed range",
}


@pytest.mark.parametrize("text", sorted(CASES))
def test_envelope_errors_name_file_field_and_value(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_experiment(tomllib.loads(text), "f.toml")
    msg = str(info.value)
    assert msg.startswith("f.toml: field ") and CASES[text] in msg
    assert "\n" not in msg


def test_a_valid_file_parses_with_the_engine_defaults() -> None:
    spec = parse_experiment(tomllib.loads("[experiment]\nn = 8\n" + GOOD), "f.toml")
    assert (spec.name, spec.engine, spec.sampler, spec.years, spec.n) == (
        "f",
        "macro",
        "monte-carlo",
        300,
        8,
    )
    agents = parse_experiment(
        tomllib.loads('[experiment]\nengine = "agents"\nn = 8\n' + GOOD), "f.toml"
    )
    assert agents.years == 50 and agents.households == 10_000
