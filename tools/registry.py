"""Tool registry: the one place that turns domain functions into model-callable tools.

A tool is a typed function ``fn(args: InputModel, ctx: ToolContext) -> OutputModel``. Its
docstring (or ``description``) is what the model is told; its input model's JSON schema is the
tool-calling schema. Tools return data and raise ``core.errors.ServiceError`` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from core.errors import NotFound, ValidationFailed
from core.text import Language

if TYPE_CHECKING:
    from tools.readings.models import PatientReadings

RecordKind = Literal["payment_plan", "insurance_quote", "referral", "reading", "health_task"]
"""The durable record a tool's successful result becomes (the API keeps one store per kind)."""

In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)


@dataclass(frozen=True)
class ToolContext:
    """Who is asking, on whose behalf, and what they have consented to."""

    tenant_id: str = "default"
    patient_id: str | None = None
    language: Language = "zh"
    consented_purposes: frozenset[str] = frozenset()
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    red_flags: Callable[[str], Any] | None = None
    """The semantic red-flag layer (``SemanticLayer.vote``): text → ``SemanticVote`` or None.
    Typed loosely here so the registry does not import the triage package."""
    readings: PatientReadings | None = None
    """The patient's stored alert profile and recent readings (chat turns load them); without
    them ``record_reading`` assesses the reading on its own."""


@dataclass(frozen=True)
class ToolSpec(Generic[In, Out]):
    name: str
    description: str
    input_model: type[In]
    output_model: type[Out]
    fn: Callable[[In, ToolContext], Out]
    card_type: str | None = None
    """When set, a successful result is shown to the patient as a card of this type."""
    record: RecordKind | None = None
    """When set, a successful result is kept as this kind of record (``api.services.
    turn_records``): the same store a chat turn and the HTTP tool endpoints use."""

    def json_schema(self) -> dict[str, Any]:
        """OpenAI-style function tool definition."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.input_model.model_json_schema(),
            },
        }

    def call(self, raw_args: dict[str, Any], ctx: ToolContext) -> Out:
        try:
            args = self.input_model.model_validate(raw_args)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise ValidationFailed(
                f"invalid arguments for {self.name}: {loc}: {first['msg']}",
                message_zh=f"{self.name} 参数无效：{loc}：{first['msg']}",
                field=loc or None,
            ) from exc
        return self.fn(args, ctx)


class ToolRegistry:
    def __init__(self, specs: list[ToolSpec[Any, Any]] | None = None) -> None:
        self._specs: dict[str, ToolSpec[Any, Any]] = {}
        self._schemas: dict[str, dict[str, Any]] = {}
        for spec in specs or []:
            self.register(spec)

    def register(self, spec: ToolSpec[Any, Any]) -> None:
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name!r} registered twice")
        self._specs[spec.name] = spec
        self._schemas[spec.name] = spec.json_schema()  # pydantic schema generation is slow

    def get(self, name: str) -> ToolSpec[Any, Any]:
        try:
            return self._specs[name]
        except KeyError:
            raise NotFound(f"unknown tool {name!r}", message_zh=f"未知工具 {name!r}") from None

    def record_of(self, name: str) -> RecordKind | None:
        """The record kind a tool's result becomes; None for an unknown tool or none."""
        spec = self._specs.get(name)
        return None if spec is None else spec.record

    def names(self) -> list[str]:
        return sorted(self._specs)

    def schemas(self, enabled: set[str] | None = None) -> list[dict[str, Any]]:
        return [
            schema
            for name, schema in sorted(self._schemas.items())
            if enabled is None or name in enabled
        ]
