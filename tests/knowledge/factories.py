"""Test data for the knowledge base: corpus documents written into temporary directories."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURE_CORPUS = Path(__file__).parent / "fixtures" / "corpus"

FRONT_MATTER: dict[str, str] = {
    "id": "doc-a",
    "title": "测试文档",
    "source": "示例来源",
    "year": "2020",
    "section": "第一节",
    "language": "zh",
    "jurisdiction": "CN",
    "topics": "[hypertension]",
    "audience": "patient",
    "last_reviewed": "2026-11-22",
}


def front_matter(**changes: str | None) -> str:
    """YAML front matter from the defaults; a value of None drops the key."""
    fields = {**FRONT_MATTER, **changes}
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n"


def write_doc(
    directory: Path, name: str, body: str = "## 小节\n\n一句话。\n", **changes: str | None
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(front_matter(**changes) + "\n" + body, encoding="utf-8")
    return path


def copy_fixture_corpus(target: Path) -> Path:
    """A writable copy of the fixture corpus (tests that change documents use this)."""
    shutil.copytree(FIXTURE_CORPUS, target)
    return target
