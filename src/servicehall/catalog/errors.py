"""Catalogue errors (CAT-1..3). Django-free so the rule engine in `rules.py` can raise them."""

from __future__ import annotations

from servicehall.core.errors import InputError, RuleViolation


class BadChangePayload(InputError):
    """A proposed change is malformed (unknown field, wrong type); `where` names the field."""

    status = 422


class InvalidItemChange(RuleViolation):
    """A proposed change breaks a catalogue rule; `field` names the offending field."""

    status = 422

    def __init__(self, rule_id: str, field: str, message: str, **facts: object) -> None:
        super().__init__(rule_id, message, field=field, **facts)
        self.field = field

    def __str__(self) -> str:
        return f"{self.rule_id}: {self.field}: {self.message}"


class RevisionAlreadyDecided(RuleViolation):
    """The revision was approved or rejected already (CAT-1); a second decision is refused."""

    def __init__(self, *, revision_id: int, status: str) -> None:
        super().__init__("CAT-1", "该事项变更已审核，不能重复审核", revision_id=revision_id, status=status)


class PendingRevisionExists(RuleViolation):
    """An item has at most one change waiting for the centre (CAT-1): approvals never overwrite each other."""

    def __init__(self, *, item_id: int, revision_id: int) -> None:
        super().__init__(
            "CAT-1",
            "该事项已有待中心审核的变更，请等待审核结果或撤回后再提交",
            item_id=item_id,
            revision_id=revision_id,
        )
