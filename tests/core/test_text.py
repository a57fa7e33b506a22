"""Language detection of a patient's message."""

from __future__ import annotations


def test_a_message_without_letters_is_taken_as_chinese() -> None:
    from core.text import detect_language

    assert detect_language("🙂🙂🙂") == "zh" and detect_language("hi 🙂") == "en"
