"""``hm chat``: talk to the agent in-process, interactively or one message at a time."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from api.container import Container, build_container
from api.schemas import ConversationCreate, MessageCreate
from api.services import conversations
from api.services.records import seed_tenants
from core.schemas import TurnResult
from core.settings import get_settings


def register(sub: Any) -> None:
    parser: argparse.ArgumentParser = sub.add_parser("chat", help="chat with the agent")
    parser.add_argument("--message", "-m", help="send one message, print the turn, exit")
    parser.add_argument("--conversation", help="continue this conversation id")
    parser.add_argument("--tenant", default="default", help="tenant id (default: default)")
    parser.add_argument("--json", action="store_true", help="print the turn result as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    async with build_container(get_settings()) as c:
        await asyncio.to_thread(c.knowledge.ensure_index)
        async with c.sessions() as session:
            await seed_tenants(session)
        conversation_id = (
            args.conversation
            or (await conversations.create_conversation(c, args.tenant, ConversationCreate())).id
        )
        scope = await conversations.open_conversation(c, args.tenant, conversation_id)
        if args.message is not None:
            result = await _send(c, scope, args.message)
            _print(result, args.json)
            return 0
        print(f"conversation {conversation_id} — type your message, Ctrl-D to quit")
        while True:
            try:
                text = input("you> ").strip()
            except EOFError:
                return 0
            if text:
                _print(await _send(c, scope, text), args.json)


async def _send(c: Container, scope: conversations.ConversationScope, text: str) -> TurnResult:
    return await conversations.post_message(c, scope, MessageCreate(content=text))


def _print(result: TurnResult, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    print(f"assistant> {result.reply}")
    for i, citation in enumerate(result.citations, 1):
        print(f"  [{i}] {citation.title} — {citation.source} ({citation.year}), {citation.section}")
    for card in result.cards:
        print(f"  [card: {card.type}]")
    if result.safety.escalated:
        print("  !! escalated to the health manager", file=sys.stderr)
    print(
        f"  review: {result.review.verdict}" + "".join(f" {r.code}" for r in result.review.reasons)
    )
