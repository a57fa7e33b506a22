"""The pieces of referral planning, each on its own: target level, placement, escalation,
direction, remote-consultation origin, and the basis (language, level) of a request."""

from __future__ import annotations

from typing import Any

import pytest

from tools.referrals import ReferralRequest
from tools.referrals.directory import load_directory
from tools.referrals.placement import Placement, place, remote_origin, target_level
from tools.referrals.planner import language_and_level
from tools.triage import TriageRequest, triage


def _request(**fields: Any) -> ReferralRequest:
    return ReferralRequest(**{"level": "routine", "department": "cardiology", **fields})


@pytest.mark.parametrize(
    ("fields", "level", "department", "expected"),
    [
        ({"purpose": "chronic_follow_up"}, "urgent", "cardiology", "community"),
        ({}, "urgent", "cardiology", "county"),
        ({}, "routine", "cardiology", "county"),
        ({}, "routine", "general_practice", "community"),
        ({}, "self_care", "cardiology", "community"),
    ],
)
def test_target_level(fields: dict[str, Any], level: str, department: str, expected: str) -> None:
    assert target_level(_request(**fields), level, department) == expected  # type: ignore[arg-type]


def test_target_level_follows_the_triage_facility_level() -> None:
    result = triage(TriageRequest(text="发烧39度两天了", age=50))
    assert result.facility_level == "community"
    # the triage's level wins over what level and department alone would give (county)
    assert target_level(ReferralRequest(triage=result), "routine", "cardiology") == "community"


def test_place_escalates_past_a_level_that_lacks_the_department() -> None:
    directory = load_directory()
    chosen, lacking = place(directory, "xishan", "county", "psychiatry", None)
    assert chosen is not None and lacking is not None
    assert (chosen.id, lacking.id) == ("dj-first-hospital", "xs-county-hospital")


def test_place_takes_the_nearest_at_the_target_level_when_it_has_the_department() -> None:
    directory = load_directory()
    chosen, lacking = place(directory, "xishan", "county", "cardiology", None)
    assert chosen is not None
    assert (chosen.id, lacking) == ("xs-county-hospital", None)


def test_place_honours_the_capability_asked_for() -> None:
    directory = load_directory()
    chosen, _ = place(directory, "xishan", "community", "general_practice", "rehabilitation")
    assert chosen is not None and chosen.id == "xs-chengguan-chc"


def test_place_finds_nothing_for_a_department_no_facility_has() -> None:
    directory = load_directory()
    chosen, lacking = place(directory, "beiling", "community", "no_such_department", None)
    assert chosen is None
    assert lacking is not None and lacking.id == "bl-yuhua-chc"


def _placement(chosen: str, target: str, lacking: str | None, home: str | None) -> Placement:
    directory = load_directory()
    return Placement(
        chosen=directory.facility(chosen),
        target=target,  # type: ignore[arg-type]
        lacking=directory.facility(lacking) if lacking else None,
        home=directory.facility(home) if home else None,
    )


@pytest.mark.parametrize(
    ("chosen", "target", "home", "escalated", "direction"),
    [
        ("dj-first-hospital", "county", "xs-qingshi-township", True, "up"),
        ("xs-county-hospital", "county", "xs-qingshi-township", False, "up"),
        ("xs-chengguan-chc", "community", "dj-first-hospital", False, "down"),
        ("xs-county-hospital", "county", "xs-county-hospital", False, "same"),
        ("xs-county-hospital", "county", None, False, "none"),
    ],
)
def test_escalation_and_direction(
    chosen: str, target: str, home: str | None, escalated: bool, direction: str
) -> None:
    placement = _placement(chosen, target, None, home)
    assert (placement.escalated, placement.direction) == (escalated, direction)


def test_remote_origin_is_the_home_when_both_sides_support_it() -> None:
    placement = _placement(
        "dj-first-hospital", "county", "xs-county-hospital", "xs-qingshi-township"
    )
    origin = remote_origin(placement)
    assert origin is not None and origin.id == "xs-qingshi-township"


def test_remote_origin_falls_back_to_the_facility_that_lacked_the_department() -> None:
    placement = _placement("dj-first-hospital", "county", "xs-county-hospital", None)
    origin = remote_origin(placement)
    assert origin is not None and origin.id == "xs-county-hospital"


@pytest.mark.parametrize(
    ("chosen", "target", "lacking", "home"),
    [
        ("xs-county-hospital", "county", None, "xs-qingshi-township"),  # not escalated
        ("dj-first-hospital", "county", "nh-county-hospital", None),  # no remote capability
        ("dj-first-hospital", "county", None, None),  # no origin at all
    ],
)
def test_no_remote_origin(chosen: str, target: str, lacking: str | None, home: str | None) -> None:
    assert remote_origin(_placement(chosen, target, lacking, home)) is None


def test_language_and_level_as_given_else_chinese() -> None:
    assert language_and_level(_request(language=None)) == ("zh", "routine")
    assert language_and_level(_request(level="urgent", language="en")) == ("en", "urgent")


def test_language_and_level_come_from_the_triage_result() -> None:
    result = triage(TriageRequest(text="头痛三天", age=50))
    assert language_and_level(ReferralRequest(triage=result)) == ("zh", "routine")
    assert language_and_level(ReferralRequest(triage=result, language="en")) == ("en", "routine")
