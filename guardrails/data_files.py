"""Loading the guardrails' versioned YAML data files into validated pydantic models."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from core.errors import ConfigurationError

DATA_DIR = Path(__file__).with_name("data")

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_data_file(name: str, model: type[ModelT]) -> ModelT:
    """Read ``guardrails/data/<name>`` and validate it; a broken file is a configuration error."""
    path = DATA_DIR / name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return model.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ConfigurationError(
            f"guardrails data file {name} cannot be loaded: {exc}",
            message_zh=f"安全规则数据文件 {name} 无法加载",
            field=name,
        ) from exc
