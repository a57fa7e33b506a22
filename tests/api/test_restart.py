"""A conversation survives a real server stop and restart: history and graph state intact."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.helpers.server import create_key, free_port, hm_env, start_server, stop_server


@pytest.mark.slow
def test_conversation_continues_after_restart(tmp_path: Path, kb_index_dir: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = hm_env(tmp_path, kb_index_dir)
    key = {"Authorization": f"Bearer {create_key(env)}"}  # hm keys create on a fresh install
    server = start_server(env, port)
    try:
        assert httpx.post(f"{base}/v1/conversations", json={}).status_code == 401
        cid = httpx.post(f"{base}/v1/conversations", json={}, headers=key).json()["id"]
        first = httpx.post(
            f"{base}/v1/conversations/{cid}/messages",
            headers=key,
            timeout=30,
            json={"content": "化疗要花5万元，医保报销一半，可以分期吗？"},
        ).json()
        assert "收入" in first["reply"]  # asks for income: the graph now holds a pending intent
    finally:
        stop_server(server)

    server = start_server(env, port)
    try:
        second = httpx.post(
            f"{base}/v1/conversations/{cid}/messages",
            timeout=30,
            json={"content": "8000"},
            headers=key,
        ).json()
        # The pending intent and its slots came back from the checkpoint after the restart.
        assert [c["name"] for c in second["tool_calls"]] == ["compute_payment_plans"]
        args = second["tool_calls"][0]["arguments"]
        assert args["total_cost"] == 50000 and args["monthly_income"] == 8000
        messages = httpx.get(f"{base}/v1/conversations/{cid}", headers=key).json()["messages"]
        assert [m["role"] for m in messages] == ["patient", "assistant"] * 2
    finally:
        stop_server(server)
