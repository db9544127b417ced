"""Organisation pages: the public window board (挂牌上岗 ORG-4, 暂停服务 ORG-6) and staff-facing lists."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.paging import paginate
from servicehall.core.roles import role_of, staff_of
from servicehall.org import permissions, selectors, services
from servicehall.org.forms import PauseForm
from servicehall.org.models import Centre, Staff, Unit, Window


def board_index(request: HttpRequest) -> HttpResponse:
    return render(request, "org/board_index.html", {"centres": selectors.public_centres()})


def board(request: HttpRequest, centre_code: str) -> HttpResponse:
    try:
        data = selectors.window_board(centre_code=centre_code)
    except NotFound as exc:
        raise Http404(exc.message) from None
    template = "org/_board.html" if request.headers.get("HX-Request") else "org/board.html"
    return render(request, template, {"board": data, "centre": data.centre})


def _viewer_centre(request: HttpRequest) -> Centre | None:
    """The viewer's own centre; an installation admin picks one with ?centre=<code>."""
    staff = staff_of(request.user)
    if staff is not None:
        return staff.centre
    code = request.GET.get("centre")
    centres = Centre.objects.all()
    return (centres.filter(code=code).first() if code else None) or centres.first()


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    centre = _viewer_centre(request)
    people = (
        selectors.staff_list(viewer=request.user, centre_id=centre.pk) if centre else Staff.objects.none()
    )
    q = request.GET.get("q", "").strip()[:40]
    unit = request.GET.get("unit", "")
    if q:
        people = people.filter(
            Q(name__icontains=q)
            | Q(staff_no__icontains=q)
            | Q(windows__number=q)
            | Q(post_title__icontains=q)
        ).distinct()
    if unit.isdigit():
        people = people.filter(unit_id=int(unit))
    units = Unit.objects.filter(centre=centre).order_by("id") if centre else []
    paging = paginate(request, people)
    for person in paging["page_rows"]:
        person.shown_phone = selectors.staff_phone(viewer=request.user, person=person)
    return render(
        request,
        "org/staff_list.html",
        {
            "centre": centre,
            "centres": Centre.objects.all() if staff_of(request.user) is None else [],
            "role": role_of(request.user),
            "q": q,
            "unit": unit,
            "units": units,
            **paging,
        },
    )


@login_required
def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    try:
        person = selectors.staff_detail(viewer=request.user, staff_id=staff_id)
    except NotFound as exc:  # also when the person exists but is outside the viewer's scope
        raise Http404(exc.message) from None
    partners = selectors.ab_partners(staff_id=person.pk)
    return render(
        request,
        "org/staff_detail.html",
        {
            "person": person,
            "partners": partners,
            "phone": selectors.staff_phone(viewer=request.user, person=person),
        },
    )


@login_required
def window_list(request: HttpRequest) -> HttpResponse:
    centre = _viewer_centre(request)
    windows = list(selectors.windows_for(viewer=request.user, centre_id=centre.pk)) if centre else []
    rows = [_row(request, w) for w in sorted(windows, key=_window_order)]
    return render(request, "org/window_list.html", {"centre": centre, "rows": rows})


def _window_order(w: Window) -> tuple:
    """Natural order of window numbers (窗口号): "2" before "10"; numbers are strings such as "3" or "A3"."""
    return (w.centre_id, [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", w.number)])


def _row(request: HttpRequest, window: Window) -> dict[str, Any]:
    return {"window": window, "can_pause": permissions.can_pause_window(request.user, window=window)}


def _window_or_404(window_id: int) -> Window:
    try:
        return selectors.window_for_write(window_id=window_id)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
@require_http_methods(["GET", "POST"])
def window_pause(request: HttpRequest, window_id: int) -> HttpResponse:
    """ORG-6 pause form. With htmx it swaps the window's row in place; without, it is a full page."""
    window = _window_or_404(window_id)
    if not permissions.can_pause_window(request.user, window=window):
        raise PermissionDenied("无权变更该窗口的服务状态")
    htmx = bool(request.headers.get("HX-Request"))
    form = PauseForm(request.POST or None, window=window)
    if request.method == "POST" and form.is_valid():
        try:
            window = services.pause_window(
                window_id=window.pk,
                actor=request.user,
                message=form.cleaned_data["message"],
                redirect_window_id=form.cleaned_data["redirect_window"].pk
                if form.cleaned_data["redirect_window"]
                else None,
                resume_at=form.cleaned_data["resume_at"],
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if htmx:
                return render(request, "org/_window_row.html", {"row": _row(request, window)})
            messages.success(request, f"{window.number}号窗口已暂停服务")
            return redirect("org:windows")
    template = "org/_pause_form.html" if htmx else "org/window_pause.html"
    return render(request, template, {"window": window, "form": form})


@login_required
@require_POST
def window_resume(request: HttpRequest, window_id: int) -> HttpResponse:
    window = _window_or_404(window_id)
    try:
        window = services.resume_window(window_id=window.pk, actor=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    if request.headers.get("HX-Request"):
        return render(request, "org/_window_row.html", {"row": _row(request, window)})
    messages.success(request, f"{window.number}号窗口已恢复服务")
    return redirect("org:windows")


@login_required
def window_row(request: HttpRequest, window_id: int) -> HttpResponse:
    """The plain row again (the pause form's 取消 button)."""
    window = _window_or_404(window_id)
    if not permissions.can_pause_window(request.user, window=window):
        raise Http404("窗口不存在")  # the pause form's row: only for those who may pause it (ORG-6)
    return render(request, "org/_window_row.html", {"row": _row(request, window)})
