"""Every endpoint through FastAPI's test client: shapes, validation text, caps, 413, cache."""

from __future__ import annotations

import json
import time

import pytest

import twochannel as tc
from twochannel.macro.simulate import solve_path
from twochannel.web.app import create_app
from twochannel.web.config import ServeConfig

API = "/api/v1"


def test_health_params_presets_levers(client):
    h = client.get(f"{API}/health").json()
    assert h["status"] == "ok" and h["version"] == tc.__version__
    assert h["caps"]["max_households"] == 20_000
    params = client.get(f"{API}/params").json()
    assert params["retooling_rate"]["key"] == "rhoR"
    assert params["retooling_rate"]["unit"] == "1/yr"
    presets = client.get(f"{API}/presets").json()["presets"]
    names = {p["name"] for p in presets}
    assert {"baseline", "transformative", "alaska-fund"} <= names
    assert all("path" not in p for p in presets)
    levers = client.get(f"{API}/levers").json()
    assert "stake" in levers["sovereign_fund"]["fields"]
    occ = client.get(f"{API}/occupations", params={"q": "43-40"}).json()["occupations"]
    assert any(o["soc"] == "43-4051" for o in occ)


def test_simulate_matches_library_and_cli_shape(client):
    r = client.post(f"{API}/simulate", json={"set": {"rhoR": 0.03}, "years": 50})
    assert r.status_code == 200
    body = r.json()
    ds = solve_path(tc.Scenario().with_overrides({"rhoR": 0.03}), 50)
    assert body["selected_regime"] == ds.attrs["selected_regime"] == "asset"
    assert body["final"]["top1_share"] == float(ds.top1_share.values[-1])
    assert body["path"]["top1_share"] == ds.top1_share.values.tolist()
    assert {"selected_regime", "final", "path", "regime_existence", "saddle_top1_share"} <= set(
        body
    )
    assert "files" not in body


def test_simulate_with_policy_has_no_local_paths(client):
    r = client.post(f"{API}/simulate", json={"policy": "alaska-fund", "years": 30})
    assert r.status_code == 200
    text = r.text
    assert "/presets/" not in text and "site-packages" not in text and "/home" not in text
    body = r.json()
    assert body["scenario"] == "transformative"  # the package's own scenario, as in the CLI
    assert body["policy"]["source"] == "alaska-fund.toml"
    assert "budget" in body


def test_inline_scenario_and_policy(client):
    body = {
        "scenario": {"name": "mine", "parameters": {"sigma": 1.3}, "ai_path": {"kind": "step"}},
        "policy": {"name": "fund", "levers": {"sovereign_fund": {"stake": 0.3}}},
        "years": 20,
    }
    r = client.post(f"{API}/simulate", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["scenario"] == "mine"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({"set": {"rhoR": -1}}, "outside the allowed range [0, 10]"),
        ({"set": {"rhoR": "fast"}}, "has the wrong type: expected a number in [0, 10] [1/yr]"),
        ({"set": {"rhoo": 0.1}}, "unknown parameter 'rhoo' (did you mean 'rhoR'?)"),
        ({"scenario": "/etc/passwd"}, "is not a scenario preset"),
        ({"scenario": "nope"}, "is not a scenario preset"),
        ({"policy": "nope"}, "is not a policy preset"),
        ({"policy": {"levers": {"sovereign_fund": {"stake": 2}}}}, "lever 'sovereign_fund'"),
        (
            {"years": 301},
            "above this server's cap of 300 (set with 'twochannel serve --max-years')",
        ),
        ({"engine": "agents"}, "POST them to /api/v1/jobs"),
    ],
)
def test_validation_422_with_cli_text(client, body, text):
    r = client.post(f"{API}/simulate", json=body)
    assert r.status_code == 422
    msg = r.json()["error"]
    assert text in msg
    assert r.json()["detail"][0]["msg"] == msg


