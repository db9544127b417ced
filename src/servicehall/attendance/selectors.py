"""Attendance reads (考勤查询): a month's results from the database, scoped to the viewer.

Window staff see their own month, chief representatives their unit, the centre office the centre.
Results are kept (`MonthResult`) and read back while current; a person whose kept month is stale — a
punch import or correction or an inspection record since (the month's revision), or another policy,
calendar, posting or set of leaves (the inputs key) — is evaluated again and kept. Leaves come from
`servicehall.leave.selectors.leaves_for_attendance`, so a leave approved afterwards (LEAVE-6) changes the
month the next time it is read. Keeping results is a cache write: derived, rebuildable, not audited.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from servicehall.attendance.models import (
    MonthResult,
    MonthRevision,
    OffPostRecord,
    Punch,
    PunchCorrection,
    PunchImport,
)
from servicehall.attendance.rules import Event, PunchOffsets, StaffId, StaffMonthResult, parse_month
from servicehall.attendance.runner import evaluate_month
from servicehall.core.dates import check_date
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids
from servicehall.leave import selectors as leave_selectors
from servicehall.org.models import Staff
from servicehall.policy.schema import Policy
from servicehall.workdays.calendar import WorkCalendar, YearNotLoaded

EVALUATED_ROLES = (Role.WINDOW_STAFF, Role.CHIEF_REP)


@dataclass
class MonthReport:
    """A month for a set of people: rows of (Staff, result) in unit order, plus the policy used."""

    month: str
    first: date
    policy_ref: str
    rows: list[tuple[Staff, StaffMonthResult]] = field(default_factory=list)
    until: date | None = None

    def by_unit(self) -> dict[str, list[tuple[Staff, StaffMonthResult]]]:
        out: dict[str, list[tuple[Staff, StaffMonthResult]]] = {}
        for staff, result in self.rows:
            out.setdefault(str(staff.unit) if staff.unit_id else "中心", []).append((staff, result))
        return out

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON shape (events with `detail_zh`, as `--detail-zh`), with staff_id = 工号."""
        staff = []
        for s, r in self.rows:
            item = r.as_dict(zh=True)
            item["staff_id"] = s.staff_no
            item["name"] = s.name
            item["unit"] = str(s.unit) if s.unit_id else ""
            staff.append(item)
        return {"month": self.month, "policy": self.policy_ref, "staff": staff}


# -- policy and calendar ---------------------------------------------------------------------------------


def policy_for_month(*, centre_id: int, first: date) -> Policy:
    """The policy in force at the end of the month (or today, for the running month); the default preset
    when the centre has not published one."""
    last = parse_month(first)[1] - timedelta(days=1)
    on = min(last, timezone.localdate())
    from servicehall.policy_versions.selectors import NoPolicyInForce, policy_in_force

    if True:  # the stored versions always ship with attendance (they sit on a lower floor)
        try:
            return policy_in_force(centre_id=centre_id, on=on)[1]
        except NoPolicyInForce:
            pass
    from servicehall.policy.loader import load_policy

    return load_policy(getattr(settings, "SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2"))


def calendar_for_month(first: date) -> WorkCalendar:
    """The calendar table; the chinesecalendar package when the table lacks the year."""
    from servicehall.workdays.selectors import load_calendar

    calendar = load_calendar()
    if first.year in calendar.years:
        return calendar
    from servicehall.attendance.sources import calendar_for_months

    fallback = calendar_for_months([first])
    return fallback if first.year in fallback.years else calendar  # the engine then raises YearNotLoaded


# -- who may be seen ------------------------------------------------------------------------------------------


def viewer_centre_id(viewer: Any) -> int:
    staff = staff_of(viewer)
    if staff is not None:
        return staff.centre_id
    if role_of(viewer) == Role.CENTRE_ADMIN:  # a superuser without a Staff record: the first centre
        from servicehall.org.models import Centre

        centre = Centre.objects.order_by("id").first()
        if centre is not None:
            return centre.pk
    raise Forbidden("需要工作人员身份")


