"""Exam values and BMI explained against sourced thresholds; bad input rejected clearly."""

from __future__ import annotations

import re
import typing

import pytest

from core.errors import ValidationFailed
from knowledge.config import DEFAULT_CORPUS_DIR
from knowledge.documents import load_documents
from knowledge.facts import get_fact, load_facts
from tools.catalog import default_registry
from tools.registry import ToolContext
from tools.results.explain import explain_bmi, explain_value, load_exam_rules
from tools.results.tool import AnalyteName


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("ldl_c", 3.0, "ldl_ok"),
        ("ldl_c", 3.4, "ldl_borderline"),
        ("ldl_c", 4.3, "ldl_high"),
        ("triglycerides", 2.5, "tg_high"),
        ("hdl_c", 0.9, "hdl_low"),
        ("hba1c", 6.8, "hba1c_diabetes_range"),
        ("uric_acid", 480, "uric_acid_high"),
        ("uric_acid", 400, "uric_acid_ok"),
        ("egfr", 55, "egfr_low"),
        ("alt", 65, "alt_report_range"),
    ],
)
def test_each_value_gets_its_band(name: str, value: float, code: str) -> None:
    explained = explain_value(name, value)
    assert explained.code == code
    shown = f"{value:g}"
    assert shown in explained.message.zh and shown in explained.message.en


@pytest.mark.parametrize(
    ("height", "weight", "code", "bmi"),
    [
        (165, 72, "bmi_overweight", 26.4),
        (170, 60, "bmi_normal", 20.8),
        (160, 80, "bmi_obesity", 31.2),
        (175, 50, "bmi_underweight", 16.3),
    ],
)
def test_bmi_from_height_and_weight(height: float, weight: float, code: str, bmi: float) -> None:
    explained = explain_bmi(height, weight)
    assert explained.code == code and explained.value == bmi
    assert f"{bmi:.1f}" in explained.message.zh


def test_the_tool_names_every_analyte_of_the_data() -> None:
    assert set(typing.get_args(AnalyteName)) == set(load_exam_rules().analytes)


def test_the_tool_rejects_half_a_bmi_and_an_empty_request() -> None:
    tool = default_registry().get("explain_results")
    with pytest.raises(ValidationFailed):
        tool.call({"height_cm": 170}, ToolContext())
    with pytest.raises(ValidationFailed):
        tool.call({"values": []}, ToolContext())
    with pytest.raises(ValidationFailed):
        tool.call({"values": [{"name": "psa", "value": 3}]}, ToolContext())


def test_every_threshold_is_a_fact_and_every_literal_number_is_in_the_documents() -> None:
    rules = load_exam_rules()
    facts = load_facts()
    texts = {doc.meta.id: doc.body for doc in load_documents(DEFAULT_CORPUS_DIR)}
    groups = [(a.documents, a.bands, a.otherwise, a.zh + a.en) for a in rules.analytes.values()]
    groups.append((rules.bmi.documents, rules.bmi.bands, rules.bmi.otherwise, ""))
    assert len(groups) >= 10
    for documents, bands, otherwise, own in groups:
        assert set(documents) <= set(texts)
        messages = [b.zh + b.en for b in bands] + (
            [otherwise.zh + otherwise.en] if otherwise else []
        )
        for message in [*messages, own]:
            cited = re.findall(r"\{fact:([a-z0-9_.]+)\}", message)
            assert set(cited) <= set(facts)
            doc_ids = set(documents) | {d for f in cited for d in get_fact(f).doc_ids}
            corpus = " ".join(texts[d] for d in doc_ids if d in texts)
            literal = re.sub(r"\{[^}]+\}", "", message)
            for number in set(re.findall(r"\d+(?:\.\d+)?", literal)):
                assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", corpus), number
        for band in bands:
            assert (band.at_least or band.below) in facts


def test_every_analyte_has_a_card_label() -> None:
    from tools.results.tool import _LABELS

    assert set(load_exam_rules().analytes) | {"bmi"} == set(_LABELS)
