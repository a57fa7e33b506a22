"""Guideline documents: Markdown with YAML front matter, loaded and validated.

Every failure names the file and the offending field, because the person fixing it is editing
one Markdown file among many.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import KnowledgeBaseError

FRONT_MATTER_DELIMITER = "---"


class DocumentMeta(BaseModel):
    """The front matter every corpus document carries."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    """The public guideline this document paraphrases."""
    year: int = Field(ge=1900, le=2100)
    section: str = Field(min_length=1)
    """Section of the source guideline."""
    language: Literal["zh", "en"]
    jurisdiction: str = Field(min_length=1)
    topics: list[str] = Field(min_length=1)
    audience: str = Field(min_length=1)
    last_reviewed: dt.date

    @field_validator("section", "jurisdiction", "audience", "title", "source", mode="before")
    @classmethod
    def _scalar_to_str(cls, value: object) -> object:
        # YAML reads ``section: 4.2`` as a float; the section is a label, not a number.
        return str(value) if isinstance(value, int | float) else value


class KnowledgeDocument(BaseModel):
    model_config = ConfigDict(frozen=True)

    meta: DocumentMeta
    body: str
    path: Path


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str]:
    """Return (front matter mapping, body). The file must open with a ``---`` block."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FRONT_MATTER_DELIMITER:
        raise KnowledgeBaseError(
            f"{path}: missing front matter (the file must start with a '---' line)",
            message_zh=f"{path}：缺少文件头元数据（文件须以 '---' 行开头）",
            field="front_matter",
        )
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_DELIMITER)
    except StopIteration:
        raise KnowledgeBaseError(
            f"{path}: front matter is not closed by a '---' line",
            message_zh=f"{path}：文件头元数据缺少结束的 '---' 行",
            field="front_matter",
        ) from None
    try:
        data = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(
            f"{path}: front matter is not valid YAML: {exc}",
            message_zh=f"{path}：文件头元数据不是合法的 YAML",
            field="front_matter",
        ) from exc
    if not isinstance(data, dict):
        raise KnowledgeBaseError(
            f"{path}: front matter must be a mapping of keys to values",
            message_zh=f"{path}：文件头元数据必须是键值对",
            field="front_matter",
        )
    return data, "\n".join(lines[end + 1 :]).strip() + "\n"


def parse_document(text: str, path: Path) -> KnowledgeDocument:
    data, body = split_front_matter(text, path)
    try:
        meta = DocumentMeta.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "front_matter"
        problem = "missing" if first["type"] == "missing" else first["msg"]
        raise KnowledgeBaseError(
            f"{path}: front matter field {field!r}: {problem}",
            message_zh=f"{path}：文件头字段 {field!r} 有误（{problem}）",
            field=field,
            details={"path": str(path), "errors": len(exc.errors())},
        ) from exc
    if not body.strip():
        raise KnowledgeBaseError(
            f"{path}: document {meta.id!r} has an empty body",
            message_zh=f"{path}：文档 {meta.id!r} 正文为空",
            field="body",
        )
    return KnowledgeDocument(meta=meta, body=body, path=path)


def load_documents(corpus_dir: Path) -> list[KnowledgeDocument]:
    """Load every ``*.md`` under ``corpus_dir`` (sorted by path), refusing duplicate ids."""
    if not corpus_dir.is_dir():
        raise KnowledgeBaseError(
            f"corpus directory {corpus_dir} does not exist",
            message_zh=f"知识库目录 {corpus_dir} 不存在",
            field="corpus_dir",
        )
    documents: list[KnowledgeDocument] = []
    seen: dict[str, Path] = {}
    for path in sorted(corpus_dir.rglob("*.md")):
        if path.name.upper() == "README.MD":
            continue
        document = parse_document(path.read_text(encoding="utf-8"), path)
        doc_id = document.meta.id
        if doc_id in seen:
            raise KnowledgeBaseError(
                f"{path}: duplicate document id {doc_id!r} (also in {seen[doc_id]})",
                message_zh=f"{path}：文档 id {doc_id!r} 重复（另见 {seen[doc_id]}）",
                field="id",
                code="duplicate_document_id",
            )
        seen[document.meta.id] = path
        documents.append(document)
    if not documents:
        raise KnowledgeBaseError(
            f"corpus directory {corpus_dir} holds no Markdown documents",
            message_zh=f"知识库目录 {corpus_dir} 中没有 Markdown 文档",
            field="corpus_dir",
        )
    return documents
