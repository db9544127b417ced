"""The site's front door and the per-role dashboard shell."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from pydantic import BaseModel

from servicehall.core.roles import role_of, staff_of
from servicehall.core.rule_texts import RULES, rule, source_label
from servicehall.policy.base import field_rule
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.site.dashboard import calendar_missing, dashboard_figures


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"queue_url": reverse("queue:index")})


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


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/rule_list.html", {"rules": list(RULES.values())})


@login_required
def rule_page(request: HttpRequest, rule_id: str) -> HttpResponse:
    """A rule's Chinese title and summary, its source and the viewer's centre's policy values for it."""
    found = rule(rule_id)
    if found is None:
        raise Http404("规则不存在")
    staff = staff_of(request.user)
    policy = policy_for_centre(centre_id=staff.centre_id if staff is not None else None)
    values = []
    for section_name in type(policy).model_fields:
        section = getattr(policy, section_name)
        if not isinstance(section, BaseModel):
            continue
        for name in type(section).model_fields:
            if field_rule(type(section), name) == found.rule_id:
                values.append({"key": f"{section_name}.{name}", "value": getattr(section, name)})
    return render(
        request,
        "core/rule.html",
        {
            "rule": found,
            "source": source_label(found.source),
            "values": values,
            "policy_label": policy_label(policy),
        },
    )


def policy_label(policy: object) -> str:
    """A policy as staff read it: its Chinese title and version, never the `name@version` code."""
    title = getattr(policy, "title", "") or "中心制度"
    return f"{title}（{getattr(policy, 'version', '')} 版）"


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("servicehall/favicon.svg"), permanent=True)
