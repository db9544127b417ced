"""Reads of the consultation log (ASK-1..3), scoped to the viewer's centre and own records."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from servicehall.cases.enums import InquiryOutcome
from servicehall.cases.models import Inquiry, Notification
from servicehall.core.errors import NotFound
from servicehall.core.roles import role_of, staff_of, visible_unit_ids


def open_promises(*, viewer: Any) -> QuerySet[Inquiry]:
    """The viewer's to-do list: promised replies not yet given, the overdue ones first (ASK-2)."""
    staff = staff_of(viewer)
    if staff is None:
        return Inquiry.objects.none()
    return (
        Inquiry.objects.select_related("item")
        .filter(asked=staff, outcome=InquiryOutcome.PROMISED, replied_at__isnull=True)
        .order_by("promised_by")
    )


def overdue_promises(*, viewer: Any) -> QuerySet[Inquiry]:
    """Promised replies past their time in the viewer's scope (centre office: the whole centre)."""
    staff = staff_of(viewer)
    if staff is None:
        return Inquiry.objects.none()
    qs = Inquiry.objects.select_related("asked").filter(
        centre_id=staff.centre_id,
        outcome=InquiryOutcome.PROMISED,
        replied_at__isnull=True,
        promised_by__lt=timezone.now(),
    )
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is None:
        return qs
    if role_of(viewer) == "window_staff":
        return qs.filter(asked=staff)
    return qs.filter(asked__unit_id__in=units)


def inquiries_visible_to(*, viewer: Any) -> QuerySet[Inquiry]:
    staff = staff_of(viewer)
    if staff is None:
        return Inquiry.objects.none()
    qs = Inquiry.objects.select_related("asked", "item", "referred_window").filter(centre_id=staff.centre_id)
    units = visible_unit_ids(viewer, centre_id=staff.centre_id)
    if units is None:
        return qs
    if role_of(viewer) == "window_staff":
        return qs.filter(Q(asked=staff) | Q(referred_window__staff=staff)).distinct()
    return qs.filter(asked__unit_id__in=units)


def get_inquiry(*, viewer: Any, inquiry_id: int) -> Inquiry:
    inquiry = inquiries_visible_to(viewer=viewer).filter(pk=inquiry_id).first()
    if inquiry is None:
        raise NotFound("咨询记录不存在或无权查看", inquiry_id=inquiry_id)
    return inquiry


def unread_notifications(*, viewer: Any) -> QuerySet[Notification]:
    staff = staff_of(viewer)
    if staff is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=staff, read_at__isnull=True)


def inquiry_ledger(*, viewer: Any, q: str = "", outcome: str = "") -> QuerySet[Inquiry]:
    """The consultation ledger (咨询台账, ASK-1..3): newest first, searched by question, visitor or contact."""
    qs = inquiries_visible_to(viewer=viewer).select_related("asked", "item", "referred_window")
    q = q.strip()
    if q:
        qs = qs.filter(Q(question__icontains=q) | Q(visitor_name__icontains=q) | Q(contact__icontains=q))
    if outcome:
        qs = qs.filter(outcome=outcome)
    return qs.order_by("-asked_at")
