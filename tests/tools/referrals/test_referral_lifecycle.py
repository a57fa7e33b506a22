"""Referral statuses: created -> sent -> accepted -> completed, or cancelled."""

from __future__ import annotations

import pytest

from core.errors import Conflict, ValidationFailed
from tools.referrals import transition


def test_the_happy_path() -> None:
    status = "created"
    for target in ("sent", "accepted", "completed"):
        status = transition(status, target)
    assert status == "completed"


@pytest.mark.parametrize("current", ["created", "sent", "accepted"])
def test_open_referrals_can_be_cancelled(current: str) -> None:
    assert transition(current, "cancelled") == "cancelled"


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("created", "accepted"),
        ("created", "completed"),
        ("sent", "completed"),
        ("accepted", "sent"),
        ("completed", "cancelled"),
        ("completed", "sent"),
        ("cancelled", "sent"),
        ("created", "created"),
    ],
)
def test_illegal_transitions_conflict(current: str, target: str) -> None:
    with pytest.raises(Conflict) as caught:
        transition(current, target)
    error = caught.value
    assert error.instance_code == "illegal_transition"
    assert error.http_status == 409
    assert error.details["current"] == current
    assert "转诊状态不能从" in error.localized("zh")
    assert f"from {current} to {target}" in error.localized("en")


def test_unknown_status_is_a_validation_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        transition("created", "lost")
    assert caught.value.instance_code == "unknown_status"
    assert caught.value.field == "status"
