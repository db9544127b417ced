"""Study and meeting pages (ATT-11): the plan, a session's roll-call."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from servicehall.core.errors import DomainError, InputError
from servicehall.core.roles import role_of, staff_of
from servicehall.study import selectors, services
from servicehall.study.forms import SessionForm
from servicehall.study.models import Session


def _centre_id(request: HttpRequest) -> int:
    me = staff_of(request.user)
    if me is None:
        raise Http404
    return me.centre_id


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    centre_id = _centre_id(request)
    is_office = role_of(request.user) in services.OFFICE_ROLES
    form = SessionForm(request.POST or None)
    if request.method == "POST" and is_office and form.is_valid():
        d = form.cleaned_data
        try:
            session = services.plan_session(
                actor=request.user,
                centre=staff_of(request.user).centre,  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
                kind=d["kind"],
                starts_at=d["starts_at"],
                topic=d["topic"],
                plan=d["plan"],
            )
        except DomainError as exc:
            if isinstance(exc, InputError) and exc.where in form.fields:
                form.add_error(exc.where, exc.message)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(request, "已列入计划")
            return redirect("study:detail", session_id=session.pk)
    year = timezone.localdate().year
    return render(
        request,
        "study/sessions.html",
        {
            "sessions": selectors.sessions_of(centre_id=centre_id)[:200],
            "form": form if is_office else None,
            "training": selectors.training_by_quarter(centre_id=centre_id, year=year),
            "year": year,
        },
    )


@login_required
def detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = Session.objects.filter(pk=session_id, centre_id=_centre_id(request)).first()
    if session is None:
        raise Http404
    is_office = role_of(request.user) in services.OFFICE_ROLES
    if request.method == "POST" and is_office:
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            services.take_roll_call(actor=request.user, session_id=session.pk, present=present)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "点名已完成")
        return redirect("study:detail", session_id=session.pk)
    roll = list(session.roll.select_related("staff", "staff__unit"))
    expected = services.expected_staff(session) if not roll and is_office else []
    return render(
        request,
        "study/detail.html",
        {"session": session, "roll": roll, "expected": expected, "is_office": is_office},
    )
