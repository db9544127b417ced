"""Building blocks for policy sections: strict models, fields that carry their rule ID, rule errors.

Django-free: rule engines import policy sections directly.

Conventions for section authors
-------------------------------
* Every value is declared with `rule_field(default, rule="ATT-3", doc="English text (中文术语)", ge=0, ...)`.
  Field-level errors (wrong type, negative, unknown key) are reported with the field's path and that rule.
* A validator that checks several values together (ordering of a list, one value against another) raises
  `PolicyRuleError(rule, message, field=...)`:

      @model_validator(mode="after")
      def _tiers_increase(self) -> Self:
          if not increasing(self.approval_tiers):
              raise PolicyRuleError("LEAVE-1", "max_days must increase strictly", field="approval_tiers")
          return self

  `field` (dotted, relative to the model whose validator raises) is appended to the error path, so the
  message reads `leave.approval_tiers: [...] max_days must increase strictly (LEAVE-1)`. In a
  `field_validator` leave `field` empty: pydantic already puts the field in the path.
  `PolicyRuleError` is a `ValueError`, so pydantic collects it with the other errors of the same file.
* Fallbacks, so no rule ID is ever lost: a plain `ValueError` whose message starts with a rule ID
  (`"LEAVE-1: max_days must increase"`) and a `PydanticCustomError(..., {"rule": "LEAVE-1"})` are
  understood too; otherwise the rule of the innermost field on the path is cited.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

RULE_ID = re.compile(r"\b(ORG|CAT|CASE|SUP|ASK|Q|ATT|LEAVE|EVAL|LANG|CON|INT)(-\d+)?\b")
"""A rule ID of REGULATIONS.md (`ATT-3`, or a family such as `CON`)."""


class StrictModel(BaseModel):
    """Unknown keys are errors, so a typo in a policy file is never silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class PolicyRuleError(ValueError):
    """A cross-field check of a policy failed; `rule` is the rule ID, `field` the offending sub-path."""

    def __init__(self, rule: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.field = field
        self.message = message


def rule_field(default: Any = ..., *, rule: str, doc: str, **constraints: Any) -> Any:
    """A policy value documented with the rule it implements; `policy check` errors cite `rule`.

    `default` may be a value or a zero-argument factory: `list`, `lambda: [...]` or a sub-model class
    (its defaults). A policy value is never itself a class or a function, so any callable is a factory.
    """
    extra: dict[str, JsonValue] = {"rule": rule}
    if callable(default):
        return Field(default_factory=default, description=doc, json_schema_extra=extra, **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


def field_rule(model: type[BaseModel], name: str) -> str | None:
    """The rule ID declared on `model.name` with `rule_field`, if any."""
    field = model.model_fields.get(name)
    if field is None:
        return None
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    rule = extra.get("rule")
    return rule if isinstance(rule, str) else None
