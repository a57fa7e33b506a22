"""The HTTP edge: security headers, HSTS over TLS or by setting, CORS from settings, the docs
off in production, 405 with Allow, and datetimes that keep their time zone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest

from tests.conftest import SettingsFactory, running_app

APP_ORIGIN = "https://app.example.com"


@pytest.fixture
async def api(make_settings: SettingsFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with running_app(make_settings(cors_allowed_origins=[APP_ORIGIN])) as client:
        yield client


@pytest.mark.parametrize("path", ["/healthz", "/v1/conversations/nope", "/openapi.json"])
async def test_every_response_carries_the_security_headers(
    api: httpx.AsyncClient, path: str
) -> None:
    response = await api.get(path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "server" not in response.headers
    assert "strict-transport-security" not in response.headers  # plain http


async def test_hsts_over_tls_or_when_configured(
    api: httpx.AsyncClient, make_settings: SettingsFactory
) -> None:
    over_tls = await api.get("https://test/healthz")
    assert over_tls.headers["strict-transport-security"].startswith("max-age=31536000")
    async with running_app(make_settings(hsts=True)) as configured:
        assert "strict-transport-security" in (await configured.get("/healthz")).headers


async def test_cors_allows_only_the_configured_origins(api: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST"}
    allowed = await api.options("/v1/conversations", headers={"Origin": APP_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == APP_ORIGIN
    other = await api.options(
        "/v1/conversations", headers={"Origin": "https://evil.example", **preflight}
    )
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers
    simple = await api.get("/healthz", headers={"Origin": APP_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == APP_ORIGIN


async def test_no_cors_headers_without_configured_origins(make_settings: SettingsFactory) -> None:
    async with running_app(make_settings()) as plain:
        response = await plain.get("/healthz", headers={"Origin": APP_ORIGIN})
        assert "access-control-allow-origin" not in response.headers


async def test_docs_are_off_in_production_but_the_schema_stays(
    make_settings: SettingsFactory, tmp_path: object
) -> None:
    settings = make_settings(
        environment="production",
        database_url=f"sqlite+aiosqlite:///{tmp_path}/prod.db",
        token_secret="edge-test-" + "0123456789abcdef" * 3,
    )
    async with running_app(settings) as prod:
        assert (await prod.get("/docs")).status_code == 404
        assert (await prod.get("/redoc")).status_code == 404
        assert (await prod.get("/openapi.json")).status_code == 200


async def test_docs_in_development_may_load_their_assets(api: httpx.AsyncClient) -> None:
    docs = await api.get("/docs")
    assert docs.status_code == 200
    assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]


async def test_405_names_the_allowed_methods(api: httpx.AsyncClient) -> None:
    response = await api.delete("/v1/conversations")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_datetimes_in_responses_keep_their_time_zone(api: httpx.AsyncClient) -> None:
    cid = (await api.post("/v1/conversations", json={})).json()["id"]
    await api.post(f"/v1/conversations/{cid}/messages", json={"content": "你好"})
    conversation = (await api.get(f"/v1/conversations/{cid}")).json()
    stamps = [conversation["created_at"], *(m["created_at"] for m in conversation["messages"])]
    assert len(stamps) == 3
    for stamp in stamps:
        assert datetime.fromisoformat(stamp).utcoffset() is not None, stamp
