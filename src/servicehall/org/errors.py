"""Organisation errors (组织与岗位); each names its rule. Django-free."""

from __future__ import annotations

from servicehall.core.errors import RuleViolation


class ChiefRepNotOfUnit(RuleViolation):
    """The chief representative (首席代表) is posted by the unit they represent (ORG-1)."""

    def __init__(self, *, unit_id: int, staff_id: int) -> None:
        super().__init__("ORG-1", "首席代表必须是本单位派驻的工作人员", unit_id=unit_id, staff_id=staff_id)


class ChiefRepWithoutUnit(RuleViolation):
    """A chief representative is posted by a stationed unit (ORG-2)."""

    def __init__(self, *, staff_id: int) -> None:
        super().__init__("ORG-2", "首席代表须由派驻单位派驻", staff_id=staff_id)


class WindowOutsideCentre(RuleViolation):
    """A person works only at windows of their own centre (ORG-1)."""

    def __init__(self, *, window_number: str, window_id: int) -> None:
        super().__init__("ORG-1", f"{window_number}号窗口不属于本服务中心", window_id=window_id)


class WindowOfAnotherUnit(RuleViolation):
    """A person works only at windows of the unit that posted them (ORG-2)."""

    def __init__(self, *, window_number: str, window_id: int) -> None:
        super().__init__("ORG-2", f"{window_number}号窗口不属于该人员的派驻单位", window_id=window_id)


class SamePersonAB(RuleViolation):
    """A and B of one post (AB岗) are two people (ORG-3)."""

    def __init__(self, *, staff_id: int) -> None:
        super().__init__("ORG-3", "A角和B角不能是同一人", staff_id=staff_id)


class PostingRefused(RuleViolation):
    """A posting whose dates the ORG-5 check refuses (e.g. it ends before it starts)."""

    def __init__(self, message: str) -> None:
        super().__init__("ORG-5", message.removeprefix("ORG-5: "), field="posted_until")


class PauseRefused(RuleViolation):
    """Pausing a window (暂停服务) must tell visitors where to go or when service resumes (ORG-6)."""

    def __init__(self, message: str, **facts: object) -> None:
        super().__init__("ORG-6", message, **facts)
