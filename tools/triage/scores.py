"""Clinical scores from the numbers a message gives: NEWS2 for adults.

The bands are data (``data/news2.yaml``, RCP 2017 chart 1); the aggregate thresholds are facts
(``news2.*`` in ``knowledge/FACTS.yaml``, stated by the knowledge document ``news2-en``). A
message rarely gives every vital sign; missing ones score 0, so the aggregate is a lower bound
and only ever raises urgency. It is computed only when at least ``min_parameters`` signs are
known and the patient is not known to be a child.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from core.errors import ConfigurationError
from knowledge.facts import fact_value
from tools.triage.exemplars import DATA_DIR
from tools.triage.matching import Facts
from tools.triage.models import Level, RedFlag

NEWS2_PATH = DATA_DIR / "news2.yaml"
_CONSCIOUSNESS_TERMS = ("altered_consciousness", "drowsy")


class Band(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    max: float
    points: int


class News2Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    source: str
    min_age_years: float
    min_parameters: int
    parameters: dict[str, list[Band]]
    consciousness_points: int
    oxygen_points: int


@lru_cache(maxsize=1)
def load_news2(path: Path = NEWS2_PATH) -> News2Table:
    try:
        return News2Table.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load the NEWS2 table {path}: {exc}") from exc


def _points(bands: list[Band], value: float) -> int:
    for band in bands:
        if value <= band.max:
            return band.points
    return bands[-1].points


def news2_parts(facts: Facts) -> dict[str, int] | None:
    """Points per parameter the message gives, or None when NEWS2 does not apply."""
    table = load_news2()
    age = facts.profile.age_months
    if age is not None and age < table.min_age_years * 12:
        return None
    measured = facts.measurements.model_dump()
    parts = {
        name: _points(bands, float(measured[name]))
        for name, bands in table.parameters.items()
        if measured.get(name) is not None
    }
    if any(term in facts.hits for term in _CONSCIOUSNESS_TERMS):
        parts["consciousness"] = table.consciousness_points
    if facts.measurements.on_oxygen:
        parts["oxygen"] = table.oxygen_points
    return parts if len(parts) >= table.min_parameters else None


def news2_score(facts: Facts) -> int | None:
    parts = news2_parts(facts)
    return None if parts is None else sum(parts.values())


def news2_level(parts: dict[str, int]) -> Level | None:
    """High (≥ 7) or medium (5–6) aggregate: emergency response; one red parameter (3):
    urgent review. Below that the score adds nothing to what the rules found."""
    total = sum(parts.values())
    if total >= fact_value("news2.medium_aggregate"):
        return "emergency"
    if max(parts.values(), default=0) >= fact_value("news2.single_parameter_red"):
        return "urgent"
    return None


def score_flags(facts: Facts) -> list[RedFlag]:
    parts = news2_parts(facts)
    level = news2_level(parts) if parts else None
    if parts is None or level is None:
        return []
    detail = ", ".join(f"{name} {points}" for name, points in parts.items())
    evidence = f"NEWS2 {sum(parts.values())} ({detail})"
    return [RedFlag(code="news2", level=level, evidence=[evidence], source="score")]
