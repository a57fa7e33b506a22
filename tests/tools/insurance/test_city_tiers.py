"""City names to the sample catalogues' rating tiers."""

from __future__ import annotations

import pytest

from agent.llm.offline.quote_slots import extract_city_tier
from core.text import normalise
from tools.insurance.cities import city_tier_of


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("在成都", 2),
        ("我们住上海浦东", 1),
        ("he lives in hangzhou", 2),
        ("在我们县城", None),
        ("三线城市", 3),  # a named tier still wins
    ],
)
def test_city_tiers(text: str, tier: int | None) -> None:
    assert extract_city_tier(normalise(text)) == tier


def test_the_last_city_named_counts() -> None:
    assert city_tier_of(normalise("以前在北京，现在搬到西安了")) == 2
