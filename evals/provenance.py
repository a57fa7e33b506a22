"""What a run was run against: model and reviewer, prompt, knowledge-base and code versions."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
from pathlib import Path

from pydantic import BaseModel

from core.settings import Settings
from knowledge.manifest import read_manifest
from tools.catalog import default_registry

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
PROMPT_FILES = (
    "agent/prompts.py",
    "agent/llm/offline/templates.yaml",
    "agent/llm/offline/intents.yaml",
    "agent/data/dialogue.yaml",
)


class Provenance(BaseModel):
    target: str
    """``in-process`` or the base URL of the service under test."""
    provider: str | None = None
    model: str | None = None
    reviewer: str | None = None
    reviewer_model: str | None = None
    kb_version: str | None = None
    kb_name: str | None = None
    embedder: str | None = None
    git_commit: str | None = None
    git_dirty: bool | None = None
    prompt_version: str
    judge_rules_version: int
    tool_schemas: str = ""
    """Hash of the tool schemas the model is offered (names, descriptions, parameters)."""


def prompt_version(root: Path = ROOT) -> str:
    """Hash of the prompts module and the offline engine's templates and intents."""
    digest = hashlib.sha256()
    for name in PROMPT_FILES:
        path = root / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    return digest.hexdigest()[:16]


def tool_schema_version() -> str:
    schemas = json.dumps(default_registry().schemas(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(schemas.encode()).hexdigest()[:16]


def git_commit(root: Path = ROOT) -> tuple[str | None, bool | None]:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.info("no git commit recorded: %s", exc)
        return None, None
    if commit.returncode != 0:
        return None, None
    return commit.stdout.strip(), bool(status.stdout.strip()) if status.returncode == 0 else None


def in_process_provenance(settings: Settings, index_dir: Path) -> Provenance:
    from evals.judge_rules import judge_rules

    manifest = read_manifest(index_dir)
    commit, dirty = git_commit()
    openai = settings.llm_provider == "openai"
    reviewer_openai = settings.reviewer_provider == "openai"
    return Provenance(
        target="in-process",
        provider=settings.llm_provider if not openai else f"openai:{settings.llm_base_url}",
        model=settings.llm_model if openai else "offline-engine",
        reviewer=settings.reviewer_provider,
        reviewer_model=settings.reviewer_model if reviewer_openai else "offline-reviewer",
        kb_version=manifest.current.kb_version if manifest else None,
        kb_name=manifest.current.name if manifest else None,
        embedder=manifest.current.embedder if manifest else None,
        git_commit=commit,
        git_dirty=dirty,
        prompt_version=prompt_version(),
        tool_schemas=tool_schema_version(),
        judge_rules_version=judge_rules().version,
    )


def http_provenance(base_url: str) -> Provenance:
    """A live service tells nothing about its versions over /v1; the local checkout's are kept
    only as the judge's side (prompt hash, judge rules)."""
    from evals.judge_rules import judge_rules

    commit, dirty = git_commit()
    return Provenance(
        target=base_url,
        git_commit=commit,
        git_dirty=dirty,
        prompt_version=prompt_version(),
        tool_schemas=tool_schema_version(),
        judge_rules_version=judge_rules().version,
    )
