"""The semantic layer's learned heads: shipped for the bundled embedder, loaded strictly, and
voting through the layer with the reason naming them (our own phrasings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigurationError
from core.text import normalise
from tests.helpers.semantic import EMBEDDER_NAME, detector, embed
from tools.triage import TriageRequest, triage
from tools.triage.learned import HEADS_PATH, WEIGHTS_PATH, load_heads

NAME = EMBEDDER_NAME


def test_heads_ship_for_the_bundled_embedder_and_give_probabilities() -> None:
    heads = load_heads(NAME)
    assert heads is not None and heads.dim == 384
    assert 0.5 <= heads.thresholds.crisis <= 1.0 and 0.5 <= heads.thresholds.emergency <= 1.0
    scores = heads.scores(embed(normalise("今天天气不错，想问问高血压饮食")))
    assert 0.0 <= scores.emergency <= 1.0 and 0.0 <= scores.crisis <= 1.0
    assert scores.emergency < heads.thresholds.emergency  # an ordinary question stays silent


def test_heads_of_another_embedder_are_not_used() -> None:
    assert load_heads("some-other-model") is None


def test_a_broken_heads_file_is_a_configuration_error(tmp_path: Path) -> None:
    broken = tmp_path / "heads.yaml"
    broken.write_text("version: 1\nembedder: x\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="heads"):
        load_heads(NAME, broken, WEIGHTS_PATH)
    missing = tmp_path / "absent.yaml"
    assert load_heads(NAME, missing, WEIGHTS_PATH) is None
    assert HEADS_PATH.exists() and WEIGHTS_PATH.exists()


@pytest.mark.parametrize(
    "text",
    [
        "I have put aside enough of my tablets, tonight I finally get some peace",
        "我已经把药都准备好了，今晚之后大家就不用再为我操心",
    ],
)
def test_an_indirect_plan_gets_the_crisis_protocol_through_the_semantic_layer(text: str) -> None:
    vote = detector().vote(text)
    result = triage(TriageRequest(text=text), semantic=vote)
    assert result.level == "emergency" and result.crisis == "intent"
    semantic = [f for f in result.findings if f.source == "semantic"]
    rules = [f for f in result.findings if f.source == "rules"]
    assert semantic or rules  # the reason names the layer that fired
    if vote.by_head:
        assert "learned head" in semantic[0].evidence[0]


def test_a_look_alike_the_exemplars_know_is_not_raised_by_a_head() -> None:
    text = "My son bumped his head on the table, cried at once and is now playing happily"
    vote = detector().vote(text)
    assert not vote.by_head
    assert triage(TriageRequest(text=text), semantic=vote).level != "emergency"


def test_a_game_joke_gets_the_safety_question_whatever_the_semantic_layer_says() -> None:
    text = "我不想活了哈哈哈，这关打了一晚上都过不去"
    result = triage(TriageRequest(text=text), semantic=detector().vote(text))
    assert result.level == "urgent" and result.crisis == "distress"
