"""Accountability pages: public criticisms with their PDF notice, off-post training (EVAL-6)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from servicehall.accountability import criticisms as services
from servicehall.accountability.criticism_pdf import criticism_pdf
from servicehall.accountability.forms import CriticismForm, TrainingForm
from servicehall.accountability.models import Criticism, TrainingPeriod
from servicehall.core.errors import DomainError
from servicehall.core.page_actions import perform
from servicehall.core.roles import ensure_can_see, role_of, staff_of, visible_unit_ids
from servicehall.org.models import Staff


def _centre_id(request: HttpRequest) -> int:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return me.centre_id


def _scoped(request: HttpRequest, qs):
    centre_id = _centre_id(request)
    units = visible_unit_ids(request.user, centre_id=centre_id)
    qs = qs.filter(centre_id=centre_id)
    if role_of(request.user) == "window_staff":
        return qs.filter(staff=staff_of(request.user))
    return qs if units is None else qs.filter(staff__unit_id__in=units)


@login_required
def criticism_list(request: HttpRequest) -> HttpResponse:
    centre_id = _centre_id(request)
    can_issue = role_of(request.user) in services.ISSUER_ROLES
    staff_qs = Staff.objects.filter(centre_id=centre_id).exclude(unit=None)
    form = CriticismForm(request.POST or None, staff_qs=staff_qs, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and can_issue and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: services.issue_criticism(
                actor=request.user,
                staff=d["staff"],
                issued_on=d["issued_on"],
                rule=d["rule"],
                facts=d["facts"],
            ),
            done="通报批评已发布",
            form=form,
        )
        if done:
            return redirect("accountability:criticisms")
    rows = _scoped(request, Criticism.objects.select_related("staff", "staff__unit"))[:200]
    return render(
        request,
        "accountability/criticisms.html",
        {"criticisms": rows, "form": form if can_issue else None},
    )


@login_required
def criticism_notice(request: HttpRequest, criticism_id: int) -> HttpResponse:
    criticism = (
        Criticism.objects.select_related("staff", "staff__unit", "centre").filter(pk=criticism_id).first()
    )
    if criticism is None:
        raise Http404
    try:
        ensure_can_see(request.user, centre_id=criticism.centre_id, unit_id=criticism.staff.unit_id)
    except DomainError:
        raise Http404 from None
    response = HttpResponse(criticism_pdf(criticism), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="criticism-{criticism.year}-{criticism.seq}.pdf"'
    return response


@login_required
def training_list(request: HttpRequest) -> HttpResponse:
    centre_id = _centre_id(request)
    can_start = role_of(request.user) in services.ISSUER_ROLES
    staff_qs = Staff.objects.filter(centre_id=centre_id).exclude(unit=None)
    form = TrainingForm(request.POST or None, staff_qs=staff_qs, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and can_start and form.is_valid():
        d = form.cleaned_data
        done = perform(
            request,
            lambda: services.start_training_period(
                actor=request.user,
                staff=d["staff"],
                starts_on=d["starts_on"],
                reason=d["reason"],
                complaint_ref=d["complaint_ref"],
            ),
            done="离岗培训已登记",
            form=form,
        )
        if done:
            return redirect("accountability:training")
    rows = _scoped(request, TrainingPeriod.objects.select_related("staff", "staff__unit"))[:200]
    return render(
        request,
        "accountability/training.html",
        {"periods": rows, "form": form if can_start else None, "today": timezone.localdate()},
    )
