"""Consultation pages: log an inquiry (ASK-1..3), my to-do (promised replies, referrals to my window, my
overdue cases), answer a promise, mark a referral read."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.cases import selectors as case_selectors
from servicehall.cases.enums import Channel, InquiryOutcome
from servicehall.cases.policies import policies_for
from servicehall.catalog.models import Item
from servicehall.consultation import selectors, services
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.paging import paginate
from servicehall.core.roles import WRITERS, require_role, role_of, staff_of
from servicehall.org.models import Staff, Window


def _staff(request: HttpRequest) -> Staff:
    try:
        staff = require_role(request.user, *WRITERS)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """My to-do: promised replies (overdue first), referrals to my window, my overdue cases."""
    _staff(request)
    today = timezone.localdate()
    overdue_cases = [
        c for c in case_selectors.my_cases(viewer=request.user) if case_selectors.is_overdue(c, today=today)
    ]
    return render(
        request,
        "consultation/todo.html",
        {
            "promises": selectors.open_promises(viewer=request.user),
            "notifications": selectors.unread_notifications(viewer=request.user)[:50],
            "overdue_cases": overdue_cases,
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inquiry_new(request: HttpRequest) -> HttpResponse:
    """Log a consultation (ASK-1..3); the written answer is checked live for forbidden phrases (LANG-4)."""
    staff = _staff(request)
    windows = Window.objects.filter(centre_id=staff.centre_id).select_related("unit")
    policy = policies_for(staff.centre).consultation
    context = {
        "channels": [Channel(c) for c in policy.channels],
        "outcomes": InquiryOutcome,
        "windows": windows,
        "form": request.POST if request.method == "POST" else {},
        "default_promise": services.default_reply_deadline(centre=staff.centre, at=timezone.now()),
    }
    if request.method == "POST":
        post = request.POST
        item = Item.objects.filter(pk=post.get("item_id") or 0, centre_id=staff.centre_id).first()
        window = windows.filter(pk=post.get("referred_window") or 0).first()
        promised = None
        if post.get("promised_by"):
            try:
                promised = timezone.make_aware(datetime.fromisoformat(post["promised_by"]))
            except ValueError:
                messages.error(request, "承诺答复时间格式不正确")
                return render(request, "consultation/inquiry_form.html", context, status=400)
        try:
            services.log_inquiry(
                actor=staff, channel=post.get("channel", ""), question=post.get("question", ""),
                outcome=post.get("outcome", ""), item=item, answer=post.get("answer", ""), referred_window=window,
                referred_location=post.get("referred_location", ""), promised_by=promised,
                visitor_name=post.get("visitor_name", ""), contact=post.get("contact", ""),
                language_override_reason=post.get("override_reason", ""),
            )  # fmt: skip
        except DomainError as exc:
            context["error"] = str(exc)
            context["needs_override"] = getattr(exc, "rule_id", "") == "LANG-4"
            return render(request, "consultation/inquiry_form.html", context, status=400)
        messages.success(request, "咨询已登记")
        return redirect(reverse("consultation:todo"))
    return render(request, "consultation/inquiry_form.html", context)


@login_required
@require_POST
def inquiry_answer(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    staff = _staff(request)
    try:
        inquiry = selectors.get_inquiry(viewer=request.user, inquiry_id=inquiry_id)
        services.answer_inquiry(
            inquiry_id=inquiry.pk, actor=staff, answer=request.POST.get("answer", ""),
            language_override_reason=request.POST.get("override_reason", ""),
        )  # fmt: skip
        messages.success(request, "已答复")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("consultation:todo")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.mark_notification_read(notification_id=notification_id, actor=_staff(request))
    return redirect("consultation:todo")


def _reader_staff(request: HttpRequest) -> Staff:
    """Any staff role may read the ledger; auditors read only."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


@login_required
def inquiries(request: HttpRequest) -> HttpResponse:
    """The consultation ledger (咨询台账, ASK-1..3): every inquiry the viewer may see, searchable, paged."""
    _reader_staff(request)
    filters = {"q": request.GET.get("q", "")[:60], "outcome": request.GET.get("outcome", "")}
    paging = paginate(request, selectors.inquiry_ledger(viewer=request.user, **filters))
    return render(
        request,
        "consultation/inquiries.html",
        {
            "filters": filters,
            "outcomes": InquiryOutcome.choices,
            "can_write": role_of(request.user) in WRITERS,
            **paging,
        },
    )
