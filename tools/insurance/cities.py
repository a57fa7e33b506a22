"""Which rating tier a named city has in the sample catalogues (``city_tiers.yaml``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigurationError

CITY_TIERS_PATH = Path(__file__).with_name("city_tiers.yaml")


class CityTiers(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    tiers: dict[int, list[str]] = Field(min_length=1)


@lru_cache(maxsize=1)
def _patterns(path: Path = CITY_TIERS_PATH) -> list[tuple[int, re.Pattern[str]]]:
    try:
        table = CityTiers.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load city tiers {path}: {exc}") from exc
    out = []
    for tier, names in sorted(table.tiers.items()):
        words = sorted((n.lower() for n in names), key=len, reverse=True)
        alternatives = "|".join(
            rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words
        )
        out.append((tier, re.compile(alternatives)))
    return out


def city_tier_of(text: str) -> int | None:
    """The tier of the last listed city named in ``text`` (normalised: "以前在北京，现在搬到西安"
    is Xi'an), else None."""
    found = [(m.start(), tier) for tier, pattern in _patterns() for m in pattern.finditer(text)]
    return max(found)[1] if found else None
