"""Attendance pages (考勤). Staff: my month with its evidence. Chief rep: the unit. Office: the centre,
imports, corrections, inspections, the weekly notice (ATT-10) and the monthly Excel summary."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.attendance import selectors, services
from servicehall.attendance.export import LEAVE_LABELS, RULE_LABELS, write_month_workbook
from servicehall.attendance.models import OffPostRecord
from servicehall.attendance.rules import parse_month
from servicehall.core import access
from servicehall.core.charts import Chart, figure
from servicehall.core.dates import parse_date
from servicehall.core.errors import DomainError, Forbidden, InputError, NotFound
from servicehall.core.limits import upload_limits
from servicehall.core.paging import paginate
from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids
from servicehall.core.uploads import check_size
from servicehall.org.models import Staff, Unit

OFFICE = {Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR}


def _month(request: HttpRequest) -> str:
    """The month asked for, else the last complete month: the current one is mostly empty (ATT-10 月汇总)."""
    last_complete = timezone.localdate().replace(day=1) - timedelta(days=1)
    raw = request.GET.get("month") or f"{last_complete:%Y-%m}"
    try:
        first, _ = parse_month(raw)
    except InputError:
        first = timezone.localdate().replace(day=1)
    return f"{first:%Y-%m}"


def _neighbours(month: str) -> tuple[str, str]:
    first, nxt = parse_month(month)
    prev = (first - timedelta(days=1)).replace(day=1)
    return f"{prev:%Y-%m}", f"{nxt:%Y-%m}"


def _ctx(month: str, **extra: object) -> dict[str, object]:
    prev, nxt = _neighbours(month)
    return {"month": month, "prev_month": prev, "next_month": nxt, "rule_labels": RULE_LABELS,
            "leave_labels": LEAVE_LABELS, **extra}  # fmt: skip


@login_required
def my_month(request: HttpRequest) -> HttpResponse:
    """/attendance/me/: the signed-in person's month with every event and the rule behind it."""
    me = staff_of(request.user)
    if me is None:
        return redirect("attendance:centre_month")
    return staff_detail(request, me.pk)


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    month = _month(request)
    try:
        staff, result, report = selectors.staff_month(viewer=request.user, staff_id=staff_id, month=month)
    except Forbidden:
        raise Http404("没有这个人员") from None
    except DomainError as exc:
        return render(request, "attendance/error.html", _ctx(month, error=exc), status=409)
    first, nxt = parse_month(month)
    punches = selectors.punches_of(viewer=request.user, staff_id=staff.pk, first=first, nxt=nxt)
    can_correct = role_of(request.user) in {Role.CENTRE_ADMIN, Role.SUPERVISOR}
    return render(
        request,
        "attendance/staff_month.html",
        _ctx(month, staff=staff, result=result, report=report, punches=punches, can_correct=can_correct),
    )


@login_required
def unit_month(request: HttpRequest, unit_id: int | None = None) -> HttpResponse:
    """/attendance/unit/: a chief representative's unit; the office may pick any unit."""
    month = _month(request)
    if unit_id is None:
        me = staff_of(request.user)
        if me is None or not me.unit_id:
            return redirect("attendance:centre_month")
        unit_id = me.unit_id
    me = staff_of(request.user)
    visible = visible_unit_ids(request.user, centre_id=me.centre_id) if me is not None else set()
    unit = Unit.objects.filter(pk=unit_id, centre_id=me.centre_id).first() if me is not None else None
    if unit is None or (visible is not None and unit.pk not in visible):
        raise Http404("没有这个单位")  # another centre's or unit's month answers like an absent one (ORG-1)
    try:
        report = selectors.month_report(viewer=request.user, month=month, unit_id=unit_id)
    except Forbidden:
        raise Http404("没有这个单位") from None
    except DomainError as exc:
        return render(request, "attendance/error.html", _ctx(month, error=exc), status=409)
    return render(
        request,
        "attendance/month.html",
        _ctx(
            month,
            report=report,
            unit=unit,
            scope="unit",
            charts=_charts(request, report, unit_id=unit.pk),
            **_rows(request, report),
        ),
    )


