"""Clause analysis: which symptom mentions in a message are current and about the patient.

A mention does not count when it is negated ("没有胸痛", "denies chest pain"), hypothetical
("如果胸痛怎么办", "what are the signs of a stroke"), a past episode ("去年中风过",
"had a stroke 5 years ago") or about someone who is not the person being asked about
("我朋友上次胸痛"). A family member's current symptoms do count: caregivers write for patients.

Negation is scoped to the clause: the text is split on punctuation and on 但/但是/but, and a
cue only reaches forward until a scope breaker ("有", "now", "has", ...). The design leans
towards counting a mention when unsure: missing an emergency costs more than over-triage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Subject = Literal["self", "family", "other", "media"]
Tense = Literal["past", "present"]

# Commas split Chinese clauses; English keeps commas so "denies fever, chills, sweats" stays one
# negated list. Full stops split both, except inside decimals (38.5).
_SPLIT = re.compile(
    r"[;!?。；！？\n]|\.(?!\d)|(?<=[\u4e00-\u9fff]),|,(?=[\u4e00-\u9fff])|、(?=但)"
    r"|但是|但|可是|然而|(?<!喘)(?<!透)(?<!上)不过(?!气)|\bbut\b|\bhowever\b|\balthough\b"
    r"|\bthough\b|\bwhereas\b|\bexcept\b"
)

# Words that contain a negation character yet state a symptom or an inability ("无力",
# "说不出话", "无明显诱因出现胸痛", "can't breathe"). Masked before looking for cues.
_POSITIVE_ZH = re.compile(
    r"无明显诱因|无诱因|无明显原因|无缘无故|不明原因|原因不明|无力|无法|无缓解|不能|不了|不出|不住"
    r"|不清|不舒服|不适|不好|不动|不醒|不应|不上|不过|不到|不见|不停|不止|不稳|不退|不对|不行"
    r"|不起|不下|不开|不来|不省|不遂|不断|不少|不小心|不知道|不确定|不太|不是很|没力|没劲|没法"
    r"|没精神|没胃口|没食欲|没有胃口|没反应|没有反应|没有意识|没意识|没呼吸|没有呼吸|没有胎动"
    r"|没胎动|没尿|没有尿|没有小便|没怎么动|没动|没有动|止不住|吃不下|睡不着|好不了|不管用|没用"
    r"|没效|没有效|没好|没有好转|没缓解|没有缓解|不见好|未缓解|未见好转"
)
_POSITIVE_EN = re.compile(
    r"can'?t|cannot|couldn'?t|won'?t|unable|not able|not sure|not certain|no idea|don'?t know"
    r"|not stop\w*|doesn'?t stop|isn'?t stopping|not responding|no response|not breathing"
    r"|not moving|hasn'?t moved|not waking|not improving|not getting better|no better|not better"
    r"|no relief|didn'?t help|doesn'?t help|not helping|not going away|no obvious|not only"
    r"|didn'?t (?:touch|work|do anything)|hasn'?t (?:touched|helped|worked)|not working"
    r"|not any better|not passed urine|hasn'?t (?:passed|peed|urinated)|not making sense"
    r"|doesn'?t make sense|not feeling (?:well|right)|not well|not (?:himself|herself|myself)"
)
_NEGATION_ZH = re.compile(r"没有|没|无|不|否认|未|并无|从未|非")
_NEGATION_EN = re.compile(
    r"\b(?:no|not|denies|denied|deny|denying|without|negative for|never|none|nor|neither"
    r"|free of|absence of|absent|ruled out)\b|n't\b"
)
# A cue's reach ends at these words.
_BREAK_ZH = re.compile(r"但|却|就|而且|还有|又|现在|今天|然后|后来|突然|有(?![点些])|伴|出现|感觉")
_BREAK_EN = re.compile(
    r"\b(?:but|however|has|have|having|had|reports?|reported|complains?|c/o|with|now|presents?"
    r"|endorses?|still|just|only|apart from|other than|currently|today|is having|feels?|got)\b"
)
# "don't have any", "hasn't had", "not feeling": words right after a cue that belong to it.
_AUXILIARY_EN = re.compile(
    r"^(?:\s*(?:have|has|had|got|any|feel|feeling|felt|experienc\w*|get)\b)+"
)
_HYPOTHETICAL_PRE = re.compile(
    r"如果|假如|万一|要是|预防|怎么防|担心会|会不会得|怕会|怕得|听说|什么是|科普|了解一下|梦到|梦见|做梦"
    r"|(?:惊|怕|担心|害怕)自己|下次(?:再)?(?:遇到|发生|出现)"
    r"|医生(?:说|觉得|怀疑)(?:我|他|她)?可能|\b(?:thinks|think|said|says|suspects?) (?:i|he|she) "
    r"(?:might|may|could) have"
    r"|\b(?:if|what if|in case|dreamt|dreamed|a dream|prevent\w*|what (?:are|is)|risk of"
    r"|learn about|know about"
    r"|worried about getting|afraid of getting|chance of|reduce|scared (?:of|that i)"
    r"|(?:afraid|worried) (?:i'?ll|i might|that i))\b"
)
# A clause that asks for knowledge rather than telling of a symptom ("心梗和心绞痛有什么区别",
# "BE-FAST口诀是什么意思", "how do you tell if a headache is serious"). Its mentions are
# hypothetical unless the clause also tells of something happening now.
_INFO_QUESTION = re.compile(
    r"区别|差别|不同之处|什么意思|啥意思|口诀|怎么(?:判断|识别|区分|分辨|鉴别|看出)|如何(?:判断|识别|区分)"
    r"|(?:有|有些|有哪些|是)什么(?:症状|表现|征兆|先兆|前兆|信号)|(?:症状|表现|征兆|先兆)(?:有哪些|是什么)"
    r"|标准是|科普|什么情况下?(?:要|该|需要|必须)(?:马上|及时)?(?:去|看)(?:医院|医生|急诊)"
    r"|提前(?:准备|了解)|备着|以防万一|急救(?:知识|培训|课)|怎么急救"
    r"|有(?:什么|啥|咩)(?:不一样|不同|分别)|点样分|怎么分(?:辨|别)?|怎样分|如何分"
    r"|\b(?:difference between|what(?:'s| is) the difference|how (?:do|can|would) (?:you|i|we|one) "
    r"(?:tell|know|recogni[sz]e|spot)|what does [^,.?]{0,30} mean|warning signs of|signs of a"
    r"|symptoms of a|first aid|training|course|is it true|what(?:'s| is) the \w+ test"
    r"|test for (?:a )?(?:stroke|heart attack)|(?:different|differ) (?:\w+ )?symptoms)\b"
)
_HYPOTHETICAL_POST = re.compile(
    r"^.{0,4}(?:的症状|的表现|的征兆|的前兆|的信号|有哪些|是什么|有什么症状|怎么预防|如何预防|的预防"
    r"|的风险|前兆|会不会(?:烧坏|留下|有后遗症|影响|遗传|复发))"
)
_PAST_HISTORY = re.compile(
    r"(?<!现)病史|既往|(?<!现病)史(?![上])|\b(?:history of|hx of|h/o|pmh|past medical)\b"
)
_PAST_EPISODE = re.compile(
    r"去年|前年|(?:\d+|[一二两三四五六七八九十几多]+)年前|以前|曾经|多年|小时候|那年|当年|年轻时|后遗症"
    r"|得过|患过|之前得|上次|去世|过世|(?:支架|pci|搭桥)术后|(?:19|20)\d\d年"
    r"|上个月|上(?:个)?(?:星期|礼拜)|上周|(?:\d+|[一二两三四五六七八九十几]+)个月前"
    r"|\b(?:years ago|yrs ago|last year|as a child|previously|in the past|used to|back in"
    r"|in (?:19|20)\d\d|post[- ]stroke|after (?:my|his|her) (?:stroke|heart attack)"
    r"|as a (?:kid|teen|teenager|baby)|when i was (?:a )?(?:kid|child|little|young|teenager)"
    r"|died (?:of|from)|passed away|(?:mi|stroke|cva|pci|cabg|stemi) (?:in )?(?:19|20)\d\d"
    r"|treated with (?:pci|a stent|stents|thrombolysis)"
    r"|(?:\d+|a few|several|two|three|four|five|six|ten) (?:years|yrs|months) ago|last time"
    r"|last (?:month|week)|when (?:i|he|she) was \d+)\b"
)
_PRESENT = re.compile(
    r"现在|目前|今天|今早|今晚|今朝|刚才|刚刚|正在|突然|此刻|又|再次|这次|昨晚|昨天|这几天|最近|一直|还在"
    r"|(?:\d+|[一二两三四五六七八九十半几]+)\s*(?:个)?(?:分钟|小时|钟头|天|日)"
    r"|\b(?:now|right now|currently|today|tonight|this morning|just|suddenly|again|still"
    r"|at the moment|since|ongoing|is having|are having|started)\b"
    r"|\bfor (?:\d+|a few|several|two|three) (?:minutes|hours|days)"
    r"|\b\d+\s?(?:min|mins|minutes|hr|hrs|hours|h|days|d)\b"
)
_OTHER_PERSON = re.compile(
    r"(?:(?<!小)朋友|同事|邻居|同学|别人|他人|熟人|网友|室友|老板|领导|病友)(?!家)"
    r"|\b(?:friend|colleague|coworker|co-worker|neighbou?r|classmate|roommate|someone|somebody"
    r"|boss|a guy|a lady|people)\b"
)
# A plea for help now: someone else's symptoms in such a message are happening now, not a story
# ("朋友中暑了, 说话很乱, 怎么办"; "my friend collapsed, he's confused").
_HELP_NOW = re.compile(
    r"怎么办|咋办|要不要(?:叫|送|去|打)|送(?:去)?医院|叫救护车|打120|救命|快帮"
    r"|\bwhat (?:do|should) (?:i|we) do\b|\bshould (?:i|we) (?:call|take)|\bhelp\b"
    r"|\b(?:he|she|they)(?:'s| is| are) (?:now |still |really |very )?"
    r"(?:confused|unconscious|not (?:breathing|responding|waking)|\w+ing)\b"
)
_TEACHING = re.compile(
    r"读(?:紧)?护理|学护理|护理(?:专业|学生)|医学生|写(?:论文|作业|文章)|做(?:作业|课题)|备课|科普文章"
    r"|出院小结|出院记录|出院诊断"
    r"|\b(?:school project|homework|assignment|essay|nursing student|medical student"
    r"|studying (?:nursing|medicine)|discharge summary|discharge letter)\b"
)
_WHAT_IF = re.compile(r"以后|如果|万一|假如|遇到|\b(?:if|in case|next time|what to do when)\b")
# A story in a film, the news or a book: never the patient's symptom, whatever its tense.
_MEDIA = re.compile(
    r"新闻|电视|电影|电视剧|(?:这|一|那)部剧|追剧|看剧|主角|角色|小说|报道|文章|视频里"
    r"|\b(?:news|movie|film|the show|tv series|character|article|documentary|novel)\b"
)
_FAMILY = re.compile(
    r"爸|妈|父亲|母亲|老公|老婆|丈夫|妻子|爱人|儿子|女儿|孩子|小孩|宝宝|婴儿|bb|老人|爷爷|奶奶|外公"
    r"|外婆|姥姥|姥爷|公公|婆婆|岳父|岳母|哥|姐|弟|妹|老伴|家人|阿爸|阿妈|老豆|老母|个仔|个女"
    r"|\b(?:dad|mom|mum|mother|father|husband|wife|son|daughter|baby|child|kid|toddler|infant"
    r"|grand(?:ma|pa|mother|father)|brother|sister|partner|patient|pt)\b"
)
_SELF = re.compile(r"我|本人|\b(?:i|i'm|im|i've|me|my)\b")

_WINDOW_ZH = 12
_WINDOW_EN = 60
_MAX_CLAUSE = 160
"""Longer clauses are cut at a space or comma near this length: every mention's tense and
negation analysis looks only inside its clause, so bounding the clause keeps triage linear in
the length of the message (one 16,000-character run-on sentence took 20 s before)."""
_SOFT_BREAK = re.compile(r"[ ,，、]")


def _bounded(piece: str) -> list[str]:
    if len(piece) <= _MAX_CLAUSE:
        return [piece]
    parts: list[str] = []
    while len(piece) > _MAX_CLAUSE:
        cut = max(
            (m.start() for m in _SOFT_BREAK.finditer(piece, _MAX_CLAUSE // 2, _MAX_CLAUSE)),
            default=_MAX_CLAUSE,
        )
        parts.append(piece[: cut + 1])
        piece = piece[cut + 1 :]
    return [*parts, piece]


@dataclass(frozen=True)
class Clause:
    text: str
    subject: Subject
    explicit_subject: bool
    inherited_past: bool
    """An earlier clause of the same sentence told of a past episode ("去年中风过，说话不清")."""
    present: bool
    teaching: bool = False
    """The message asks to learn (a school project, nursing studies, a discharge summary to
    understand): its mentions without a present marker are not the patient's symptoms."""


