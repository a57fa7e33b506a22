"""Per-tenant policy: disclosure wording, enabled tools, extra banned phrases, PII echo policy.

One versioned YAML file per tenant under ``data/tenant_policies/<tenant_id>.yaml``, loaded once
and validated. A tenant without a file gets :func:`neutral_policy` (every tool, no wording, no
extra bans), never another tenant's settings. Policies are values: a turn gets its own tenant's
policy through the agent context, so one tenant's settings cannot leak into another's turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ConfigurationError
from core.text import Language, normalise
from guardrails.checks.disclosure import disclosure_patterns
from guardrails.data_files import DATA_DIR
from guardrails.pii import PiiKind

POLICY_DIR = DATA_DIR / "tenant_policies"
_TENANT_ID = r"^[a-z0-9][a-z0-9_-]*$"


class Disclosure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class PiiPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    echo_kinds: frozenset[PiiKind] = frozenset()
    """PII kinds a reply may repeat back to the patient; any other kind is a PII_LEAK."""


class TenantPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    tenant_id: str = Field(pattern=_TENANT_ID, max_length=64)
    disclosure: Disclosure | None = None
    """Wording every assistant reply of this tenant carries (appended when missing)."""
    require_ai_disclosure: bool = False
    """Replies must say that the patient is talking to an AI (checked as AI_DISCLOSURE)."""
    enabled_tools: frozenset[str] | None = None
    """Tool names this tenant's agent may call; ``None`` means every registered tool."""
    banned_phrases: tuple[str, ...] = ()
    pii: PiiPolicy = Field(default_factory=PiiPolicy)

    @model_validator(mode="after")
    def _ai_disclosure_is_satisfiable(self) -> TenantPolicy:
        """A tenant that requires the AI statement must word its disclosure to make it."""
        if not self.require_ai_disclosure:
            return self
        if self.disclosure is None:
            raise ValueError("require_ai_disclosure is set but there is no disclosure wording")
        pattern = disclosure_patterns().ai_statement
        for language, text in self.disclosure.model_dump().items():
            if re.search(pattern, normalise(text), re.ASCII) is None:
                raise ValueError(
                    f"require_ai_disclosure is set but the {language} disclosure does not say "
                    "that the assistant is an AI"
                )
        return self

    def disclosure_for(self, language: Language) -> str | None:
        return None if self.disclosure is None else getattr(self.disclosure, language)

    def with_disclosure(self, reply: str, language: Language) -> str:
        """``reply`` with the tenant's wording appended once (no-op when present or none)."""
        wording = self.disclosure_for(language)
        if not wording or not reply.strip() or normalise(wording) in normalise(reply):
            return reply
        return f"{reply.rstrip()}\n\n{wording}"

    def without_disclosure(self, reply: str, language: Language) -> str:
        """``reply`` without the tenant's wording: fixed text is not a claim to review."""
        wording = self.disclosure_for(language)
        return reply.replace(wording, "").rstrip() if wording else reply

    def required_phrases(self, language: Language) -> list[str]:
        wording = self.disclosure_for(language)
        return [wording] if wording else []


def neutral_policy(tenant_id: str) -> TenantPolicy:
    """The policy of a tenant that has no file: every tool, nothing added, nothing banned."""
    return TenantPolicy(version=1, tenant_id=tenant_id)


class TenantPolicies:
    """Every tenant's policy, by tenant id."""

    def __init__(self, policies: Iterable[TenantPolicy]) -> None:
        self._by_tenant = {policy.tenant_id: policy for policy in policies}

    def for_tenant(self, tenant_id: str) -> TenantPolicy:
        return self._by_tenant.get(tenant_id) or neutral_policy(tenant_id)

    def tenant_ids(self) -> list[str]:
        return sorted(self._by_tenant)


def load_tenant_policies(
    directory: Path = POLICY_DIR, *, known_tools: set[str] | None = None
) -> TenantPolicies:
    """Read and validate every ``<tenant_id>.yaml``; a broken file is a configuration error."""
    policies = [_load_one(path, known_tools) for path in sorted(directory.glob("*.yaml"))]
    return TenantPolicies(policies)


def _load_one(path: Path, known_tools: set[str] | None) -> TenantPolicy:
    try:
        policy = TenantPolicy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise _broken(path, str(exc)) from exc
    if policy.tenant_id != path.stem:
        raise _broken(path, f"tenant_id {policy.tenant_id!r} does not match the file name")
    unknown = sorted((policy.enabled_tools or set()) - (known_tools or set()))
    if known_tools is not None and unknown:
        raise _broken(path, f"unknown tools {unknown}")
    return policy


def _broken(path: Path, why: str) -> ConfigurationError:
    return ConfigurationError(
        f"tenant policy {path.name} is invalid: {why}",
        message_zh=f"租户策略文件 {path.name} 无效：{why}",
        code="invalid_tenant_policy",
        field=path.name,
    )


@lru_cache(maxsize=1)
def tenant_policies() -> TenantPolicies:
    """The shipped policies, loaded once per process and checked against the tool registry."""
    from tools.catalog import default_registry

    return load_tenant_policies(known_tools=set(default_registry().names()))