@login_required
def centre_month(request: HttpRequest) -> HttpResponse:
    """/attendance/centre/: the office's view of the whole centre, grouped by unit."""
    month = _month(request)
    role = role_of(request.user)
    if role == Role.CHIEF_REP:
        return redirect("attendance:unit_month")
    if role not in OFFICE:
        return redirect("attendance:my_month")
    try:
        report = selectors.month_report(viewer=request.user, month=month)
    except DomainError as exc:
        return render(request, "attendance/error.html", _ctx(month, error=exc), status=409)
    return render(
        request,
        "attendance/month.html",
        _ctx(
            month,
            report=report,
            unit=None,
            scope="centre",
            charts=_charts(request, report, unit_id=None),
            **_rows(request, report),
        ),
    )


def _charts(request: HttpRequest, report: selectors.MonthReport, *, unit_id: int | None) -> list[Chart]:
    """This month's lates per unit (per person on a unit's page) and the trend over six months (ATT-3)."""
    now = selectors.lates_by_unit(report) if unit_id is None else {s.name: r.lates for s, r in report.rows}
    trend = selectors.late_trend(viewer=request.user, month=report.month, unit_id=unit_id, known=report)
    return [
        figure("bar", element_id="chart-lates-now", title=f"{report.month} 迟到次数", unit="次",
               labels=list(now), series={"迟到": list(now.values())}, horizontal=unit_id is None),
        figure("line", element_id="chart-lates-trend", title="近几个月迟到趋势", unit="次",
               labels=trend.months, series=trend.by_unit if unit_id is None else {"迟到": trend.month_totals()}),
    ]  # fmt: skip


def _rows(request: HttpRequest, report: Any) -> dict[str, object]:
    """The month's people as one searchable, paged list (name or staff number; only those with findings)."""
    q = request.GET.get("q", "").strip()[:40]
    only = request.GET.get("only") == "findings"
    rows = [
        {"unit": unit_name, "staff": s, "result": r}
        for unit_name, people in report.by_unit().items()
        for s, r in people
        if (not q or q in s.name or q in (s.staff_no or ""))
        and (not only or r.lates or r.early_leaves or r.missed_punches or r.absence_days)
    ]
    return {"q": q, "only": only, **paginate(request, rows)}


@login_required
def month_xlsx(request: HttpRequest) -> HttpResponse:
    """The monthly summary workbook (月汇总): a sheet per unit, a centre sheet, and the evidence."""
    month = _month(request)
    unit_id = int(request.GET["unit"]) if request.GET.get("unit", "").isdigit() else None
    if role_of(request.user) == Role.CHIEF_REP and unit_id is None:
        me = staff_of(request.user)
        unit_id = me.unit_id if me else None
    try:
        report = selectors.month_report(viewer=request.user, month=month, unit_id=unit_id)
    except Forbidden:
        raise Http404("没有这个单位") from None
    info = {
        s.pk: {"staff_no": s.staff_no, "name": s.name, "unit": str(s.unit) if s.unit_id else "中心"}
        for s, _ in report.rows
    }
    results = [r for _, r in report.rows]
    data = write_month_workbook(
        None, month=month, policy_ref=report.policy_ref, results=results, staff_info=info
    )
    resp = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="attendance-{month}.xlsx"'
    return resp


@login_required
def weekly(request: HttpRequest) -> HttpResponse:
    """ATT-10 weekly notice (周通报) of the week containing ?week=YYYY-MM-DD (default: last week)."""
    raw = request.GET.get("week")
    try:
        week = parse_date(raw, "week") if raw else timezone.localdate() - timedelta(days=7)
    except InputError:
        week = timezone.localdate() - timedelta(days=7)
    unit_id = None
    if role_of(request.user) == Role.CHIEF_REP:
        me = staff_of(request.user)
        unit_id = me.unit_id if me else None
    elif role_of(request.user) not in OFFICE:
        return redirect("attendance:my_month")
    notice = selectors.weekly_notice(viewer=request.user, week_start=week, unit_id=unit_id)
    notice["prev_week"] = notice["week_start"] - timedelta(days=7)
    notice["next_week"] = notice["week_start"] + timedelta(days=7)
    return render(request, "attendance/weekly.html", {**notice, "rule_labels": RULE_LABELS})