def visible_staff(*, viewer: Any, centre_id: int, unit_id: int | None = None) -> QuerySet[Staff]:
    """Staff whose attendance `viewer` may see: self (window staff), own unit (chief rep), all (office)."""
    qs = Staff.objects.filter(centre_id=centre_id).select_related("unit")
    role = role_of(viewer)
    if role == Role.WINDOW_STAFF:
        me = staff_of(viewer)
        return qs.filter(pk=me.pk if me else -1)
    units = visible_unit_ids(viewer, centre_id=centre_id)
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if unit_id is not None:
        if units is not None and unit_id not in units:
            raise Forbidden("无权查看其他单位的考勤")
        qs = qs.filter(unit_id=unit_id)
    return qs


# -- the month --------------------------------------------------------------------------------------------------


def _leaves(
    centre_id: int, first: date, last: date, policy: Policy, staff_ids: set[int]
) -> list[dict[str, Any]]:
    rows = leave_selectors.leaves_for_attendance(centre_id, first, last, policy=policy)
    return [r for r in rows if r["staff_id"] in staff_ids]


_ONE_US = timedelta(microseconds=1)


def punch_offsets_from_database(rows: Iterable[tuple[int, datetime]], first: date) -> PunchOffsets:
    """(staff_id, aware instant) rows → the engine's per-staff local offsets, with the local offset
    worked out once for the month instead of a time-zone conversion per punch. Asia/Shanghai keeps
    UTC+8 all year; a zone whose offset changes within the month is converted punch by punch."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time(), tzinfo=tz)
    nxt = parse_month(first)[1]
    grouped: defaultdict[StaffId, list[int]] = defaultdict(list)
    if start.utcoffset() == datetime.combine(nxt, time(), tzinfo=tz).utcoffset():
        for sid, at in rows:
            grouped[sid].append((at - start) // _ONE_US)
    else:
        naive_start = start.replace(tzinfo=None)
        for sid, at in rows:
            grouped[sid].append((timezone.localtime(at, tz).replace(tzinfo=None) - naive_start) // _ONE_US)
    out = PunchOffsets()
    out.update(grouped)
    return out


def _plan_key(policy: Policy, calendar: WorkCalendar, first: date, until: date) -> str:
    """What every kept result of the month depends on besides punches, inspections, posting and leaves:
    the attendance policy in force and the working-day calendar of the judged days."""
    days = []
    day = first
    while day <= until:
        try:
            days.append("1" if calendar.is_workday(day) else "0")
        except YearNotLoaded:
            days.append("?")
        day += timedelta(days=1)
    text = f"{policy.ref}|{policy.attendance.model_dump_json()}|{''.join(days)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _inputs_key(plan_key: str, staff: Staff, leaves: list[dict[str, Any]]) -> str:
    text = json.dumps([plan_key, str(staff.posted_from), str(staff.posted_until), leaves], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def month_revision(*, centre_id: int, first: date) -> int:
    """The centre's revision of the month's punches and inspection records (0: never changed)."""
    rev = MonthRevision.objects.filter(centre_id=centre_id, month=first).values_list("revision", flat=True)
    return rev.first() or 0


def _result_of(row: MonthResult) -> StaffMonthResult:
    return StaffMonthResult(
        staff_id=row.staff_id,
        lates=row.lates,
        early_leaves=row.early_leaves,
        missed_punches=row.missed_punches,
        absence_days=row.absence_days,
        leave_days={kind: days for kind, days in row.leave_days},
        events=tuple(
            Event(date.fromisoformat(d), session, rule, code, tuple(params), absence)
            for d, session, rule, code, params, absence in row.events
        ),
        workdays=row.workdays,
        sessions=row.sessions,
    )


def _row_of(
    result: StaffMonthResult, *, centre_id: int, first: date, until: date, revision: int, key: str
) -> MonthResult:
    return MonthResult(
        centre_id=centre_id,
        staff_id=cast(int, result.staff_id),
        month=first,
        until=until,
        revision=revision,
        inputs_key=key,
        lates=result.lates,
        early_leaves=result.early_leaves,
        missed_punches=result.missed_punches,
        absence_days=result.absence_days,
        workdays=result.workdays,
        sessions=result.sessions,
        leave_days=[[kind, days] for kind, days in result.leave_days.items()],
        events=[
            [e.date.isoformat(), e.session, e.rule, e.code, list(e.params), e.absence_days]
            for e in result.events
        ],
    )


_KEPT_FIELDS = ["centre", "until", "revision", "inputs_key", "lates", "early_leaves", "missed_punches",
                "absence_days", "workdays", "sessions", "leave_days", "events"]  # fmt: skip


def evaluate_staff_month(
    *, centre_id: int, staff: list[Staff], month: str | date, today: date | None = None
) -> MonthReport:
    """The month of `staff` (already scoped): kept results while current, the others evaluated now and
    kept. Days after yesterday are not judged yet."""
    first, nxt = parse_month(month)
    last = nxt - timedelta(days=1)
    today = today or timezone.localdate()
    until = min(last, today - timedelta(days=1))
    policy = policy_for_month(centre_id=centre_id, first=first)
    report = MonthReport(month=f"{first:%Y-%m}", first=first, policy_ref=policy.ref, until=until)
    if not staff or until < first:
        report.rows = [(s, _empty(s.pk)) for s in staff]
        return report
    calendar = calendar_for_month(first)
    ids = {s.pk for s in staff}
    plan_key = _plan_key(policy, calendar, first, until)
    leaves_of: dict[int, list[dict[str, Any]]] = {}
    for rec in _leaves(centre_id, first, last, policy, ids):
        leaves_of.setdefault(rec["staff_id"], []).append(rec)
    keys = {s.pk: _inputs_key(plan_key, s, leaves_of.get(s.pk, [])) for s in staff}
    revision = month_revision(centre_id=centre_id, first=first)
    by_id: dict[int, StaffMonthResult] = {}
    for row in MonthResult.objects.filter(staff_id__in=ids, month=first, until=until, revision=revision):
        if row.inputs_key == keys[row.staff_id]:
            by_id[row.staff_id] = _result_of(row)
    stale = [s for s in staff if s.pk not in by_id]
    if stale:
        fresh = _evaluate(centre_id, stale, first, until, policy, calendar, leaves_of)
        by_id.update((cast(int, r.staff_id), r) for r in fresh)
        kept = [
            _row_of(
                r,
                centre_id=centre_id,
                first=first,
                until=until,
                revision=revision,
                key=keys[cast(int, r.staff_id)],
            )
            for r in fresh
        ]
        MonthResult.objects.bulk_create(
            kept,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["staff", "month"],
            update_fields=_KEPT_FIELDS,
        )
    report.rows = [(s, by_id[s.pk]) for s in staff]
    return report


def _evaluate(
    centre_id: int,
    staff: list[Staff],
    first: date,
    until: date,
    policy: Policy,
    calendar: WorkCalendar,
    leaves_of: dict[int, list[dict[str, Any]]],
) -> list[StaffMonthResult]:
    """Evaluate `staff` for the month from the stored punches and inspection records."""
    nxt = parse_month(first)[1]
    ids = {s.pk for s in staff}
    tz = timezone.get_current_timezone()
    rows = (
        Punch.objects.filter(
            staff_id__in=ids,
            at__gte=datetime.combine(first, time(), tzinfo=tz),
            at__lt=datetime.combine(nxt, time(), tzinfo=tz),
            voided=False,
        )
        .order_by()
        .values_list("staff_id", "at")
        .iterator(chunk_size=5000)
    )
    punches = punch_offsets_from_database(rows, first)
    off_post = list(
        OffPostRecord.objects.filter(staff_id__in=ids, date__gte=first, date__lt=nxt).values(
            "staff_id", "date", "minutes", "note", "kind"
        )
    )
    leaves = [rec for s in staff for rec in leaves_of.get(s.pk, [])]
    people = [
        {"staff_id": s.pk, "active_from": s.posted_from, "active_until": s.posted_until or None}
        for s in staff
    ]
    return evaluate_month(policy.attendance, calendar, first, people, punches, leaves, off_post, until=until)


def _empty(staff_id: int) -> StaffMonthResult:
    return StaffMonthResult(staff_id, 0, 0, 0, 0.0, {}, ())


def month_report(
    *, viewer: Any, month: str | date, unit_id: int | None = None, centre_id: int | None = None
) -> MonthReport:
    """The month of everyone `viewer` may see (optionally one unit): kept results, stale ones evaluated again."""
    centre_id = centre_id or viewer_centre_id(viewer)
    qs = visible_staff(viewer=viewer, centre_id=centre_id, unit_id=unit_id)
    if role_of(viewer) != Role.WINDOW_STAFF:
        qs = qs.filter(role__in=EVALUATED_ROLES)
    first, nxt = parse_month(month)
    qs = qs.filter(Q(posted_from__isnull=True) | Q(posted_from__lt=nxt)).filter(
        Q(posted_until__isnull=True) | Q(posted_until__gte=first)
    )
    staff = list(qs.order_by("unit_id", "staff_no"))
    return evaluate_staff_month(centre_id=centre_id, staff=staff, month=first)


@dataclass(frozen=True)
class LateTrend:
    """Lates (ATT-3 迟到) per unit per month, oldest month first, for the attendance charts."""

    months: list[str]
    by_unit: dict[str, list[int]]

    def month_totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.by_unit.values(), strict=True)] if self.by_unit else []


def _unit_label(staff: Staff) -> str:
    return str(staff.unit) if staff.unit_id else "中心"


def lates_by_unit(report: MonthReport) -> dict[str, int]:
    """One month's lates per unit, in the report's unit order."""
    out: dict[str, int] = {}
    for staff, result in report.rows:
        out[_unit_label(staff)] = out.get(_unit_label(staff), 0) + result.lates
    return out


def late_trend(
    *, viewer: Any, month: str, count: int = 6, unit_id: int | None = None, known: MonthReport | None = None
) -> LateTrend:
    """Lates per unit over the `count` months up to `month`, leaving out months before the first punch
    (evaluating them would only report absences). `known` is `month`'s report when the page has it."""
    centre_id = viewer_centre_id(viewer)
    earliest = Punch.objects.filter(centre_id=centre_id, voided=False).aggregate(first=Min("at"))["first"]
    if earliest is None:
        return LateTrend(months=[], by_unit={})
    since = timezone.localtime(earliest).date().replace(day=1)
    first, _ = parse_month(month)
    months: list[date] = []
    while len(months) < count and first >= since:
        months.insert(0, first)
        first = (first - timedelta(days=1)).replace(day=1)
    by_unit: dict[str, list[int]] = {}
    labels: list[str] = []
    for m in months:
        if known is not None and known.first == m:
            report = known
        else:
            try:
                report = month_report(viewer=viewer, month=m, unit_id=unit_id)
            except DomainError:  # a year the calendar does not know: leave the month out
                continue
        for unit, lates in lates_by_unit(report).items():
            by_unit.setdefault(unit, [0] * len(labels)).append(lates)
        labels.append(f"{m:%Y-%m}")
        for values in by_unit.values():  # a unit with nobody evaluated that month counts 0
            values.extend([0] * (len(labels) - len(values)))
    return LateTrend(months=labels, by_unit=by_unit)


