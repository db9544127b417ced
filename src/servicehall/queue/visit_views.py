"""Pages of 帮办代办 and 上门服务 (Q-2, CASE-9): the citizen's home-visit request, the staff list, one visit with
its approval and record, a request taken by phone, and the assisted-registration record on a case."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from servicehall.catalog.models import Item
from servicehall.core.errors import DomainError, Forbidden, InputError, NotFound
from servicehall.core.roles import staff_of
from servicehall.core.throttle import check_booking_rate
from servicehall.org.models import Centre, Staff
from servicehall.policy.sections.visits import GROUND_LABELS
from servicehall.queue import visit_selectors, visit_services
from servicehall.queue.models import HomeVisit


def _day(value: str | None, field: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise InputError(field, "请选择日期") from None


def _int(value: str | None, field: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise InputError(field, "请选择")
    return int(value)


def _request_context(centre: Centre, post: Any = None) -> dict[str, Any]:
    policy, _ref = visit_services.visits_policy(centre.pk)
    today = timezone.localdate()
    return {
        "centre": centre,
        "items": Item.objects.filter(centre=centre, status=Item.Status.PUBLISHED).order_by("unit_id", "code"),
        "grounds": [(g, GROUND_LABELS[g]) for g in policy.home_visit_grounds],
        "enabled": policy.home_visit_enabled,
        "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=policy.home_visit_days_ahead)).isoformat(),
        "entered": {k: (post or {}).get(k, "")[:300] for k in ("item_id", "name", "phone", "address", "ground",
                                                               "reason", "day")},
    }  # fmt: skip


def _submit_request(request: HttpRequest, centre: Centre, actor: Any) -> HomeVisit | None:
    try:
        item_id = _int(request.POST.get("item_id"), "item_id")
        if item_id is None:
            raise InputError("item_id", "请选择要办理的事项")
        item = Item.objects.filter(pk=item_id, centre=centre).first()
        if item is None:
            raise InputError("item_id", "请选择本中心的事项")
        return visit_services.request_home_visit(
            item_id=item.pk, day=_day(request.POST.get("day"), "day"), name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""), address=request.POST.get("address", ""),
            ground=request.POST.get("ground", ""), reason=request.POST.get("reason", ""), actor=actor,
        )  # fmt: skip
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


def home_visit_request(request: HttpRequest, hall: str) -> HttpResponse:
    """上门服务 for citizens who cannot come (Q-2): the request, then a code to quote on the phone."""
    centre = get_object_or_404(Centre, code=hall)
    requested = None
    if request.method == "POST":
        check_booking_rate(request)
        requested = _submit_request(request, centre, None)
    context = _request_context(centre, None if requested else request.POST)
    context["requested"] = requested
    return render(
        request,
        "queue/visits/request.html",
        context,
        status=200 if requested or request.method == "GET" else 400,
    )


def _staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    status = request.GET.get("status", "")
    if status and status not in HomeVisit.Status.values:
        status = ""
    today = timezone.localdate()
    return render(request, "queue/visits/list.html", {
        "visits": visit_selectors.home_visits(viewer=request.user, status=status)[:200],
        "status": status, "statuses": HomeVisit.Status.choices,
        "assisted": visit_selectors.assisted_appointments(viewer=request.user, day=today), "today": today,
        "records": visit_selectors.assist_records(viewer=request.user, limit=20), "staff": staff,
    })  # fmt: skip


@login_required
def phone_request(request: HttpRequest) -> HttpResponse:
    """A home-visit request taken by phone (电话申请): staff fill it in for the caller."""
    staff = _staff(request)
    centre = staff.centre
    if request.method == "POST":
        visit = _submit_request(request, centre, request.user)
        if visit is not None:
            messages.success(request, f"已登记上门服务申请，预约码 {visit.appointment.code}，待审批")
            return redirect("queue:visit", visit_id=visit.pk)
    context = _request_context(centre, request.POST if request.method == "POST" else None)
    context["by_phone"] = True
    return render(
        request, "queue/visits/request.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    _staff(request)
    try:
        visit = visit_selectors.home_visit(viewer=request.user, visit_id=visit_id)
    except NotFound:
        raise Http404("上门服务申请不存在") from None
    centre_staff = Staff.objects.filter(centre_id=visit.appointment.centre_id, is_active=True).order_by(
        "unit_id", "name"
    )
    return render(request, "queue/visits/detail.html", {
        "visit": visit, "appt": visit.appointment, "ground": GROUND_LABELS.get(visit.ground, visit.ground),
        "approver": visit_services.APPROVER_LABELS.get(visit.approver_role, visit.approver_role),
        "may_decide": visit.status == HomeVisit.Status.REQUESTED and visit_selectors.may(request.user, "approve", visit),
        "may_record": visit.status == HomeVisit.Status.APPROVED and visit_selectors.may(request.user, "record", visit),
        "centre_staff": centre_staff, "results": HomeVisit.Result.choices, "today": timezone.localdate(),
    })  # fmt: skip


def _refuse(exc: DomainError) -> None:
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from None
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from None


@login_required
def visit_decide(request: HttpRequest, visit_id: int) -> HttpResponse:
    _staff(request)
    if request.method != "POST":
        return redirect("queue:visit", visit_id=visit_id)
    try:
        approve = request.POST.get("decision") == "approve"
        visit_services.decide_home_visit(
            visit_id=visit_id, actor=request.user, approve=approve, note=request.POST.get("note", ""),
            assigned_staff_id=_int(request.POST.get("assigned_staff_id"), "assigned_staff_id") if approve else None,
            visit_day=_day(request.POST.get("visit_day"), "visit_day") if approve else None,
        )  # fmt: skip
        messages.success(request, "已批准，已安排上门人员" if approve else "已作出不予批准决定")
    except DomainError as exc:
        _refuse(exc)
        messages.error(request, exc.message)
    return redirect("queue:visit", visit_id=visit_id)


@login_required
def visit_record(request: HttpRequest, visit_id: int) -> HttpResponse:
    _staff(request)
    if request.method != "POST":
        return redirect("queue:visit", visit_id=visit_id)
    try:
        visit_services.record_home_visit(
            visit_id=visit_id, actor=request.user, work_done=request.POST.get("work_done", ""),
            materials_collected=request.POST.get("materials_collected", ""),
            signature_name=request.POST.get("signature_name", ""), result=request.POST.get("result", ""),
            case_number=request.POST.get("case_number", ""),
        )  # fmt: skip
        messages.success(request, "已保存上门服务记录")
    except DomainError as exc:
        _refuse(exc)
        messages.error(request, exc.message)
    return redirect("queue:visit", visit_id=visit_id)


@login_required
def assist(request: HttpRequest) -> HttpResponse:
    """帮办代办 record on a case (CASE-9): the signed-in staff member filled these forms for the citizen."""
    _staff(request)
    entered = {k: request.POST.get(k, "")[:300] for k in ("case_number", "forms", "note", "appointment_code")}
    if request.method == "POST":
        try:
            record = visit_services.record_assisted_service(
                case_number=entered["case_number"], actor=request.user, forms=entered["forms"],
                note=entered["note"], appointment_code=entered["appointment_code"],
            )  # fmt: skip
            messages.success(request, f"已在办件 {record.case.number} 上记录帮办代办")
            return redirect("queue:visits")
        except DomainError as exc:
            _refuse(exc)
            messages.error(request, exc.message)
    else:
        entered["case_number"] = request.GET.get("case", "")[:40]
    return render(request, "queue/visits/assist.html", {"entered": entered},
                  status=400 if request.method == "POST" else 200)  # fmt: skip
