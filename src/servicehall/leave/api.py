"""Leave API (/api/leave/): apply, approve/reject a step, return (销假), covers (顶岗), attendance feed.

All endpoints need a session login and a Staff record. Refusals come back as the shared error shape with
`rule_id` (LEAVE-1..6, ORG-3).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.core.dates import check_date
from servicehall.core.errors import Forbidden, NotFound
from servicehall.core.roles import CENTRE_WIDE, ensure_can_see, staff_of
from servicehall.leave import selectors, services
from servicehall.leave.models import CoverAssignment, LeaveRequest
from servicehall.leave.schemas import (
    CheckInIn,
    CoverIn,
    CoverOut,
    DecisionIn,
    FeedOut,
    LeaveIn,
    LeaveOut,
    ReturnIn,
    StepOut,
)
from servicehall.org.models import Staff, Window

router = Router(tags=["leave 请假顶岗"], auth=django_auth)


def viewer_staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise Forbidden("请使用工作人员账号登录 (a staff account is needed)")
    return staff


def cover_input(data: CoverIn, *, centre_id: int) -> services.CoverInput:
    cover_staff = (
        Staff.objects.filter(pk=data.staff_id, centre_id=centre_id).first() if data.staff_id else None
    )
    window = Window.objects.filter(pk=data.window_id, centre_id=centre_id).first() if data.window_id else None
    return services.CoverInput(
        start_date=data.start_date,
        end_date=data.end_date,
        staff=cover_staff,
        name=data.name,
        phone=data.phone,
        window=window,
    )


def leave_out(leave: LeaveRequest) -> dict[str, Any]:
    return {
        "id": leave.pk,
        "staff_id": leave.staff_id,
        "staff_name": leave.staff.name,
        "kind": leave.kind,
        "original_kind": leave.original_kind,
        "start_date": leave.start_date,
        "start_half": leave.start_half,
        "end_date": leave.end_date,
        "end_half": leave.end_half,
        "days": float(leave.days),
        "status": leave.status,
        "policy_ref": leave.policy_ref,
        "requires": leave.requires,
        "files_with": leave.files_with,
        "cover_required": leave.cover_required_reason,
        "filed_late": leave.filed_late,
        "certificate_provided": leave.certificate_provided,
        "steps": list(leave.steps.all()),
        "covers": [cover_out(c) for c in leave.covers.all()],
    }


def cover_out(cover: CoverAssignment) -> dict[str, Any]:
    return {
        "id": cover.pk,
        "cover_name": cover.cover_name,
        "cover_staff_id": cover.cover_staff_id,
        "window": str(cover.window) if cover.window_id else "",
        "start_date": cover.start_date,
        "end_date": cover.end_date,
        "badge_name": cover.badge_name,
        "badge_window": cover.badge_window,
        "badge_valid_from": cover.badge_valid_from,
        "badge_valid_until": cover.badge_valid_until,
        "checked_in_at": cover.checked_in_at,
    }


def _visible_leave(request: HttpRequest, leave_id: int) -> LeaveRequest:
    """Another unit's leave request answers exactly like an absent one: same 404, same body (ORG-1)."""
    leave = LeaveRequest.objects.select_related("staff").filter(pk=leave_id).first()
    try:
        if leave is None:
            raise NotFound("")
        ensure_can_see(
            request.user,
            centre_id=leave.centre_id,
            unit_id=leave.staff.unit_id,
            owner_staff_id=leave.staff_id,
        )
    except NotFound:
        raise NotFound("请假记录不存在", leave_id=leave_id) from None
    return leave


@router.post("/requests", response={201: LeaveOut})
def apply(request: HttpRequest, payload: LeaveIn):
    """File one's own leave. LEAVE-1 decides the chain; LEAVE-2/4/5/6 and ORG-3 may refuse it (409)."""
    me = viewer_staff(request)
    leave = services.apply_for_leave(
        staff=me,
        kind=payload.kind,
        start_date=payload.start_date,
        end_date=payload.end_date,
        start_half=payload.start_half,
        end_half=payload.end_half,
        reason=payload.reason,
        certificate_provided=payload.certificate_provided,
        certificate_date=payload.certificate_date,
        training_document_ref=payload.training_document_ref,
        cover=cover_input(payload.cover, centre_id=me.centre_id) if payload.cover else None,
    )
    return Status(201, leave_out(leave))


