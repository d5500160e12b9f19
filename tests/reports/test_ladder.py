"""'Is the ladder cut?' in run's report (docs/households.md §10): the sentence comes from the
numbers of the two runs."""

from __future__ import annotations

from twochannel.households.mobility import ladder_effect
from twochannel.reports.run import ladder_sentence


def _run(income: float, wealth: float) -> dict[str, object]:
    def window(p: float) -> list[dict[str, object]]:
        return [{"years": 25, "from_year": 2025, "to_year": 2050, "bottom50_to_top10": p}]

    return {"income": window(income), "wealth": window(wealth)}


def test_sentence_states_the_verdict_and_the_numbers() -> None:
    with_ai, without = _run(0.010, 0.030), _run(0.030, 0.031)
    ladder = {v: ladder_effect(with_ai, without, 100_000, v) for v in ("income", "wealth")}
    text = ladder_sentence(ladder)
    assert text.startswith("AI cuts the ladder")
    assert "1.00% with AI against 3.00% without" in text and "-2.00 points" in text
    assert "3.00% against 3.10%" in text
    same = {v: ladder_effect(without, without, 100_000, v) for v in ("income", "wealth")}
    assert ladder_sentence(same).startswith("AI does not measurably cut the ladder")


def test_short_runs_say_so() -> None:
    assert "too short" in ladder_sentence({"income": None, "wealth": None})
