"""Demo activity (演示业务数据): cases, consultations, today's queue, leave and staff punches.

Everything is written through the domains' own services, so every rule holds as in real use: materials
checked before acceptance (CASE-2), one-time notices within their deadline (CASE-2/3), refusals reported
first (CASE-7), unit steps of a 联办件 (CAT-2), promised replies (ASK-1/2), calling order (Q-1/2),
the leave chain and covers (LEAVE-1/5/6), punch import (ATT-2) for the last full month and this month
up to yesterday.

Deterministic (fixed seeds) and idempotent: a part whose data already exists is skipped. Dates are
relative to today, or to the last known working day when today lies outside the loaded calendar years.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from servicehall.catalog.models import CaseType, Item
from servicehall.core.identity import gb11643_check_char
from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.workdays.calendar import WorkCalendar, YearNotLoaded

SEED = 20260302
T = TypeVar("T")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "建国", "志强", "晓东", "海燕", "春梅", "雪梅", "子涵", "欣怡", "浩然", "玉兰", "桂英")  # fmt: skip
COMPANY_WORDS = ("恒达", "兴隆", "瑞丰", "鑫源", "宏图", "金穗", "绿野", "康宁", "锦程", "华泰")
COMPANY_KINDS = ("商贸有限公司", "农业专业合作社", "建筑工程有限公司", "餐饮管理有限公司", "物流有限公司")
STREETS = ("人民路", "解放街", "文化巷", "新华路", "建设路", "南关街")


@dataclass
class ActivitySummary:
    """What one build added (all zero when the activity existed already)."""

    anchor: date
    cases: dict[str, int] = field(default_factory=dict)
    inquiries: int = 0
    tickets: int = 0
    leaves: int = 0
    punches: int = 0


# -- dates ----------------------------------------------------------------------------------------------


def demo_calendar() -> WorkCalendar:
    """The calendar the domains use: the database table, or the package calendar when the table is empty."""
    from servicehall.cases.calendars import centre_calendar

    return centre_calendar()


def anchor_day(calendar: WorkCalendar, *, today: date | None = None) -> date:
    """Today when its year is loaded, else the last working day of the latest loaded year."""
    today = today or timezone.localdate()
    if today.year in calendar.years or not calendar.years:
        return today
    years = sorted(calendar.years)
    year = max([y for y in years if y < today.year], default=years[0])
    day = date(year, 12, 31)
    while not calendar.is_workday(day):
        day -= timedelta(days=1)
    return day


def _is_workday(calendar: WorkCalendar, day: date) -> bool | None:
    """None when the day's year is not loaded."""
    try:
        return calendar.is_workday(day)
    except YearNotLoaded:
        return None


def working_days_before(calendar: WorkCalendar, anchor: date, count: int) -> list[date]:
    """Up to `count` working days before `anchor`, the most recent first; stops at an unloaded year."""
    days: list[date] = []
    day = anchor
    while len(days) < count:
        day -= timedelta(days=1)
        known = _is_workday(calendar, day)
        if known is None:
            break
        if known:
            days.append(day)
    return days


def next_working_day(calendar: WorkCalendar, day: date) -> date | None:
    for _ in range(20):
        day += timedelta(days=1)
        known = _is_workday(calendar, day)
        if known is None:
            return None
        if known:
            return day
    return None


def _at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second)))


