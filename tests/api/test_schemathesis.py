"""schemathesis over the OpenAPI document, against the app in-process (ASGI), every check
(server errors, status-code and response-schema conformance, content types, headers, negative
data rejected, positive data accepted), positive and negative data, bounded examples. Each
case is sent with a credential its operation admits (``x-hm-access``); the 401s of missing or
fuzzed credentials are ``test_isolation.py``'s, the 5xx sweep over every role is
``test_fuzz.py``'s.

One refinement of "positive data accepted": a request the schema allows may still break a
domain rule the schema cannot state (a coverage larger than the cost, an amount no lender
covers, a referral without a basis); it is refused with a 422 that carries the rule's own code.
What must never happen is the *schema layer* refusing schema-valid data: a positive case answered
``invalid_request`` fails, exactly as in schemathesis' own check."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from core.settings import Settings
from tests.conftest import running_app
from tests.helpers.auth import patient_headers, staff_headers

MAX_EXAMPLES = 6

_data_dir = Path(tempfile.mkdtemp(prefix="hm-schemathesis-"))
_settings = Settings(  # type: ignore[call-arg]
    _env_file=None,
    environment="test",
    data_dir=_data_dir,  # the app's lifespan builds the knowledge index there (shipped vectors)
    redis_url=None,
    database_url=None,
    checkpoint_url=None,
    rate_limit_per_minute=100_000,
    key_rate_limit_per_minute=100_000,
    tenant_rate_limit_per_minute=100_000,
)


async def _credentials() -> dict[str, dict[str, str]]:
    """One principal of each kind, made in the app's database (patient and staff tokens are
    signed: they stay valid for the app under test, which shares that database)."""
    async with running_app(_settings) as api:
        patient = (await api.post("/v1/patients", json={"patient_ref": "st-p"})).json()["id"]
        return {
            "key": {"Authorization": api.headers["authorization"]},
            "manager": await staff_headers(api, "manager"),
            "auditor": await staff_headers(api, "auditor"),
            "patient": patient_headers(api, patient),
        }


_by_role = asyncio.run(_credentials())
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_settings))
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
)


@pytest.mark.slow
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    access = case.operation.definition.raw.get("x-hm-access") or {}
    roles = access.get("roles") or ["key"]
    role = next(r for r in ("key", "manager", "patient", "auditor") if r in roles)
    case.call_and_validate(
        headers=_by_role[role],
        excluded_checks=[positive_data_acceptance],
        additional_checks=[positive_data_accepted_unless_a_domain_rule_refuses],
    )


def positive_data_accepted_unless_a_domain_rule_refuses(
    ctx: Any, response: Any, case: schemathesis.Case
) -> bool | None:
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 422:
        code = response.json()["error"]["code"]
        if code != "invalid_request":  # a domain rule's refusal, with its own code
            return None
    return positive_data_acceptance(ctx, response, case)
