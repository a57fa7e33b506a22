"""Lexical analysis for BM25: normalise, segment Chinese with jieba, lower-case English.

Queries and documents go through the same path, so a traditional-character, full-width or
Cantonese query meets the simplified corpus on equal terms (``core.text.normalise``).
jieba runs in search mode (long words plus their sub-words: 高血压 → 血压, 高血压), on a private
tokenizer instance so that words added here never change segmentation elsewhere in the process.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import lru_cache

import jieba

from core.text import normalise

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*|[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Function words that carry no topic. Kept short on purpose: medical words such as 不 (in 不适)
# survive because jieba keeps them inside longer words.
_STOP_WORDS_TEXT = """
    的 了 和 与 及 或 是 在 有 也 都 就 而 并 但 又 把 被 对 为 以 于 从 向 等 个 之 其 这 那 些
    我 你 他 她 它 我们 你们 他们 吗 呢 吧 啊 呀 哦 嗯 么 什么 怎么 怎样 如何 哪些 为什么 是否
    可以 能 能否 需要 应该 应 要 会 请 请问 一下 一些 一个 有没有 是不是 没有 不 很 更 最 还
    a an and are as at be been but by can could do does for from how i if in into is it its me
    my of on or should so than that the their them then there these they this to was we were
    what when where which who why will with would you your
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORDS_TEXT.split())

# Medical compounds jieba's general dictionary splits apart; adding them keeps each one a token
# (search mode still emits the parts: 糖尿病足 → 糖尿, 糖尿病, 糖尿病足).
_MEDICAL_TERMS_TEXT = """
    二甲双胍 胰岛素 糖化血红蛋白 低密度脂蛋白 高密度脂蛋白 低血糖 高血糖
    糖尿病足 妊娠期糖尿病 子痫前期 慢阻肺 慢性阻塞性肺疾病 心力衰竭 心衰
    慢性肾脏病 血脂异常 高尿酸血症 骨质疏松 脑卒中 卒中 心肌梗死 心梗
    体质指数 腰围 他汀 降压药 血压计 血糖仪 家庭血压 动态血压 幽门螺杆菌
    流感疫苗 肺炎球菌疫苗 戒烟 限盐 减重 抑郁 焦虑 中风 脑梗 脑出血 胸闷
    胸痛 心绞痛 肌酐 尿酸 痛风 转氨酶
"""
MEDICAL_TERMS: tuple[str, ...] = tuple(_MEDICAL_TERMS_TEXT.split())
_TERM_FREQ = 5000
_RULES_REVISION = 1
"""Bump when tokenisation changes in a way the word lists below do not show."""


def analyzer_version() -> str:
    """Identifies the tokenisation rules; a BM25 index built under other rules is stale."""
    material = "\n".join(
        [str(_RULES_REVISION), *sorted(STOP_WORDS), *MEDICAL_TERMS, jieba.__version__]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:12]


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for term in MEDICAL_TERMS:
        # A generous frequency so that the term wins against its neighbours too: without it
        # 中风能 splits as 中 / 风能 ("wind energy").
        tokenizer.add_word(term, freq=max(tokenizer.suggest_freq(term, False), _TERM_FREQ))
    return tokenizer


def tokenize(text: str) -> list[str]:
    """Normalised BM25 tokens of ``text``, stop words removed."""
    return list(_cached_tokens(text))


@lru_cache(maxsize=4096)
def _cached_tokens(text: str) -> tuple[str, ...]:
    canonical = normalise(text)
    tokens: list[str] = []
    for piece in _WORD.findall(canonical):
        if _CJK.match(piece):
            words = _tokenizer().lcut_for_search(piece)
            tokens.extend(w for w in words if w not in STOP_WORDS)
        elif piece not in STOP_WORDS:
            tokens.append(piece)
    return tuple(tokens)
