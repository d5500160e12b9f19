"""Property-based requests generated from the OpenAPI spec: no 5xx, no schema violation."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from twochannel.web import create_app
from twochannel.web.config import ServeConfig

#: Tight caps: generated household runs stay small.
APP = create_app(ServeConfig(max_households=2000, max_years=20, warm_up=False))
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_spec(case):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
