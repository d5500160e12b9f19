"""The personal lens (docs/outlook.md): determinism, monotonicity in wealth, the gain from
early retooling under strong AI, ordered bands, agreement with the household layer's own rules,
the JSON schema and bad input."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import numpy as np
import pytest
from scipy.special import ndtr

from twochannel.cli import main
from twochannel.households.population import load_calibration_tables
from twochannel.households.simulate import simulate_households
from twochannel.lab.outlook import (
    BANDS,
    MIN_OCCUPATION_HOUSEHOLDS,
    USD_PER_UNIT,
    WAGE_RULE_TOLERANCE,
    OutlookResult,
    Person,
    PopulationPath,
    find_occupation,
    simulate_person,
    simulate_population_path,
)
from twochannel.params.scenario import InputError, Scenario, parse_assignments

N = 4000
YEARS = 25
SEED = 7
REPLICAS = 300
#: The person's wage and income use the same formulas as the household kernels, which compute
#: the exponential in single precision (relative error ~1e-7).
SAME_RULE = 1e-6
#: Persons drawn from the population for the spread check, and its tolerance on shares (about
#: 2 standard errors of a share's mean over PERSONS independent persons: 0.29/√150 ≈ 0.024).
PERSONS = 150
SPREAD_TOL = 0.05
#: Computer Programmers: exposure 0.95 (Eloundou), one of the most exposed occupations.
EXPOSED = "15-1251"


@pytest.fixture(scope="module")
def baseline_path() -> PopulationPath:
    return simulate_population_path(n=N, years=YEARS, seed=SEED)


@pytest.fixture(scope="module")
def strong_ai_path() -> PopulationPath:
    strong = Scenario().with_overrides(parse_assignments(["abar=2"]))
    return simulate_population_path(strong, n=N, years=YEARS, seed=SEED)


def _run(path: PopulationPath, person: Person, seed: int = 3, **kw: object) -> OutlookResult:
    return simulate_person(person, path, replicas=REPLICAS, seed=seed, **kw)  # type: ignore[arg-type]


def test_population_path_rebuilds_the_wage_rule(baseline_path: PopulationPath) -> None:
    assert baseline_path.wage_rule_error < WAGE_RULE_TOLERANCE
    assert baseline_path.income_sorted.shape == (YEARS + 1, N)
    assert np.all(np.diff(baseline_path.wealth_sorted, axis=1) >= 0)


def test_deterministic_for_a_seed(baseline_path: PopulationPath) -> None:
    person = Person("43-4051", 30, 80_000)
    a, b = _run(baseline_path, person), _run(baseline_path, person)
    for key in a.draws:
        np.testing.assert_array_equal(a.draws[key], b.draws[key])
    c = _run(baseline_path, person, seed=4)
    assert not np.array_equal(a.draws["wealth_usd"], c.draws["wealth_usd"])


def test_bands_are_ordered(baseline_path: PopulationPath) -> None:
    res = _run(baseline_path, Person("29-1141", 60, 250_000, ai_asset_share=0.3))
    for v in OutlookResult.VARIABLES:
        b = res.bands(v)
        stack = np.stack([b[k] for k in BANDS])
        assert np.all(np.diff(stack, axis=0) >= 0), v
    for v in ("income_percentile", "wealth_percentile"):
        assert np.all((res.draws[v] >= 0) & (res.draws[v] <= 100))


def test_richer_start_gives_a_higher_wealth_rank_path(baseline_path: PopulationPath) -> None:
    poor = _run(baseline_path, Person("43-4051", 50, 20_000))
    rich = _run(baseline_path, Person("43-4051", 50, 500_000))
    # same shocks (common random numbers): wealth is non-decreasing in its start, replica by
    # replica, so every band is at least as high
    assert np.all(rich.draws["wealth_percentile"] >= poor.draws["wealth_percentile"])
    for k in BANDS:
        assert np.all(rich.bands("wealth_percentile")[k] >= poor.bands("wealth_percentile")[k])
    gap = rich.bands("wealth_percentile")["median"] - poor.bands("wealth_percentile")["median"]
    assert gap[0] > 20 and gap[10] > 5


def test_early_retooling_lifts_an_exposed_low_wage_worker(strong_ai_path: PopulationPath) -> None:
    # both use AI from 2025 (retooling compresses the wage of an adopter: docs/households.md §11)
    early = _run(strong_ai_path, Person(EXPOSED, 10, 20_000, retool_year=2025, adopt_year=2025))
    never = _run(strong_ai_path, Person(EXPOSED, 10, 20_000, retool_year="never", adopt_year=2025))
    # replica by replica (same shocks): compression lifts a below-median wage, so income is
    # higher in every year with AI (a > 0 from 2025 on)
    assert np.all(early.draws["income_usd"] > never.draws["income_usd"])
    e = early.bands("income_percentile")["median"]
    n = never.bands("income_percentile")["median"]
    # measured: +17 points by 2030, +28 by 2050 (ā = 2, 4,000 households)
    assert e[5] - n[5] > 8
    assert e[25] - n[25] > 15
    assert np.all(early.draws["retooled"] == 1) and np.all(never.draws["retooled"] == 0)


def test_retooling_has_no_own_effect_under_the_occupation_rule(
    strong_ai_path: PopulationPath,
) -> None:
    kw = {"wage_rule": "occupation"}
    early = _run(strong_ai_path, Person(EXPOSED, 10, 20_000, retool_year=2025), **kw)
    never = _run(strong_ai_path, Person(EXPOSED, 10, 20_000, retool_year="never"), **kw)
    np.testing.assert_array_equal(early.draws["income_usd"], never.draws["income_usd"])


def test_ai_assets_earn_the_scenarios_concentrated_returns(strong_ai_path: PopulationPath) -> None:
    """AI-complement holdings are concentrated assets: a larger share earns more where the
    scenario's concentrated assets grow faster, and nothing else revalues them."""
    path = strong_ai_path
    runs = {s: _run(path, Person("15-1252", 50, 200_000, ai_asset_share=s)) for s in (0.0, 1.0)}
    ahead = path.growth_concentrated[:5] > path.growth_broad[:5]
    w = {s: np.median(r.draws["wealth_usd"][:, 5]) for s, r in runs.items()}
    assert (w[1.0] >= w[0.0]) == bool(
        np.prod(path.growth_concentrated[:5] / path.growth_broad[:5]) >= 1
    )
    assert ahead.any() or w[1.0] <= w[0.0]


