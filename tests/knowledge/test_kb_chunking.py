"""Chunking: sentence boundaries, sizes, heading paths, stable ids."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.chunking import chunk_document, pack_sentences, split_sentences
from knowledge.documents import load_documents, parse_document
from tests.knowledge.factories import FIXTURE_CORPUS, front_matter

TERMINALS = tuple("。！？；.!?")


def test_split_chinese_sentences() -> None:
    assert split_sentences("第一句。第二句！第三句？第四句；尾巴") == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四句；",
        "尾巴",
    ]


def test_split_english_sentences_keeps_decimals_whole() -> None:
    text = "Keep it below 5.6 mmol/L today. Next one! Really? yes"
    assert split_sentences(text) == [
        "Keep it below 5.6 mmol/L today.",
        "Next one!",
        "Really?",
        "yes",
    ]


def test_closing_quote_stays_with_its_sentence() -> None:
    assert split_sentences("医生说：“要少吃盐。”然后回家。") == [
        "医生说：“要少吃盐。”",
        "然后回家。",
    ]


def test_packing_by_hand() -> None:
    sentence = "一二三四五六七八九。"  # 10 characters
    # 10 → 20 → 30 (reached target 25) | 10 → 20; the 20-char tail cannot join (30 + 20 > 35).
    chunks = pack_sentences([sentence] * 5, target_chars=25, max_chars=35)
    assert [len(c) for c in chunks] == [30, 20]
    assert chunks[0] == sentence * 3


def test_short_tail_joins_previous_chunk_when_it_fits() -> None:
    chunks = pack_sentences(["甲" * 29 + "。", "乙。"], target_chars=20, max_chars=40)
    assert chunks == ["甲" * 29 + "。乙。"]


def test_overlong_sentence_is_cut_at_commas() -> None:
    sentence = "，".join(["字" * 9] * 6) + "。"  # 59 characters, commas every 10
    chunks = pack_sentences([sentence], target_chars=15, max_chars=20)
    assert all(len(c) <= 20 for c in chunks)
    assert "".join(chunks) == sentence
    assert all(c.endswith(("，", "。")) for c in chunks)


def test_english_sentences_are_joined_with_a_space() -> None:
    assert pack_sentences(["One.", "Two."], 100, 200) == ["One. Two."]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=120), st.sampled_from("。！？；")),
        min_size=1,
        max_size=30,
    )
)
def test_no_chunk_ends_mid_sentence(shapes: list[tuple[int, str]]) -> None:
    sentences = ["字" * n + end for n, end in shapes]
    chunks = pack_sentences(sentences, target_chars=200, max_chars=300)
    assert "".join(chunks) == "".join(sentences)
    assert all(chunk.endswith(TERMINALS) for chunk in chunks)
    assert all(len(chunk) <= 300 for chunk in chunks)


def test_fixture_documents_chunk_on_sentence_boundaries() -> None:
    documents = load_documents(FIXTURE_CORPUS)
    assert documents  # an empty corpus would pass the loop below
    for document in documents:
        chunks = chunk_document(document, target_chars=60, max_chars=200)
        assert chunks, document.meta.id
        for chunk in chunks:
            assert chunk.text.endswith(TERMINALS), chunk.text
            assert len(chunk.text) <= 200
            assert chunk.doc_id == document.meta.id
            assert chunk.heading  # every fixture paragraph sits under a ## heading


BODY = """# 标题

开头一句。

## 饮食

### 少盐

少放盐。少吃腌制食品。

- 多吃蔬菜
- 多吃水果

## 运动

每周运动。
"""


def _doc(body: str = BODY) -> list[str]:
    document = parse_document(front_matter(title="标题") + body, Path("t.md"))
    return [f"{c.heading}|{c.text}|{c.chunk_id}" for c in chunk_document(document, 300, 400)]


def test_heading_paths_and_list_items() -> None:
    rows = [row.rsplit("|", 1)[0] for row in _doc()]
    assert rows == [
        "|开头一句。",  # before the first ## heading; the '# 标题' equal to the title is dropped
        "饮食 > 少盐|少放盐。少吃腌制食品。多吃蔬菜 多吃水果",
        "运动|每周运动。",
    ]


def test_chunk_ids_are_stable_and_content_addressed() -> None:
    first, second = _doc(), _doc()
    assert first == second
    changed = _doc(BODY.replace("每周运动。", "每周规律运动。"))
    assert changed[:2] == first[:2]  # untouched sections keep their ids
    assert changed[2].rsplit("|", 1)[1] != first[2].rsplit("|", 1)[1]


def test_chunk_context_carries_title_and_heading() -> None:
    document = parse_document(front_matter(title="标题") + BODY, Path("t.md"))
    chunk = chunk_document(document, 300, 400)[1]
    assert chunk.context == "标题 > 饮食 > 少盐"
    assert chunk.indexed_text.startswith("标题 > 饮食 > 少盐\n少放盐。")
