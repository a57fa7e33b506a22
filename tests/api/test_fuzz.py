"""schemathesis against the authenticated API, in process, bounded: 0 server errors.

schemathesis generates requests from ``/openapi.json`` (valid and edge-case bodies, paths and
queries for every operation); each is sent, with a credential the operation admits, to the real
app (with its lifespan) over ASGI. Any 5xx fails the test and lists the request.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import patient_headers, staff_headers

pytestmark = pytest.mark.slow
EXAMPLES_PER_OPERATION = 12
BUDGET_S = 60.0


def _cases(operation: Any) -> list[Any]:
    found: list[Any] = []

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def collect(case: Any) -> None:
        found.append(case)

    collect()
    return found


def _request(case: Any, headers: dict[str, str]) -> dict[str, Any]:
    kwargs = case.as_transport_kwargs(base_url="http://test")
    generated = {
        k: str(v)
        for k, v in (kwargs.get("headers") or {}).items()
        if k.lower() not in ("authorization", "cookie", "content-length")
    }
    sent = {**generated, **headers}  # the credential is ours (fuzzed ones are the 401 tests')
    request: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        "headers": sent,
        "params": kwargs.get("params"),
    }
    if kwargs.get("json") is not None:
        request["content"] = json.dumps(kwargs["json"])
        request["headers"]["content-type"] = "application/json"
    elif kwargs.get("data") is not None:
        request["content"] = kwargs["data"]
    return request


async def test_no_server_errors(make_settings: SettingsFactory) -> None:
    limits = {"key_rate_limit_per_minute": 100_000, "tenant_rate_limit_per_minute": 100_000}
    async with running_app(make_settings(**limits)) as api:
        document = (await api.get("/openapi.json")).json()
        patient = (await api.post("/v1/patients", json={"patient_ref": "fuzz-p"})).json()["id"]
        by_role = {
            "key": dict(api.headers),
            "manager": await staff_headers(api, "manager"),
            "auditor": await staff_headers(api, "auditor"),
            "patient": patient_headers(api, patient),
        }
        schema = schemathesis.openapi.from_dict(document)
        started, sent, failures = time.monotonic(), 0, []
        statuses: dict[int, int] = {}
        for result in schema.get_all_operations():
            operation = result.ok()
            access = document["paths"][operation.path][operation.method.lower()]["x-hm-access"]
            roles = access["roles"] or ["key"]
            headers = by_role[
                next(r for r in ("key", "manager", "patient", "auditor") if r in roles)
            ]
            for case in _cases(operation):
                request = _request(case, headers)
                try:
                    response = await api.request(**request)
                except (httpx.InvalidURL, UnicodeEncodeError):
                    continue  # a request httpx itself refuses to send never reached the app
                sent += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    failures.append((request["method"], request["url"], response.text[:200]))
            assert time.monotonic() - started < BUDGET_S * 2, "fuzzing ran far over its budget"
    print(f"schemathesis: {sent} requests in {time.monotonic() - started:.1f} s: {statuses}")
    assert sent > 100 and failures == []
    assert sum(n for s, n in statuses.items() if s < 300) > 30, statuses  # not all refused
    assert statuses.get(401, 0) < sent / 10, statuses  # the credentials were accepted
