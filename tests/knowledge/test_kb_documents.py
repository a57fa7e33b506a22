"""Front matter validation: every failure names the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import KnowledgeBaseError
from knowledge.documents import load_documents, parse_document
from tests.knowledge.factories import front_matter, write_doc


def test_valid_document_loads_with_typed_fields(tmp_path: Path) -> None:
    write_doc(tmp_path, "a.md", section="4.2", topics="[hypertension, diet]")
    [document] = load_documents(tmp_path)
    assert document.meta.id == "doc-a"
    assert document.meta.year == 2020
    assert document.meta.section == "4.2"  # YAML float read back as the label it is
    assert document.meta.topics == ["hypertension", "diet"]
    assert document.body.startswith("## 小节")


def _error(tmp_path: Path, text: str) -> KnowledgeBaseError:
    path = tmp_path / "bad.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_documents(tmp_path)
    assert "bad.md" in caught.value.message
    assert caught.value.message_zh and "bad.md" in caught.value.message_zh
    return caught.value


def test_missing_front_matter(tmp_path: Path) -> None:
    error = _error(tmp_path, "## 标题\n\n正文。\n")
    assert error.field == "front_matter"
    assert "must start with a '---' line" in error.message


def test_unclosed_front_matter(tmp_path: Path) -> None:
    error = _error(tmp_path, "---\nid: x\n## 标题\n正文。\n")
    assert error.field == "front_matter"
    assert "not closed" in error.message


def test_front_matter_that_is_not_yaml(tmp_path: Path) -> None:
    error = _error(tmp_path, "---\nid: [unclosed\n---\n正文。\n")
    assert error.field == "front_matter"
    assert "not valid YAML" in error.message


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    error = _error(tmp_path, "---\n- a\n- b\n---\n正文。\n")
    assert "mapping" in error.message


@pytest.mark.parametrize("key", ["id", "title", "source", "year", "language", "topics"])
def test_missing_key_is_named(tmp_path: Path, key: str) -> None:
    error = _error(tmp_path, front_matter(**{key: None}) + "正文。\n")
    assert error.field == key
    assert f"'{key}': missing" in error.message


@pytest.mark.parametrize(
    ("key", "value"),
    [("language", "fr"), ("year", "recent"), ("topics", "[]"), ("id", "'has space'")],
)
def test_invalid_value_is_named(tmp_path: Path, key: str, value: str) -> None:
    error = _error(tmp_path, front_matter(**{key: value}) + "正文。\n")
    assert error.field == key


def test_empty_body(tmp_path: Path) -> None:
    error = _error(tmp_path, front_matter() + "\n   \n")
    assert error.field == "body"


def test_duplicate_ids_name_both_files(tmp_path: Path) -> None:
    write_doc(tmp_path / "zh", "one.md")
    write_doc(tmp_path / "en", "two.md", language="en")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_documents(tmp_path)
    assert caught.value.instance_code == "duplicate_document_id"
    assert caught.value.field == "id"
    assert "one.md" in caught.value.message and "two.md" in caught.value.message


def test_missing_or_empty_corpus_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError) as missing:
        load_documents(tmp_path / "nope")
    assert missing.value.field == "corpus_dir"
    with pytest.raises(KnowledgeBaseError) as empty:
        load_documents(tmp_path)
    assert "no Markdown documents" in empty.value.message


def test_byte_order_mark_is_tolerated() -> None:
    document = parse_document("\ufeff" + front_matter() + "正文。\n", Path("x.md"))
    assert document.meta.id == "doc-a"
