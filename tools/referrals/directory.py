"""The facility directory (``data/facilities.yaml``): validated models and lookups."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from core.errors import ConfigurationError, NotFound
from tools.triage.models import FacilityLevel

DIRECTORY_PATH = Path(__file__).parent / "data" / "facilities.yaml"
FACILITY_RANK: dict[str, int] = {"community": 0, "county": 1, "tertiary": 2}


class NamedDepartment(BaseModel):
    """A zh/en pair: a department's names, or a message template."""

    model_config = ConfigDict(frozen=True)
    zh: str
    en: str


class Region(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: str
    zh: str
    en: str
    parent: str | None
    insurance_pool: str


class Facility(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    zh: str
    en: str
    level: FacilityLevel
    region: str
    departments: list[str]
    capabilities: list[str]
    green_channel_partner: bool


class Directory(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    departments: dict[str, NamedDepartment]
    regions: list[Region]
    facilities: list[Facility]
    messages: dict[str, NamedDepartment]

    @model_validator(mode="after")
    def _references_resolve(self) -> Directory:
        codes = {region.code for region in self.regions}
        ids: set[str] = set()
        for facility in self.facilities:
            if facility.id in ids:
                raise ValueError(f"duplicate facility id {facility.id!r}")
            ids.add(facility.id)
            if facility.region not in codes:
                raise ValueError(f"{facility.id}: unknown region {facility.region!r}")
            unknown = set(facility.departments) - set(self.departments)
            if unknown:
                raise ValueError(f"{facility.id}: unknown departments {sorted(unknown)}")
        return self

    def region(self, code: str) -> Region:
        for region in self.regions:
            if region.code == code:
                return region
        raise NotFound(
            f"unknown region {code!r}",
            message_zh=f"未知地区 {code!r}",
            field="region",
            code="region_not_found",
        )

    def facility(self, facility_id: str, field: str = "home_facility_id") -> Facility:
        for facility in self.facilities:
            if facility.id == facility_id:
                return facility
        raise NotFound(
            f"unknown facility {facility_id!r}",
            message_zh=f"未找到机构 {facility_id!r}",
            field=field,
            code="facility_not_found",
        )

    def distance(self, home: str, other: str) -> int:
        """0 same region, 1 parent or child, 2 sibling or same insurance pool, 3 elsewhere."""
        if home == other:
            return 0
        a, b = self.region(home), self.region(other)
        if a.parent == b.code or b.parent == a.code:
            return 1
        if (a.parent and a.parent == b.parent) or a.insurance_pool == b.insurance_pool:
            return 2
        return 3


@lru_cache(maxsize=4)
def load_directory(path: Path = DIRECTORY_PATH) -> Directory:
    try:
        return Directory.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load facility directory {path}: {exc}") from exc
