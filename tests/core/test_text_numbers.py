"""``states_number``: a figure is found as a whole number, never inside another one."""

from __future__ import annotations

import pytest

from core.text import states_number


@pytest.mark.parametrize(
    ("text", "number", "found"),
    [
        ("成人每天食盐不超过5 g", "5", True),
        ("一天的酒精量不超过15 g", "5", False),
        ("HbA1c 6.5%", "5", False),
        ("HbA1c 6.5%", "6.5", True),
        ("5.5 mmol/L", "5", False),
        ("《保险法》第十六条规定", "十六", True),
        ("二十六条", "十六", False),
    ],
)
def test_states_number(text: str, number: str, found: bool) -> None:
    assert states_number(text, number) is found
