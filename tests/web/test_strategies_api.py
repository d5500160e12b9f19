"""The personal lens's strategies in the web API (docs/outlook.md §6): the same JSON as
``twochannel outlook --strategies --json``."""

from __future__ import annotations

API = "/api/v1"


def test_outlook_strategies_small(client):
    r = client.post(
        f"{API}/outlook",
        json={
            "occupation": "43-4051",
            "wage_percentile": 40,
            "wealth": 20000,
            "households": 1000,
            "years": 6,
            "replicas": 20,
            "strategies": True,
            "adopt_year": 2026,
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    names = [s["name"] for s in body["strategies"]]
    assert names[0] == "retool now (2025)" and "never adopt AI" in names
    assert len(body["strategies"][0]["income_percentile"]) == 7
    assert {"choice", "instead_of", "mean_income_percentile_points"} <= set(body["moves"][0])