def test_median_wealth_growth_is_bounded_by_the_scenarios_returns(
    strong_ai_path: PopulationPath,
) -> None:
    """The issue's case (a P90 software developer with $2 M, 80% in AI assets, strong AI):
    the median's yearly growth never exceeds the scenario's best growth factor of the assets it
    holds, times the trend growth, plus what saving out of income can add."""
    path = strong_ai_path
    res = _run(path, Person("15-1252", 90, 2_000_000, ai_asset_share=0.8))
    w, inc = res.draws["wealth_usd"], res.draws["income_usd"]
    best = np.maximum(path.growth_broad, path.growth_concentrated)[: w.shape[1] - 1]
    saving = path.labor_saving_rate * np.max(inc[:, :-1] / w[:, :-1], axis=0)
    ratio = np.median(w[:, 1:] / w[:, :-1], axis=0)
    assert np.all(ratio <= np.exp(path.growth_rate) * best + saving + 1e-12)
    # five years on, the median is far from the $12.8 M the market-share revaluation gave
    assert np.median(w[:, 5]) < 2_000_000 * (np.exp(path.growth_rate) * best[:5].max() + 0.05) ** 5


def test_person_reproduces_a_simulated_household() -> None:
    """With the occupation wage rule, a person described as one of the simulated households
    gets that household's 2025 income (the lens uses the household layer's own rules)."""
    res = simulate_households(n=N, years=1, seed=SEED, snapshot_years=[0])
    snap = res.snapshots[0]
    path = simulate_population_path(n=N, years=1, seed=SEED)
    # households of occupations large enough that the lens reads their own retooled share
    counts = snap["occupation"].map(snap["occupation"].value_counts())
    big = np.flatnonzero(counts.to_numpy() >= MIN_OCCUPATION_HOUSEHOLDS)
    assert big.size > 100
    for i in big[[0, 17, 123]]:
        row = snap.iloc[i]
        person = Person(
            str(row["occupation"]),
            float(100 * ndtr(row["skill"])),
            float(row["wealth"] * USD_PER_UNIT),
            # the household's own 2025 adoption (docs/households.md §11)
            adopt_year=2025 if row["adoption"] > 0 else "never",
        )
        out = simulate_person(person, path, replicas=5, seed=1, wage_rule="occupation")
        assert out.draws["income_usd"][0, 0] == pytest.approx(
            row["income"] * USD_PER_UNIT, rel=SAME_RULE
        )
        rank = 100 * (np.sum(snap["income"] < row["income"]) + 0.5) / N
        assert out.draws["income_percentile"][0, 0] == pytest.approx(rank, abs=100 / N)