def _within_calendar(build: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run one piece in its own savepoint. A piece whose deadline would run into a calendar year that is
    not loaded (near the end of the last loaded year) is left out (None, nothing written), not guessed."""
    try:
        with transaction.atomic():
            return build(*args, **kwargs)
    except YearNotLoaded:
        return None


# -- people ---------------------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_number(rng: random.Random) -> str:
    """A well-formed 18-digit resident ID (GB 11643 check digit) for a made-up person."""
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
    body = f"620422{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + gb11643_check_char(body)


def _applicant(rng: random.Random) -> dict[str, Any]:
    address = f"示范县{rng.choice(STREETS)}{rng.randint(1, 200)}号"
    phone = f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"
    if rng.random() < 0.3:
        name = f"示范县{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_KINDS)}"
        return {"applicant_name": name, "applicant_phone": phone, "applicant_address": address}
    return {
        "applicant_name": _person(rng),
        "applicant_id_no": _id_number(rng),
        "applicant_phone": phone,
        "applicant_address": address,
    }


class _Staffing:
    """Who works where: window staff per unit (ordered by 工号) and the centre office."""

    def __init__(self, centre: Centre, office: Staff) -> None:
        self.office = office
        self.units = list(Unit.objects.filter(centre=centre).order_by("id"))
        staff = Staff.objects.filter(centre=centre, is_active=True).order_by("staff_no")
        self.clerks: dict[int, list[Staff]] = {u.pk: [] for u in self.units}
        self.chiefs: dict[int, Staff] = {}
        for s in staff:
            if s.unit_id is None:
                continue
            if s.role == Staff.Role.CHIEF_REP:
                self.chiefs[s.unit_id] = s
            else:
                self.clerks.setdefault(s.unit_id, []).append(s)

    def clerk(self, unit_id: int, rng: random.Random) -> Staff:
        return rng.choice(self.clerks[unit_id])


# -- cases and consultations (CASE-*, CAT-2, ASK-*) ----------------------------------------------------


class _CaseBuilder:
    def __init__(self, centre: Centre, staffing: _Staffing, days: list[date], rng: random.Random) -> None:
        self.centre, self.staffing, self.days, self.rng = centre, staffing, days, rng
        items = Item.objects.filter(centre=centre, status=Item.Status.PUBLISHED).order_by("code")
        self.items = list(items.prefetch_related("materials", "joint_units"))

    def pick(self, case_type: str, test: Callable[[Item], bool] = lambda i: True) -> Item:
        choices = [i for i in self.items if i.case_type == case_type and test(i)]
        return self.rng.choice(choices)

    def day(self, k: int) -> date:
        return self.days[min(k, len(self.days) - 1)]

    def register(self, item: Item, day: date, hour: int, *, missing: bool = False):
        from servicehall.cases.enums import MaterialState
        from servicehall.cases.services import MaterialCheck, register_case

        checks = {}
        if missing:
            required = [m for m in item.materials.all() if m.required]
            checks[self.rng.choice(required).pk] = MaterialCheck(MaterialState.MISSING)
        clerk = self.staffing.clerk(item.unit_id, self.rng)
        at = _at(day, hour, self.rng.randint(0, 45))
        case = register_case(actor=clerk, item=item, checks=checks, at=at, **_applicant(self.rng))
        return case, clerk, at

    def accepted(self, item: Item, k: int, *, start: bool = True, hour: int = 9):
        from servicehall.cases.services import accept_case, start_processing

        case, clerk, at = self.register(item, self.day(k), hour)
        accept_case(case_id=case.pk, actor=clerk, at=at + timedelta(minutes=12))
        if start:
            start_processing(case_id=case.pk, actor=clerk, at=at + timedelta(minutes=25))
        return case, clerk

    def finish_steps(self, case_id: int, day: date, hour: int = 10) -> None:
        from servicehall.cases.models import UnitStep
        from servicehall.cases.services import complete_unit_step

        for step in UnitStep.objects.filter(case_id=case_id, done_at__isnull=True).order_by("id"):
            actor = self.staffing.clerk(step.unit_id, self.rng)
            complete_unit_step(step_id=step.pk, actor=actor, note="审查通过", at=_at(day, hour, 5))

    def delivered(self, k: int, *, deliver: bool = True) -> None:
        """Accepted, processed, approved within its promise and handed over (CASE-5, CASE-8)."""
        from servicehall.cases.services import conclude_case, deliver_case

        item = self.pick(CaseType.PROMISED, lambda i: i.promised_days >= 2)
        case, clerk = self.accepted(item, k)
        c = self.rng.randint(1, min(3, item.promised_days - 1, k))
        done_day = self.day(k - c)
        self.finish_steps(case.pk, done_day)
        conclude_case(
            case_id=case.pk, actor=clerk, outcome="approved", note="准予许可", at=_at(done_day, 10, 40)
        )
        if deliver:
            post = self.rng.random() < 0.4
            deliver_case(
                case_id=case.pk,
                actor=clerk,
                method="post" if post else "window",
                tracking_no=f"EMS{self.rng.randrange(10**9):09d}" if post else "",
                at=_at(self.day(k - c - 1) if k - c - 1 >= 0 else done_day, 15, 20),
            )

    def immediate(self, k: int, *, deliver: bool) -> None:
        """即办件: finished in the same visit (CAT-2)."""
        from servicehall.cases.services import complete_on_the_spot, deliver_case

        case, clerk, at = self.register(self.pick(CaseType.IMMEDIATE), self.day(k), 10)
        complete_on_the_spot(case_id=case.pk, actor=clerk, note="当场办结", at=at + timedelta(minutes=8))
        if deliver:
            deliver_case(case_id=case.pk, actor=clerk, method="window", at=at + timedelta(minutes=12))

    def in_progress(self, *, step_done: bool = False, urgent: bool = False, extend: bool = False) -> None:
        """Accepted and being processed, still within the promised time (CASE-5)."""
        from servicehall.cases.services import extend_deadline, flag_urgent

        item = self.pick(CaseType.PROMISED, lambda i: i.promised_days >= 5)
        k = self.rng.randint(0, min(item.promised_days - 2, 6))
        case, clerk = self.accepted(item, k)
        if step_done and k >= 1:
            self.finish_steps(case.pk, self.day(k - 1), hour=16)
        if urgent:
            reason = "申请人因重大项目开工急需，经首席代表同意急事急办"
            flag_urgent(case_id=case.pk, actor=clerk, reason=reason, at=_at(self.day(k), 11, 0))
        if extend:
            extend_deadline(
                case_id=case.pk,
                actor=clerk,
                working_days=5,
                reason="需会同乡镇现场核查，承诺时限内无法办结",
                consent_note="已电话告知申请人延期理由并征得同意",
                at=_at(self.day(max(k - 1, 0)), 9, 30),
            )

    def overdue(self) -> None:
        """Accepted long ago with a short promise, still open: past due (CASE-6 超时默认)."""
        item = self.pick(CaseType.PROMISED, lambda i: 1 <= i.promised_days <= 5)
        k = min(item.promised_days + self.rng.randint(3, 7), len(self.days) - 1)
        self.accepted(item, k)

    def correction(self, k: int, *, second_visit: bool = False) -> None:
        """A missing material: one-time notice (CASE-2); after the second visit accepted (CASE-3)."""
        from servicehall.cases.services import (
            accept_case,
            issue_one_time_notice,
            record_materials,
            start_processing,
        )

        item = self.pick(CaseType.PROMISED, lambda i: i.promised_days >= 5)
        case, clerk, at = self.register(item, self.day(k), 9, missing=True)
        issue_one_time_notice(
            case_id=case.pk, actor=clerk, note="已当面告知并交申请人签收", at=at + timedelta(minutes=15)
        )
        if second_visit:
            back = _at(self.day(k - 2), 14, 40)
            fixed = [m.pk for m in case.materials.all() if m.state == "missing"]
            record_materials(case_id=case.pk, actor=clerk, fixed=fixed, second_visit=True, at=back)
            accept_case(case_id=case.pk, actor=clerk, at=back + timedelta(minutes=5))
            start_processing(case_id=case.pk, actor=clerk, at=back + timedelta(minutes=20))

    def joint(self) -> None:
        """联办件 with two units in parallel: the lead unit has finished its step, the other has not (CAT-2)."""
        item = self.pick(CaseType.JOINT, lambda i: len(i.joint_units.all()) == 1)
        case, _clerk = self.accepted(item, min(2, item.promised_days - 2) if item.promised_days > 2 else 0)
        from servicehall.cases.models import UnitStep
        from servicehall.cases.services import complete_unit_step

        step = UnitStep.objects.get(case=case, unit_id=item.unit_id)
        actor = self.staffing.clerk(item.unit_id, self.rng)
        complete_unit_step(step_id=step.pk, actor=actor, note="本单位审查通过", at=_at(self.day(0), 11, 10))

    def reported(self) -> None:
        """上报件: the centre's part done, the decision with the higher authority (CAT-2)."""
        from servicehall.cases.services import report_up

        item = self.pick(CaseType.REPORTED, lambda i: i.promised_days >= 5)
        case, clerk = self.accepted(item, 3)
        self.finish_steps(case.pk, self.day(1))
        report_up(
            case_id=case.pk, actor=clerk, reason="初审通过，报市级主管部门决定", at=_at(self.day(1), 16)
        )

    def refused(self) -> None:
        """不予受理 after the refusal report was acknowledged by the centre (CASE-7)."""
        from servicehall.cases.services import acknowledge_refusal_report, refuse_case, report_refusal

        case, clerk, at = self.register(self.pick(CaseType.PROMISED), self.day(4), 10)
        report = report_refusal(
            case_id=case.pk,
            actor=clerk,
            kind="not_accepted",
            reasons="申请经营场所位于邻县行政区域内，依法不属于本机关受理范围，已告知申请人向有管辖权的机关申请",
            legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项",
            at=at + timedelta(minutes=20),
        )
        acknowledge_refusal_report(
            report_id=report.pk, actor=self.staffing.office, at=at + timedelta(hours=1)
        )
        refuse_case(case_id=case.pk, actor=clerk, at=at + timedelta(hours=1, minutes=30))

    def returned(self) -> None:
        """退件 with a detailed reason (CASE-7)."""
        from servicehall.cases.services import return_case

        case, clerk = self.accepted(self.pick(CaseType.PROMISED, lambda i: i.promised_days >= 5), 2)
        return_case(
            case_id=case.pk,
            actor=clerk,
            reason="申请人书面申请撤回办件，原件材料已当面退还申请人本人签收",
            at=_at(self.day(1), 10, 30),
        )

    def registered_only(self) -> None:
        self.register(self.pick(CaseType.PROMISED), self.day(0), 17)


def build_cases(*, centre: Centre, staffing: _Staffing, days: list[date]) -> int:
    """About 40 cases of the last weeks in every state a supervisor looks at (CASE-1..9, CAT-2)."""
    from servicehall.cases.models import Case

    if Case.objects.filter(centre=centre).exists() or len(days) < 26:
        return 0
    rng = random.Random(f"{SEED}-cases")
    b = _CaseBuilder(centre, staffing, days, rng)

    run = _within_calendar
    for k in rng.sample(range(6, 26), 10):
        run(b.delivered, k)
    run(b.delivered, 5, deliver=False)
    for k, deliver in ((0, True), (2, True), (5, False), (9, True)):
        run(b.immediate, k, deliver=deliver)
    for n in range(10):
        run(b.in_progress, step_done=n in (1, 4), urgent=n == 2, extend=n == 6)
    for _ in range(3):
        item = b.pick(CaseType.PROMISED, lambda i: i.promised_days >= 3)
        run(b.accepted, item, 0, start=False, hour=15)
    for k in (0, 1, 3):
        run(b.correction, k)
    run(b.correction, 4, second_visit=True)
    for _ in range(3):
        run(b.overdue)
    for build in (b.joint, b.reported, b.refused, b.returned, b.registered_only):
        run(build)
    return Case.objects.filter(centre=centre).count()


def build_inquiries(*, centre: Centre, staffing: _Staffing, days: list[date]) -> int:
    """首问负责 (ASK-1/2): answered, referred to a window with its location, promised (one overdue)."""
    from servicehall.cases.models import Inquiry
    from servicehall.consultation.services import answer_inquiry, log_inquiry

    if Inquiry.objects.filter(centre=centre).exists() or len(days) < 6:
        return 0
    rng = random.Random(f"{SEED}-ask")
    items = list(Item.objects.filter(centre=centre, status=Item.Status.PUBLISHED).order_by("code"))
    units = staffing.units

    def clerk(unit: Unit) -> Staff:
        return staffing.clerk(unit.pk, rng)

    for n, (channel, k) in enumerate(
        (("on_site", 0), ("phone", 1), ("web", 2), ("on_site", 3), ("video", 4))
    ):
        item = rng.choice(items)
        log_inquiry(
            actor=clerk(item.unit),
            channel=channel,
            question=f"请问办理「{item.name}」需要准备哪些材料？",
            outcome="answered",
            item=item,
            answer=f"您好，办理「{item.name}」请携带办事指南所列材料，承诺{item.promised_days}个工作日内办结。",
            visitor_name=_person(rng),
            at=_at(days[k], 9 + n, 15),
        )
    for k in (0, 2):
        item = rng.choice(items)
        asked_at = units[(units.index(item.unit) + 1) % len(units)]
        target = Window.objects.filter(unit=item.unit).order_by("number").first()
        log_inquiry(
            actor=clerk(asked_at),
            channel="on_site",
            question=f"「{item.name}」在哪个窗口办理？",
            outcome="referred",
            item=item,
            referred_window=target,
            visitor_name=_person(rng),
            at=_at(days[k], 10, 40),
        )

    def promised() -> None:
        kept = log_inquiry(
            actor=clerk(units[2]),
            channel="phone",
            question="个体工商户名称变更后，原有许可证是否需要同步变更？",
            outcome="promised",
            contact=f"139{rng.randrange(10**8):08d}",
            visitor_name=_person(rng),
            at=_at(days[4], 15, 10),
        )
        answer_inquiry(
            inquiry_id=kept.pk,
            actor=kept.asked,
            answer="您好，经与业务科室确认，名称变更后请携带营业执照到原发证窗口办理许可证变更，当场可办。",
            at=_at(days[3], 10, 0),
        )
        log_inquiry(  # promised by the end of the next working day and not yet answered: overdue (ASK-2)
            actor=clerk(units[5]),
            channel="web",
            question="农村宅基地上新建住房需要办理哪些审批手续？",
            outcome="promised",
            contact=f"138{rng.randrange(10**8):08d}",
            visitor_name=_person(rng),
            at=_at(days[3], 16, 30),
        )

    _within_calendar(promised)
    return Inquiry.objects.filter(centre=centre).count()


# -- today's queue (Q-1, Q-2) ---------------------------------------------------------------------------


def build_queue(*, centre: Centre, office: Staff, now: datetime) -> int:
    """Tickets of the day on five lines: served, in hand at a window, waiting, and one priority (Q-2)."""
    from servicehall.queue import services as queue
    from servicehall.queue.models import ServiceLine, Ticket

    day = timezone.localtime(now).date()
    if Ticket.objects.filter(centre=centre, day=day).exists():
        return 0
    rng = random.Random(f"{SEED}-queue")
    end = now - timedelta(minutes=2)
    start = max(end - timedelta(minutes=150), timezone.make_aware(datetime.combine(day, time(0, 1))))
    span = (end - start).total_seconds()
    made = 0
    lines = list(ServiceLine.objects.filter(centre=centre, is_active=True).order_by("position"))
    for index, line in enumerate(lines[:5]):
        windows = [lw.window for lw in line.line_windows.select_related("window").order_by("window__number")]
        workers = {w.pk: w.staff.filter(is_active=True).order_by("staff_no").first() for w in windows}
        windows = [w for w in windows if workers[w.pk] is not None][:3]
        if not windows:
            continue
        count = rng.randint(7, 11)
        waiting = rng.randint(2, 4)
        served = count - waiting
        steps: list[tuple[float, int, str, Window | None]] = []
        for i in range(count):
            # Line A's last number was taken for a visitor with a disability, confirmed by staff.
            kind = "priority" if index == 0 and i == count - 1 else "issue"
            steps.append((span * (i + 0.2 * rng.random()) / count, 0, kind, None))
        for j in range(served):
            window = windows[j % len(windows)]
            called = span * (j + 0.6) / count
            steps.append((called, 1, "call", window))
            if j < served - len(windows):  # the last one at each window is still being served
                steps.append((called + min(span / count * len(windows) * 0.8, 480), 2, "finish", window))
        for offset, _order, action, window in sorted(steps, key=lambda s: (s[0], s[1])):  # type: ignore[assignment]  # the demo has these windows
            at = start + timedelta(seconds=offset)
            if action == "issue":
                queue.issue_ticket(line_id=line.pk, now=at)
            elif action == "priority":
                queue.issue_ticket(line_id=line.pk, priority="disabled", actor=office, now=at)
            elif action == "call":
                queue.call_next(window_id=window.pk, actor=workers[window.pk], now=at)
            else:
                queue.finish(window_id=window.pk, actor=workers[window.pk], now=at)
        made += count
    return made


# -- leave (LEAVE-1, LEAVE-5, LEAVE-6) ------------------------------------------------------------------


def _month_workdays(calendar: WorkCalendar, first: date) -> list[date]:
    days, day = [], first
    while day.month == first.month:
        if calendar.is_workday(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def build_leave(
    *, centre: Centre, staffing: _Staffing, calendar: WorkCalendar, anchor: date, now: datetime
) -> tuple[int, dict[int, set[date]]]:
    """A pending half-day at the centre tier, an approved leave with its cover checked in, a chief
    representative's two-day leave signed by the unit leader and the centre. Returns the days each
    person was away last month (no punches then)."""
    from servicehall.leave.models import LeaveRequest
    from servicehall.leave.services import (
        CoverInput,
        apply_for_leave,
        approve_leave_step,
        cover_check_in,
        record_return,
    )

    away: dict[int, set[date]] = {}
    if LeaveRequest.objects.filter(centre=centre).exists():
        return 0, away
    office, units = staffing.office, staffing.units
    made = 0
    last_month = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
    workdays = _month_workdays(calendar, last_month) if last_month.year in calendar.years else []

    def approve_all(leave: LeaveRequest, at: datetime) -> None:
        for step in leave.steps.order_by("order"):
            step.refresh_from_db()
            external = step.approver_role != "centre"
            approve_leave_step(
                step_id=step.pk,
                approver=office,
                note="同意",
                signer_name=f"{leave.staff.unit.short_name}分管领导" if external else "",  # type: ignore[union-attr]  # demo staff have a unit
                now=at,
            )

    if len(workdays) >= 12:
        # One day of personal leave (事假): needs a cover (LEAVE-5); the cover arrived before 8:30.
        clerk, colleague = staffing.clerks[units[2].pk][3], staffing.clerks[units[2].pk][6]
        day = workdays[4]
        leave = apply_for_leave(
            staff=clerk,
            kind="personal",
            start_date=day,
            end_date=day,
            reason="家中老人就医陪护",
            cover=CoverInput(start_date=day, end_date=day, staff=colleague),
            now=_at(workdays[2], 16, 10),
        )
        approve_all(leave, _at(workdays[3], 9, 5))
        cover_check_in(cover_id=leave.covers.get().pk, actor=office, at=_at(day, 8, 12))
        record_return(leave_id=leave.pk, actor=clerk, returned_at=_at(workdays[5], 8, 20))
        away.setdefault(clerk.pk, set()).add(day)
        # The chief representative of another unit: two days, tier 2 (unit leader + centre, LEAVE-1).
        chief = staffing.chiefs[units[5].pk]
        deputy = staffing.clerks[units[5].pk][0]
        a, b = workdays[9], workdays[10]
        leave = apply_for_leave(
            staff=chief,
            kind="personal",
            start_date=a,
            end_date=b,
            reason="参加子女毕业典礼并办理家事",
            cover=CoverInput(start_date=a, end_date=b, staff=deputy),
            now=_at(workdays[6], 15, 30),
        )
        approve_all(leave, _at(workdays[7], 10, 0))
        cover_check_in(cover_id=leave.covers.get().pk, actor=office, at=_at(a, 8, 5))
        record_return(leave_id=leave.pk, actor=chief, returned_at=_at(workdays[11], 8, 15))
        away.setdefault(chief.pk, set()).update({a, b})
        made += 2
    nxt = next_working_day(calendar, anchor)
    if nxt is not None:  # a half day of personal leave, waiting for the centre's signature (LEAVE-1 tier 1)
        apply_for_leave(
            staff=staffing.clerks[units[1].pk][2],
            kind="personal",
            start_date=nxt,
            end_date=nxt,
            end_half="am",
            reason="到县医院复诊",
            now=now,
        )
        made += 1
    return made, away


# -- attendance (ATT-2) ---------------------------------------------------------------------------------


def _punch_day(rng: random.Random, day: date) -> list[datetime]:
    """Four punches of an ordinary day: mostly on time, a few lates, early leaves and missed punches."""

    def at(h: int, m_lo: int, m_hi: int) -> datetime:
        return datetime.combine(day, time(h)) + timedelta(seconds=rng.randint(m_lo * 60, m_hi * 60))

    am_in = at(8, 36, 55) if rng.random() < 0.02 else at(8, 2, 24)
    am_out = at(12, 0, 9)
    pm_in = at(14, 36, 50) if rng.random() < 0.015 else at(14, 8, 27)
    pm_out = at(17, 41, 54) if rng.random() < 0.01 else at(18, 0, 14)
    punches = [am_in, am_out, pm_in, pm_out]
    if rng.random() < 0.015:  # forgot one punch (ATT-6)
        punches.pop(rng.randrange(4))
    if rng.random() < 0.03:  # pressed twice: collapsed by the engine
        punches.append(punches[0] + timedelta(seconds=rng.randint(5, 50)))
    return punches


def build_attendance(
    *, centre: Centre, office: Staff, calendar: WorkCalendar, anchor: date, away: dict[int, set[date]]
) -> int:
    """Terminal punches of the county's staff for the last full month and this month up to yesterday,
    imported as one terminal export per month (ATT-2); a month that has punches already is skipped."""
    this_month = anchor.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    staff = list(Staff.objects.filter(centre=centre, is_active=True, unit__isnull=False).order_by("staff_no"))
    created = 0
    for first in (last_month, this_month):
        if first.year in calendar.years:
            days = [d for d in _month_workdays(calendar, first) if d < anchor]
            created += _import_month(
                centre=centre, office=office, staff=staff, first=first, days=days, away=away
            )
    return created


def _import_month(
    *,
    centre: Centre,
    office: Staff,
    staff: list[Staff],
    first: date,
    days: list[date],
    away: dict[int, set[date]],
) -> int:
    from servicehall.attendance.models import Punch
    from servicehall.attendance.services import import_punch_file

    tz = timezone.get_current_timezone()
    nxt = (first + timedelta(days=32)).replace(day=1)
    lo, hi = datetime.combine(first, time(), tzinfo=tz), datetime.combine(nxt, time(), tzinfo=tz)
    if not days or not staff or Punch.objects.filter(centre=centre, at__gte=lo, at__lt=hi).exists():
        return 0
    rng = random.Random(f"{SEED}-punch-{first:%Y%m}")
    absent_session = {(rng.choice(staff).pk, rng.choice(days)) for _ in range(2)}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["staff_id", "time"])
    for day in days:
        for person in staff:
            if day in away.get(person.pk, ()):
                continue
            punches = _punch_day(rng, day)
            if (person.pk, day) in absent_session:  # no punch for the afternoon at all (ATT-8)
                punches = [p for p in punches if p.hour < 13]
            for p in sorted(punches):
                writer.writerow([person.staff_no, f"{p:%Y-%m-%d %H:%M:%S}"])
    batch = import_punch_file(
        centre=centre, data=out.getvalue().encode(), filename=f"kaoqinji-{first:%Y%m}.csv", actor=office
    )
    return batch.created


# -- entry point ----------------------------------------------------------------------------------------


def build_activity(*, centre: Centre, office: Staff, today: date | None = None) -> ActivitySummary:
    """Add the demo activity to `centre` (the county centre), skipping each part that already exists."""
    calendar = demo_calendar()
    real_today = timezone.localdate()
    anchor = anchor_day(calendar, today=today or real_today)
    now = timezone.now() if anchor == real_today else _at(anchor, 16, 30)
    staffing = _Staffing(centre, office)
    summary = ActivitySummary(anchor=anchor)
    days = working_days_before(calendar, anchor, 30)
    cases = build_cases(centre=centre, staffing=staffing, days=days)
    if cases:
        from servicehall.cases.models import Case

        for status in Case.objects.filter(centre=centre).values_list("status", flat=True):
            summary.cases[status] = summary.cases.get(status, 0) + 1
    summary.inquiries = build_inquiries(centre=centre, staffing=staffing, days=days)
    summary.tickets = build_queue(centre=centre, office=office, now=now)
    summary.leaves, away = build_leave(
        centre=centre, staffing=staffing, calendar=calendar, anchor=anchor, now=now
    )
    summary.punches = build_attendance(
        centre=centre, office=office, calendar=calendar, anchor=anchor, away=away
    )
    return summary
