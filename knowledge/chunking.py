"""Heading-aware chunking that never cuts a sentence in half.

A document body is split at Markdown headings; each section's sentences (Chinese 。！？；,
English .!?) are packed into chunks of about ``target_chars`` (never past ``max_chars`` unless a
single sentence is longer, which is then cut at commas). The heading path travels with every
chunk so that a passage about "diet" under "Hypertension > Lifestyle" still says what it is about.
A chunk's id is a hash of its document id, heading path and text: identical content keeps its id
across runs, which is what makes re-ingestion incremental.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from knowledge.documents import KnowledgeDocument

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)、])\s+")
# A sentence ends at Chinese 。！？； or English ! ? (plus closing quotes/brackets), or at a
# full stop followed by a space or the end, so that "5.6" stays whole. An English ';' joins
# clauses of one sentence and is not a boundary.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?])[”’」』）)\]]*|(?<=\.)[”’\"')\]]*(?=\s|$)")
_SOFT_BREAK = re.compile(r"(?<=[，、,：:;])")
_MERGE_TAIL_BELOW = 80


class Chunk(BaseModel):
    """One retrievable passage with the metadata of its document."""

    model_config = ConfigDict(frozen=True)

    chunk_id: str
    doc_id: str
    title: str
    source: str
    year: int
    section: str
    language: Literal["zh", "en"]
    jurisdiction: str
    topics: list[str]
    audience: str
    heading: str
    """Heading path inside the document, ``"Lifestyle > Salt"``; empty before the first one."""
    position: int
    text: str

    @property
    def context(self) -> str:
        return f"{self.title} > {self.heading}" if self.heading else self.title

    @property
    def indexed_text(self) -> str:
        """What is embedded and BM25-indexed: heading path, then the text."""
        return f"{self.context}\n{self.text}"


def chunk_id_for(doc_id: str, heading: str, text: str) -> str:
    digest = hashlib.sha256(f"{doc_id}\x1f{heading}\x1f{text}".encode()).hexdigest()
    return digest[:24]


def split_sentences(text: str) -> list[str]:
    """Split one paragraph into sentences, keeping the terminal punctuation."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end > start:
            pieces.append(text[start:end])
            start = end
    pieces.append(text[start:])
    return [piece.strip() for piece in pieces if piece.strip()]


def _cut_long(sentence: str, max_chars: int) -> list[str]:
    """A sentence longer than ``max_chars``: cut at commas, hard-cut only as a last resort."""
    parts: list[str] = []
    current = ""
    for piece in _SOFT_BREAK.split(sentence):
        while len(piece) > max_chars:
            parts.extend([current] if current else [])
            current = ""
            parts.append(piece[:max_chars])
            piece = piece[max_chars:]
        if current and len(current) + len(piece) > max_chars:
            parts.append(current)
            current = ""
        current += piece
    if current:
        parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def _sections(body: str, title: str) -> Iterator[tuple[str, list[str]]]:
    """Yield (heading path, paragraphs) per section; list items are paragraphs of their own."""
    stack: list[tuple[int, str]] = []
    paragraphs: list[str] = []
    current: list[str] = []

    def heading_path() -> str:
        return " > ".join(name for _, name in stack)

    def close_paragraph() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for raw in body.splitlines():
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            close_paragraph()
            if paragraphs:
                yield heading_path(), list(paragraphs)
                paragraphs.clear()
            level, name = len(heading.group(1)), heading.group(2).strip()
            stack[:] = [(lvl, text) for lvl, text in stack if lvl < level]
            if not (level == 1 and name == title):
                stack.append((level, name))
        elif not line:
            close_paragraph()
        elif _LIST_ITEM.match(line):
            close_paragraph()
            current.append(_LIST_ITEM.sub("", line))
            close_paragraph()
        else:
            current.append(line)
    close_paragraph()
    if paragraphs:
        yield heading_path(), paragraphs


def _join(left: str, right: str) -> str:
    if not left:
        return right
    # Chinese text needs no space between sentences; Latin text does.
    sep = "" if left[-1] in "。！？；：”」）" or right[:1] in "。！？；" else " "
    return f"{left}{sep}{right}"


def pack_sentences(sentences: list[str], target_chars: int, max_chars: int) -> list[str]:
    """Greedily pack whole sentences into chunks near ``target_chars``, none over ``max_chars``
    unless one sentence alone is longer (then it is cut at commas)."""
    units = [part for sentence in sentences for part in _cut_long(sentence, max_chars)]
    chunks: list[str] = []
    current = ""
    for unit in units:
        if current and (len(current) >= target_chars or len(current) + len(unit) > max_chars):
            chunks.append(current)
            current = ""
        current = _join(current, unit)
    if current:
        if (
            chunks
            and len(current) < _MERGE_TAIL_BELOW
            and len(chunks[-1]) + len(current) <= max_chars
        ):
            chunks[-1] = _join(chunks[-1], current)
        else:
            chunks.append(current)
    return chunks


def chunk_document(document: KnowledgeDocument, target_chars: int, max_chars: int) -> list[Chunk]:
    meta = document.meta
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for heading, paragraphs in _sections(document.body, meta.title):
        sentences = [s for paragraph in paragraphs for s in split_sentences(paragraph)]
        for text in pack_sentences(sentences, target_chars, max_chars):
            chunk_id = chunk_id_for(meta.id, heading, text)
            if chunk_id in seen:  # identical text under the same heading adds nothing
                continue
            seen.add(chunk_id)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id,
                    doc_id=meta.id,
                    title=meta.title,
                    source=meta.source,
                    year=meta.year,
                    section=meta.section,
                    language=meta.language,
                    jurisdiction=meta.jurisdiction,
                    topics=list(meta.topics),
                    audience=meta.audience,
                    heading=heading,
                    position=len(chunks),
                    text=text,
                )
            )
    return chunks


def chunk_documents(
    documents: list[KnowledgeDocument], target_chars: int, max_chars: int
) -> list[Chunk]:
    return [c for d in documents for c in chunk_document(d, target_chars, max_chars)]