@login_required
def office(request: HttpRequest) -> HttpResponse:
    """Office desk: import a punch file, record an inspection, recent imports and corrections."""
    if role_of(request.user) not in {Role.CENTRE_ADMIN, Role.SUPERVISOR}:
        raise Http404()
    centre_id = selectors.viewer_centre_id(request.user)
    staff = Staff.objects.filter(centre_id=centre_id, role__in=selectors.EVALUATED_ROLES).select_related(
        "unit"
    )
    return render(
        request,
        "attendance/office.html",
        {
            "imports": selectors.recent_imports(centre_id=centre_id),
            "corrections": selectors.recent_corrections(centre_id=centre_id),
            "staff_list": staff.order_by("unit_id", "staff_no"),
            "kinds": OffPostRecord.Kind.choices,
            "today": timezone.localdate(),
            "import_errors": request.session.pop("attendance_import_errors", None),
        },
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "请选择考勤文件")
        return redirect("attendance:office")
    try:
        check_size(f.size or 0, f.name or "file", upload_limits())  # before reading it into memory
        centre_id = selectors.viewer_centre_id(request.user)
        from servicehall.org.models import Centre

        batch = services.import_punch_file(
            centre=Centre.objects.get(pk=centre_id),
            data=f.read(),
            filename=f.name,  # type: ignore[arg-type]  # an uploaded file has a name
            actor=request.user,
        )
    except services.PunchFileRejected as exc:
        request.session["attendance_import_errors"] = {
            "file": f.name,
            "errors": exc.errors[:200],
            "count": len(exc.errors),
        }
        messages.error(request, f"{f.name}：{len(exc.errors)} 行有误，未导入任何记录")
        return redirect("attendance:office")
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("attendance:office")
    if batch.reused:
        messages.info(
            request,
            f"{f.name} 已于 {timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M} 导入过，本次未新增记录",
        )
    else:
        messages.success(request, f"{f.name}：{batch.rows} 行，新增打卡 {batch.created} 条")
    return redirect("attendance:office")


@login_required
@require_POST
def add_punch(request: HttpRequest, staff_id: int) -> HttpResponse:
    month = request.POST.get("month", "")
    try:
        staff = selectors.visible_staff(
            viewer=request.user, centre_id=selectors.viewer_centre_id(request.user)
        ).get(pk=staff_id)
        target = access.Target.of(centre_id=staff.centre_id, unit_ids=[staff.unit_id], owners=[staff.pk])
        if not access.allows(request.user, "attendance", "correct", target):
            raise PermissionDenied  # may see this person's month, may not correct it (ORG-1)
        at = datetime.fromisoformat(request.POST.get("at", ""))
        services.add_punch(staff=staff, at=at, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, "已补录打卡")
    except (Staff.DoesNotExist, Forbidden):
        raise Http404() from None
    except ValueError:
        messages.error(request, "时间格式应为 2026-03-02T08:25")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('attendance:staff_detail', args=[staff_id])}?month={month}")


@login_required
@require_POST
def void_punch(request: HttpRequest, punch_id: int) -> HttpResponse:
    try:
        correction = services.void_punch(
            punch_id=punch_id, reason=request.POST.get("reason", ""), actor=request.user
        )
        messages.success(request, "已作废该打卡记录")
        target = f"{reverse('attendance:staff_detail', args=[correction.staff_id])}?month={request.POST.get('month', '')}"
    except (Forbidden, NotFound):
        raise Http404() from None  # another centre's punch answers like an absent one (ORG-1)
    except DomainError as exc:
        messages.error(request, str(exc))
        target = reverse("attendance:office")
    return redirect(target)


@login_required
@require_POST
def off_post(request: HttpRequest) -> HttpResponse:
    try:
        centre_id = selectors.viewer_centre_id(request.user)
        staff = Staff.objects.get(centre_id=centre_id, pk=int(request.POST.get("staff", "0")))
        services.record_off_post(
            staff=staff,
            day=date.fromisoformat(request.POST.get("date", "")),
            minutes=int(request.POST.get("minutes") or 0),
            kind=request.POST.get("kind", OffPostRecord.Kind.OFF_POST),
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, "已记录巡查结果")
    except (Staff.DoesNotExist, ValueError):
        messages.error(request, "请选择人员并填写日期(YYYY-MM-DD)和分钟数")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("attendance:office")
