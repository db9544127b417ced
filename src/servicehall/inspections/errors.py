"""Errors of inspections (EVAL-3)."""

from __future__ import annotations

from servicehall.core.errors import RuleViolation


class AlreadyContested(RuleViolation):
    """A finding may be contested once (申诉一次)."""

    def __init__(self, *, finding_id: int) -> None:
        super().__init__("EVAL-3", "该检查记录已申诉过一次，不能再次申诉", finding_id=finding_id)


class NotContested(RuleViolation):
    """Only a finding under appeal can be decided."""

    def __init__(self, *, finding_id: int, status: str) -> None:
        super().__init__("EVAL-3", "该检查记录不在申诉中", finding_id=finding_id, status=status)
