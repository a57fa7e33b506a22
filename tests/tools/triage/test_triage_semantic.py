"""The semantic red-flag layer: exemplar bank, shipped vectors, decision rule, and its vote in
the triage result (each finding names the layer that fired)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from core.text import normalise
from tests.helpers.semantic import EMBEDDER_NAME, detector, embed
from tools.triage import TriageRequest, triage
from tools.triage.exemplars import NEGATIVE, load_bank
from tools.triage.semantic import (
    VECTOR_DIR,
    Calibration,
    SemanticLayer,
    SemanticRedFlags,
    load_calibration,
)

NAME = EMBEDDER_NAME


def test_bank_has_many_phrasings_per_category_in_every_language() -> None:
    bank = load_bank()
    assert {"crisis_suicide", "acs", "stroke", "hypoglycaemia_severe"} <= set(bank.categories)
    for name, category in bank.categories.items():
        assert category.source, name
        for language in ("zh", "zh_hant", "yue", "en"):
            assert len(category.exemplars.get(language, [])) >= 5, (name, language)
    assert {"info_question", "past_history", "third_person_education"} <= set(bank.negatives)
    labels = [label for label, _, _ in bank.labelled()]
    assert labels.count(NEGATIVE) >= 400


def test_shipped_vectors_cover_the_bank_and_match_the_model() -> None:
    layer = detector()
    assert layer.missing_from_cache == 0, (
        "exemplars without a shipped vector: run `python bench/calibrate_redflags.py` and "
        f"commit {VECTOR_DIR}"
    )
    for row in (0, len(layer.texts) // 2, len(layer.texts) - 1):
        cosine = float(np.dot(layer.matrix[row], embed(layer.texts[row])))
        assert cosine > 0.999


def test_calibration_is_for_this_model_and_names_its_data() -> None:
    calibration = load_calibration()
    assert calibration.embedder == NAME
    assert calibration.calibrated_on and "heldout" not in " ".join(calibration.calibrated_on)
    assert set(calibration.thresholds) <= set(calibration.groups)


def test_decision_needs_the_threshold_and_the_margin_over_look_alikes() -> None:
    layer = detector()
    vector = layer.matrix[layer.texts.index(layer.texts[0])]  # an exemplar itself
    category = str(layer.labels[0])
    detector_at = SemanticRedFlags(
        embed,
        NAME,
        calibration=Calibration(version=0, embedder=NAME, threshold=0.99, margin=0),
        heads=None,
    )
    vote = detector_at.vote_vector(vector)
    assert (vote.category, vote.score) == (category, 1.0)
    strict = SemanticRedFlags(
        embed,
        NAME,
        calibration=Calibration(version=0, embedder=NAME, threshold=0.99, margin=0.5),
        heads=None,
    )
    assert strict.vote_vector(vector).category is None  # no look-alike is 0.5 further away


@pytest.mark.parametrize(
    "text",
    [
        "我攒了两个月的安眠药，今晚家里没人，想就这样结束",
        "I've been saving up my pills for weeks and tonight I'm going to take them all",
    ],
)
def test_an_indirect_plan_the_rules_miss_gets_the_crisis_protocol(text: str) -> None:
    rules_only = triage(TriageRequest(text=text))
    vote = detector().vote(text)
    result = triage(TriageRequest(text=text), semantic=vote)
    assert vote.category in {"crisis_suicide", "self_harm"}
    assert result.level == "emergency" and result.crisis == "intent"
    semantic = [f for f in result.red_flags if f.source == "semantic"]
    assert semantic and semantic[0].evidence[0].startswith("≈")
    assert "12356" in result.advice
    assert rules_only.level != "emergency" or any(f.source == "rules" for f in result.red_flags)


@pytest.mark.parametrize(
    "text",
    [
        "心梗和心绞痛有什么区别？",
        "五年前中风过，现在恢复得很好，想问下饮食要注意什么",
        "刚看完一部电影，主角最后自杀了，心里有点难受",
    ],
)
def test_look_alikes_do_not_escalate(text: str) -> None:
    result = triage(TriageRequest(text=text), semantic=detector().vote(text))
    assert result.level != "emergency", result.findings


def test_the_layer_shares_the_retrievers_query_vector() -> None:
    calls: list[str] = []

    class Source:
        embedder_name = NAME

        def query_vector(self, text: str) -> npt.NDArray[np.float32]:
            calls.append(text)
            return embed(normalise(text))

    layer = SemanticLayer(Source)
    assert layer.vote("胸口痛") is not None
    assert calls == ["胸口痛"]


def test_without_a_dense_backend_the_rules_guard_alone() -> None:
    class Source:
        embedder_name = None

        def query_vector(self, text: str) -> npt.NDArray[np.float32]:
            raise AssertionError("never embedded")

    layer = SemanticLayer(Source)
    assert layer.vote("我不想活了") is None
    assert layer.detector() is None
