"""Fuzzing the file parsers: whatever a scenario, policy or experiment file holds, the answer is a parsed
object or an InputError naming the problem, never another exception (bounded, derandomized in
CI by the 'ci' Hypothesis profile)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from twochannel.core.errors import InputError
from twochannel.lab.experiments.envelope import DIST_KEYS, EXPERIMENT_KEYS
from twochannel.lab.experiments.spec import load_experiment
from twochannel.levers.package import LEVERS, load_policy
from twochannel.params.scenario import load_scenario
from twochannel.params.schema import PARAMETERS

_KEYS = [*PARAMETERS, *(i.key for i in PARAMETERS.values())]
_LEVER_FIELDS = {name: list(fields) for name, fields in LEVERS.items()}

scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=12),
    st.lists(st.floats(-5, 50), max_size=4),
)


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    escaped = str(v).encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{escaped}"'


@st.composite
def scenario_texts(draw: st.DrawFn) -> str:
    lines = []
    for key in draw(
        st.lists(
            st.sampled_from(["name", "description", "horizon", "rationale", "bogus"]),
            max_size=3,
            unique=True,
        )
    ):
        lines.append(f"{key} = {_toml_value(draw(scalars))}")
    lines.append("[parameters]")
    for key in draw(st.lists(st.sampled_from([*_KEYS, "nonsense"]), max_size=5, unique=True)):
        lines.append(f"{key} = {_toml_value(draw(scalars))}")
    if draw(st.booleans()):
        lines.append("[ai_path]")
        lines.append(
            f"kind = {_toml_value(draw(st.sampled_from(['logistic', 'step', 'points', 'x'])))}"
        )
        for key in draw(
            st.lists(st.sampled_from(["times", "levels", "extra"]), max_size=3, unique=True)
        ):
            lines.append(f"{key} = {_toml_value(draw(scalars))}")
    if draw(st.booleans()):  # raw noise appended: broken TOML must be an InputError too
        lines.append(draw(st.text(max_size=20)))
    return "\n".join(lines) + "\n"


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    lines = [f"name = {_toml_value(draw(st.text(max_size=8)))}"]
    if draw(st.booleans()):
        lines.append(f"enact_year = {_toml_value(draw(scalars))}")
    for lever in draw(st.lists(st.sampled_from([*LEVERS, "not_a_lever"]), max_size=3, unique=True)):
        lines.append(f"[{lever}]")
        fields = [*_LEVER_FIELDS.get(lever, ["x"]), "bogus"]
        for f in draw(st.lists(st.sampled_from(fields), max_size=4, unique=True)):
            lines.append(f"{f} = {_toml_value(draw(scalars))}")
    return "\n".join(lines) + "\n"


@st.composite
def experiment_texts(draw: st.DrawFn) -> str:
    lines = []
    if draw(st.integers(0, 9)):  # now and then no [experiment] table at all
        lines.append("[experiment]")
        keys = [*sorted(EXPERIMENT_KEYS), "bogus"]
        for key in draw(st.lists(st.sampled_from(keys), max_size=6, unique=True)):
            value = draw(
                st.one_of(
                    scalars,
                    st.sampled_from(
                        ["macro", "ishigami", "sobol", "lhs", "baseline", "alaska-fund"]
                    ),
                    st.integers(0, 5000),
                )
            )
            lines.append(f"{key} = {_toml_value(value)}")
    if draw(st.integers(0, 9)):
        lines.append("[uncertainties]")
        names = ["rhoR", "psi", "kappa", "x1", "top_fraction", "nonsense"]
        for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)):
            fields = draw(
                st.lists(st.sampled_from([*sorted(DIST_KEYS), "bogus"]), max_size=4, unique=True)
            )
            body = ", ".join(f"{f} = {_toml_value(draw(scalars))}" for f in fields)
            lines.append(f"{name} = {{ {body} }}" if draw(st.booleans()) else f"{name} = 1")
    if draw(st.booleans()):
        lines.append("[levers]")
        path = draw(st.sampled_from(["sovereign_fund.stake", "ubi.amount", "x.y", "nope"]))
        lines.append(f'"{path}" = {{ low = {_toml_value(draw(scalars))}, high = 0.5 }}')
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["[optimize]", "optimize = 3", "[bogus]"])))
    return "\n".join(lines) + "\n"


def _parse(loader, text: str, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp / "fuzz.toml"
    f.write_text(text, encoding="utf-8")
    try:
        loader(f)
    except InputError:
        pass


@settings(max_examples=300)
@given(text=scenario_texts())
def test_scenario_parser_never_crashes(text: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    _parse(load_scenario, text, tmp_path_factory.mktemp("s"))


@settings(max_examples=300)
@given(text=policy_texts())
def test_policy_parser_never_crashes(text: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    _parse(load_policy, text, tmp_path_factory.mktemp("p"))


@settings(max_examples=300)
@given(text=experiment_texts())
def test_experiment_parser_never_crashes(text: str, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    _parse(load_experiment, text, tmp_path_factory.mktemp("e"))


@settings(max_examples=200)
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_are_an_input_error(raw: bytes, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("b")
    for loader in (load_scenario, load_policy, load_experiment):
        f = tmp / "bytes.toml"
        f.write_bytes(raw)
        try:
            loader(f)
        except InputError:
            pass
