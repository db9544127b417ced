"""Errors of the case domain; each names the rule it enforces."""

from __future__ import annotations

from servicehall.core.errors import RuleViolation


class IllegalTransition(RuleViolation):
    """The state machine has no such step from the case's current status."""

    code = "illegal_transition"

    def __init__(self, *, rule_id: str, status: str, action: str, message: str) -> None:
        super().__init__(rule_id, message, status=status, action=action)


class SecondNoticeAsksForNewItem(RuleViolation):
    """一次告知、两次终结: a later notice may only repeat items of the first (CASE-3)."""

    def __init__(self, *, names: list[str]) -> None:
        super().__init__(
            "CASE-3",
            "第二次告知不得提出首次一次性告知书未列明的材料: " + "、".join(names),
            new_items=", ".join(names),
        )