@router.get("/requests/mine", response=list[LeaveOut])
def my_leaves(request: HttpRequest):
    return [leave_out(leave) for leave in selectors.leaves_of(staff=viewer_staff(request))]


@router.get("/requests/{leave_id}", response=LeaveOut)
def get_leave(request: HttpRequest, leave_id: int):
    return leave_out(_visible_leave(request, leave_id))


@router.get("/steps/pending", response=list[LeaveOut])
def pending(request: HttpRequest):
    """Requests with a step waiting for the viewer (centre office: centre + external signatures; chief rep:
    own unit)."""
    steps = selectors.pending_steps_for(viewer=viewer_staff(request))
    return [leave_out(step.request) for step in steps]


@router.post("/steps/{step_id}/approve", response=StepOut)
def approve(request: HttpRequest, step_id: int, payload: DecisionIn):
    return services.approve_leave_step(
        step_id=step_id,
        approver=viewer_staff(request),
        note=payload.note,
        signer_name=payload.signer_name,
        signed_on=payload.signed_on,
    )


@router.post("/steps/{step_id}/reject", response=StepOut)
def reject(request: HttpRequest, step_id: int, payload: DecisionIn):
    return services.reject_leave_step(
        step_id=step_id,
        approver=viewer_staff(request),
        note=payload.note,
        signer_name=payload.signer_name,
        signed_on=payload.signed_on,
    )


@router.post("/requests/{leave_id}/cancel", response=LeaveOut)
def cancel(request: HttpRequest, leave_id: int):
    me = viewer_staff(request)
    leave = _visible_leave(request, leave_id)
    return leave_out(services.cancel_leave(leave_id=leave.pk, actor=me))


@router.post("/requests/{leave_id}/return", response=LeaveOut)
def return_from_leave(request: HttpRequest, leave_id: int, payload: ReturnIn):
    """销假; LEAVE-3 turns sick leave over 1 day without a certificate into personal leave."""
    me = viewer_staff(request)
    leave = services.record_return(
        leave_id=_visible_leave(request, leave_id).pk,
        actor=me,
        certificate_provided=payload.certificate_provided,
        certificate_date=payload.certificate_date,
    )
    return leave_out(leave)


@router.post("/requests/{leave_id}/covers", response={201: CoverOut})
def add_cover(request: HttpRequest, leave_id: int, payload: CoverIn):
    me = viewer_staff(request)
    leave = _visible_leave(request, leave_id)
    cover = services.assign_cover(
        leave_id=leave.pk, actor=me, cover=cover_input(payload, centre_id=leave.centre_id)
    )
    return Status(201, cover_out(cover))


@router.post("/covers/{cover_id}/check-in", response=CoverOut)
def check_in(request: HttpRequest, cover_id: int, payload: CheckInIn):
    """LEAVE-5: the cover has arrived; the leave starts now (centre office)."""
    me = viewer_staff(request)
    cover = CoverAssignment.objects.filter(pk=cover_id).first()
    if cover is None:
        raise NotFound("顶岗安排不存在", cover_id=cover_id)
    try:
        _visible_leave(request, cover.request_id)
    except NotFound:
        raise NotFound("顶岗安排不存在", cover_id=cover_id) from None
    return cover_out(services.cover_check_in(cover_id=cover.pk, actor=me, at=payload.at))


@router.get("/attendance-feed", response=FeedOut)
def attendance_feed(request: HttpRequest, start: date, end: date):
    """Leaves as the attendance engine reads them (leaves.csv columns) + LEAVE-5 gaps; centre roles only."""
    me = viewer_staff(request)
    if me.role not in CENTRE_WIDE:
        raise Forbidden("仅中心管理办公室、效能监察室可查看全中心请假数据")
    check_date(start, "start")
    check_date(end, "end")
    return {
        "leaves": selectors.leaves_for_attendance(me.centre_id, start, end),
        "unauthorised_gaps": selectors.cover_gaps(me.centre_id, start, end),
    }
