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


def login_locked_out(
    request: HttpRequest, credentials: dict | None = None, *args: object, **kwargs: object
) -> HttpResponse:
    """django-axes lockout answer: the account is locked after too many wrong passwords (429)."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = f"该账号密码错误次数过多，已暂时锁定，请 {minutes} 分钟后再试，或联系中心管理办公室解锁。"
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    page = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>账号已锁定</title></head>'
        f"<body><h1>账号已锁定</h1><p>{message}</p></body></html>"
    )
    return HttpResponse(page, status=429, content_type="text/html; charset=utf-8")
