"""Leave errors (请假): rule refusals are `RuleViolation`s built from `rules.Finding`; these are the rest."""

from __future__ import annotations

from servicehall.core.errors import DomainError


class StepNotPending(DomainError):
    """The approval step was already decided (e.g. a racing second approver) or is not yet due."""

    status = 409
    code = "conflict"

    def __init__(self, *, step_id: int, status: str) -> None:
        super().__init__(
            f"该审批步骤当前状态为“{status}”，不能再审批 (step {step_id} is {status})", step_id=step_id
        )


class LeaveNotOpen(DomainError):
    """The leave request is not in a state that allows this action."""

    status = 409
    code = "conflict"

    def __init__(self, *, leave_id: int, status: str, action: str) -> None:
        super().__init__(
            f"请假申请当前状态为“{status}”，不能{action} (leave {leave_id} is {status})", leave_id=leave_id
        )


class CoverAlreadyCheckedIn(DomainError):
    status = 409
    code = "conflict"

    def __init__(self, *, cover_id: int) -> None:
        super().__init__("顶岗人员已登记到岗 (the cover has already checked in)", cover_id=cover_id)
