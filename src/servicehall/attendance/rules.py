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
import gc
import multiprocessing as mp
import os
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import compress, islice, pairwise, repeat
from operator import gt, is_, le, sub
from typing import Any
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


def evaluate_month(
    policy: AttendancePolicy,
    calendar: WorkCalendar,
    month: str | date,
    staff: Iterable[Mapping[str, Any]] | None,
    punches: Iterable[tuple[StaffId, datetime]] | Mapping[StaffId, Sequence[datetime]],
    leaves: Iterable[Mapping[str, Any] | LeaveSpan] = (),
    off_post: Iterable[Mapping[str, Any]] = (),
    *,
    until: date | None = None,
    workers: int = 1,
) -> list[StaffMonthResult]:
    """Evaluate one month for every staff member.

    `staff`: records with `staff_id` (optionally `active_from` / `active_until` dates); None = everyone
    who appears in the punches, leaves or off-post records. `punches`: (staff_id, local datetime)
    pairs, or a mapping staff_id → datetimes. `leaves`: records with the leaves.csv keys. `off_post`:
    records with staff_id, date, minutes, note and optional kind (off_post | meeting_missed |
    chief_meeting_missed | study_missed).
    `until`: evaluate days up to and including this date only (the running month).
    `workers`: processes to use (0 = one per CPU); more than one forks (POSIX) for large months only.
    Raises `YearNotLoaded` when the calendar lacks the month's year.
    """
    first, nxt = parse_month(month)
    nxt_eval = min(nxt, until + timedelta(days=1)) if until is not None else nxt
    plans = _month_plan(policy, calendar, first, nxt) if nxt_eval > first else []
    plans = plans[: max((nxt_eval - first).days, 0)]

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

    ctx = _Context(policy, calendar, first, plans)
    job = (ctx, people, grouped, leave_by_staff, off_by_staff)
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers > 1 and len(people) >= PARALLEL_MIN_STAFF and "fork" in mp.get_all_start_methods():
        return _evaluate_parallel(job, workers)
    return _evaluate_slice(job, 0, len(people))


PARALLEL_MIN_STAFF = 2000
_JOB: Any = None  # inherited by forked workers, so the month's punches are never pickled


def _evaluate_slice(job: Any, lo: int, hi: int) -> list[StaffMonthResult]:
    ctx, people, grouped, leave_by_staff, off_by_staff = job
    out = []
    for person in people[lo:hi]:
        sid = person["staff_id"]
        out.append(
            ctx.evaluate_one(
                person, grouped.get(sid, ()), leave_by_staff.get(sid, ()), off_by_staff.get(sid, ())
            )
        )
    return out


def _slice_worker(bounds: tuple[int, int]) -> list[tuple[Any, ...]]:
    # Plain tuples with date ordinals pickle ~10x faster than the dataclasses they describe.
    return [
        (
            r.staff_id, r.lates, r.early_leaves, r.missed_punches, r.absence_days, r.leave_days, r.workdays,
            r.sessions, [(e.date.toordinal(), e.session, e.rule, e.code, e.params, e.absence_days) for e in r.events],
        )
        for r in _evaluate_slice(_JOB, *bounds)
    ]  # fmt: skip


def _from_wire(item: tuple[Any, ...]) -> StaffMonthResult:
    *head, workdays, sessions, events = item
    fromordinal = date.fromordinal
    staff_id, lates, early_leaves, missed, absence_days, leave_days = head
    return StaffMonthResult(
        staff_id,
        lates,
        early_leaves,
        missed,
        absence_days,
        leave_days,
        events=tuple(Event(fromordinal(d), s, rule, c, p, a) for d, s, rule, c, p, a in events),
        workdays=workdays,
        sessions=sessions,
    )


