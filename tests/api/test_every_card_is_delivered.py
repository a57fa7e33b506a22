"""Every answer card reaches the patient, through the whole service, for its own first
question: its numbers are found in the passages that back it, so the reviewer keeps it."""

from __future__ import annotations

import re

import httpx
import pytest

from knowledge.answer_cards import AnswerCard, load_cards
from tests.api.conftest import new_conversation
from tests.api.test_review_queue import say

pytestmark = pytest.mark.asyncio(loop_scope="module")
CARDS = load_cards().cards
_MARKERS = re.compile(r"\[\d+\]")


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[。；;！!？?])|(?<=\.)\s", text.strip())[0].rstrip("。；;.")[:24]


@pytest.mark.parametrize("card", CARDS, ids=[c.id for c in CARDS])
async def test_the_card_answers_its_own_question(api: httpx.AsyncClient, card: AnswerCard) -> None:
    question = card.questions["zh"][0]
    cid = await new_conversation(api)
    turn = await say(api, cid, question)
    reply = _MARKERS.sub("", turn["reply"])
    assert _first_sentence(card.answer.zh) in reply, (question, turn["reply"][:200])