def told_as_story_or_lesson(clauses: list[Clause]) -> bool:
    """The message tells a film's or the news' story, asks to learn, or asks what something
    means: a learned head (which sees no such context) must not raise it on its own."""
    return any(c.subject == "media" or c.teaching or _INFO_QUESTION.search(c.text) for c in clauses)


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: "#" * len(m.group(0)), text)


def split_clauses(normalised: str) -> list[Clause]:
    """Split a normalised message into clauses and work out each clause's subject and tense.

    The subject carries over to following clauses; a past *episode* ("去年中风过") carries over
    within the sentence until a present marker, a past *history* ("高血压病史") does not.
    """
    clauses: list[Clause] = []
    subject: Subject = "self"
    episode_past = False
    help_now = bool(_HELP_NOW.search(normalised)) and not _WHAT_IF.search(normalised)
    teaching = bool(_TEACHING.search(normalised))
    for sentence in re.split(r"[。.!?！？\n](?!\d)", normalised):
        episode_past = False
        for piece in (part for raw in _SPLIT.split(sentence) for part in _bounded(raw)):
            text = piece.strip(" ,")
            if not text:
                continue
            explicit = True
            if _MEDIA.search(text):
                subject = "media"
            elif _OTHER_PERSON.search(text):
                subject = "other"
            elif _FAMILY.search(text):
                subject = "family"
            elif _SELF.search(text):
                subject = "self"
            else:
                explicit = False
            present = bool(_PRESENT.search(text)) or (subject == "other" and help_now)
            clauses.append(Clause(text, subject, explicit, episode_past, present, teaching))
            if _PAST_EPISODE.search(text):
                episode_past = bool(_nearest_is_past(text, len(text), len(text)))
            elif present:
                episode_past = False
    return clauses


