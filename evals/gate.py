"""The release gate: metric thresholds from a versioned YAML file (``evals/gate.yaml``).

A threshold is ``{min: x}`` or ``{max: x}`` on a metric's point value, overall or for a tag.
A metric with no data (no case measures it) is reported ``skipped``, not passed silently:
``require_data: true`` on a threshold turns that into a failure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import ValidationFailed
from evals.metrics import MetricTable, Report

DEFAULT_GATE = Path(__file__).resolve().parent / "gate.yaml"


class Threshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min: float | None = None
    max: float | None = None
    require_data: bool = True

    @model_validator(mode="after")
    def _one_bound(self) -> Threshold:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min or max")
        return self


class GateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    max_error_rate: float = Field(0.0, ge=0, le=1)
    overall: dict[str, Threshold] = Field(default_factory=dict)
    by_tag: dict[str, dict[str, Threshold]] = Field(default_factory=dict)


class GateCheck(BaseModel):
    scope: str
    metric: str
    bound: str
    value: float | None
    status: Literal["pass", "fail", "skipped"]


class GateOutcome(BaseModel):
    passed: bool
    checks: list[GateCheck]


def load_gate(path: Path = DEFAULT_GATE) -> GateConfig:
    try:
        return GateConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ValidationFailed(
            f"gate file {path} does not exist",
            message_zh=f"门禁配置文件 {path} 不存在",
            code="gate_not_found",
            field="gate",
        ) from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValidationFailed(
            f"gate file {path} is invalid: {exc}",
            message_zh=f"门禁配置文件 {path} 格式有误",
            code="invalid_gate",
            field="gate",
        ) from exc


def _metric(table: MetricTable, name: str) -> float | None:
    if name in ("pass_at_1", "pass_hat_k"):
        return getattr(table, name)  # type: ignore[no-any-return]
    value = table.metrics.get(name)
    return value.value if value else None


def _judge(scope: str, table: MetricTable | None, name: str, t: Threshold) -> GateCheck:
    value = _metric(table, name) if table else None
    bound = f">= {t.min}" if t.min is not None else f"<= {t.max}"
    if value is None:
        status: Literal["pass", "fail", "skipped"] = "fail" if t.require_data else "skipped"
    elif t.min is not None:
        status = "pass" if value >= t.min else "fail"
    else:
        status = "pass" if t.max is not None and value <= t.max else "fail"
    return GateCheck(scope=scope, metric=name, bound=bound, value=value, status=status)


def evaluate_gate(gate: GateConfig, report: Report) -> GateOutcome:
    overall = report.overall
    checks = [_judge("overall", overall, name, t) for name, t in gate.overall.items()]
    for tag, thresholds in gate.by_tag.items():
        table = report.by_tag.get(tag)
        checks.extend(_judge(f"tag:{tag}", table, name, t) for name, t in thresholds.items())
    error_rate = overall.errors / overall.items if overall.items else 1.0
    checks.append(
        GateCheck(
            scope="overall",
            metric="error_rate",
            bound=f"<= {gate.max_error_rate}",
            value=round(error_rate, 4),
            status="pass" if error_rate <= gate.max_error_rate else "fail",
        )
    )
    return GateOutcome(passed=all(c.status != "fail" for c in checks), checks=checks)
