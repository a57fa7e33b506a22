"""When the patient says an earlier emergency is being handled."""

from __future__ import annotations

import pytest

from guardrails.crisis import emergency_handled


@pytest.mark.parametrize(
    ("text", "handled"),
    [
        ("已经打了120", True),
        ("救护车到了，谢谢", True),
        ("120到了", True),
        ("白車嚟咗", True),  # Cantonese: the ambulance has come
        ("the ambulance is here", True),
        ("120呢？还没来", False),
        ("我要不要打120", False),
    ],
)
def test_emergency_handled(text: str, handled: bool) -> None:
    assert emergency_handled(text) is handled
