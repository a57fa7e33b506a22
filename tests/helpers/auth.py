"""Credentials for tests, made the way a deployment makes them (service calls + sign-in).

``running_app`` gives every test client a key of the ``default`` tenant (all scopes) as its
default ``Authorization``; the helpers here give other principals' headers.
"""

from __future__ import annotations

import uuid

import httpx

from api.container import Container
from api.services import principals
from core import credentials

PASSWORD = "correct horse battery staple"


def _container(api: httpx.AsyncClient) -> Container:
    found: Container = api.app.state.container  # type: ignore[attr-defined]
    return found


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def new_key(api: httpx.AsyncClient, tenant: str, scopes: list[str] | None = None) -> str:
    async with _container(api).sessions() as session:
        created = await principals.create_api_key(session, tenant, name="test", scopes=scopes)
        await session.commit()
    return created.key


async def tenant_headers(api: httpx.AsyncClient, tenant: str) -> dict[str, str]:
    """A key of ``tenant`` (made once per app and tenant)."""
    keys: dict[str, str] = api.tenant_keys  # type: ignore[attr-defined]
    if tenant not in keys:
        keys[tenant] = await new_key(api, tenant)
    return bearer(keys[tenant])


def patient_headers(
    api: httpx.AsyncClient, patient_id: str, tenant: str = "default"
) -> dict[str, str]:
    """A patient token for ``patient_id``, signed as ``POST .../patient-tokens`` signs one."""
    settings = _container(api).settings
    token = credentials.sign_token(
        "patient",
        settings.token_secret.get_secret_value(),
        600,
        {"tid": tenant, "pid": patient_id, "sub": patient_id},
    )
    return bearer(token)


async def staff_headers(
    api: httpx.AsyncClient, role: str = "manager", tenant: str = "default"
) -> dict[str, str]:
    """A new console account of ``role``, signed in through ``POST /v1/auth/login``."""
    return (await _sign_in(api, role, tenant))[1]


async def new_account(
    api: httpx.AsyncClient, role: str = "manager", tenant: str = "default"
) -> str:
    username = f"{role}-{uuid.uuid4().hex[:8]}"
    async with _container(api).sessions() as session:
        await principals.create_user(session, tenant, username, PASSWORD, role)  # type: ignore[arg-type]
        await session.commit()
    return username


async def _sign_in(api: httpx.AsyncClient, role: str, tenant: str) -> tuple[str, dict[str, str]]:
    username = await new_account(api, role, tenant)
    response = await api.post(
        "/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        headers={"Authorization": ""},
    )
    assert response.status_code == 200, response.text
    api.cookies.clear()  # the shared client stays a key client; the token is the credential
    return username, bearer(response.json()["access_token"])


async def staff_client(
    api: httpx.AsyncClient, role: str = "manager", tenant: str = "default", slot: str = ""
) -> httpx.AsyncClient:
    """A client of the same app signed in as a console ``role`` of ``tenant`` (one per app,
    role, tenant and ``slot``)."""
    clients: dict[tuple[str, str, str], httpx.AsyncClient] = api.staff_clients  # type: ignore[attr-defined]
    if (role, tenant, slot) not in clients:
        username, headers = await _sign_in(api, role, tenant)
        client = httpx.AsyncClient(transport=api._transport, base_url=api.base_url, headers=headers)
        client.app = api.app  # type: ignore[attr-defined]
        client.username = username  # type: ignore[attr-defined]
        clients[role, tenant, slot] = client
    return clients[role, tenant, slot]


async def manager(api: httpx.AsyncClient, tenant: str = "default") -> httpx.AsyncClient:
    return await staff_client(api, "manager", tenant)
