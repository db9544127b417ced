"""When a case's yellow and red cards (黄牌预警 / 红牌) become due (SUP-1): pure functions, no Django.

D is the deadline clock's due date (`cases.deadlines.due_at`: pauses, extensions, closing time).
Yellow is due at 00:00 of the working day `yellow_lead` working days before D (0 → D), or at the
acceptance when that is later. Red is due at 00:00 of the calendar day after D (N = 0), or after the
N-th working day after D. An instant on a paused day moves to 00:00 of the day after the pause ends.
A card is not raised when the case was concluded strictly before its instant.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from servicehall.cases.deadlines import Pause, due_at
from servicehall.workdays.calendar import WorkCalendar

YELLOW, RED = "yellow", "red"
COLOURS = (YELLOW, RED)
MIDNIGHT = time(0, 0)


@dataclass(frozen=True, slots=True)
class CardTiming:
    """One colour's due instant for one case and the values that made it (the card's evidence)."""

    colour: str
    rule_id: str
    due_date: date  # D, the case's due date
    due_at: datetime  # the instant the card becomes due (naive local time)
    used: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:  # a timing is a value, never a yes/no answer
        raise TypeError("CardTiming has no truth value; compare due_at instead")

    def raised_by(self, at: datetime, concluded_at: datetime | None) -> bool:
        """Due at or before `at`, and not concluded strictly before the instant (SUP-1)."""
        if self.due_at > at:
            return False
        return concluded_at is None or not concluded_at < self.due_at


def working_day_before(day: date, n: int, calendar: WorkCalendar) -> date:
    """The working day `n` working days before `day` (n = 0 gives `day`)."""
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def after_pauses(instant: datetime, pauses: Sequence[Pause]) -> datetime:
    """`instant` moved to 00:00 of the day after the pause covering its day, repeatedly (SUP-1)."""
    moved = True
    while moved:
        moved = False
        for pause in pauses:
            if pause.covers(instant.date()):
                instant = datetime.combine(pause.end + timedelta(days=1), MIDNIGHT)
                moved = True
    return instant


def card_timings(
    *,
    accepted_at: datetime,
    limit_days: int,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
    calendar: WorkCalendar,
    closing: time | None,
    yellow_lead_working_days: int,
    red_after_due_working_days: int,
) -> tuple[CardTiming, CardTiming]:
    """The yellow and red timings of one accepted case; both carry SUP-1 (a red never withdraws the yellow)."""
    paused = tuple(pauses)
    extensions = [extension_days] if extension_days else []
    due = due_at(accepted_at, limit_days, paused, extensions, calendar, closing=closing)
    used: dict[str, Any] = {
        "accepted_at": f"{accepted_at:%Y-%m-%d %H:%M}",
        "limit_days": limit_days,
        "extension_days": extension_days,
        "pauses": [f"{p.start.isoformat()}:{p.end.isoformat()}" for p in paused],
        "closing_time": f"{closing:%H:%M}" if closing else None,
        "due_date": due.isoformat(),
    }
    yellow_day = working_day_before(due, yellow_lead_working_days, calendar)
    yellow_at = after_pauses(max(datetime.combine(yellow_day, MIDNIGHT), accepted_at), paused)
    red_day = calendar.add_working_days(due, red_after_due_working_days) + timedelta(days=1)
    red_at = after_pauses(datetime.combine(red_day, MIDNIGHT), paused)
    yellow = CardTiming(
        YELLOW,
        "SUP-1",
        due,
        yellow_at,
        {
            **used,
            "yellow_card_lead_working_days": yellow_lead_working_days,
            "yellow_date": yellow_day.isoformat(),
        },
    )
    red = CardTiming(
        RED,
        "SUP-1",
        due,
        red_at,
        {**used, "red_card_after_due_working_days": red_after_due_working_days},
    )
    return yellow, red
