"""The attendance engine (考勤核算): a month of punches, leaves and inspections → results with their evidence.

Pure Python, no Django: plain records in, frozen dataclasses out (ATT-1..8, ATT-11, LEAVE-3).
Every number comes from `AttendancePolicy`; every finding is an `Event` naming the rule that produced it.

How a month is evaluated, per staff member (see docs/attendance.md):

1. Days: working days of the `WorkCalendar` (holidays are off, 调休 make-up weekend days are worked)
   get the policy's sessions for their weekday (ATT-1). Each session has two punch points (ATT-2):
   an in-point at its start and an out-point at its end.
2. Punches of one person are sorted; a punch within `duplicate_collapse_minutes` of the previous one
   collapses into it (the first of a burst counts). Each remaining punch belongs to the **nearest
   punch point of its day**; a punch exactly halfway between two points belongs to the earlier one.
   With `punch_window_minutes` set, a punch farther than that from its nearest point is ignored.
   The in-point keeps its first punch, the out-point its last.
3. Approved leave (and official business / cover, any kind with status `approved`) covering a
   session's start excuses its in-punch, covering its end excuses its out-punch. Pending or rejected
   leave excuses nothing (ATT-8).
4. Per session: late when the in-punch is MORE THAN `late_after_minutes` after start (ATT-3); a late
   of `late_half_day_minutes` or more is half a day of absence instead (ATT-5); early leave when the
   out-punch is `early_leave_minutes` OR MORE before the end (ATT-3); one missing point = one missed
   punch (ATT-6), or half a day of absence under the strict reading (ATT-7); no punch at all and
   nothing excusing = half a day of absence (ATT-8).
5. Per month: lates + early leaves ≥ `cumulative_threshold` → absence (ATT-4); missed punches → the
   highest step of `missed_punch_table` reached (ATT-6); off-post minutes per day MORE THAN
   `off_post_half_day_minutes` → absence (ATT-5); a missed weekly meeting → absence (ATT-11).
6. Leave days per kind count the sessions approved leave covers on working days; sick leave longer
   than one working day without a certificate counts as personal leave (LEAVE-3).
"""

from __future__ import annotations

import calendar as _stdcal
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import compress, islice, pairwise, repeat
from operator import ge, gt, le, lt, sub
from typing import Any, NamedTuple, cast
from zoneinfo import ZoneInfo

from servicehall.core.dates import check_date
from servicehall.core.errors import InputError
from servicehall.policy.sections.attendance import AttendancePolicy
from servicehall.workdays.calendar import WorkCalendar, YearNotLoaded

StaffId = Hashable
DAY = 86400
LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_MIN = datetime.min  # stands for a missing in-punch: never late
_MAX = datetime.max  # stands for a missing out-punch: never early

LEAVE_KINDS = (
    "personal",  # 事假
    "sick",  # 病假
    "annual",  # 年休假 / 公休假
    "marriage",  # 婚假
    "maternity",  # 产假
    "family_visit",  # 探亲假
    "funeral",  # 丧假
    "training",  # 培训学习
    "business",  # 公差 (official business)
)
LEAVE_KIND_LABELS = {
    "personal": "事假",
    "sick": "病假",
    "annual": "年休假",
    "marriage": "婚假",
    "maternity": "产假",
    "family_visit": "探亲假",
    "funeral": "丧假",
    "training": "培训",
    "business": "公差",
}
LEAVE_STATUSES = ("approved", "pending", "rejected")
OFF_POST_KINDS = ("off_post", "meeting_missed", "chief_meeting_missed", "study_missed")
MISSED_KINDS = ("meeting_missed", "chief_meeting_missed", "study_missed")


def _missed_absence(policy: AttendancePolicy, kind: str) -> float:
    """ATT-11: only study carries a penalty in the seeds (篇1 §九.3); meetings are recorded at 0 unless set."""
    if kind == "study_missed":
        study = policy.study_sessions
        return study.absence_days if study.enabled else 0.0
    meeting = policy.weekly_meeting
    if not meeting.enabled:
        return 0.0
    return meeting.chief_reps_absence_days if kind == "chief_meeting_missed" else meeting.absence_days


# -- results ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Event:
    """One piece of evidence (考勤依据): on `date`, in `session` (None: a whole-day or month finding), `rule`
    found what `code` with `params` says. `detail` is the English sentence, `detail_zh` the Chinese one
    (说明) ending with the rule ID; both are written from the one table `EVENT_TEXTS`."""

    date: date
    session: str | None
    rule: str
    code: str
    params: tuple[Any, ...] = ()
    absence_days: float = 0.0

    @property
    def detail(self) -> str:
        return EVENT_TEXTS[self.code][0](*self.params)

    @property
    def detail_zh(self) -> str:
        return f"{EVENT_TEXTS[self.code][1](*self.params)} ({self.rule})"

    def as_dict(self, *, zh: bool = False) -> dict[str, Any]:
        """The JSON event; `zh=True` adds `detail_zh` (the keys of the plain shape never change)."""
        out = {
            "date": self.date.isoformat(),
            "session": self.session,
            "rule": self.rule,
            "detail": self.detail,
        }
        if zh:
            out["detail_zh"] = self.detail_zh
        return out

    def __str__(self) -> str:
        where = f"{self.date.isoformat()} {self.session}" if self.session else self.date.isoformat()
        return f"{where}: {self.rule} {self.detail}"


