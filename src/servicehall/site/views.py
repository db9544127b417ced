"""The site's front door and the per-role dashboard shell."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from servicehall.core.roles import role_of, staff_of
from servicehall.site.dashboard import calendar_missing, dashboard_figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    role = role_of(request.user)
    figures = dashboard_figures(request.user)
    context = {"staff": staff, "role": role, "figures": figures, "calendar_missing": calendar_missing(role)}
    return render(request, "core/dashboard.html", context)
