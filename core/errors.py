"""The service's error tree.

Every error has a stable machine-readable ``code`` and an HTTP status; ``api`` maps them to a
JSON body in one handler. Messages are given in English and (optionally) Chinese so the caller
can answer in the user's language.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

Language = Literal["zh", "en"]


class ServiceError(Exception):
    """Base of all domain errors. Subclasses fix ``code`` and ``http_status``."""

    code: ClassVar[str] = "service_error"
    http_status: ClassVar[int] = 500
    retry_after_s: ClassVar[int | None] = None
    """Seconds after which the same request may succeed (the ``Retry-After`` header)."""

    def __init__(
        self,
        message: str,
        *,
        message_zh: str | None = None,
        code: str | None = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.field = field
        self.details = details or {}
        # An instance may refine the class code (e.g. "genetic_data_not_allowed").
        self.instance_code = code or type(self).code

    def localized(self, language: Language) -> str:
        if language == "zh" and self.message_zh:
            return self.message_zh
        return self.message

    def to_body(self, language: Language = "en") -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.instance_code,
            "message": self.localized(language),
        }
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(ServiceError):
    """The input is well-formed JSON but violates a domain rule (bad amount, unknown unit...)."""

    code = "validation_failed"
    http_status = 422


class NotFound(ServiceError):
    code = "not_found"
    http_status = 404


class Conflict(ServiceError):
    """The request conflicts with the current state (e.g. an illegal status transition)."""

    code = "conflict"
    http_status = 409


class Forbidden(ServiceError):
    code = "forbidden"
    http_status = 403


class ConsentMissing(Forbidden):
    """Health data would be shared or used for a purpose the patient has not consented to."""

    code = "consent_missing"


class Unauthorized(ServiceError):
    code = "unauthorized"
    http_status = 401


class RateLimited(ServiceError):
    code = "rate_limited"
    http_status = 429
    retry_after_s = 60


class ProviderUnavailable(ServiceError):
    """A model endpoint (primary or reviewer) failed after bounded retries."""

    code = "provider_unavailable"
    http_status = 503
    retry_after_s = 10


class DependencyUnavailable(ServiceError):
    """A backing service (database, Redis, Chroma) cannot be reached."""

    code = "dependency_unavailable"
    http_status = 503
    retry_after_s = 5


class KnowledgeBaseError(ServiceError):
    """The knowledge base cannot be built or read (bad front matter, duplicate ids...)."""

    code = "knowledge_base_error"
    http_status = 500


class ConfigurationError(ServiceError):
    code = "configuration_error"
    http_status = 500
