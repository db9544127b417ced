"""Consultation API (/api/cases/inquiries..., kept under the case prefix): log an inquiry, my promised
replies (ASK-1..3). Staff endpoints use the session (with CSRF)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.cases.models import Inquiry
from servicehall.catalog.models import Item
from servicehall.consultation import selectors, services
from servicehall.consultation.schemas import InquiryIn, InquiryOut
from servicehall.core.errors import Forbidden, InputError
from servicehall.core.roles import WRITERS, require_role
from servicehall.org.models import Staff, Window

router = Router(tags=["consultation 咨询"])


def _actor(request: HttpRequest) -> Staff:
    staff = require_role(request.user, *WRITERS)
    if staff is None:
        raise Forbidden("需要工作人员账号")
    return staff


def inquiry_out(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk, "channel": inquiry.channel, "question": inquiry.question, "outcome": inquiry.outcome,
        "promised_by": inquiry.promised_by, "replied_at": inquiry.replied_at, "overdue": inquiry.is_overdue,
    }  # fmt: skip


@router.post("/inquiries", response={201: InquiryOut}, auth=django_auth, summary="咨询登记 (ASK-1..3)")
def log_inquiry(request: HttpRequest, payload: InquiryIn):
    actor = _actor(request)
    item = window = None
    if payload.item_id is not None:
        item = Item.objects.filter(pk=payload.item_id, centre_id=actor.centre_id).first()
        if item is None:
            raise InputError("item_id", "事项不存在")
    if payload.referred_window_id is not None:
        window = Window.objects.filter(pk=payload.referred_window_id, centre_id=actor.centre_id).first()
        if window is None:
            raise InputError("referred_window_id", "窗口不存在")
    inquiry = services.log_inquiry(
        actor=actor, channel=payload.channel, question=payload.question, outcome=payload.outcome, item=item,
        answer=payload.answer, referred_window=window, referred_location=payload.referred_location,
        promised_by=payload.promised_by, visitor_name=payload.visitor_name, contact=payload.contact,
        language_override_reason=payload.language_override_reason,
    )  # fmt: skip
    return Status(201, inquiry_out(inquiry))


@router.get("/inquiries/todo", response=list[InquiryOut], auth=django_auth, summary="待答复咨询 (ASK-2)")
def todo(request: HttpRequest):
    return [inquiry_out(i) for i in selectors.open_promises(viewer=request.user)]
