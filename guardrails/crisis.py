"""The safety question's answer: after "have you had thoughts of harming yourself?", a "yes"
in any form (有, 想过, 嗯, 係, yes, sometimes) is treated as stated intent — the crisis protocol
follows. Kept deliberately broad: a false "yes" costs a hotline number, a missed one costs more.
"""

from __future__ import annotations

import re

from core.text import normalise

_NO = re.compile(
    r"^(?:没有|没|不是|不会|没想过|从来没|从没|还好|不|no|nope|not really|never|i'?m ok|i'?m fine)"
    r"(?:有|想过|过)?(?:的|啦|了|呀|吧|啊)?(?:[,.!。！，\s]|$)|没有想过|没想过|不会伤害"
    r"|\bno,? i (?:haven'?t|have not|don'?t)\b"
)
_YES = re.compile(
    r"有|想过|想|嗯|是|对|会|偶尔|有时|经常|一直|yes|yeah|yep|sometimes|often|i have|i do|kind of"
    r"|sort of|maybe|a bit|every day|all the time"
)


def answers_yes(text: str) -> bool:
    """Whether a reply to the safety question says yes (or does not clearly say no)."""
    canonical = normalise(text)
    if _NO.search(canonical):
        return False
    return bool(_YES.search(canonical))
