"""API of 帮办代办 and 上门服务 under /api/queue/visits (Q-2, CASE-9): requests are public and rate-limited;
the list, approval, record and assisted-registration record need a staff session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.core.throttle import check_booking_rate
from servicehall.queue import visit_selectors, visit_services
from servicehall.queue.models import AssistRecord, HomeVisit
from servicehall.queue.visit_schemas import (
    AssistedIn,
    AssistedOut,
    AssistRecordIn,
    AssistRecordOut,
    DecideIn,
    HomeVisitIn,
    HomeVisitOut,
    RecordIn,
)

router = Router(tags=["queue 帮办代办与上门服务"])


def visit_out(visit: HomeVisit) -> HomeVisitOut:
    appt = visit.appointment
    return HomeVisitOut(
        id=visit.pk, code=appt.code, status=visit.status, item=appt.item.name if appt.item else "", day=appt.day,
        ground=visit.ground, approver_role=visit.approver_role,
        assigned_staff=visit.assigned_staff.name if visit.assigned_staff else None, visit_day=visit.visit_day,
        result=visit.result, case_number=visit.case.number if visit.case else None, policy_ref=visit.policy_ref,
    )  # fmt: skip


@router.post("/visits/home", response={201: HomeVisitOut}, summary="申请上门服务 (Q-2)")
def request_home_visit(request: HttpRequest, payload: HomeVisitIn):
    check_booking_rate(request)
    actor = request.user if request.user.is_authenticated else None
    return Status(201, visit_out(visit_services.request_home_visit(**payload.dict(), actor=actor)))


@router.post("/visits/assisted", response={201: AssistedOut}, summary="预约帮办代办 (Q-2)")
def book_assisted(request: HttpRequest, payload: AssistedIn):
    check_booking_rate(request)
    actor = request.user if request.user.is_authenticated else None
    appt = visit_services.book_assisted_service(**payload.dict(), actor=actor)
    return Status(201, AssistedOut(code=appt.code, kind=appt.kind, line=appt.line.name, day=appt.day,
                                   slot_start=appt.slot_start, status=appt.status))  # fmt: skip


@router.get("/visits", response=list[HomeVisitOut], auth=django_auth, summary="上门服务申请列表 (Q-2)")
def list_visits(request: HttpRequest, status: str = ""):
    return [visit_out(v) for v in visit_selectors.home_visits(viewer=request.user, status=status)[:200]]


@router.post(
    "/visits/{visit_id}/decide", response=HomeVisitOut, auth=django_auth, summary="审批上门服务 (Q-2)"
)
def decide(request: HttpRequest, visit_id: int, payload: DecideIn):
    visit_services.decide_home_visit(visit_id=visit_id, actor=request.user, **payload.dict())
    return visit_out(visit_selectors.home_visit(viewer=request.user, visit_id=visit_id))


@router.post(
    "/visits/{visit_id}/record", response=HomeVisitOut, auth=django_auth, summary="上门服务记录 (Q-2)"
)
def record(request: HttpRequest, visit_id: int, payload: RecordIn):
    visit_services.record_home_visit(visit_id=visit_id, actor=request.user, **payload.dict())
    return visit_out(visit_selectors.home_visit(viewer=request.user, visit_id=visit_id))


@router.post("/visits/assist-records", response={201: AssistRecordOut}, auth=django_auth,
             summary="记录帮办代办 (CASE-9)")  # fmt: skip
def assist_record(request: HttpRequest, payload: AssistRecordIn):
    rec: AssistRecord = visit_services.record_assisted_service(actor=request.user, **payload.dict())
    return Status(201, AssistRecordOut(id=rec.pk, case_number=rec.case.number, helper=rec.helper.name,
                                       forms=rec.forms, at=rec.at))  # fmt: skip
