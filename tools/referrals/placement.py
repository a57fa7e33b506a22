"""Placement in tiered care: the level a referral seeks, the nearest facility of that level with
the department (or the next level up when the nearer one lacks it), and the remote-consultation
origin of an escalated referral."""

from __future__ import annotations

from dataclasses import dataclass

from tools.referrals.directory import FACILITY_RANK, Directory, Facility
from tools.referrals.models import Direction, ReferralRequest
from tools.triage.models import FacilityLevel, Level

_LEVELS: list[FacilityLevel] = ["community", "county", "tertiary"]
_NEARBY = 1  # community and county care stay within the region or its parent/child


def target_level(request: ReferralRequest, level: Level, department: str) -> FacilityLevel:
    if request.purpose == "chronic_follow_up":
        return "community"
    if request.triage is not None and request.triage.facility_level is not None:
        return request.triage.facility_level
    if level == "urgent":
        return "county"
    if level == "routine" and department != "general_practice":
        return "county"
    return "community"


def _nearest(
    directory: Directory,
    region: str,
    level: FacilityLevel,
    department: str | None,
    capability: str | None = None,
) -> Facility | None:
    found = [
        (directory.distance(region, f.region), f.id, f)
        for f in directory.facilities
        if f.level == level
        and (department is None or department in f.departments)
        and (capability is None or capability in f.capabilities)
    ]
    if level != "tertiary":
        found = [item for item in found if item[0] <= _NEARBY]
    return min(found, key=lambda item: item[:2])[2] if found else None


@dataclass(frozen=True)
class Placement:
    """Where a patient is sent: the facility chosen, the level first sought, the nearer
    facility that lacked the department (if any) and the patient's home facility."""

    chosen: Facility
    target: FacilityLevel
    lacking: Facility | None
    home: Facility | None

    @property
    def escalated(self) -> bool:
        """Chosen above the level first sought (the nearer level lacked the department)."""
        return FACILITY_RANK[self.chosen.level] > FACILITY_RANK[self.target]

    @property
    def direction(self) -> Direction:
        """Up or down from the home facility (双向转诊); none without a home facility."""
        if self.home is None:
            return "none"
        diff = FACILITY_RANK[self.chosen.level] - FACILITY_RANK[self.home.level]
        return "up" if diff > 0 else "down" if diff < 0 else "same"


def place(
    directory: Directory,
    region: str,
    target: FacilityLevel,
    department: str,
    capability: str | None,
) -> tuple[Facility | None, Facility | None]:
    """The nearest facility with the department at ``target`` or the first level above that
    has one, and the nearest facility of a level passed over (the one that lacked it)."""
    lacking: Facility | None = None
    for facility_level in _LEVELS[_LEVELS.index(target) :]:
        chosen = _nearest(directory, region, facility_level, department, capability)
        if chosen is not None:
            return chosen, lacking
        lacking = lacking or _nearest(directory, region, facility_level, None)
    return None, lacking


def remote_origin(placement: Placement) -> Facility | None:
    """The lower facility from which an escalated patient can consult the chosen one remotely
    (home first, else the facility that lacked the department), when both support it."""
    origin = placement.home or placement.lacking
    if not placement.escalated or origin is None:
        return None
    chosen = placement.chosen
    lower = FACILITY_RANK[origin.level] < FACILITY_RANK[chosen.level]
    both = all("remote_consultation" in f.capabilities for f in (origin, chosen))
    return origin if lower and both else None