def staff_month(
    *, viewer: Any, staff_id: int, month: str | date
) -> tuple[Staff, StaffMonthResult, MonthReport]:
    """One person's month with the event trail; Forbidden unless the viewer may see that person."""
    centre_id = viewer_centre_id(viewer)
    staff = visible_staff(viewer=viewer, centre_id=centre_id).filter(pk=staff_id).first()
    if staff is None:
        raise Forbidden("无权查看该人员的考勤")
    report = evaluate_staff_month(centre_id=centre_id, staff=[staff], month=month)
    return staff, report.rows[0][1], report


def weekly_notice(*, viewer: Any, week_start: date, unit_id: int | None = None) -> dict[str, Any]:
    """ATT-10 weekly notice (周通报): each person's findings dated in the week starting `week_start`."""
    check_date(week_start, "week")  # 9999-12-31 + 6 days would overflow
    week_start = week_start - timedelta(days=week_start.weekday())
    week_end = week_start + timedelta(days=6)
    months = sorted({week_start.replace(day=1), week_end.replace(day=1)})
    found: dict[int, tuple[Staff, list[Any]]] = {}
    policy_ref = ""
    for m in months:
        report = month_report(viewer=viewer, month=m, unit_id=unit_id)
        policy_ref = report.policy_ref
        for staff, result in report.rows:
            events = [
                e
                for e in result.events
                if week_start <= e.date <= week_end and not (e.rule == "ATT-8" and not e.absence_days)
            ]  # findings only: approved-leave notes are not news
            if events:
                found.setdefault(staff.pk, (staff, []))[1].extend(events)
    rows = sorted(found.values(), key=lambda item: (item[0].unit_id or 0, item[0].staff_no))
    return {"week_start": week_start, "week_end": week_end, "policy": policy_ref, "rows": rows}


