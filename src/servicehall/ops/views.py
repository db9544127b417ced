"""Centre office pages for operations: the working-day calendar rollover (CASE-5).

The office pastes the State Council notice, sees it as a calendar with the days that change marked,
and confirms; provisional due dates are then recounted. The paste is parsed again on confirmation
(the preview is never trusted as data), so what is loaded is what the text says.
"""

from __future__ import annotations

import calendar as month_calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from servicehall.cases.models import Case
from servicehall.core.errors import DomainError, Forbidden
from servicehall.core.roles import Role, require_role
from servicehall.ops.rollover import load_notice_and_recount
from servicehall.workdays.notice import parse_notice
from servicehall.workdays.selectors import load_calendar, next_year_missing, notice_diff

MAX_NOTICE_CHARS = 20_000


def _months(year: int, kinds: dict[date, str], changed: set[date]) -> list[dict]:
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar().monthdatescalendar(year, month):
            weeks.append([
                {"day": d.day, "kind": kinds.get(d, ""), "changed": d in changed} if d.month == month else None
                for d in week
            ])  # fmt: skip
        months.append({"label": f"{month}月", "weeks": weeks})
    return months


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    try:
        staff = require_role(request.user, Role.CENTRE_ADMIN)
    except Forbidden:
        raise PermissionDenied from None
    today = timezone.localdate()
    context: dict = {
        "years": sorted(load_calendar().years),
        "missing": next_year_missing(today),
        "provisional_cases": Case.objects.filter(due_provisional=True).count(),
        "text": "",
    }
    if request.method == "POST":
        text = request.POST.get("text", "")[:MAX_NOTICE_CHARS]
        context["text"] = text
        try:
            notice = parse_notice(text, source="粘贴的通知")
        except DomainError as exc:
            context["error"] = str(exc)
            return render(request, "ops/calendar.html", context, status=400)
        if request.POST.get("action") == "confirm":
            result = load_notice_and_recount(notice=notice, actor=staff, source_name="中心运维页面")
            messages.success(
                request,
                f"已加载{notice.year}年工作日历：{len(result.loaded.changed)}天有变化，"  # type: ignore[union-attr]  # Optional narrowing left to the domain's owner
                f"重新计算暂定办结期限{len(result.recomputed)}件。",
            )
            return redirect("ops:calendar")
        kinds = {d: k.value for d, k in notice.day_kinds().items()}
        changes = notice_diff(kinds)
        context.update(
            notice=notice,
            changes=changes,
            months=_months(notice.year, kinds, {d for d, _before, _after in changes}),
            previous_year_days=[d for d in notice.holidays + notice.workdays if d.year < notice.year],
        )
    return render(request, "ops/calendar.html", context)