@dataclass(frozen=True, slots=True)
class StaffMonthResult:
    """One person's month (月度考勤): counts, absence days (旷工天数), leave days per kind, event trail."""

    staff_id: StaffId
    lates: int
    early_leaves: int
    missed_punches: int
    absence_days: float
    leave_days: dict[str, float]
    events: tuple[Event, ...]
    workdays: int = 0
    sessions: int = 0

    def as_dict(self, *, zh: bool = False) -> dict[str, Any]:
        """The CLI's JSON shape; `zh=True` adds each event's `detail_zh`."""
        return {
            "staff_id": self.staff_id,
            "lates": self.lates,
            "early_leaves": self.early_leaves,
            "missed_punches": self.missed_punches,
            "absence_days": self.absence_days,
            "leave_days": dict(self.leave_days),
            "events": [e.as_dict(zh=zh) for e in self.events],
        }

    def __bool__(self) -> bool:  # a result is a value, not a verdict
        raise TypeError("StaffMonthResult has no truth value; test a field")


# -- inputs ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LeaveSpan:
    """A leave record normalised to a half-open interval [start, end)."""

    staff_id: StaffId
    kind: str
    start: datetime
    end: datetime
    status: str
    certificate: bool

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> LeaveSpan:
        start = _as_datetime(record["start"], end=False)
        end = _as_datetime(record["end"], end=True)
        cert = record.get("certificate", False)
        if isinstance(cert, str):
            cert = cert.strip().lower() in {"yes", "y", "true", "1", "是", "有"}
        return cls(
            staff_id=record["staff_id"],
            kind=str(record["kind"]),
            start=start,
            end=end,
            status=str(record.get("status", "approved")),
            certificate=bool(cert),
        )


def _as_datetime(value: Any, *, end: bool) -> datetime:
    """A date means the whole day: as a start its 00:00, as an end the next day's 00:00."""
    if isinstance(value, datetime):
        return _naive_local(value)
    if isinstance(value, date):
        return datetime.combine(value + timedelta(days=1) if end else value, time())
    text = str(value).strip()
    if len(text) == 10:
        return _as_datetime(date.fromisoformat(text), end=end)
    return _naive_local(datetime.fromisoformat(text))


def _naive_local(dt: datetime) -> datetime:
    """Punches and leaves are compared in local (Beijing) wall-clock time."""
    return dt.astimezone(LOCAL_TZ).replace(tzinfo=None) if dt.tzinfo is not None else dt


def parse_month(month: str | date) -> tuple[date, date]:
    """First day and the first day of the next month, from "2026-03" or a date in it."""
    if isinstance(month, date):
        first = month.replace(day=1)
    else:
        try:
            year, mon = (int(p) for p in str(month).split("-"))
            first = date(year, mon, 1)
        except ValueError:
            raise InputError("--month", f"{month!r} is not a month like 2026-03") from None
    check_date(first, "month")  # 9999-12 would overflow below
    last = _stdcal.monthrange(first.year, first.month)[1]
    return first, first + timedelta(days=last)


# -- the month plan --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DayPlan:
    day: date
    codes: tuple[str, ...]  # session codes
    points: tuple[int, ...]  # seconds of day: in0, out0, in1, out1
    mids: tuple[int, ...]  # boundaries between consecutive points


