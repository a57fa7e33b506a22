"""The dialogue state that lasts across turns: who the conversation is about, the conditions
stated for them, and the last question asked — so a follow-up ("那燕麦呢", "她能吃吗") is
searched and answered with what it leans on."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import ConfigurationError
from core.text import Language, normalise

DIALOGUE_PATH = Path(__file__).with_name("data") / "dialogue.yaml"


class DialogueRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    subjects: dict[str, str]
    conditions: dict[str, str]
    condition_words: dict[str, dict[str, str]]
    follow_up: str
    pronoun: str
    max_follow_up_chars: int


@lru_cache(maxsize=1)
def dialogue_rules(path: Path = DIALOGUE_PATH) -> DialogueRules:
    try:
        return DialogueRules.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(f"cannot load dialogue rules {path}: {exc}") from exc


class DialogueState(BaseModel):
    """Carried across turns in the graph state (``AgentState.dialogue``)."""

    subject: str = "self"
    conditions: list[str] = Field(default_factory=list)
    """Conditions stated for the subject so far (codes of ``dialogue.yaml``)."""
    topic: str = ""
    """The last question that stood on its own: what a follow-up refers to."""
    last_card: str | None = None
    """The answer card of the last answer: a follow-up gets something new, not the same card."""


def _found(patterns: dict[str, str], text: str) -> list[str]:
    return [name for name, pattern in patterns.items() if re.search(pattern, text)]


def is_elliptical(text: str) -> bool:
    """ "那燕麦呢", "what about oats?": the question is the one before, with this changed."""
    rules = dialogue_rules()
    canonical = normalise(text).strip()
    return len(canonical) <= rules.max_follow_up_chars and bool(
        re.search(rules.follow_up, canonical)
    )


def is_follow_up(text: str) -> bool:
    """Elliptical, or a short question about the person already spoken of ("她能吃吗")."""
    rules = dialogue_rules()
    canonical = normalise(text).strip()
    if len(canonical) > rules.max_follow_up_chars:
        return False
    return is_elliptical(text) or bool(re.search(rules.pronoun, canonical))


def advance(state: DialogueState, text: str) -> DialogueState:
    """The state after the patient's message: a new subject resets the conditions; conditions
    add up; a question that stands on its own becomes the topic."""
    rules = dialogue_rules()
    canonical = normalise(text)
    named = _found(rules.subjects, canonical)
    relatives = [s for s in named if s != "self"]
    subject = relatives[0] if relatives else ("self" if named else state.subject)
    # Someone else now: the conditions stated for the previous person are not theirs.
    kept = state.conditions if subject == state.subject else []
    conditions = list(dict.fromkeys([*kept, *_found(rules.conditions, canonical)]))
    topic = state.topic if is_follow_up(text) else canonical[-200:]
    return DialogueState(
        subject=subject, conditions=conditions, topic=topic, last_card=state.last_card
    )


def resolve(state: DialogueState, text: str, language: Language) -> str:
    """The text to search and match for ``text``: a follow-up carries the conditions stated
    for the person (and, when elliptical, the question it follows); a question that stands on
    its own is searched as it is."""
    if not is_follow_up(text):
        return text
    words = dialogue_rules().condition_words
    stated = " ".join(words[c][language] for c in state.conditions if c in words)
    stated = "" if stated and stated in normalise(text) else stated
    topic = state.topic if is_elliptical(text) else ""
    return " ".join(part for part in (stated, topic, text) if part)


_SUBJECT_WORDS = {
    "self": ("患者本人", "the patient themself"),
    "mother": ("患者的母亲", "the patient's mother"),
    "father": ("患者的父亲", "the patient's father"),
    "child": ("患者的孩子", "the patient's child"),
    "spouse": ("患者的配偶", "the patient's spouse"),
    "grandparent": ("患者的祖辈", "the patient's grandparent"),
}


def describe(state: DialogueState) -> str:
    """The dialogue state for a model's prompt (English, like the rest of the prompt)."""
    if state.subject == "self" and not state.conditions:
        return ""
    who = _SUBJECT_WORDS.get(state.subject, ("", state.subject))[1]
    words = dialogue_rules().condition_words
    stated = ", ".join(words[c]["en"] for c in state.conditions if c in words) or "none stated"
    return f"Conversation so far: it is about {who}; conditions stated for them: {stated}."
