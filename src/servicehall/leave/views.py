"""Leave pages: my leaves, the leave slip, approvers' pending steps, the cover check-in desk (LEAVE-1..6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.page_actions import show_error
from servicehall.core.private_files import file_response
from servicehall.core.roles import Role, ensure_can_see, staff_of
from servicehall.leave import selectors, services
from servicehall.leave.forms import DecisionForm, LeaveForm, ReturnForm
from servicehall.leave.models import CoverAssignment, LeaveRequest, LeaveStep
from servicehall.leave.rules import KIND_LABELS
from servicehall.leave.services import ROLE_LABELS


def _me(request: HttpRequest):
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("请假需要工作人员账号：当前账号没有关联工作人员档案")
    return staff


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    return render(
        request, "leave/mine.html", {"leaves": selectors.leaves_of(staff=me), "me": me, "kinds": KIND_LABELS}
    )


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = LeaveForm(
        request.POST or None, request.FILES or None, candidates=selectors.cover_candidates(staff=me)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cover = None
        if data["cover_person"] is not None or data["cover_name"]:
            cover = services.CoverInput(
                start_date=data["cover_start"],
                end_date=data["cover_end"],
                staff=data["cover_person"],
                name="" if data["cover_person"] else data["cover_name"],
                phone=data["cover_phone"],
            )
        try:
            leave = services.apply_for_leave(
                staff=me,
                kind=data["kind"],
                start_date=data["start_date"],
                start_half=data["start_half"],
                end_date=data["end_date"],
                end_half=data["end_half"],
                reason=data["reason"],
                attachment=data["attachment"],
                certificate_provided=data["certificate_provided"],
                certificate_date=data["certificate_date"],
                training_document=data["training_document"],
                training_document_ref=data["training_document_ref"],
                cover=cover,
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, f"请假申请已提交，共{leave.days}个工作日，待{_next_role(leave)}审批")
            return redirect("leave:detail", leave_id=leave.pk)
    return render(request, "leave/apply.html", {"form": form})


def _next_role(leave: LeaveRequest) -> str:
    step = leave.steps.filter(status=LeaveStep.Status.PENDING).first()
    return ROLE_LABELS.get(step.approver_role, step.approver_role) if step else "—"


def _visible_or_404(request: HttpRequest, leave_id: int) -> LeaveRequest:
    """Another unit's leave answers like an absent one (ORG-1)."""
    leave = get_object_or_404(LeaveRequest.objects.select_related("staff"), pk=leave_id)
    try:
        ensure_can_see(
            request.user,
            centre_id=leave.centre_id,
            unit_id=leave.staff.unit_id,
            owner_staff_id=leave.staff_id,
        )
    except NotFound:
        raise Http404 from None
    return leave


def _visible_leave(request: HttpRequest, leave_id: int) -> LeaveRequest:
    """The leave request if the viewer may read it (own, own unit, centre office); 404 otherwise (ORG-1)."""
    leave = get_object_or_404(LeaveRequest.objects.select_related("staff__unit"), pk=leave_id)
    try:
        ensure_can_see(
            request.user,
            centre_id=leave.centre_id,
            unit_id=leave.staff.unit_id,
            owner_staff_id=leave.staff_id,
        )
    except NotFound:
        raise Http404 from None
    return leave


@login_required
def attachment(request: HttpRequest, leave_id: int) -> FileResponse:
    """The leave's attachment (a sick note is health data): only to those who may read the leave (INT-2)."""
    return file_response(_visible_leave(request, leave_id).attachment)


@login_required
def detail(request: HttpRequest, leave_id: int) -> HttpResponse:
    leave = _visible_leave(request, leave_id)
    me = staff_of(request.user)
    can_return = (
        me is not None
        and leave.status == LeaveRequest.Status.APPROVED
        and leave.returned_at is None
        and (me.pk == leave.staff_id or me.role == Role.CENTRE_ADMIN)
    )
    return render(
        request,
        "leave/detail.html",
        {
            "leave": leave,
            "steps": leave.steps.all(),
            "covers": leave.covers.all(),
            "roles": ROLE_LABELS,
            "return_form": ReturnForm() if can_return else None,
            "me": me,
        },
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    steps = selectors.pending_steps_for(viewer=me)
    return render(
        request,
        "leave/approvals.html",
        {"steps": steps, "roles": ROLE_LABELS, "kinds": KIND_LABELS, "form": DecisionForm()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, step_id: int) -> HttpResponse:
    me = _me(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        )
        return redirect("leave:approvals")
    data = form.cleaned_data
    fn = services.approve_leave_step if data["decision"] == "approve" else services.reject_leave_step
    try:
        fn(
            step_id=step_id,
            approver=me,
            note=data["note"],
            signer_name=data["signer_name"],
            signed_on=data["signed_on"],
        )
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录审批意见")
    return redirect("leave:approvals")


@login_required
@require_POST
def record_return(request: HttpRequest, leave_id: int) -> HttpResponse:
    me = _me(request)
    _visible_or_404(request, leave_id)
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        leave = services.record_return(
            leave_id=leave_id,
            actor=me,
            certificate_provided=form.cleaned_data.get("certificate_provided"),
            certificate_date=form.cleaned_data.get("certificate_date"),
        )
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if leave.original_kind:
            messages.warning(
                request,
                f"LEAVE-3: 病假{float(leave.days):g}天未提供诊断证明书，已按{KIND_LABELS.get(leave.kind, leave.kind)}处理",
            )
        else:
            messages.success(request, "已销假")
    return redirect("leave:detail", leave_id=leave_id)


@login_required
@require_POST
def cancel(request: HttpRequest, leave_id: int) -> HttpResponse:
    _visible_or_404(request, leave_id)
    try:
        services.cancel_leave(leave_id=leave_id, actor=_me(request))
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("leave:detail", leave_id=leave_id)


@login_required
def covers(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if me.role != Role.CENTRE_ADMIN:
        raise Http404
    today = timezone.localdate()
    due = selectors.covers_for_check_in(centre_id=me.centre_id, day=today)
    return render(request, "leave/covers.html", {"covers": due, "today": today})


@login_required
@require_POST
def check_in(request: HttpRequest, cover_id: int) -> HttpResponse:
    me = _me(request)
    cover = get_object_or_404(CoverAssignment, pk=cover_id)
    try:
        services.cover_check_in(cover_id=cover.pk, actor=me)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{cover.cover_name} 已到岗，临时工作证已发放；请假自此开始 (LEAVE-5)")
    return redirect("leave:covers")