def _nearest_is_past(text: str, start: int, end: int) -> bool | None:
    """Tense of the time marker nearest to text[start:end]; None when the clause has none.

    "had a stroke 5 years ago, now fine" -> the stroke is past; "Hx of MI, now chest pain" ->
    the chest pain is present. A history marker ("病史", "h/o") reaches forward, and back only
    onto the words it directly follows ("过敏性休克病史").
    """
    best: tuple[int, bool] | None = None
    markers = [(m, True) for m in _PAST_EPISODE.finditer(text)]
    markers += [
        (m, True)
        for m in _PAST_HISTORY.finditer(text)
        if m.end() <= start + 1 or 0 <= m.start() - end <= 1
    ]
    markers += [(m, False) for m in _PRESENT.finditer(text)]
    for match, is_past in markers:
        if match.start() < end and match.end() > start:
            distance = 0
        else:
            distance = start - match.end() if match.end() <= start else match.start() - end
        if best is None or distance < best[0]:
            best = (distance, is_past)
    return None if best is None else best[1]


def _is_negated(prefix: str, chinese: bool) -> bool:
    if chinese:
        window = _mask(prefix[-_WINDOW_ZH:], _POSITIVE_ZH)
        cues = list(_NEGATION_ZH.finditer(window))
        breaker = _BREAK_ZH
    else:
        window = _mask(prefix[-_WINDOW_EN:], _POSITIVE_EN)
        cues = list(_NEGATION_EN.finditer(window))
        breaker = _BREAK_EN
    if not cues:
        return False
    after_cue = (
        _AUXILIARY_EN.sub("", window[cues[-1].end() :]) if not chinese else window[cues[-1].end() :]
    )
    return not breaker.search(after_cue)