def quarter_summary(
    *, viewer: Any, year: int, quarter: int, unit_id: int | None = None
) -> list[dict[str, Any]]:
    """ATT-10 quarterly attendance input for assessment (季考核): per person totals of the quarter's months."""
    if quarter not in (1, 2, 3, 4):
        raise DomainError("quarter must be 1–4", quarter=quarter)
    totals: dict[int, dict[str, Any]] = {}
    for mon in range(3 * quarter - 2, 3 * quarter + 1):
        report = month_report(viewer=viewer, month=date(year, mon, 1), unit_id=unit_id)
        for staff, r in report.rows:
            t = totals.setdefault(
                staff.pk,
                {
                    "staff_id": staff.staff_no,
                    "name": staff.name,
                    "unit": str(staff.unit) if staff.unit_id else "",
                    "lates": 0,
                    "early_leaves": 0,
                    "missed_punches": 0,
                    "absence_days": 0.0,
                    "leave_days": {},
                },
            )
            t["lates"] += r.lates
            t["early_leaves"] += r.early_leaves
            t["missed_punches"] += r.missed_punches
            t["absence_days"] += r.absence_days
            for k, v in r.leave_days.items():
                t["leave_days"][k] = t["leave_days"].get(k, 0) + v
    return list(totals.values())


def punches_of(*, viewer: Any, staff_id: int, first: date, nxt: date) -> QuerySet[Punch]:
    centre_id = viewer_centre_id(viewer)
    if not visible_staff(viewer=viewer, centre_id=centre_id).filter(pk=staff_id).exists():
        raise Forbidden("无权查看该人员的考勤")
    tz = timezone.get_current_timezone()
    return Punch.objects.filter(
        staff_id=staff_id,
        at__gte=datetime.combine(first, time(), tzinfo=tz),
        at__lt=datetime.combine(nxt, time(), tzinfo=tz),
    ).order_by("at")


def recent_imports(*, centre_id: int, limit: int = 20) -> QuerySet[PunchImport]:
    return PunchImport.objects.filter(centre_id=centre_id)[:limit]


def recent_corrections(*, centre_id: int, limit: int = 50) -> QuerySet[PunchCorrection]:
    return PunchCorrection.objects.filter(centre_id=centre_id).select_related("staff", "punch")[:limit]
