"""Detectors for names after a self-introduction and for street addresses (zh and en)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from guardrails.pii_detectors import Candidate, pii_rules

_CJK = "\u4e00-\u9fff"
# Function words that never start or sit inside a place name we would redact.
_PLACE_STOP = (
    "我你他她它们住在是的了吗呢请问想要去到从与跟给对把被让"  # pronouns, verbs, prepositions
    "叫址为于往个这那就也还说啊吧呀哦嗯近旁边附"  # particles and "near"
)
_P = f"(?:(?![{_PLACE_STOP}])[{_CJK}])"
_NUM = r"(?:\d+|[一二三四五六七八九十百零]+)"
_UNIT = r"(?:号楼|号院|栋|幢|座|单元|楼|层|室|号|户|组)"
_ADMIN = (
    rf"(?:{_P}{{2,7}}?(?:省|自治区|特别行政区))?"
    rf"(?:{_P}{{1,7}}?(?:市|自治州|州|盟|地区))?"
    rf"(?:{_P}{{1,7}}?(?:区|县|旗|市))?"
    rf"(?:{_P}{{1,8}}?(?:街道|镇|乡))?"
)
_STREET = rf"{_P}{{1,10}}?(?:路|街|大街|大道|巷|弄|胡同|里){_NUM}号(?:{_NUM}?{_UNIT}|-?\d+)*"
_ESTATE = (
    rf"{_P}{{2,10}}?(?:小区|花园|公寓|大厦|新村|家园|社区|村|苑)"
    rf"(?:{_NUM}(?:号楼|栋|幢|座|单元|楼|层|室|号|户|组)|-\d+)+"
)
_ZH_ADDRESS = re.compile(rf"{_ADMIN}(?:{_STREET}|{_ESTATE})")
# Every address we redact ends in a numbered street or building unit; the full pattern only runs
# in a window before such an anchor (it is slow to try at every position of a long text).
_ANCHOR = re.compile(
    rf"(?:路|街|大道|巷|弄|胡同|里){_NUM}号|(?:小区|花园|公寓|大厦|新村|家园|社区|村|苑){_NUM}{_UNIT}"
)
_WINDOW = 48

_EN_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Way|Court"
    r"|Place|Terrace|Close|Crescent)\b"
    r"(?:,?\s*(?:Apt|Apartment|Unit|Flat|Suite)\.?\s*#?\w+)?"
)
_EN_NAME = re.compile(
    r"\b(?i:my name is|my name's|i am called|i'm called|name:|patient name:)\s+"
    r"((?:[A-Za-z][a-z'-]+)(?:\s+[A-Z][a-z'-]+){0,2})"
)
_EN_NOT_NAME = {"not", "a", "an", "the", "very", "so", "really", "just", "also", "still"}


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    rules = pii_rules()
    triggers = rules.name_triggers_strong + rules.name_triggers_weak + rules.relative_triggers
    alternatives = "|".join(re.escape(t) for t in sorted(triggers, key=len, reverse=True))
    surnames = "|".join(rules.surnames_compound) + f"|[{rules.surnames_single}]"
    return re.compile(rf"({alternatives})[:：\s]*((?:{surnames})[{_CJK}]{{1,2}})")


def find_zh_names(folded: str, original: str) -> Iterator[Candidate]:
    rules = pii_rules()
    for match in _name_pattern().finditer(folded):
        start = match.start(2)
        name = match.group(2)
        surname_len = 2 if name[:2] in rules.surnames_compound else 1
        given = name[surname_len:]
        cut = next((i for i, char in enumerate(given) if char in rules.not_in_given_name), None)
        if cut is not None:
            given = given[:cut]
        while given and given[-1] in rules.after_name_ok:
            given = given[:-1]
        if not given:
            continue
        end = start + surname_len + len(given)
        weak = match.group(1) in rules.name_triggers_weak
        if weak and _weak_rejects(folded, start, end, cut is not None):
            continue
        yield "NAME", start, end


def _weak_rejects(folded: str, start: int, end: int, was_cut: bool) -> bool:
    """After "我是" a word is a name only when it stands alone and is not a common noun."""
    rules = pii_rules()
    following = folded[end : end + 1]
    if was_cut or (following and following not in rules.after_weak_name_ok):
        return True
    return any(folded.startswith(word, start) for word in rules.not_names)


def find_en_names(original: str) -> Iterator[Candidate]:
    for match in _EN_NAME.finditer(original):
        words = match.group(1).split()
        if words[0].lower() in _EN_NOT_NAME:
            continue
        yield "NAME", match.start(1), match.end(1)


def find_addresses(folded: str, original: str) -> Iterator[Candidate]:
    searched_to = 0
    for anchor in _ANCHOR.finditer(folded):
        if anchor.start() < searched_to:
            continue
        window_end = min(len(folded), anchor.end() + _WINDOW)
        for match in _ZH_ADDRESS.finditer(
            folded, max(searched_to, anchor.start() - _WINDOW), window_end
        ):
            if match.start() <= anchor.start() < match.end():
                yield "ADDRESS", match.start(), match.end()
                searched_to = match.end()
                break
    for match in _EN_ADDRESS.finditer(original):
        yield "ADDRESS", match.start(), match.end()