def mention_counts(
    clause: Clause, start: int, end: int, *, hypothetical_counts: bool = False
) -> bool:
    """Whether the mention clause.text[start:end] is a current symptom of the patient.

    ``hypothetical_counts``: the question itself is the warning sign ("how many pills would
    kill me", "如果吃一整瓶会死吗"), so hypothetical framing does not discount it.
    """
    prefix = clause.text[:start]
    chinese = bool(re.search(r"[\u4e00-\u9fff]", clause.text[start:end]))
    if _is_negated(prefix, chinese):
        return False
    hypothetical = (
        _HYPOTHETICAL_PRE.search(prefix)
        or _HYPOTHETICAL_POST.search(clause.text[end:])
        or (not clause.present and (clause.teaching or _INFO_QUESTION.search(clause.text)))
    )
    if hypothetical and not hypothetical_counts:
        return False
    after = clause.text[end : end + 2]
    if (
        after.startswith("过")
        and not after.startswith(("过敏", "过量", "过度"))
        and not clause.present
    ):
        return False  # "中风过", "胸痛过": it happened before
    tense_past = _nearest_is_past(clause.text, start, end)
    if tense_past or (tense_past is None and clause.inherited_past):
        return False
    if clause.subject == "media":
        return False
    return clause.subject != "other" or clause.present
