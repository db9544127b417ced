"""Rotation pages (ORG-5): applications, the centre's reply and handover, a staff record's postings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from servicehall.core.errors import DomainError
from servicehall.core.page_actions import perform, perform_form, show_error
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org.models import Staff, Unit
from servicehall.rotation import selectors, services
from servicehall.rotation.forms import ApplicationForm, ReplyForm, UnfitForm


def _me(request: HttpRequest) -> Staff:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return me


# the service names a candidate's fields `candidate.<name>`; the form's are `candidate_<name>`
CANDIDATE_FORM_FIELDS = {f"candidate.{name}": f"candidate_{name}" for name in services.CANDIDATE_FIELDS}


@login_required
def applications(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    can_apply = role_of(request.user) in (Role.CENTRE_ADMIN, Role.CHIEF_REP)
    units = Unit.objects.filter(centre_id=me.centre_id)
    if me.role == Role.CHIEF_REP:
        units = units.filter(pk=me.unit_id)  # type: ignore[misc]  # Optional narrowing left to the domain's owner
    form = ApplicationForm(
        request.POST or None, unit_qs=units, staff_qs=Staff.objects.filter(unit__in=units, is_active=True)
    )
    if request.method == "POST" and can_apply and form.is_valid():
        d = form.cleaned_data
        try:
            app = services.submit_application(
                actor=request.user,
                unit=d["unit"],
                letter_no=d["letter_no"],
                submitted_on=d["submitted_on"],
                handover_on=d["handover_on"],
                outgoing=d["outgoing"],
                reason=d["reason"],
                candidate={k: d[f"candidate_{k}"] for k in services.CANDIDATE_FIELDS},
                special_letter=d["special_letter"],
                special_letter_signer=d["special_letter_signer"],
            )
        except DomainError as exc:
            show_error(request, exc, form, fields=CANDIDATE_FORM_FIELDS)
        else:
            messages.success(request, "轮换申请已登记，待中心函复")
            return redirect("rotation:detail", application_id=app.pk)
    return render(
        request,
        "rotation/applications.html",
        {
            "applications": selectors.applications_for(viewer=request.user)[:200],
            "form": form if can_apply else None,
        },
    )


def _application(request: HttpRequest, application_id: int):
    app = selectors.applications_for(viewer=request.user).filter(pk=application_id).first()
    if app is None:
        raise Http404
    return app


@login_required
def detail(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _application(request, application_id)
    is_admin = role_of(request.user) == Role.CENTRE_ADMIN
    return render(
        request,
        "rotation/detail.html",
        {
            "app": app,
            "candidate": [
                (label, app.candidate.get(key, "")) for key, label in services.CANDIDATE_FIELDS.items()
            ],
            "reply_form": ReplyForm() if is_admin and app.status == "submitted" else None,
            "can_handover": is_admin and app.status == "approved",
            "unit_staff": Staff.objects.filter(unit=app.unit, is_active=True),
        },
    )


@login_required
@require_POST
def reply(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _application(request, application_id)
    perform_form(
        request,
        ReplyForm(request.POST),
        lambda d: services.reply_application(actor=request.user, application_id=app.pk, **d),
        done="已函复",
        invalid="请填写函复文号和日期",
    )
    return redirect("rotation:detail", application_id=app.pk)


@login_required
@require_POST
def handover(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _application(request, application_id)
    incoming = Staff.objects.filter(pk=request.POST.get("incoming") or 0, unit=app.unit).first()
    perform(
        request,
        lambda: services.complete_handover(actor=request.user, application_id=app.pk, incoming=incoming),
        done="交接完成",
    )
    return redirect("rotation:detail", application_id=app.pk)


@login_required
def staff_postings(request: HttpRequest, staff_id: int) -> HttpResponse:
    me = _me(request)
    staff = Staff.objects.filter(pk=staff_id, centre_id=me.centre_id).select_related("unit").first()
    if staff is None:
        raise Http404
    try:
        rows = selectors.posting_history(viewer=request.user, staff=staff)
    except DomainError:
        raise Http404 from None
    form = UnfitForm(request.POST or None) if role_of(request.user) == Role.CENTRE_ADMIN else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.return_unfit(actor=request.user, staff=staff, **form.cleaned_data)
        except DomainError as exc:
            show_error(request, exc, form)
        else:
            messages.success(request, "已清退回所在单位")
            return redirect("rotation:staff", staff_id=staff.pk)
    return render(request, "rotation/staff.html", {"staff": staff, "postings": rows, "form": form})
