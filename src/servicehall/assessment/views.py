"""Assessment pages (EVAL-4): rounds, score forms, result sheets with links to every input's source."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servicehall.assessment import export, selectors, services
from servicehall.assessment.models import Round, Score
from servicehall.core.errors import DomainError
from servicehall.core.page_actions import perform
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org.models import Staff, Unit
from servicehall.policy_versions.selectors import policy_for_centre


def _me(request: HttpRequest) -> Staff:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return me


def _round(request: HttpRequest, round_id: int) -> Round:
    rnd = selectors.rounds_for(viewer=request.user).filter(pk=round_id).first()
    if rnd is None:
        raise Http404
    return rnd


@login_required
def rounds(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    is_admin = role_of(request.user) == Role.CENTRE_ADMIN
    policy = policy_for_centre(centre_id=me.centre_id)
    if request.method == "POST" and is_admin:
        try:
            starts_on = date.fromisoformat(request.POST.get("starts_on", ""))
            rnd = services.open_round(
                actor=request.user,
                centre=me.centre,
                period=request.POST.get("period", ""),
                starts_on=starts_on,
            )
        except ValueError:
            messages.error(request, "请填写开始日期")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("assessment:round", round_id=rnd.pk)
    periods = [(p, dict(Round.Period.choices)[p]) for p in policy.evaluation.assessment_periods]
    return render(
        request,
        "assessment/rounds.html",
        {"rounds": selectors.rounds_for(viewer=request.user), "is_admin": is_admin, "periods": periods},
    )


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    me = _me(request)
    rnd = _round(request, round_id)
    policy = policy_for_centre(centre_id=rnd.centre_id, on=rnd.starts_on)
    methods = policy.evaluation.assessment_methods
    role = role_of(request.user)
    targets: list[tuple[str, str, Staff]] = []
    if "self" in methods and me.unit_id:
        targets.append(("self", "自评", me))
    if "peer" in methods and me.unit_id:
        targets += [
            ("peer", "互评", s)
            for s in Staff.objects.filter(unit_id=me.unit_id, is_active=True).exclude(pk=me.pk)
        ]
    if "centre_office" in methods and role == Role.CENTRE_ADMIN:
        targets += [("centre_office", "中心办公室评定", s) for s in services.assessed_staff(rnd)]
    mine = {(s.subject_id, s.method): s.value for s in Score.objects.filter(round=rnd, rater=me)}
    forms = [(m, label, s, mine.get((s.pk, m))) for m, label, s in targets]
    units = Unit.objects.filter(centre_id=rnd.centre_id) if role in (Role.CENTRE_ADMIN, Role.AUDITOR) else []
    return render(
        request,
        "assessment/round.html",
        {
            "round": rnd,
            "forms": forms,
            "results": selectors.results_for(viewer=request.user, round_id=rnd.pk),
            "is_admin": role == Role.CENTRE_ADMIN,
            "units": units,
        },
    )


@login_required
@require_POST
def score(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = _round(request, round_id)
    subject = Staff.objects.filter(pk=request.POST.get("subject") or 0, centre_id=rnd.centre_id).first()
    try:
        value = Decimal(request.POST.get("value", ""))
        if subject is None:
            raise Http404
        services.submit_score(
            actor=request.user,
            round_id=rnd.pk,
            subject=subject,
            method=request.POST.get("method", ""),
            value=value,
        )
    except InvalidOperation:
        messages.error(request, "请填写0到100之间的分数")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "评分已保存")
    return redirect("assessment:round", round_id=rnd.pk)


@login_required
@require_POST
def compute(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = _round(request, round_id)
    perform(
        request, lambda: services.compute_round(actor=request.user, round_id=rnd.pk), done="考核结果已计算"
    )
    return redirect("assessment:round", round_id=rnd.pk)


@login_required
def sheet(request: HttpRequest, round_id: int, staff_id: int) -> HttpResponse:
    rnd = _round(request, round_id)
    result = selectors.results_for(viewer=request.user, round_id=rnd.pk).filter(staff_id=staff_id).first()
    if result is None:
        raise Http404
    return render(request, "assessment/sheet.html", {"round": rnd, "result": result})


@login_required
def unit_export(request: HttpRequest, round_id: int, unit_id: int, fmt: str) -> HttpResponse:
    rnd = _round(request, round_id)
    if role_of(request.user) not in (Role.CENTRE_ADMIN, Role.AUDITOR) or fmt not in ("xlsx", "pdf"):
        raise Http404
    unit = Unit.objects.filter(pk=unit_id, centre_id=rnd.centre_id).first()
    if unit is None:
        raise Http404
    results = list(selectors.results_for(viewer=request.user, round_id=rnd.pk).filter(staff__unit=unit))
    if fmt == "xlsx":
        body = export.unit_workbook(rnd, unit.name, results)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = export.unit_pdf(rnd, rnd.centre.name, unit.name, results)
        ctype = "application/pdf"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="assessment-{rnd.pk}-unit-{unit.pk}.{fmt}"'
    return response
