"""Pure queue rules (no Django): the calling order (Q-2, Q-3), the elderly check from an ID number (Q-2),
the call announcement (LANG-2) and the appointment slots of a day (Q-2).

Calling order for one window:
1. Priority tickets (70+, disabled, appointment, green channel) before ordinary ones (Q-2, Q-3 先急后缓) —
   unless the window has made `cap` priority calls in a row and an ordinary ticket waits: then the oldest
   ordinary ticket is next (starvation cap, Q-3).
2. Within a class, the window's preferred lines first (`line_order`), then the longest weighted wait
   (`weight` × waiting time), then first come first served (FIFO).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from servicehall.core.errors import InputError, RuleViolation
from servicehall.core.identity import IdKind, validate_id_number
from servicehall.policy.sections.queue import QueuePolicy


@dataclass(frozen=True, slots=True)
class Candidate:
    """A waiting ticket as one window sees it."""

    ticket_id: int
    priority: bool
    queued_at: datetime
    line_order: int = 1
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class CallingOrder:
    """The order in which a window should try to call; `cap_applied` says the Q-3 starvation cap decided it."""

    candidates: tuple[Candidate, ...]
    cap_applied: bool
    used: tuple[tuple[str, int], ...] = ()


def calling_order(candidates: Iterable[Candidate], *, streak: int, cap: int, now: datetime) -> CallingOrder:
    """Order `candidates` for a window that has made `streak` consecutive priority calls."""
    pool = list(candidates)

    def within_class(c: Candidate) -> tuple[int, float, datetime, int]:
        waited = max((now - c.queued_at).total_seconds(), 0.0)
        return (c.line_order, -waited * c.weight, c.queued_at, c.ticket_id)

    priority = sorted((c for c in pool if c.priority), key=within_class)
    ordinary = sorted((c for c in pool if not c.priority), key=within_class)
    cap_applied = cap > 0 and streak >= cap and bool(ordinary) and bool(priority)  # "after N" = at N
    ordered = ordinary + priority if cap_applied else priority + ordinary
    return CallingOrder(tuple(ordered), cap_applied, (("starvation_cap", cap), ("priority_streak", streak)))


def next_streak(streak: int, *, called_priority: bool) -> int:
    """Consecutive priority calls after one more call."""
    return streak + 1 if called_priority else 0


def birth_date_from_id(id_number: str) -> date:
    """Birth date of an 18-digit resident ID number (居民身份证号码, GB 11643) after checking it with the
    one shared validator (check digit, real date); a future birth date is judged by the caller's day."""
    value = validate_id_number(IdKind.RESIDENT_ID, id_number, field="id_number", today=date.max)
    if not value:
        raise InputError("id_number", "请填写身份证号码")
    return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def age_on(birth: date, day: date) -> int:
    """Completed years on `day` (a person born on 29 Feb has the birthday on 1 Mar in other years)."""
    had_birthday = (day.month, day.day) >= (birth.month, birth.day)
    return day.year - birth.year - (0 if had_birthday else 1)


def elderly_from_id(id_number: str, *, day: date, min_age: int) -> int:
    """The age if the holder is at least `min_age` on `day` (Q-2); otherwise RuleViolation."""
    birth = birth_date_from_id(id_number)
    if birth > day:
        raise InputError("id_number", "身份证号码中的出生日期晚于今天")
    age = age_on(birth, day)
    if age < min_age:  # "70 岁以上" is read as "aged 70 or more"
        raise RuleViolation("Q-2", f"未满{min_age}周岁，请取普通号", age=age, min_age=min_age)
    return age


def announcement(policy: QueuePolicy, *, number: str, window_number: str) -> str:
    """The sentence shown and spoken for a call (LANG-2: it says 请)."""
    return policy.announcement.format(number=number, window=window_number)


def slot_starts(policy: QueuePolicy) -> list[time]:
    """Every bookable slot start of a day, from the policy's periods and slot length."""
    starts: list[time] = []
    step = timedelta(minutes=policy.appointment_slot_minutes)
    for period in policy.appointment_periods:
        cursor = datetime.combine(date(2000, 1, 3), period.start)
        end = datetime.combine(date(2000, 1, 3), period.end)
        while cursor + step <= end:
            starts.append(cursor.time())
            cursor += step
    return starts