def _month_plan(
    policy: AttendancePolicy, calendar: WorkCalendar, first: date, nxt: date
) -> list[_DayPlan | None]:
    plans: list[_DayPlan | None] = []
    day = first
    while day < nxt:
        plan = None
        if calendar.is_workday(day):  # ATT-1: holidays off, 调休 make-up days worked
            sessions = policy.sessions_for(day.weekday())
            if sessions:
                points: list[int] = []
                for s in sessions:
                    points += [_sod(s.start), _sod(s.end)]
                mids = tuple((a + b) // 2 for a, b in pairwise(points))
                plan = _DayPlan(day, tuple(s.code for s in sessions), tuple(points), mids)
        plans.append(plan)
        day += timedelta(days=1)
    return plans


def _sod(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _dur(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    return f"{m} min" if s == 0 else f"{m} min {s} s"


def _days(x: float) -> str:
    return "half a day" if x == 0.5 else ("one day" if x == 1 else f"{x:g} days")


def _dur_zh(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    return f"{m} 分钟" if s == 0 else f"{m} 分 {s} 秒"


def _days_zh(x: float) -> str:
    return "半天" if x == 0.5 else ("一天" if x == 1 else f" {x:g} 天")


def _paren(note: str, zh: bool = False) -> str:
    if not note:
        return ""
    return f"（{note}）" if zh else f" ({note})"


_STATUS_ZH = {"pending": "尚在审批中", "rejected": "未获批准"}
_SIDE = ("in-punch", "out-punch")  # side 0: the session's start, 1: its end
_SIDE_ZH = ("上班", "下班")


# -- evidence texts (说明) --------------------------------------------------------------------------------
# code → (English `detail`, Chinese `detail_zh` without the rule ID), both from the event's params.
# Times are "HH:MM[:SS]" strings, durations seconds, days floats, leave kinds codes of LEAVE_KINDS.
EVENT_TEXTS: dict[str, tuple[Callable[..., str], Callable[..., str]]] = {
    "late": (  # ATT-3 (clock, seconds late)
        lambda at, sec: f"in-punch {at}, {_dur(sec)} late",
        lambda at, sec: f"上班打卡 {at}，迟到 {_dur_zh(sec)}",
    ),
    "early_leave": (  # ATT-3 (clock, seconds early)
        lambda at, sec: f"out-punch {at}, {_dur(sec)} early (early leave)",
        lambda at, sec: f"下班打卡 {at}，早退 {_dur_zh(sec)}",
    ),
    "late_half_day": (  # ATT-5 (clock, seconds late, absence days)
        lambda at, sec, d: f"in-punch {at}, {_dur(sec)} late: {_days(d)} of absence",
        lambda at, sec, d: f"上班打卡 {at}，迟到 {_dur_zh(sec)}：旷工{_days_zh(d)}",
    ),
    "off_post": (  # ATT-5 (minutes, limit, notes, absence days)
        lambda m, lim, note, d: f"off post {m} min (limit {lim}){_paren(note)}: {_days(d)} of absence",
        lambda m, lim, note, d: f"脱岗 {m} 分钟（上限 {lim} 分钟）{_paren(note, True)}：旷工{_days_zh(d)}",
    ),
    "missed_punch": (  # ATT-6 (side, clock of the point)
        lambda side, at: f"missed {_SIDE[side]} ({('start', 'end')[side]} {at})",
        lambda side, at: f"漏打{_SIDE_ZH[side]}卡（{_SIDE_ZH[side]}时间 {at}）",
    ),
    "missed_month": (  # ATT-6 (missed punches, step reached, absence days)
        lambda n, step, d: f"{n} missed punches this month (step {step}): {_days(d)} of absence",
        lambda n, step, d: f"本月漏打卡 {n} 次（达到 {step} 次档）：旷工{_days_zh(d)}",
    ),
    "cumulative": (  # ATT-4 (count, threshold, absence days)
        lambda n, th, d: f"{n} lates/early leaves this month (threshold {th}): {_days(d)} of absence",
        lambda n, th, d: f"本月迟到、早退累计 {n} 次（满 {th} 次计旷工）：旷工{_days_zh(d)}",
    ),
    "lone_punch": (  # ATT-7 (missing side, absence days)
        lambda side, d: f"{_SIDE[1 - side]} without {_SIDE[side]}: {_days(d)} of absence",
        lambda side, d: f"有{_SIDE_ZH[1 - side]}打卡、无{_SIDE_ZH[side]}打卡：旷工{_days_zh(d)}",
    ),
    "no_punch": (  # ATT-8 (absence days, kind and status of an unapproved leave or None)
        lambda d, kind=None, status=None: (
            "no punch and no approved leave"
            + (f" ({kind} leave is {status}, which excuses nothing)" if kind else "")
            + f": {_days(d)} of absence"
        ),
        lambda d, kind=None, status=None: (
            "无打卡且无已批准请假"
            + (
                f"（{LEAVE_KIND_LABELS.get(kind, kind)}{_STATUS_ZH.get(status, status)}，不能免除打卡）"
                if kind
                else ""
            )
            + f"：旷工{_days_zh(d)}"
        ),
    ),
    "leave_excused": (  # ATT-8 (kind, first, last or None, working days)
        lambda kind, a, b, n: (
            f"approved {kind} leave {a}{f' – {b}' if b else ''}: {n:g} working days this month excused"
        ),
        lambda kind, a, b, n: (
            f"已批准{LEAVE_KIND_LABELS.get(kind, kind)} {a}{f' 至 {b}' if b else ''}：本月免打卡 {n:g} 个工作日"
        ),
    ),
    "sick_uncertified": (  # LEAVE-3 (working days)
        lambda n: f"sick leave of {n:g} working days without a certificate counts as personal leave",
        lambda n: f"病假 {n:g} 个工作日未提供诊断证明书，按事假计",
    ),
    "meeting_missed": (  # ATT-11 (note, absence days)
        lambda note, d: f"missed the weekly meeting{_paren(note)}: {_days(d)} of absence",
        lambda note, d: f"未请假缺席周例会{_paren(note, True)}：旷工{_days_zh(d)}",
    ),
    "chief_meeting_missed": (  # ATT-11 (note, absence days)
        lambda note, d: f"missed the chief representatives' meeting{_paren(note)}: {_days(d)} of absence",
        lambda note, d: f"未请假缺席首席代表例会{_paren(note, True)}：旷工{_days_zh(d)}",
    ),
    "study_missed": (  # ATT-11 (note, absence days)
        lambda note, d: f"missed a study session without leave{_paren(note)}: {_days(d)} of absence",
        lambda note, d: f"无故不参加集中学习{_paren(note, True)}：按旷工{_days_zh(d)}处理",
    ),
}


# -- the engine ------------------------------------------------------------------------------------------
# Inside the engine a punch is an int: local wall-clock microseconds since the month's first midnight.
# Ints sort, subtract and bisect several times faster than datetimes and take an eighth of the memory,
# and microseconds keep every comparison of the datetime rules exact (08:35:00.5 is still late).

US = 1_000_000
DAY_US = 86_400 * US
_ONE_US = timedelta(microseconds=1)
_NO_IN = -(1 << 62)  # stands for a missing in-punch: never late
_NO_OUT = 1 << 62  # stands for a missing out-punch: never early

PunchInput = Iterable[tuple[StaffId, datetime]] | Mapping[StaffId, Sequence[datetime]]


class PunchOffsets(dict[StaffId, Sequence[int]]):
    """Punches per staff in the engine's own unit (local microseconds since the month's first midnight),
    e.g. converted once per database query; datetimes are converted person by person as they are judged."""


def _group_punches(
    punches: PunchInput | PunchOffsets,
) -> Mapping[StaffId, Sequence[int] | Sequence[datetime]]:
    """Punches by staff, as given: offsets stay offsets, datetimes are converted later, person by person
    (so that forked workers share the conversion)."""
    if isinstance(punches, Mapping):
        return cast(Mapping[StaffId, Sequence[int] | Sequence[datetime]], punches)
    grouped: defaultdict[StaffId, list[datetime]] = defaultdict(list)
    for sid, t in punches:
        grouped[sid].append(t)
    return grouped


@dataclass(frozen=True, slots=True)
class _Session:
    """One session of one working day, with its thresholds as engine instants (ATT-3, ATT-5)."""

    day: date
    code: str
    kin: int  # punch-point keys: day index * 4 + point index
    kout: int
    in_from: int  # the punches that belong to the in-point: in_from <= t < in_until (ATT-2)
    in_until: int
    out_from: int  # ... and to the out-point
    out_until: int
    start: datetime  # for leave cover and the evidence texts
    end: datetime
    start_us: int
    end_us: int
    late_edge: int  # an in-punch AFTER this is late (more than late_after_minutes)
    half_edge: int  # an in-punch AT or after this is half a day of absence (ATT-5)
    early_edge: int  # an out-punch AT or before this is an early leave (or more)


class _Columns(NamedTuple):
    """The sessions a person is judged on, and their slots and thresholds as parallel lists."""

    rows: list[_Session]
    in_from: list[int]
    in_until: list[int]
    out_from: list[int]
    out_until: list[int]
    late_edges: list[int]
    early_edges: list[int]


def _columns(rows: Sequence[_Session]) -> _Columns:
    rows = list(rows)
    return _Columns(
        rows,
        [r.in_from for r in rows],
        [r.in_until for r in rows],
        [r.out_from for r in rows],
        [r.out_until for r in rows],
        [r.late_edge for r in rows],
        [r.early_edge for r in rows],
    )


@dataclass(frozen=True, slots=True)
class MonthPlan:
    """Everything about a month that is the same for every person: its working days and sessions (ATT-1),
    the slot table of the nearest-point rule (ATT-2) and each session's thresholds (ATT-3, ATT-5)."""

    policy: AttendancePolicy
    calendar: WorkCalendar
    first: date
    days: tuple[_DayPlan | None, ...]  # one per evaluated day
    collapse_us: int
    columns: _Columns
    workdays: int
    session_order: Mapping[str, int]

    @property
    def month_start(self) -> datetime:
        return datetime.combine(self.first, time())

    @classmethod
    def build(
        cls, policy: AttendancePolicy, calendar: WorkCalendar, first: date, days: list[_DayPlan | None]
    ) -> MonthPlan:
        window = policy.punch_window_minutes
        # ATT-2: each punch point owns the part of its day nearest to it, split at the midpoints between
        # points; a punch exactly on a midpoint belongs to the earlier point (the later part starts 1 µs
        # after it). With a window, only punches within `punch_window_minutes` of the point count.
        owned: dict[int, tuple[int, int]] = {}
        for d, plan in enumerate(days):
            if plan is None:
                continue
            base = d * DAY_US
            bounds = [base, *(base + mid * US + 1 for mid in plan.mids), base + DAY_US]
            for i, point in enumerate(plan.points):
                lo, hi = bounds[i], bounds[i + 1]
                if window is not None:
                    at = base + point * US
                    lo, hi = max(lo, at - window * 60 * US), min(hi, at + window * 60 * US + 1)
                owned[d * 4 + i] = (lo, hi)
        late_us = policy.late_after_minutes * 60 * US
        half_us = policy.late_half_day_minutes * 60 * US
        early_us = policy.early_leave_minutes * 60 * US
        month_start = datetime.combine(first, time())
        rows: list[_Session] = []
        order: dict[str, int] = {}
        for d, plan in enumerate(days):
            if plan is None:
                continue
            for si, code in enumerate(plan.codes):
                order.setdefault(code, len(order))
                a, b = plan.points[2 * si], plan.points[2 * si + 1]
                start_us, end_us = d * DAY_US + a * US, d * DAY_US + b * US
                rows.append(
                    _Session(
                        plan.day,
                        code,
                        d * 4 + 2 * si,
                        d * 4 + 2 * si + 1,
                        *owned[d * 4 + 2 * si],
                        *owned[d * 4 + 2 * si + 1],
                        month_start + timedelta(days=d, seconds=a),
                        month_start + timedelta(days=d, seconds=b),
                        start_us,
                        end_us,
                        start_us + late_us,
                        start_us + half_us,
                        end_us - early_us,
                    )
                )
        return cls(
            policy=policy,
            calendar=calendar,
            first=first,
            days=tuple(days),
            collapse_us=policy.duplicate_collapse_minutes * 60 * US,
            columns=_columns(rows),
            workdays=len({r.day for r in rows}),
            session_order=order,
        )

    def columns_for(self, active_from: date | None, active_until: date | None) -> tuple[_Columns, int]:
        """The sessions of a person posted from `active_from` until `active_until`, and their working days."""
        if active_from is None and active_until is None:
            return self.columns, self.workdays
        lo, hi = active_from or date.min, active_until or date.max
        cols = _columns([r for r in self.columns.rows if lo <= r.day <= hi])
        return cols, len({r.day for r in cols.rows})


@dataclass(slots=True)
class _Findings:
    """One person's findings so far: the event trail, absence days in the order they were found, and the
    (session row, side) of each late / early leave and missed punch, which the month rules count."""

    events: list[Event]
    absence: float = 0.0
    late_or_early: list[tuple[int, int]] = field(default_factory=list)  # side 0: late, 1: early leave
    missed: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MonthJob:
    """A month ready to evaluate: the plan and everyone's records, grouped by staff."""

    plan: MonthPlan
    people: list[Mapping[str, Any]]
    punches: Mapping[StaffId, Sequence[int] | Sequence[datetime]]
    offsets: bool  # punches are in the engine's unit already (`PunchOffsets`), not local datetimes
    leaves: Mapping[StaffId, list[LeaveSpan]]
    off_post: Mapping[StaffId, list[Mapping[str, Any]]]


def evaluate_month(
    policy: AttendancePolicy,
    calendar: WorkCalendar,
    month: str | date,
    staff: Iterable[Mapping[str, Any]] | None,
    punches: PunchInput | PunchOffsets,
    leaves: Iterable[Mapping[str, Any] | LeaveSpan] = (),
    off_post: Iterable[Mapping[str, Any]] = (),
    *,
    until: date | None = None,
) -> list[StaffMonthResult]:
    """Evaluate one month for every staff member, in this process.

    `staff`: records with `staff_id` (optionally `active_from` / `active_until` dates); None = everyone
    who appears in the punches, leaves or off-post records. `punches`: (staff_id, local datetime)
    pairs, a mapping staff_id → datetimes, or `PunchOffsets`. `leaves`: records with the leaves.csv keys.
    `off_post`: records with staff_id, date, minutes, note and optional kind (off_post | meeting_missed |
    chief_meeting_missed | study_missed).
    `until`: evaluate days up to and including this date only (the running month).
    Raises `YearNotLoaded` when the calendar lacks the month's year. Several processes: `runner`.
    """
    job = prepare_month(policy, calendar, month, staff, punches, leaves, off_post, until=until)
    return evaluate_people(job, 0, len(job.people))


def prepare_month(
    policy: AttendancePolicy,
    calendar: WorkCalendar,
    month: str | date,
    staff: Iterable[Mapping[str, Any]] | None,
    punches: PunchInput | PunchOffsets,
    leaves: Iterable[Mapping[str, Any] | LeaveSpan] = (),
    off_post: Iterable[Mapping[str, Any]] = (),
    *,
    until: date | None = None,
) -> MonthJob:
    """The month's plan and everyone's records grouped by staff (the arguments of `evaluate_month`)."""
    first, nxt = parse_month(month)
    nxt_eval = min(nxt, until + timedelta(days=1)) if until is not None else nxt
    days = _month_plan(policy, calendar, first, nxt) if nxt_eval > first else []
    days = days[: max((nxt_eval - first).days, 0)]

    grouped = _group_punches(punches)
    leave_by_staff: dict[StaffId, list[LeaveSpan]] = {}
    for rec in leaves:
        span = rec if isinstance(rec, LeaveSpan) else LeaveSpan.from_record(rec)
        if span.end > datetime.combine(first, time()) and span.start < datetime.combine(nxt, time()):
            leave_by_staff.setdefault(span.staff_id, []).append(span)
    off_by_staff: dict[StaffId, list[Mapping[str, Any]]] = {}
    for rec in off_post:
        off_by_staff.setdefault(rec["staff_id"], []).append(rec)

    if staff is None:
        ids: list[StaffId] = list(dict.fromkeys([*grouped, *leave_by_staff, *off_by_staff]))
        try:
            ids.sort()  # type: ignore[call-arg]  # mixed id types raise TypeError, handled below
        except TypeError:
            ids.sort(key=str)
        people: list[Mapping[str, Any]] = [{"staff_id": i} for i in ids]
    else:
        people = list(staff)
    plan = MonthPlan.build(policy, calendar, first, days)
    return MonthJob(plan, people, grouped, isinstance(punches, PunchOffsets), leave_by_staff, off_by_staff)


def evaluate_people(job: MonthJob, lo: int, hi: int) -> list[StaffMonthResult]:
    """The results of `job.people[lo:hi]`, in that order."""
    plan, punches, leaves, off_post = job.plan, job.punches, job.leaves, job.off_post
    start = plan.month_start
    out = []
    for person in job.people[lo:hi]:
        sid = person["staff_id"]
        times = punches.get(sid, ())
        if not job.offsets:  # local datetimes → the engine's unit
            times = [(t - start) // _ONE_US for t in cast(Sequence[datetime], times)]
        out.append(
            evaluate_staff(
                plan, person, cast(Sequence[int], times), leaves.get(sid, ()), off_post.get(sid, ())
            )
        )
    return out


# -- one person, step by step ------------------------------------------------------------------------------
# Runs 10^4 times per benchmark month, so the hot steps use C-level iteration (map/compress/dict) over
# ~10^6 punches rather than Python loops; only flagged sessions are looked at in Python.


def evaluate_staff(
    plan: MonthPlan,
    person: Mapping[str, Any],
    times: Sequence[int],
    leaves: Sequence[LeaveSpan],
    off_post: Sequence[Mapping[str, Any]],
) -> StaffMonthResult:
    """One person's month: punches in the engine's unit, that person's leaves and inspection records."""
    active_from = _opt_date(person.get("active_from"))
    active_until = _opt_date(person.get("active_until"))
    cols, workdays = plan.columns_for(active_from, active_until)
    punches = punches_at_points(cols, collapse_duplicate_reads(times, plan.collapse_us))
    n = len(cols.rows)
    excused = leave_excuses(plan, leaves) if leaves else None

    found = _Findings([])
    missing_punch_findings(plan.policy, cols, punches, excused, leaves, found)
    late_findings(plan.policy, cols, punches, excused, found)
    early_leave_findings(cols, punches, excused, found)
    leave_days = leave_day_totals(plan, leaves, active_from, active_until, found) if leaves else {}
    lates = sum(1 for _, side in found.late_or_early if side == 0)
    cumulative_rule(plan.policy, cols, found)
    missed_punch_rule(plan.policy, cols, found)
    if off_post:
        found.absence += inspection_findings(plan, off_post, found)

    order = plan.session_order
    found.events.sort(key=lambda e: (e.date, order.get(e.session, 99)))  # type: ignore[arg-type]  # stable; day/month findings (session None) last
    return StaffMonthResult(
        staff_id=person["staff_id"],
        lates=lates,
        early_leaves=len(found.late_or_early) - lates,
        missed_punches=len(found.missed),
        absence_days=found.absence,
        leave_days=leave_days,
        events=tuple(found.events),
        workdays=workdays,
        sessions=n,
    )


def collapse_duplicate_reads(times: Sequence[int], collapse_us: int) -> list[int]:
    """ATT-2: punches in time order; one within `duplicate_collapse_minutes` of the previous punch
    collapses into it (the first of a burst counts)."""
    punches = sorted(times)
    if len(punches) > 1:
        keep = [True, *map(collapse_us.__lt__, map(sub, islice(punches, 1, None), punches))]
        punches = list(compress(punches, keep))
    return punches


class _PointPunches(NamedTuple):
    """Per session i: `t_ins[i]` is the first punch of its in-point and `t_outs[i]` the last of its
    out-point, unless i is in `no_in` / `no_out` (then they hold a neighbouring punch or a sentinel)."""

    t_ins: list[int]
    t_outs: list[int]
    no_in: set[int]
    no_out: set[int]


def punches_at_points(cols: _Columns, punches: list[int]) -> _PointPunches:
    """ATT-2: per session, the first punch of those belonging to its in-point and the last of those
    belonging to its out-point (see `MonthPlan.build` for which punches belong to a point)."""
    n = len(cols.rows)
    after = [*punches, _NO_OUT]  # after[bisect_left(punches, x)]: the first punch at or after x
    t_ins = list(map(after.__getitem__, map(bisect_left, repeat(punches), cols.in_from)))
    before = [_NO_IN, *punches]  # before[bisect_left(punches, x)]: the last punch before x
    t_outs = list(map(before.__getitem__, map(bisect_left, repeat(punches), cols.out_until)))
    no_in = set(compress(range(n), map(ge, t_ins, cols.in_until)))
    no_out = set(compress(range(n), map(lt, t_outs, cols.out_from)))
    return _PointPunches(t_ins, t_outs, no_in, no_out)


def leave_excuses(plan: MonthPlan, leaves: Sequence[LeaveSpan]) -> dict[int, LeaveSpan] | None:
    """ATT-8: punch-point keys excused by approved leave (the first such leave); a leave covering a
    session's start excuses its in-punch, covering its end its out-punch. Pending or rejected: nothing."""
    approved = [lv for lv in leaves if lv.status == "approved"]
    out: dict[int, LeaveSpan] = {}
    for r in plan.columns.rows:
        for lv in approved:
            if lv.start <= r.start < lv.end:
                out.setdefault(r.kin, lv)
            if lv.start < r.end <= lv.end:
                out.setdefault(r.kout, lv)
    return out or None


def missing_punch_findings(
    policy: AttendancePolicy,
    cols: _Columns,
    punches: _PointPunches,
    excused: Mapping[int, LeaveSpan] | None,
    leaves: Sequence[LeaveSpan],
    found: _Findings,
) -> None:
    """Sessions with a punch missing: none at all and nothing excusing → absence (ATT-8); one end only →
    a missed punch (ATT-6), or absence under the strict reading (ATT-7). A leave covering one end only
    leaves the other to punch."""
    strict = policy.single_punch_is_absence
    no_punch_days = policy.no_punch_session_absence_days
    rows, events, no_in, no_out = cols.rows, found.events, punches.no_in, punches.no_out
    for i in sorted(no_in | no_out):
        r = rows[i]
        has_in = i not in no_in
        has_out = i not in no_out
        in_excused = excused is not None and excused.get(r.kin) is not None
        out_excused = excused is not None and excused.get(r.kout) is not None
        if in_excused and out_excused:
            continue  # approved leave covers the whole session
        if not (has_in or has_out or in_excused or out_excused):
            found.absence += no_punch_days
            note = _pending_note(leaves, r.start, r.end)
            events.append(Event(r.day, r.code, "ATT-8", "no_punch", (no_punch_days, *note), no_punch_days))
            continue
        for side, punched, other_punched, side_excused, at in (
            (0, has_in, has_out, in_excused, r.start),
            (1, has_out, has_in, out_excused, r.end),
        ):
            if punched or side_excused:
                continue
            if strict and other_punched:  # ATT-7 strict reading: a lone punch is absence
                found.absence += no_punch_days
                events.append(
                    Event(r.day, r.code, "ATT-7", "lone_punch", (side, no_punch_days), no_punch_days)
                )
            else:  # ATT-6
                found.missed.append((i, side))
                events.append(Event(r.day, r.code, "ATT-6", "missed_punch", (side, _clock(at))))


def late_findings(
    policy: AttendancePolicy,
    cols: _Columns,
    punches: _PointPunches,
    excused: Mapping[int, LeaveSpan] | None,
    found: _Findings,
) -> None:
    """In-punches MORE THAN `late_after_minutes` after the start are late (ATT-3); a late of
    `late_half_day_minutes` OR MORE is half a day of absence instead (ATT-5)."""
    rows, events = cols.rows, found.events
    half_day = policy.late_half_day_absence_days
    t_ins, no_in = punches.t_ins, punches.no_in
    for i in compress(range(len(rows)), map(gt, t_ins, cols.late_edges)):
        r = rows[i]
        if i in no_in or (excused is not None and excused.get(r.kin) is not None):
            continue
        t_in = t_ins[i]
        over = (t_in - r.start_us) // US
        if t_in >= r.half_edge:  # ATT-5
            found.absence += half_day
            events.append(
                Event(r.day, r.code, "ATT-5", "late_half_day", (_clock_us(t_in), over, half_day), half_day)
            )
        else:
            found.late_or_early.append((i, 0))
            events.append(Event(r.day, r.code, "ATT-3", "late", (_clock_us(t_in), over)))


def early_leave_findings(
    cols: _Columns, punches: _PointPunches, excused: Mapping[int, LeaveSpan] | None, found: _Findings
) -> None:
    """ATT-3: out-punches `early_leave_minutes` OR MORE before the end are early leaves."""
    rows, events = cols.rows, found.events
    t_outs, no_out = punches.t_outs, punches.no_out
    for i in compress(range(len(rows)), map(le, t_outs, cols.early_edges)):
        r = rows[i]
        if i in no_out or (excused is not None and excused.get(r.kout) is not None):
            continue
        found.late_or_early.append((i, 1))
        t_out = t_outs[i]
        events.append(
            Event(r.day, r.code, "ATT-3", "early_leave", (_clock_us(t_out), (r.end_us - t_out) // US))
        )


def cumulative_rule(policy: AttendancePolicy, cols: _Columns, found: _Findings) -> None:
    """ATT-4: lates + early leaves `cumulative_threshold` OR MORE in the month → absence, dated on the
    day the threshold was reached; with `cumulative_every_group` every further complete group again."""
    count = len(found.late_or_early)
    threshold = policy.cumulative_threshold
    if count < threshold:
        return
    in_order = sorted(found.late_or_early)
    groups = count // threshold if policy.cumulative_every_group else 1
    val = policy.cumulative_absence_days
    for g in range(groups):
        reached = (g + 1) * threshold
        when = cols.rows[in_order[reached - 1][0]].day
        found.absence += val
        found.events.append(Event(when, None, "ATT-4", "cumulative", (reached, threshold, val), val))


def missed_punch_rule(policy: AttendancePolicy, cols: _Columns, found: _Findings) -> None:
    """ATT-6: the month's missed punches against `missed_punch_table`; the highest step reached applies,
    dated on the day it was reached."""
    missed = len(found.missed)
    step = None
    for row in policy.missed_punch_table:
        if missed >= row.count:
            step = row
    if step is None:
        return
    when = cols.rows[sorted(found.missed)[step.count - 1][0]].day
    found.absence += step.absence_days
    params = (missed, step.count, step.absence_days)
    found.events.append(Event(when, None, "ATT-6", "missed_month", params, step.absence_days))


def _pending_note(leaves: Sequence[LeaveSpan], a: datetime, b: datetime) -> tuple[str, ...]:
    """(kind, status) of a pending or rejected leave over [a, b) (it excuses nothing), or ()."""
    for lv in leaves:
        if lv.status != "approved" and lv.start < b and lv.end > a:
            return (lv.kind, lv.status)
    return ()


def _covered_sessions(plan: MonthPlan, lv: LeaveSpan, first: date, nxt: date) -> float:
    """Working days a leave covers between `first` and `nxt` (exclusive), counted by session."""
    policy = plan.policy
    total = 0.0
    day = max(first, lv.start.date())
    stop = min(nxt, (lv.end - timedelta(microseconds=1)).date() + timedelta(days=1))
    while day < stop:
        try:
            working = plan.calendar.is_workday(day)
        except YearNotLoaded:
            working = day.weekday() < 5
        if working:
            sessions = policy.sessions_for(day.weekday())
            base = datetime.combine(day, time())
            for s in sessions:
                a = base + timedelta(seconds=_sod(s.start))
                b = base + timedelta(seconds=_sod(s.end))
                if lv.start <= a and b <= lv.end:
                    total += 1 / len(sessions)
        day += timedelta(days=1)
    return total


def leave_day_totals(
    plan: MonthPlan,
    leaves: Sequence[LeaveSpan],
    active_from: date | None,
    active_until: date | None,
    found: _Findings,
) -> dict[str, float]:
    """Leave days per kind: the sessions approved leave covers on working days of the person's posting
    (ATT-8, each with a note); sick leave OVER one working day without a certificate counts as personal
    leave (LEAVE-3)."""
    first = plan.first
    nxt = first + timedelta(days=len(plan.days))
    if active_from is not None:
        first = max(first, active_from)
    if active_until is not None:
        nxt = min(nxt, active_until + timedelta(days=1))
    out: dict[str, float] = {}
    for lv in leaves:
        if lv.status != "approved":
            continue
        days = _covered_sessions(plan, lv, first, nxt)
        if days <= 0:
            continue
        kind = lv.kind
        shown = max(first, lv.start.date())
        if kind == "sick" and not lv.certificate:
            length = _covered_sessions(plan, lv, lv.start.date(), lv.end.date() + timedelta(days=1))
            if length > 1:  # LEAVE-3
                kind = "personal"
                found.events.append(Event(shown, None, "LEAVE-3", "sick_uncertified", (length,)))
        out[kind] = round(out.get(kind, 0.0) + days, 4)
        found.events.append(Event(shown, None, "ATT-8", "leave_excused", (kind, *_span(lv), days)))
    return out


def inspection_findings(plan: MonthPlan, records: Sequence[Mapping[str, Any]], found: _Findings) -> float:
    """Inspection records of the month: a meeting or study session missed without leave (ATT-11), and
    minutes off post per day MORE THAN `off_post_half_day_minutes` → absence (ATT-5). Returns the
    absence days they add."""
    policy = plan.policy
    last = plan.first + timedelta(days=len(plan.days))
    per_day: dict[date, int] = {}
    notes: dict[date, list[str]] = {}
    total = 0.0
    for rec in records:
        day = _opt_date(rec["date"])
        if day is None or not (plan.first <= day < last):
            continue
        kind = rec.get("kind") or "off_post"
        if kind in MISSED_KINDS:  # ATT-11
            val = _missed_absence(policy, kind)
            if val:
                total += val
                note = str(rec.get("note") or "")
                found.events.append(Event(day, None, "ATT-11", kind, (note, val), val))
            continue
        per_day[day] = per_day.get(day, 0) + int(rec.get("minutes") or 0)
        if rec.get("note"):
            notes.setdefault(day, []).append(str(rec["note"]))
    limit = policy.off_post_half_day_minutes
    for day in sorted(per_day):
        minutes = per_day[day]
        if minutes > limit:  # ATT-5
            val = policy.off_post_absence_days
            total += val
            note = "; ".join(notes.get(day, ()))
            found.events.append(Event(day, None, "ATT-5", "off_post", (minutes, limit, note, val), val))
    return total


def _span(lv: LeaveSpan) -> tuple[str, str | None]:
    """First and last day of a leave (last None for one day), or its start and end instants."""
    if lv.start.time() == time() and lv.end.time() == time():  # whole days
        last = (lv.end - timedelta(days=1)).date()
        return lv.start.date().isoformat(), None if last == lv.start.date() else last.isoformat()
    return f"{lv.start:%Y-%m-%d %H:%M}", f"{lv.end:%Y-%m-%d %H:%M}"


def _clock(t: datetime) -> str:
    if t.second == 0:
        return f"{t.hour:02d}:{t.minute:02d}"
    return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def _clock_us(t: int) -> str:
    """The wall-clock time of an engine instant, as `_clock` writes it."""
    hours, rest = divmod((t // US) % 86_400, 3600)
    minutes, seconds = divmod(rest, 60)
    if seconds == 0:
        return f"{hours:02d}:{minutes:02d}"
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def _opt_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
