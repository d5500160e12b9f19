"""The page in a real browser: Debian's Chromium driven by Playwright (never a downloaded
browser). Screenshots go to test-artifacts/web/ (docs/playground.md uses them)."""

from __future__ import annotations

import re

import pytest

import twochannel as tc
from twochannel.lab.window import solve_window
from twochannel.macro.simulate import solve_path
from twochannel.params.presets import resolve_scenario

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
TIMEOUT = 120_000  # ms; the first request may load the compiled kernels


def _ready(page, after: str = "0") -> str:
    page.wait_for_function(
        "a => document.body.dataset.ready && document.body.dataset.ready !== a",
        arg=after,
        timeout=TIMEOUT,
    )
    return page.evaluate("document.body.dataset.ready")


def _slide(page, key: str, value: float) -> None:
    page.eval_on_selector(
        f"#p-{key}",
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }",
        value,
    )


def test_slider_across_the_critical_rate_changes_regime(page, live_server):
    page.goto(live_server.url + "/")
    seq = _ready(page)
    headline = page.inner_text("#headline")
    assert headline.startswith("Stays in the labor regime"), headline
    assert page.get_attribute("#chart-top1", "data-regime") == "labor"
    crit = tc.solve_critical_retooling_rate(tc.Scenario()).rate
    page.screenshot(path=str(ARTIFACTS / "playground-labor.png"), full_page=True)
    _slide(page, "rhoR", round(crit - 0.004, 4))  # just below ρ_R^crit
    seq = _ready(page, seq)
    headline = page.inner_text("#headline")
    assert headline.startswith("Locks in by"), headline
    assert f"retool faster than {100 * crit:.1f}%/yr" in headline
    assert page.get_attribute("#chart-top1", "data-regime") == "asset"
    assert "asset regime" in (page.text_content("#chart-top1 .gtitle") or "")
    assert "rhoR=0.0549" in page.url  # the state is in the address bar
    page.screenshot(path=str(ARTIFACTS / "playground-asset.png"), full_page=True)
    assert not page.errors


def test_shared_link_restores_state_and_numbers(page, live_server):
    """Parity: the numbers the page shows equal the library's for the same link."""
    link = "/?v=1&scenario=baseline&rhoR=0.045&policy=alaska-fund&sovereign_fund.stake=0.3"
    page.goto(live_server.url + link)
    _ready(page)
    assert page.input_value("#scenario") == "baseline"
    assert page.input_value("#policy") == "alaska-fund"
    assert float(page.input_value("#n-rhoR")) == 0.045
    assert float(page.input_value("#l-sovereign_fund-stake")) == 0.3
    sc = resolve_scenario("baseline").with_overrides({"rhoR": 0.045})
    raw = {
        "name": "alaska-fund (edited)",
        "enact_year": 2027,
        "phase_in": 5,
        "levers": {"sovereign_fund": {"stake": 0.3, "payout_rate": 0.05, "leakage": 0.05}},
    }
    from twochannel.levers.package import parse_policy

    pkg = parse_policy(raw, "policy")
    ds = solve_path(sc, 100, policy=pkg)
    final = float(ds.top1_share.values[-1])
    assert page.inner_text("#v-regime") == ds.attrs["selected_regime"]
    assert page.inner_text("#v-final-top1") == f"{final:.4f} (2125)"
    assert page.inner_text("#v-saddle") == f"{ds.attrs['saddle_top1_share']:.4f}"
    crit = tc.solve_critical_retooling_rate(sc).rate
    shown = page.inner_text("#v-crit")
    assert re.fullmatch(r"\d+\.\d+%/yr", shown) and abs(float(shown[:-4]) - 100 * crit) < 0.05
    win = solve_window(sc, pkg, factors=None).central
    assert win.latest_enactment_year is not None
    assert page.inner_text("#v-window") == f"enact by {win.year_text}"
    # copy link reproduces the same state
    page.click("#copy-link")
    copied = page.evaluate("document.body.dataset.copied")
    assert "sovereign_fund.stake=0.3" in copied and "v=1" in copied and "rhoR=0.045" in copied
    page.click("#copy-cli")
    cli = page.evaluate("document.body.dataset.copied")
    assert "twochannel simulate --scenario baseline --set rhoR=0.045" in cli
    assert "stake = 0.3" in cli
    page.screenshot(path=str(ARTIFACTS / "playground-shared-link.png"), full_page=True)
    assert not page.errors


def test_household_job_reaches_100_percent(page, live_server):
    page.goto(live_server.url + "/")
    _ready(page)
    page.fill("#hh-n", "2000")
    page.fill("#hh-years", "20")
    page.click("#run-hh")
    page.wait_for_function(
        "document.getElementById('hh-pct').textContent.startsWith('100%')", timeout=TIMEOUT
    )
    page.wait_for_function(
        "document.getElementById('hh-result').textContent.includes('households')", timeout=TIMEOUT
    )
    assert page.eval_on_selector("#hh-bar", "el => el.value") == 1
    assert "2,000 households" in page.inner_text("#hh-result")
    page.screenshot(path=str(ARTIFACTS / "playground-households.png"), full_page=True)
    assert not page.errors
