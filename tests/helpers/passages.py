"""Evidence passages for the guardrails' turn checks (anything with a ``ref`` and a ``text``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Passage:
    ref: int
    text: str


def passage(ref: int, text: str) -> Passage:
    return Passage(ref, text)
