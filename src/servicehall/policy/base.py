"""Building blocks for policy sections: strict models and fields that carry their rule ID.

Django-free: rule engines import policy sections directly.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Unknown keys are errors, so a typo in a policy file is never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


def rule_field(default: Any = ..., *, rule: str, doc: str, **constraints: Any) -> Any:
    """A policy value documented with the rule it implements; `policy check` errors cite `rule`."""
    extra = {"rule": rule}
    if callable(default) and not isinstance(default, type):
        return Field(default_factory=default, description=doc, json_schema_extra=extra, **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)
