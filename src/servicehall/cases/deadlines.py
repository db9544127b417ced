"""The deadline clock (承诺时限, CASE-5) as pure functions: no Django, no database.

`due_at` counts an item's promised working days on a `WorkCalendar` from the acceptance, skipping
paused days (补正, expert review, hearing, public notice — time excluded by law) and adding granted
extensions. An acceptance on a non-working day, or at/after the hall's closing time, counts from the
next working day. The day of acceptance itself is never counted (day 1 is the next working day).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from servicehall.core.errors import InputError, RuleViolation
from servicehall.workdays.calendar import PROVISIONAL_RULE, WorkCalendar, YearNotLoaded


@dataclass(frozen=True, slots=True)
class Pause:
    """Days on which the clock stands still, `start` to `end` inclusive (暂停计时)."""

    start: date
    end: date
    reason: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError("pause", f"CASE-5: 暂停结束日 {self.end} 早于开始日 {self.start}")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Extension:
    """Extra working days granted with a reason and the applicant's consent (延期, CASE-5)."""

    days: int
    reason: str = ""
    consent: bool = True


def effective_acceptance_day(accepted_at: datetime, calendar: WorkCalendar, *, closing: time | None) -> date:
    """The working day the acceptance counts on: the same day, or the next working day when the
    acceptance fell on a non-working day or at/after `closing`."""
    day = accepted_at.date()
    if closing is not None and accepted_at.time() >= closing:
        day += timedelta(days=1)
    return calendar.next_workday(day)


def due_at(
    accepted_at: datetime,
    limit_days: int,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension | int] = (),
    calendar: WorkCalendar | None = None,
    *,
    closing: time | None = time(18, 0),
) -> date:
    """The last working day on which the case must be finished (CASE-5).

    `accepted_at` is local wall-clock time. Paused days are not counted even when they are working days;
    a pause that lies on holidays changes nothing. `limit_days=0` (即办件) gives the acceptance day.
    """
    if calendar is None:
        raise InputError("calendar", "CASE-5: 计算承诺时限需要工作日历")
    if limit_days < 0:
        raise InputError("limit_days", "CASE-5: 承诺时限不能为负数", limit_days=limit_days)
    total = limit_days + sum(e if isinstance(e, int) else e.days for e in extensions)
    if total < 0:
        raise InputError("extensions", "CASE-5: 延期天数不能为负数")
    paused: Sequence[Pause] = tuple(pauses)
    day = effective_acceptance_day(accepted_at, calendar, closing=closing)
    remaining = total
    while remaining > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day) and not any(p.covers(day) for p in paused):
            remaining -= 1
    # 即办件 (nothing to count) accepted inside a pause: due on the first unpaused working day after it.
    while any(p.covers(day) for p in paused):
        day = calendar.next_workday(day, include_self=False)
    return day


@dataclass(frozen=True, slots=True)
class DueDate:
    """A due date and whether it is provisional: counted (partly) over a year whose calendar is not
    loaded, on weekdays only with 1 January off. It is recomputed when that year is loaded (CASE-5)."""

    on: date
    provisional_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def rule(self) -> str:
        return PROVISIONAL_RULE if self.provisional else "CASE-5"

    def __bool__(self) -> bool:  # a due date is a value, never a yes/no answer
        raise TypeError("DueDate has no truth value; use .on or .provisional")


def due_date(
    accepted_at: datetime,
    limit_days: int,
    pauses: Iterable[Pause] = (),
    extensions: Iterable[Extension | int] = (),
    calendar: WorkCalendar | None = None,
    *,
    closing: time | None = time(18, 0),
    provisional: bool = True,
) -> DueDate:
    """`due_at`, but a due date that falls in (or is counted across) an unloaded year does not stop the
    case: it is counted provisionally and says so. With `provisional=False` it raises `YearNotLoaded`."""
    if calendar is None:
        raise InputError("calendar", "CASE-5: 计算承诺时限需要工作日历")
    pauses, extensions = tuple(pauses), tuple(extensions)
    try:
        return DueDate(due_at(accepted_at, limit_days, pauses, extensions, calendar, closing=closing))
    except YearNotLoaded:
        if not provisional:
            raise
    lenient = calendar.with_provisional_years()
    on = due_at(accepted_at, limit_days, pauses, extensions, lenient, closing=closing)
    return DueDate(on, calendar.provisional_years_between(accepted_at.date(), on))


@dataclass(frozen=True, slots=True)
class ClockReading:
    """Working days left on the clock today (0 on the due day, negative once overdue, CASE-6), and
    whether that count ran over an unloaded year (then the supervision card is provisional too)."""

    days_left: int
    provisional: bool


def read_clock(
    due: date, today: date, calendar: WorkCalendar, *, due_provisional: bool = False
) -> ClockReading:
    """`working_days_left` that never stops on an unloaded year: the count is then provisional."""
    try:
        return ClockReading(calendar.working_days_between(today, due), due_provisional)
    except YearNotLoaded:
        days = calendar.with_provisional_years().working_days_between(today, due)
        return ClockReading(days, True)


def check_extension(
    *, days: int, reason: str, consent: bool, already_extended: int, cap: int, case_type_label: str = ""
) -> None:
    """Refuse an extension that lacks a reason, the applicant's consent, or goes over the policy cap."""
    if days <= 0:
        raise InputError("days", "CASE-5: 延期天数必须为正整数", days=days)
    if not reason.strip():
        raise RuleViolation("CASE-5", "延长办理时限须说明理由")
    if not consent:
        raise RuleViolation("CASE-5", "延长办理时限须事先告知申请人并征得同意（记录申请人同意）")
    if already_extended + days > cap:
        raise RuleViolation(
            "CASE-5",
            f"{case_type_label}延期合计不得超过 {cap} 个工作日（已延期 {already_extended} 日，本次申请 {days} 日）",
            cap=cap,
            already_extended=already_extended,
            days=days,
        )


def working_days_left(due: date, today: date, calendar: WorkCalendar) -> int:
    """Working days from `today` to `due`: 0 on the due day, negative once overdue (CASE-6)."""
    return calendar.working_days_between(today, due)


def parse_local_datetime(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` (or `YYYY-MM-DDTHH:MM`, or a bare date meaning 09:00) as a naive local time."""
    raw = text.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    try:
        return datetime.combine(date.fromisoformat(raw), time(9, 0))
    except ValueError:
        raise InputError("accepted", f"日期时间格式应为 YYYY-MM-DD HH:MM，收到 {text!r}") from None


def parse_pause(text: str) -> Pause:
    """`START:END` with ISO dates, both days included."""
    start, sep, end = text.partition(":")
    if not sep:
        raise InputError("pause", f"暂停应写作 START:END（如 2025-10-09:2025-10-10），收到 {text!r}")
    try:
        return Pause(date.fromisoformat(start.strip()), date.fromisoformat(end.strip()))
    except ValueError:
        raise InputError("pause", f"暂停日期应为 YYYY-MM-DD，收到 {text!r}") from None