def test_cli_and_api_error_text_agree(client, capsys):
    from twochannel.cli import main

    assert main(["simulate", "--set", "rhoR=-1", "--json"]) == 2
    cli = capsys.readouterr().err
    api = client.post(f"{API}/simulate", json={"set": {"rhoR": -1}}).json()["error"]
    core = (
        "parameter 'retooling_rate' (rhoR, ρ_R) = -1.0 is outside the allowed range [0, 10] [1/yr]"
    )
    assert core in api and core in " ".join(cli.split())


def test_malformed_and_oversize(client):
    r = client.post(
        f"{API}/simulate", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422
    big = json.dumps({"set": {"rhoR": 0.1}, "pad": "x" * 1_100_000})
    r = client.post(f"{API}/simulate", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.get(f"{API}/health").status_code == 200


def test_steady_regime_window_bifurcation_map(client):
    r = client.post(f"{API}/steady", json={"retooled_share": 1.0})
    assert r.status_code == 200 and "steady_states" in r.json()
    reg = client.post(f"{API}/regime", json={}).json()
    crit = tc.solve_critical_retooling_rate(tc.Scenario())
    assert reg["critical_retooling_rate"] == crit.json_rate()
    assert reg["sharp_limit"]["S_c"] == pytest.approx(0.4)
    w = client.post(f"{API}/window", json={"policy": "alaska-fund"}).json()
    assert w["status"] == "window" and 2025 < w["latest_enactment_year"] < 2040
    assert w["sentence"].startswith("Enacted by")
    assert client.post(f"{API}/window", json={}).status_code == 422
    b = client.post(f"{API}/bifurcation", json={"param": "abar", "n": 21}).json()
    assert b["param"] == "long_run_ai_level" and len(b["branches"]["value"]) >= 21
    m = client.post(f"{API}/map", json={"nx": 4, "ny": 3}).json()
    assert len(m["selected"]) == 3 and len(m["selected"][0]) == 4
    assert client.post(f"{API}/map", json={"nx": 100}).status_code == 422


def test_cache_by_canonical_request(client):
    body = {"set": {"sigma": 1.25, "rhoR": 0.08}, "years": 40}
    first = client.post(f"{API}/simulate", json=body)
    t = time.perf_counter()
    # same request, keys in another order: one canonical hash
    again = client.post(f"{API}/simulate", json={"years": 40, "set": {"rhoR": 0.08, "sigma": 1.25}})
    assert time.perf_counter() - t < 0.5
    assert again.content == first.content


def test_compare_and_outlook_small(client):
    c = client.post(
        f"{API}/compare", json={"reform": "alaska-fund", "households": 1000, "years": 5}
    )
    assert c.status_code == 200, c.text
    assert {"regime", "final", "paths", "sentence"} <= set(c.json())
    o = client.post(
        f"{API}/outlook",
        json={
            "occupation": "43-4051",
            "wage_percentile": 40,
            "wealth": 20000,
            "households": 1000,
            "years": 5,
            "replicas": 20,
        },
    )
    assert o.status_code == 200, o.text
    assert len(o.json()["years"]) == 6
    bad = client.post(
        f"{API}/outlook",
        json={"occupation": "43-4051", "wage_percentile": 140, "wealth": 0, "years": 5},
    )
    assert bad.status_code == 422 and "(0, 100)" in bad.json()["error"]
    cap = client.post(f"{API}/compare", json={"reform": "esop", "households": 10**7, "years": 5})
    assert cap.status_code == 422
    assert "cap of 20,000 (set with 'twochannel serve --max-households')" in cap.json()["error"]


def _wait(client, job_id, timeout=120.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        j = client.get(f"{API}/jobs/{job_id}").json()
        if j["status"] not in ("queued", "running"):
            return j
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_decompose_job_matches_the_library(client):
    from twochannel.lab.decompose import solve_decomposition

    body = {"kind": "decompose", "scenario": "transformative", "households": 2000, "years": 8,
            "seed": 4}  # fmt: skip
    r = client.post(f"{API}/jobs", json=body)
    assert r.status_code == 202
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done" and job["progress"] == 1.0
    got = job["result"]
    want = solve_decomposition(
        tc.resolve_scenario("transformative"), households=2000, years=8, seed=4
    ).to_dict()
    for k in ("gini_income", "top1_share"):
        assert got[k]["labor_channel"] == pytest.approx(want[k]["labor_channel"], abs=1e-15)
        assert got[k]["asset_channel"] == pytest.approx(want[k]["asset_channel"], abs=1e-15)
    assert got["headline"] == want["headline"]
    cap = client.post(f"{API}/jobs", json={**body, "households": 10**8})
    assert cap.status_code == 422 and "--max-households" in cap.json()["error"]


def test_household_job_progress_result_and_cache(client):
    body = {"kind": "simulate", "households": 2000, "years": 10, "seed": 7}
    r = client.post(f"{API}/jobs", json=body)
    assert r.status_code == 202
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done" and job["progress"] == 1.0
    res = job["result"]
    direct = tc.simulate_households(tc.Scenario(), n=2000, years=10, seed=7)
    assert res["final"]["top1_share"] == float(direct.panel.top1_share.values[-1])
    again = client.post(f"{API}/jobs", json=body).json()
    assert again["id"] == job["id"] and again["cached"] is True
    assert client.get(f"{API}/jobs/nope").status_code == 404
    assert any(j["id"] == job["id"] for j in client.get(f"{API}/jobs").json()["jobs"])


def test_job_cancel_and_caps(client):
    r = client.post(f"{API}/jobs", json={"kind": "simulate", "households": 20_000, "years": 300})
    jid = r.json()["id"]
    client.delete(f"{API}/jobs/{jid}")
    assert _wait(client, jid)["status"] == "cancelled"
    r = client.post(f"{API}/jobs", json={"kind": "simulate", "households": 50_000})
    assert r.status_code == 422 and "--max-households" in r.json()["error"]
    r = client.post(f"{API}/jobs", json={"kind": "nothing"})
    assert r.status_code == 422


def test_store_read_only(tmp_path):
    """serve --store shows a finished experiment store, summarised as experiment report does."""
    from fastapi.testclient import TestClient

    from twochannel.lab.experiments.analysis import summarize
    from twochannel.lab.experiments.runner import run_experiment
    from twochannel.lab.experiments.spec import parse_experiment
    from twochannel.lab.experiments.store import open_results

    spec = parse_experiment(
        {
            "experiment": {"name": "web-store", "engine": "ishigami", "sampler": "sobol",
                           "n": 64, "seed": 3},
            "uncertainties": {f"x{i}": {"low": -3.0, "high": 3.0} for i in (1, 2, 3)},
        },
        "test",
    )  # fmt: skip
    store = tmp_path / "runs.duckdb"
    run_experiment(spec, store, workers=0)
    expected = summarize(open_results(store))
    app = create_app(ServeConfig(store=store, warm_up=False))
    with TestClient(app) as c:
        s = c.get(f"{API}/store").json()
        assert s["name"] == "web-store" and s["store"] == "runs.duckdb"
        assert s["n_runs"] == expected["n_runs"]
        assert s["sobol"]["x1"]["ST"] == pytest.approx(expected["sobol"]["x1"]["ST"])
        assert str(tmp_path) not in json.dumps(s)  # no local paths in answers
    with TestClient(create_app(ServeConfig(warm_up=False))) as c:
        assert c.get(f"{API}/store").status_code == 404


def test_page_and_static_offline(client):
    page = client.get("/")
    assert page.status_code == 200 and "<title>twochannel playground</title>" in page.text
    assert "http" not in page.text.split("<body>")[0].replace("http-equiv", "")  # no CDN
    js = client.get("/static/plotly.min.js")
    assert js.status_code == 200 and len(js.content) > 1_000_000
    assert client.get("/static/app.js").status_code == 200
    assert client.get(f"{API}/openapi.json").json()["info"]["title"] == "twochannel"
    assert client.get(f"{API}/docs").status_code == 200
