"""The base of every scenario model: immutable, strict about keys, described field by field."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Every part of a scenario: immutable; unknown keys are errors (typos are never ignored)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, use_attribute_docstrings=True
    )
