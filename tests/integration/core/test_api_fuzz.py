"""schemathesis against /api/v1/openapi.json: no server error, and no response that contradicts
the schema, for generated valid and invalid requests with a valid HR admin token."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

_token: dict[str, str] = {}


class BearerOfTheTestOrganisation:
    """The token comes through schemathesis's auth hook, so it knows the security header is
    supplied (and does not count a case it stripped of that header as wrongly accepted)."""

    def get(self, case, context):
        return _token["value"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.auth(refresh_interval=None)(BearerOfTheTestOrganisation)
    return schema


# Hundreds of requests inside one rolled-back outer transaction pile up locks until PostgreSQL's
# lock table overflows; the fuzzer's requests commit for real instead, in their own organisation.
pytestmark = pytest.mark.committed


@pytest.fixture
def fuzz_token(app, make_org):
    """An HR admin of a fresh organisation (set before schemathesis generates cases); everything
    the fuzzer wrote is removed afterwards (as after every committed test)."""
    org = make_org("fuzz")
    _token["value"] = org.admin.token
    return org.admin.token


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_conforms_to_its_schema(case, fuzz_token):
    # Every check runs except "schema-valid data must be accepted": a well-formed request that
    # names, say, a manager id that does not exist in this organisation is rightly a 422 with a
    # field message, which the schema alone cannot express.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def test_openapi_document_is_valid_3_1(app):
    from openapi_spec_validator import validate

    document = app.test_client().get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
