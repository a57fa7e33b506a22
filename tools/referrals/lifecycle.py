"""Referral status lifecycle: created -> sent -> accepted -> completed, or cancelled.

Pure: ``transition`` answers the new status or raises; the caller persists and audits it.
"""

from __future__ import annotations

from typing import Literal, cast, get_args

from core.errors import Conflict, ValidationFailed

ReferralStatus = Literal["created", "sent", "accepted", "completed", "cancelled"]

ALLOWED: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    "created": frozenset({"sent", "cancelled"}),
    "sent": frozenset({"accepted", "cancelled"}),
    "accepted": frozenset({"completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}
_ZH = {
    "created": "已创建",
    "sent": "已发送",
    "accepted": "已接收",
    "completed": "已完成",
    "cancelled": "已取消",
}


def _status(value: str, field: str) -> ReferralStatus:
    if value not in get_args(ReferralStatus):
        raise ValidationFailed(
            f"unknown referral status {value!r}; expected one of {', '.join(ALLOWED)}",
            message_zh=f"未知的转诊状态 {value!r}",
            field=field,
            code="unknown_status",
        )
    return cast(ReferralStatus, value)


def transition(current: str, target: str) -> ReferralStatus:
    """The new status, or Conflict(code="illegal_transition") when the move is not allowed."""
    now, wanted = _status(current, "current"), _status(target, "status")
    if wanted not in ALLOWED[now]:
        allowed = ", ".join(sorted(ALLOWED[now])) or "none (final status)"
        raise Conflict(
            f"a referral cannot go from {now} to {wanted}; allowed: {allowed}",
            message_zh=f"转诊状态不能从“{_ZH[now]}”变为“{_ZH[wanted]}”",
            field="status",
            code="illegal_transition",
            details={"current": now, "target": wanted, "allowed": sorted(ALLOWED[now])},
        )
    return wanted
