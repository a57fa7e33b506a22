"""The admin CLI: hm tenants / keys / users / dev setup, and the keys it makes work over HTTP."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.cli.main import main
from core.settings import get_settings
from tests.conftest import SettingsFactory, running_app
from tests.helpers.auth import bearer


@pytest.fixture
def cli_env(tmp_path: Path, kb_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HM_KB_INDEX_DIR", str(kb_index_dir))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    code = main(list(argv))
    out = capsys.readouterr().out
    try:
        return code, json.loads(out)
    except json.JSONDecodeError:
        return code, out


def test_tenants_keys_and_users(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, key = run(capsys, "keys", "create", "--tenant", "default", "--json")  # fresh install
    assert code == 0 and key["key"].startswith("hm_") and key["tenant_id"] == "default"
    assert sorted(key["scopes"]) == sorted(
        ["admin", "care", "chat", "knowledge", "patient_tokens", "tools"]
    )
    code, made = run(
        capsys, "tenants", "create", "acme-health", "--name", "Acme", "--kind", "insurer", "--json"
    )
    assert code == 0 and made == {"id": "acme-health", "name": "Acme", "kind": "insurer"}
    assert main(["tenants", "create", "acme-health"]) == 2  # exists: a clear error, exit 2
    capsys.readouterr()
    code, tenants = run(capsys, "tenants", "list", "--json")
    assert {"default", "acme-health"} <= {t["id"] for t in tenants}
    code, scoped = run(
        capsys, "keys", "create", "--tenant", "acme-health", "--scope", "chat", "--json"
    )
    assert scoped["scopes"] == ["chat"]
    code, listed = run(capsys, "keys", "list", "--tenant", "acme-health", "--json")
    assert [k["id"] for k in listed] == [scoped["id"]] and "key" not in listed[0]
    code, revoked = run(capsys, "keys", "revoke", scoped["id"], "--json")
    assert code == 0 and revoked["revoked_at"]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code, user = run(
        capsys,
        "users",
        "create",
        "--tenant",
        "acme-health",
        "--username",
        "li",
        "--role",
        "auditor",
        "--password-stdin",
        "--json",
    )
    assert code == 0 and user["role"] == "auditor"
    assert main(["keys", "create", "--tenant", "nope"]) == 2


async def test_dev_setup_prints_a_working_key_manager_and_patient_link(
    cli_env: Path, capsys: pytest.CaptureFixture[str], make_settings: SettingsFactory
) -> None:
    code, dev = await asyncio.to_thread(run, capsys, "dev", "setup", "--json")
    assert code == 0
    assert dev["patient_link"].startswith("http://127.0.0.1:8000/app/#token=")
    token = dev["patient_link"].split("#token=", 1)[1]
    async with running_app(make_settings(data_dir=cli_env)) as api:
        me = (await api.get("/v1/auth/me", headers=bearer(dev["api_key"]))).json()
        assert me["role"] == "key" and me["tenant_id"] == "default"
        patient = (await api.get("/v1/auth/me", headers=bearer(token))).json()
        assert patient["role"] == "patient" and patient["patient_id"]
        signed = await api.post(
            "/v1/auth/login",
            json=dev["manager"],
            headers={"Authorization": ""},
        )
        assert signed.status_code == 200 and signed.json()["role"] == "manager"