def test_households_described_as_persons_stay_spread_like_the_population(
    baseline_path: PopulationPath,
) -> None:
    """Persons drawn from the population (occupation, wage rank, wealth) and run through the
    lens keep the population's rank distribution: mean percentile 50, 10% in the top decile.
    Measured with 50,000 households, 300 persons × 200 replicas, 50 years: mean percentiles
    50.4–51.0 and top-decile shares 0.090–0.102 in 2025–2075 (docs/outlook.md)."""
    snap = simulate_households(n=N, years=1, seed=SEED, snapshot_years=[0]).snapshots[0]
    rows = snap.iloc[np.random.default_rng(0).choice(N, PERSONS, replace=False)]
    ranks = []
    for k, row in enumerate(rows.itertuples()):
        person = Person(
            str(row.occupation),
            float(np.clip(100 * ndtr(row.skill), 1e-9, 100 - 1e-9)),
            float(row.wealth * USD_PER_UNIT),
        )
        res = simulate_person(person, baseline_path, replicas=8, seed=k)
        ranks.append(res.draws["wealth_percentile"][:, -1])
        ranks.append(res.draws["income_percentile"][:, -1])
    wealth, income = np.concatenate(ranks[::2]), np.concatenate(ranks[1::2])
    for r in (wealth, income):
        assert abs(r.mean() - 50) < SPREAD_TOL * 100
        assert abs((r > 90).mean() - 0.10) < SPREAD_TOL


def test_find_occupation_formats_and_close_matches() -> None:
    tables = load_calibration_tables()
    j = find_occupation("15-1252", tables)
    assert find_occupation("151252", tables) == j
    assert find_occupation(" 15-1252.00 ", tables) == j
    with pytest.raises(InputError, match="15-1252 Software Developers"):
        find_occupation("15-1259", tables)
    with pytest.raises(InputError, match="15-1252"):
        find_occupation("software developers", tables)


def test_cli_json_schema_files_and_determinism(tmp_path: Path, capsys) -> None:
    args = [
        "outlook",
        "--occupation",
        "43-4051",
        "--wage-percentile",
        "25",
        "--wealth",
        "50000",
        "--retool-year",
        "2028",
        "--ai-asset-share",
        "0.2",
        "--households",
        "2000",
        "--years",
        "10",
        "--replicas",
        "50",
        "--seed",
        "11",
        "--json",
    ]
    assert main([*args, "--out", str(tmp_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in doc.items() if k != "files"} == again
    assert doc["years"] == list(range(2025, 2036))
    for v in ("income_percentile", "wealth_percentile", "income_usd", "wealth_usd"):
        assert set(doc[v]) == {"p10", "p25", "median", "p75", "p90"}
        assert all(len(doc[v][k]) == 11 for k in doc[v])
    person = doc["person"]
    assert person["occupation"] == "43-4051" and person["retool_year"] == 2028
    assert person["title"] == "Customer Service Representatives"
    assert doc["provenance"]["seed"] == 11 and doc["provenance"]["replicas"] == 50
    assert doc["retooled_probability"][2] == 0 and doc["retooled_probability"][3] == 1
    names = {Path(f).name for f in doc["files"]}
    assert names == {"outlook.csv", "outlook.json", "outlook.png", "outlook.svg"}


DOCS = Path(__file__).resolve().parents[2] / "docs" / "outlook.md"


def test_docs_commands_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """The commands of docs/outlook.md run as written (on a small population: options given
    later win)."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    lines = [ln for b in blocks for ln in b.splitlines() if ln.startswith("twochannel outlook")]
    assert len(lines) >= 3
    monkeypatch.chdir(tmp_path)
    small = ["--households", "1000", "--years", "5", "--replicas", "20", "--json"]
    for line in lines:
        args = [a for a in shlex.split(line)[1:] if a != "--json"]
        if "--out" in args:  # the plot is covered by the JSON test
            k = args.index("--out")
            del args[k : k + 2]
        assert main([*args, *small]) == 0, line
        doc = json.loads(capsys.readouterr().out)
        if "strategies" in doc:  # --strategies (docs/outlook.md §6)
            assert doc["strategies"][0]["income_percentile"][0]["year"] == 2025
        else:
            assert doc["years"][0] == 2025


BAD = [
    (["--occupation", "99-9999"], "not in the calibration table"),
    (["--occupation", "15-1259"], "close matches"),
    (["--wage-percentile", "0"], "(0, 100)"),
    (["--wage-percentile", "100"], "(0, 100)"),
    (["--wage-percentile", "-3"], "(0, 100)"),
    (["--wealth", "-1"], "[0, 1e+13]"),
    (["--retool-year", "2024"], "[2025, 2075]"),
    (["--retool-year", "2076"], "[2025, 2075]"),
    (["--retool-year", "soon"], "'never'"),
    (["--ai-asset-share", "1.5"], "[0, 1]"),
    (["--ai-asset-share", "-0.1"], "[0, 1]"),
    (["--households", "0"], "--households"),
    (["--households", "-5"], "--households"),
    (["--wage-rule", "mine"], "--wage-rule"),
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_bad_input_exits_2(change: list[str], message: str, capsys) -> None:
    base = {"--occupation": "43-4051", "--wage-percentile": "25", "--wealth": "50000"}
    base.update(dict(zip(change[::2], change[1::2], strict=True)))
    args = ["outlook", *[x for kv in base.items() for x in kv], "--json"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "error:" in err and message in " ".join(err.split())
