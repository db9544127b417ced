"""Queue errors (排队叫号); each names its rule."""

from __future__ import annotations

from servicehall.core.errors import RuleViolation


class WindowPaused(RuleViolation):
    """A paused window (暂停服务) cannot call numbers until it resumes (ORG-6)."""

    def __init__(self, *, window_number: str) -> None:
        super().__init__(
            "ORG-6", f"{window_number}号窗口暂停服务中，请先恢复服务再叫号", window=window_number
        )


class NoTicketInHand(RuleViolation):
    """Recall, skip, transfer and finish act on the ticket the window called (Q-1)."""

    def __init__(self, *, window_number: str) -> None:
        super().__init__("Q-1", f"{window_number}号窗口当前没有正在办理的号码", window=window_number)


class NeedsStaffConfirmation(RuleViolation):
    """Priority other than age-by-ID and appointment is granted by staff (Q-2, CASE-11)."""

    def __init__(self, *, group: str) -> None:
        super().__init__("Q-2", f"“{group}”优先须由工作人员确认，请到咨询台或窗口办理", group=group)


class SlotFull(RuleViolation):
    def __init__(self, *, day: str, slot: str, capacity: int) -> None:
        super().__init__(
            "Q-2", f"{day} {slot} 时段已约满（每时段 {capacity} 人），请选择其他时段", capacity=capacity
        )
