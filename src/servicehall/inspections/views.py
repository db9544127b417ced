"""Inspection pages (EVAL-3): the inspector's phone form, the list, a finding with its contest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.page_actions import perform_form, show_error
from servicehall.core.private_files import file_response
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.inspections import selectors, services
from servicehall.inspections.forms import ContestForm, DecisionForm, FindingForm
from servicehall.inspections.models import Finding
from servicehall.org.models import Staff, Window
from servicehall.policy_versions.selectors import policy_for_centre


def _centre_id(request: HttpRequest) -> int:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return me.centre_id


@login_required
def findings(request: HttpRequest) -> HttpResponse:
    centre_id = _centre_id(request)
    rows = selectors.findings_for(viewer=request.user, centre_id=centre_id)[:200]
    can_record = role_of(request.user) in services.INSPECTOR_ROLES
    return render(request, "inspections/list.html", {"findings": rows, "can_record": can_record})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in services.INSPECTOR_ROLES:
        raise Http404
    centre_id = _centre_id(request)
    policy = policy_for_centre(centre_id=centre_id)
    form = FindingForm(
        request.POST or None,
        request.FILES or None,
        staff_qs=Staff.objects.filter(centre_id=centre_id, is_active=True).exclude(unit=None),
        window_qs=Window.objects.filter(centre_id=centre_id),
        policy=policy,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            finding = services.record_finding(
                actor=request.user,
                staff=data["staff"],
                window=data["window"],
                found_at=data["found_at"],
                inspection_kind=data["inspection_kind"],
                finder_level=data["finder_level"],
                prohibition_code=data["prohibition_code"],
                note=data["note"],
                photo=data["photo"],
                off_post_minutes=data["off_post_minutes"] or 0,
            )
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, f"已记录：{finding.staff.name} · {finding.prohibition_label}")
            return redirect("inspections:detail", finding_id=finding.pk)
    return render(request, "inspections/new.html", {"form": form})


def _visible(request: HttpRequest, finding_id: int) -> Finding:
    finding = (
        selectors.findings_for(viewer=request.user, centre_id=_centre_id(request))
        .filter(pk=finding_id)
        .first()
    )
    if finding is None:
        raise Http404
    return finding


@login_required
def detail(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _visible(request, finding_id)
    me = staff_of(request.user)
    can_contest = me is not None and me.pk == finding.staff_id and finding.contested_at is None
    can_decide = role_of(request.user) == Role.SUPERVISOR and finding.status == Finding.Status.CONTESTED
    return render(
        request,
        "inspections/detail.html",
        {
            "finding": finding,
            "contest_form": ContestForm() if can_contest else None,
            "decision_form": DecisionForm() if can_decide else None,
            "kind_label": services.KIND_LABELS.get(finding.inspection_kind, finding.inspection_kind),
        },
    )


@login_required
def photo(request: HttpRequest, finding_id: int) -> FileResponse:
    """The finding's photo, to those who may see the finding (ORG-1, INT-2)."""
    return file_response(_visible(request, finding_id).photo, inline=True)


@login_required
@require_POST
def contest(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _visible(request, finding_id)
    perform_form(
        request,
        ContestForm(request.POST),
        lambda d: services.contest_finding(finding_id=finding.pk, actor=request.user, reason=d["reason"]),
        done="申诉已提交，由效能监察室处理",
        invalid="请填写申诉理由",
    )
    return redirect("inspections:detail", finding_id=finding.pk)


@login_required
@require_POST
def decide(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _visible(request, finding_id)
    perform_form(
        request,
        DecisionForm(request.POST),
        lambda d: services.decide_contest(
            finding_id=finding.pk, actor=request.user, uphold=d["uphold"], note=d["note"]
        ),
        done="申诉已处理",
        invalid="请选择处理结果并填写处理意见",
    )
    return redirect("inspections:detail", finding_id=finding.pk)
