"""Crisis follow-ups.

The safety question's answer: after "have you had thoughts of harming yourself?", a "yes" in any
form (有, 想过, 嗯, 係, yes, sometimes) is treated as stated intent — the crisis protocol follows.
Kept deliberately broad: a false "yes" costs a hotline number, a missed one costs more. And
whether an earlier emergency is now handled (已经打了120, the ambulance is here).
"""

from __future__ import annotations

import re

from core.text import normalise

_NO = re.compile(
    r"^(?:没有|没|不是|不会|没想过|从来没|从没|还好|不|no|nope|not really|never|i'?m ok|i'?m fine)"
    r"(?:有|想过|过)?(?:的|啦|了|呀|吧|啊)?(?:[,.!。！，\s]|$)|没有想过|没想过|不会伤害"
    r"|\bno,? i (?:haven'?t|have not|don'?t)\b"
)
# A yes opens the reply ("有", "嗯，有时候会", "sometimes"), or the reply says it outright
# ("我想过", "i have thought about it"); "那有什么办法睡好" is a new question, not a yes.
_YES_OPENING = re.compile(
    r"^(?:有(?!什么|没有|哪些|啥|办法|关系|人)|想过|嗯|是(?!不是)|对|会(?!不会)|偶尔|有时|经常"
    r"|一直|其实|确实|yes|yeah|yep|sometimes|often|i have"
    r"|i do|kind of|sort of|maybe|a bit|every day|all the time|honestly)"
)
_YES_STATED = re.compile(
    r"(?:有|也|确实|真的|是)?想过(?:自杀|死|结束|伤害自己|不活)?|会想(?:到)?(?:死|自杀|不在)"
    r"|\bi(?:'ve| have)? (?:thought|think) about (?:it|dying|ending|killing)"
)


_HANDLED = re.compile(
    r"(?:已经|刚刚|刚才)?(?:打了|拨了|拨打了|叫了)\s?120|(?:救护车|120|急救车|白车)[^,.。，]{0,4}(?:到了|来了|接走)"
    r"|(?:已经|现在)?(?:到了|在)[^,.。，]{0,3}(?:医院|急诊)|医生[^,.。，]{0,4}看过|已经没事了|现在没事了"
    r"|\b(?:called|rang|phoned) (?:120|an ambulance|the ambulance)"
    r"|ambulance (?:is here|has arrived|arrived|came)"
    r"|(?:急救人员|医护人员|医生|护士)(?:已经)?(?:来了|到了)"
    r"|(?:paramedics|ambulance crew|the crew|doctors?) (?:are|is|have|has) (?:here|arrived|come)"
    r"|(?:we'?re|i'?m|she'?s|he'?s|they'?re) (?:at|in) (?:the )?(?:hospital|er|a&e|emergency)"
    r"|doctor (?:has )?(?:seen|saw|checked)"
)


_WAITING = re.compile(
    r"等(?:待|着|救护车|白车|120)?[^,.。，]{0,8}(?:做什么|怎么做|怎么办|要做|该做|能做|注意)"
    r"|(?:还没到|还没来|在路上|未到|没到)"
    r"|\b(?:while (?:we|i) wait|waiting for|on (?:its|their) way"
    r"|what (?:do|should|can) (?:i|we) do)\b"
)
_ARRIVED = re.compile(
    r"(?:救护车|120|急救车|白车)[^,.。，]{0,4}(?:到了|来了|接走)|(?:到了|在)[^,.。，]{0,3}(?:医院|急诊)"
    r"|ambulance (?:is here|has arrived|arrived|came)|(?:at|in) (?:the )?(?:hospital|er|a&e)"
)


def waiting_for_help(text: str) -> bool:
    """120 is called but help has not come, and the patient asks what to do meanwhile."""
    canonical = normalise(text)
    return bool(_WAITING.search(canonical)) and not _ARRIVED.search(canonical)


def called_and_waiting(text: str) -> bool:
    """120 is called and the patient asks what to do until help comes: the emergency stays."""
    return emergency_handled(text) and waiting_for_help(text)


def emergency_handled(text: str) -> bool:
    """Whether the patient says the emergency of an earlier turn is being handled."""
    return bool(_HANDLED.search(normalise(text)))


def answers_no(text: str) -> bool:
    """Whether a reply to the safety question clearly says no ("没有，就是压力大")."""
    return bool(_NO.search(normalise(text).strip(" ,.!?。，！？")))


def answers_yes(text: str) -> bool:
    """Whether a reply to the safety question says yes (or does not clearly say no)."""
    canonical = normalise(text).strip(" ,.!?。，！？")
    if _NO.search(canonical):
        return False
    return bool(_YES_OPENING.search(canonical) or _YES_STATED.search(canonical))
