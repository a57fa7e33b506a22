"""Reading interpretation: the band each reading falls in, with sourced thresholds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter

from knowledge.config import DEFAULT_CORPUS_DIR
from knowledge.documents import load_documents
from knowledge.facts import get_fact, load_facts
from tools.readings.interpret import (
    BpBand,
    GlucoseBand,
    interpret_reading,
    load_interpretation_rules,
)
from tools.readings.models import ReadingIn
from tools.readings.normalise import normalise_reading

_READING = TypeAdapter(ReadingIn)
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


def _reading(**values: object) -> object:
    raw = _READING.validate_python({**values, "measured_at": NOW.isoformat()})
    return normalise_reading(raw, NOW)


@pytest.mark.parametrize(
    ("sbp", "dbp", "code"),
    [
        (118, 76, "bp_normal"),
        (120, 70, "bp_high_normal"),
        (110, 85, "bp_high_normal"),
        (148, 90, "bp_grade1"),
        (139, 90, "bp_grade1"),  # the higher grade of the two values counts
        (165, 100, "bp_grade2"),
        (150, 104, "bp_grade2"),
        (182, 96, "bp_grade3"),
    ],
)
def test_blood_pressure_band(sbp: int, dbp: int, code: str) -> None:
    found = interpret_reading(_reading(kind="blood_pressure", sbp=sbp, dbp=dbp))  # type: ignore[arg-type]
    assert found is not None and found.code == code
    assert f"{sbp}/{dbp}" in found.message.zh and f"{sbp}/{dbp}" in found.message.en


@pytest.mark.parametrize(
    ("value", "meal", "code"),
    [
        (5.2, "fasting", "glucose_fasting_normal"),
        (6.4, "fasting", "glucose_fasting_impaired"),
        (7.2, "fasting", "glucose_fasting_diabetes_range"),
        (9.0, "after_meal_2h", "glucose_2h_raised"),
        (12.5, "after_meal_2h", "glucose_2h_diabetes_range"),
        (12.5, "random", "glucose_random_high"),
    ],
)
def test_glucose_band(value: float, meal: str, code: str) -> None:
    reading = _reading(kind="glucose", value=value, unit="mmol/L", meal_context=meal)
    found = interpret_reading(reading)  # type: ignore[arg-type]
    assert found is not None and found.code == code


def test_mg_dl_is_interpreted_in_mmol() -> None:
    reading = _reading(kind="glucose", value=126, unit="mg/dL", meal_context="fasting")
    found = interpret_reading(reading)  # type: ignore[arg-type]
    assert found is not None and found.code == "glucose_fasting_diabetes_range"


def test_a_random_glucose_under_the_mark_says_nothing() -> None:
    reading = _reading(kind="glucose", value=6.0, unit="mmol/L", meal_context="random")
    assert interpret_reading(reading) is None  # type: ignore[arg-type]


def _band_facts(band: BpBand | GlucoseBand) -> list[str]:
    if isinstance(band, GlucoseBand):
        return [band.fact]
    return [f for f in (band.sbp_fact, band.dbp_fact) if f]


def test_every_threshold_is_a_fact_and_every_literal_number_is_in_its_documents() -> None:
    rules = load_interpretation_rules()
    facts = load_facts()
    texts = {doc.meta.id: doc.body for doc in load_documents(DEFAULT_CORPUS_DIR)}
    bands: list[tuple[str, BpBand | GlucoseBand]] = [
        ("blood_pressure", b) for b in rules.blood_pressure
    ]
    bands += [("glucose", band) for group in rules.glucose.values() for band in group]
    bands += [
        ("glucose_diabetes", band) for group in rules.glucose_diabetes.values() for band in group
    ]
    assert len(bands) >= 8
    assert {d for docs in rules.documents.values() for d in docs} <= set(texts)
    for kind, band in bands:
        message = band.message.zh + band.message.en
        cited = re.findall(r"\{fact:([a-z0-9_.]+)\}", message)
        assert set(cited) <= set(facts), band.code
        doc_ids = {d for f in [*_band_facts(band), *cited] for d in get_fact(f).doc_ids}
        doc_ids |= set(rules.documents[kind])
        docs = " ".join(texts[d] for d in doc_ids if d in texts)
        literal = re.sub(r"\{[^}]+\}", "", message)
        for number in set(re.findall(r"\d+(?:\.\d+)?", literal)):
            stated = re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", docs)
            assert stated, f"{band.code}: {number} is not in the band's documents"


@pytest.mark.parametrize(
    ("value", "meal", "code"),
    [
        (8.3, "fasting", "glucose_dm_fasting_above_target"),
        (7.0, "fasting", "glucose_dm_fasting_in_target"),  # the target's upper end is in target
        (5.6, "before_meal", "glucose_dm_fasting_in_target"),
        (4.1, "fasting", "glucose_dm_near_low"),
        (10.0, "after_meal_2h", "glucose_dm_nonfasting_above_target"),
        (9.1, "after_meal_2h", "glucose_dm_nonfasting_in_target"),
        (12.0, "random", "glucose_dm_nonfasting_above_target"),
    ],
)
def test_with_diabetes_a_glucose_is_read_against_the_control_targets(
    value: float, meal: str, code: str
) -> None:
    reading = _reading(kind="glucose", value=value, unit="mmol/L", meal_context=meal)
    found = interpret_reading(reading, frozenset({"diabetes"}))  # type: ignore[arg-type]
    assert found is not None and found.code == code
    without = interpret_reading(reading)  # type: ignore[arg-type]
    assert without is None or not without.code.startswith("glucose_dm")