def _evaluate_parallel(job: Any, workers: int) -> list[StaffMonthResult]:
    """Split the staff list: forked children take the later shares, this process the first one."""
    global _JOB
    n = len(job[1])
    step = -(-n // workers)
    bounds = [(lo, min(lo + step, n)) for lo in range(0, n, step)]
    _JOB = job
    gc.freeze()  # keep the collector from touching (and so copying) every shared page in the children
    try:
        with mp.get_context("fork").Pool(len(bounds) - 1) as pool:
            pending = pool.map_async(_slice_worker, bounds[1:], chunksize=1)
            mine = _evaluate_slice(job, *bounds[0])
            parts = pending.get()
    finally:
        _JOB = None
        gc.unfreeze()
    return mine + [_from_wire(item) for part in parts for item in part]


def _group_punches(
    punches: Iterable[tuple[StaffId, datetime]] | Mapping[StaffId, Sequence[datetime]],
) -> Mapping[StaffId, Sequence[datetime]]:
    """Punch times grouped by staff (month filtering happens per person, in `evaluate_one`)."""
    if isinstance(punches, Mapping):
        return punches
    grouped: defaultdict[StaffId, list[datetime]] = defaultdict(list)
    for sid, t in punches:
        grouped[sid].append(t)
    return grouped


@dataclass(frozen=True, slots=True)
class _Session:
    """One session of one working day, with its thresholds as instants (ATT-3, ATT-5)."""

    day: date
    code: str
    kin: int  # punch-point keys: day index * 4 + point index
    kout: int
    sin: int  # the points' slots in the month's slot table, + 1 (what bisect_right returns)
    sout: int
    start: datetime
    end: datetime
    late_edge: datetime  # an in-punch AFTER this is late (more than late_after_minutes)
    half_edge: datetime  # an in-punch AT or after this is half a day of absence (ATT-5)
    early_edge: datetime  # an out-punch AT or before this is an early leave (or more)


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


def _secs(td: timedelta) -> int:
    return int(td.total_seconds())


@dataclass
class _Context:
    policy: AttendancePolicy
    calendar: WorkCalendar
    first: date
    plans: list[_DayPlan | None]

    def __post_init__(self) -> None:
        p = self.policy
        self.month_start = datetime.combine(self.first, time())
        self.collapse_td = timedelta(minutes=p.duplicate_collapse_minutes)
        window = p.punch_window_minutes
        self.window_td = timedelta(minutes=window) if window is not None else None
        # Slot table for the nearest-point rule (ATT-2): slot i runs from edges[i] to edges[i+1].
        # A working day has one slot per punch point, split at the midpoints between points; a punch
        # exactly on a midpoint belongs to the earlier point (the later slot starts 1 µs after it).
        edges: list[datetime] = []
        points: list[datetime | None] = []
        slot_of: dict[int, int] = {}
        for d, plan in enumerate(self.plans):
            base = self.month_start + timedelta(days=d)
            if plan is None:
                edges.append(base)
                points.append(None)
                continue
            for i, point in enumerate(plan.points):
                edges.append(base if i == 0 else base + timedelta(seconds=plan.mids[i - 1], microseconds=1))
                slot_of[d * 4 + i] = len(edges)  # == index + 1 of the slot just appended
                points.append(base + timedelta(seconds=point))
        edges.append(self.month_start + timedelta(days=len(self.plans)))
        points.append(None)
        self.edges, self.slot_points = edges, points
        late_td = timedelta(minutes=p.late_after_minutes)
        half_td = timedelta(minutes=p.late_half_day_minutes)
        early_td = timedelta(minutes=p.early_leave_minutes)
        self.rows: list[_Session] = []
        for d, plan in enumerate(self.plans):
            if plan is None:
                continue
            base = self.month_start + timedelta(days=d)
            for si, code in enumerate(plan.codes):
                start = base + timedelta(seconds=plan.points[2 * si])
                end = base + timedelta(seconds=plan.points[2 * si + 1])
                self.rows.append(
                    _Session(
                        plan.day,
                        code,
                        d * 4 + 2 * si,
                        d * 4 + 2 * si + 1,
                        slot_of[d * 4 + 2 * si],
                        slot_of[d * 4 + 2 * si + 1],
                        start,
                        end,
                        start + late_td,
                        start + half_td,
                        end - early_td,
                    )
                )

        self.cols = self._cols_between(date.min, date.max)
        self.workdays = len({r.day for r in self.rows})
        self.session_order: dict[Any, Any] = {}
        for plan in self.plans:
            for code in plan.codes if plan else ():
                self.session_order.setdefault(code, len(self.session_order))

    def _cols_between(
        self, lo: date, hi: date
    ) -> tuple[list[_Session], list[int], list[int], list[datetime], list[datetime]]:
        rows = [r for r in self.rows if lo <= r.day <= hi]
        return (
            rows,
            [r.sin for r in rows],
            [r.sout for r in rows],
            [r.late_edge for r in rows],
            [r.early_edge for r in rows],
        )

    # One person; runs 10^4 times per benchmark month, so the hot paths use C-level iteration.
    def evaluate_one(
        self,
        person: Mapping[str, Any],
        times: Sequence[datetime],
        leaves: Sequence[LeaveSpan],
        off_post: Sequence[Mapping[str, Any]],
    ) -> StaffMonthResult:
        policy = self.policy
        strict = policy.single_punch_is_absence
        no_punch_days = policy.no_punch_session_absence_days
        sid = person["staff_id"]
        active_from = _opt_date(person.get("active_from"))
        active_until = _opt_date(person.get("active_until"))

        # 2. assign punches to the nearest punch point (ATT-2); first in, last out.
        # Done with C-level iterators (map/compress/dict) rather than a Python loop: ~10^6 punches a month.
        ts = sorted(times)
        if len(ts) > 1:  # a burst of duplicate reads counts once (the first of the burst)
            ts = list(compress(ts, [True, *map(self.collapse_td.__lt__, map(sub, islice(ts, 1, None), ts))]))
        slots = list(map(bisect_right, repeat(self.edges, len(ts)), ts))  # slot index + 1
        if self.window_td is not None:
            points, window = self.slot_points, self.window_td
            kept = [
                (sl, t)
                for sl, t in zip(slots, ts, strict=True)
                if 0 < sl <= len(points) and points[sl - 1] is not None and abs(t - points[sl - 1]) <= window  # type: ignore[operator]  # None ruled out just before
            ]
            slots, ts = [sl for sl, _ in kept], [t for _, t in kept]
        last_in_slot = dict(zip(slots, ts, strict=True))
        first_in_slot = dict(zip(reversed(slots), reversed(ts), strict=True))

        events: list[Event] = []
        absence = 0.0
        leave_days: dict[str, float] = {}
        excuse = self._excuses(leaves) if leaves else None
        cols = self.cols
        if active_from is not None or active_until is not None:
            cols = self._cols_between(active_from or date.min, active_until or date.max)
        rows, sins, souts, late_edges, early_edges = cols
        workdays = len({r.day for r in rows}) if cols is not self.cols else self.workdays
        n = len(rows)

        # 3–4. per session, also with C-level passes: a missing punch reads as MIN (in) / MAX (out),
        # which is never late / never early; only the flagged sessions are looked at in Python.
        t_ins = list(map(first_in_slot.get, sins, repeat(_MIN, n)))
        t_outs = list(map(last_in_slot.get, souts, repeat(_MAX, n)))
        late_found: list[tuple[int, int]] = []  # (row, 0 = in / 1 = out), for month rules in time order
        missed_found: list[tuple[int, int]] = []
        strict = policy.single_punch_is_absence
        no_punch_days = policy.no_punch_session_absence_days

        # ATT-6/7/8: sessions with a missing punch
        gaps = sorted(
            {
                *compress(range(n), map(is_, t_ins, repeat(_MIN))),
                *compress(range(n), map(is_, t_outs, repeat(_MAX))),
            }
        )
        for i in gaps:
            r = rows[i]
            t_in = None if t_ins[i] is _MIN else t_ins[i]
            t_out = None if t_outs[i] is _MAX else t_outs[i]
            ex_in = excuse.get(r.kin) if excuse else None
            ex_out = excuse.get(r.kout) if excuse else None
            if ex_in is not None and ex_out is not None:
                continue  # approved leave covers the whole session
            if t_in is None and t_out is None and ex_in is None and ex_out is None:
                # ATT-8: no punch and nothing approved covering the session
                pending = self._pending_note(leaves, r.start, r.end)
                absence += no_punch_days
                events.append(
                    Event(r.day, r.code, "ATT-8", "no_punch", (no_punch_days, *pending), no_punch_days)
                )
                continue
            # one end punched or excused (a leave covering one end only leaves the other to punch)
            for side, t_self, t_other, ex_self, at in (
                (0, t_in, t_out, ex_in, r.start),
                (1, t_out, t_in, ex_out, r.end),
            ):
                if t_self is not None or ex_self is not None:
                    continue
                if strict and t_other is not None:  # ATT-7 strict reading: a lone punch is absence
                    absence += no_punch_days
                    events.append(
                        Event(r.day, r.code, "ATT-7", "lone_punch", (side, no_punch_days), no_punch_days)
                    )
                else:  # ATT-6
                    missed_found.append((i, side))
                    events.append(Event(r.day, r.code, "ATT-6", "missed_punch", (side, _clock(at))))

        # ATT-3/5: in-punches MORE THAN late_after_minutes after the start
        for i in compress(range(n), map(gt, t_ins, late_edges)):
            r = rows[i]
            if excuse and excuse.get(r.kin) is not None:
                continue
            if self._late(r, t_ins[i], events):
                late_found.append((i, 0))
            else:
                absence += policy.late_half_day_absence_days
        # ATT-3: out-punches early_leave_minutes OR MORE before the end
        for i in compress(range(n), map(le, t_outs, early_edges)):
            r = rows[i]
            if excuse and excuse.get(r.kout) is not None:
                continue
            late_found.append((i, 1))
            t_out = t_outs[i]
            events.append(Event(r.day, r.code, "ATT-3", "early_leave", (_clock(t_out), _secs(r.end - t_out))))

        lates = sum(1 for _, side in late_found if side == 0)
        early = len(late_found) - lates
        missed = len(missed_found)
        late_found.sort()
        missed_found.sort()
        late_early_dates = [(rows[i].day, rows[i].code) for i, _ in late_found]
        missed_dates = [(rows[i].day, rows[i].code) for i, _ in missed_found]
        sessions_total = n

        # 6. leave days per kind (LEAVE-3 turns uncertified long sick leave into personal leave)
        if leaves:
            leave_days = self._leave_days(leaves, active_from, active_until, events)

        # 5. month rules
        n = lates + early
        if n >= policy.cumulative_threshold:  # ATT-4: 4 OR MORE lates/early leaves
            groups = n // policy.cumulative_threshold if policy.cumulative_every_group else 1
            for g in range(groups):
                when, _ = late_early_dates[(g + 1) * policy.cumulative_threshold - 1]
                val = policy.cumulative_absence_days
                absence += val
                count = (g + 1) * policy.cumulative_threshold
                events.append(
                    Event(when, None, "ATT-4", "cumulative", (count, policy.cumulative_threshold, val), val)
                )
        step = None
        for row in policy.missed_punch_table:  # ATT-6: the highest step reached applies
            if missed >= row.count:
                step = row
        if step is not None:
            when, _ = missed_dates[step.count - 1]
            absence += step.absence_days
            events.append(
                Event(
                    when,
                    None,
                    "ATT-6",
                    "missed_month",
                    (missed, step.count, step.absence_days),
                    step.absence_days,
                )
            )
        if off_post:
            absence += self._off_post(off_post, events)

        order = self.session_order
        events.sort(key=lambda e: (e.date, order.get(e.session, 99)))  # stable; day/month findings last
        return StaffMonthResult(
            staff_id=sid,
            lates=lates,
            early_leaves=early,
            missed_punches=missed,
            absence_days=absence,
            leave_days=leave_days,
            events=tuple(events),
            workdays=workdays,
            sessions=sessions_total,
        )

    def _late(self, r: _Session, t_in: datetime, events: list[Event]) -> bool:
        """Record a late in-punch; True for a late (ATT-3), False when it is half a day of absence (ATT-5)."""
        over = t_in - r.start
        if t_in >= r.half_edge:  # ATT-5: a late of late_half_day_minutes OR MORE
            val = self.policy.late_half_day_absence_days
            events.append(
                Event(r.day, r.code, "ATT-5", "late_half_day", (_clock(t_in), _secs(over), val), val)
            )
            return False
        events.append(Event(r.day, r.code, "ATT-3", "late", (_clock(t_in), _secs(over))))
        return True

    # -- leave helpers -----------------------------------------------------------------------------------

    def _excuses(self, leaves: Sequence[LeaveSpan]) -> dict[int, LeaveSpan] | None:
        """Punch-point keys excused by approved leave (ATT-8: pending/rejected excuse nothing)."""
        out: dict[int, LeaveSpan] = {}
        ms = self.month_start
        for d, plan in enumerate(self.plans):
            if plan is None:
                continue
            for lv in leaves:
                if lv.status != "approved":
                    continue
                for si in range(len(plan.codes)):
                    start = ms + timedelta(days=d, seconds=plan.points[2 * si])
                    end = ms + timedelta(days=d, seconds=plan.points[2 * si + 1])
                    if lv.start <= start < lv.end:
                        out.setdefault(d * 4 + 2 * si, lv)
                    if lv.start < end <= lv.end:
                        out.setdefault(d * 4 + 2 * si + 1, lv)
        return out or None

    def _pending_note(self, leaves: Sequence[LeaveSpan], a: datetime, b: datetime) -> tuple[str, ...]:
        """(kind, status) of a pending or rejected leave over [a, b) (it excuses nothing), or ()."""
        for lv in leaves:
            if lv.status != "approved" and lv.start < b and lv.end > a:
                return (lv.kind, lv.status)
        return ()

    def _covered_sessions(self, lv: LeaveSpan, first: date, nxt: date) -> float:
        """Working days a leave covers between `first` and `nxt` (exclusive), counted by session."""
        total = 0.0
        day = max(first, lv.start.date())
        stop = min(nxt, (lv.end - timedelta(microseconds=1)).date() + timedelta(days=1))
        while day < stop:
            try:
                working = self.calendar.is_workday(day)
            except YearNotLoaded:
                working = day.weekday() < 5
            if working:
                sessions = self.policy.sessions_for(day.weekday())
                base = datetime.combine(day, time())
                for s in sessions:
                    a = base + timedelta(seconds=_sod(s.start))
                    b = base + timedelta(seconds=_sod(s.end))
                    if lv.start <= a and b <= lv.end:
                        total += 1 / len(sessions)
            day += timedelta(days=1)
        return total

    def _leave_days(
        self,
        leaves: Sequence[LeaveSpan],
        active_from: date | None,
        active_until: date | None,
        events: list[Event],
    ) -> dict[str, float]:
        first = self.first
        nxt = first + timedelta(days=len(self.plans))
        if active_from is not None:
            first = max(first, active_from)
        if active_until is not None:
            nxt = min(nxt, active_until + timedelta(days=1))
        out: dict[str, float] = {}
        for lv in leaves:
            if lv.status != "approved":
                continue
            days = self._covered_sessions(lv, first, nxt)
            if days <= 0:
                continue
            kind = lv.kind
            shown = max(first, lv.start.date())
            if kind == "sick" and not lv.certificate:
                length = self._covered_sessions(lv, lv.start.date(), lv.end.date() + timedelta(days=1))
                if length > 1:  # LEAVE-3: sick leave OVER one day needs a certificate
                    kind = "personal"
                    events.append(Event(shown, None, "LEAVE-3", "sick_uncertified", (length,)))
            out[kind] = round(out.get(kind, 0.0) + days, 4)
            events.append(Event(shown, None, "ATT-8", "leave_excused", (kind, *_span(lv), days)))
        return out

    def _off_post(self, records: Sequence[Mapping[str, Any]], events: list[Event]) -> float:
        policy = self.policy
        last = self.first + timedelta(days=len(self.plans))
        per_day: dict[date, int] = {}
        notes: dict[date, list[str]] = {}
        total = 0.0
        for rec in records:
            day = _opt_date(rec["date"])
            if day is None or not (self.first <= day < last):
                continue
            kind = rec.get("kind") or "off_post"
            if kind in MISSED_KINDS:  # ATT-11: a meeting or study session missed without leave
                val = _missed_absence(policy, kind)
                if val:
                    total += val
                    note = str(rec.get("note") or "")
                    events.append(Event(day, None, "ATT-11", kind, (note, val), val))
                continue
            per_day[day] = per_day.get(day, 0) + int(rec.get("minutes") or 0)
            if rec.get("note"):
                notes.setdefault(day, []).append(str(rec["note"]))
        for day in sorted(per_day):
            minutes = per_day[day]
            if minutes > policy.off_post_half_day_minutes:  # ATT-5: MORE THAN the limit
                val = policy.off_post_absence_days
                total += val
                note = "; ".join(notes.get(day, ()))
                limit = policy.off_post_half_day_minutes
                events.append(Event(day, None, "ATT-5", "off_post", (minutes, limit, note, val), val))
        return total


def _opt_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
