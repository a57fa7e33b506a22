"""Pick the primary model and the reviewer from settings (configured separately)."""

from __future__ import annotations

from agent.llm.base import ChatProvider, ReviewerProvider
from core.errors import ConfigurationError
from core.settings import Settings


def make_primary(settings: Settings) -> ChatProvider:
    if settings.llm_provider == "offline":
        from agent.llm.offline.engine import OfflineChatProvider

        return OfflineChatProvider()
    from agent.llm.openai_provider import EndpointConfig, OpenAIChatProvider

    if not settings.llm_base_url:
        raise ConfigurationError("HM_LLM_BASE_URL is required when HM_LLM_PROVIDER=openai")
    return OpenAIChatProvider(
        EndpointConfig(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            backoff_s=settings.llm_backoff_s,
        )
    )


def make_reviewer(settings: Settings) -> ReviewerProvider:
    if settings.reviewer_provider == "offline":
        from agent.llm.offline.reviewer import OfflineReviewer

        return OfflineReviewer()
    from agent.llm.openai_provider import EndpointConfig, OpenAIReviewer

    if not settings.reviewer_base_url:
        raise ConfigurationError(
            "HM_REVIEWER_BASE_URL is required when HM_REVIEWER_PROVIDER=openai"
        )
    return OpenAIReviewer(
        EndpointConfig(
            base_url=settings.reviewer_base_url,
            model=settings.reviewer_model,
            api_key=settings.reviewer_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
            backoff_s=settings.llm_backoff_s,
        )
    )
