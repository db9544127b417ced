"""Pages of the supervision office (效能监察室): today's cards, card detail with reply / appeal /
decision, 超时默认 on red cases, unit ranking with its chart and exports, the daily fee ledger."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from servicehall.core.charts import bar_chart
from servicehall.core.errors import DomainError, InputError, NotFound
from servicehall.core.roles import Role, staff_of
from servicehall.org.models import Unit
from servicehall.supervision import export, selectors, services
from servicehall.supervision.models import COUNTING_STATUSES, CardStatus, Colour, Trigger
from servicehall.supervision.ranking import parse_period

OFFICE = {Role.SUPERVISOR, Role.CENTRE_ADMIN, Role.AUDITOR}
DECIDERS = {Role.SUPERVISOR, Role.CENTRE_ADMIN}


def _viewer(request: HttpRequest, roles: AbstractSet[str] | None = None):
    staff = staff_of(request.user)
    if staff is None or (roles is not None and staff.role not in roles):
        raise PermissionDenied("无权查看此页面")
    return staff


def _day(raw: str | None) -> date:
    try:
        return date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """/supervision/: the cards raised on a day (default today) and every card still waiting."""
    viewer = _viewer(request)
    day = _day(request.GET.get("day"))
    visible = selectors.cards_visible_to(viewer=viewer)
    return render(
        request,
        "supervision/today.html",
        {
            "day": day,
            "cards": selectors.cards_raised_on(viewer=viewer, day=day),
            "waiting": visible.filter(
                status__in=(CardStatus.OPEN, CardStatus.REPLIED, CardStatus.APPEALED)
            ).order_by("raised_at")[:200],
            "is_office": viewer.role in OFFICE,
        },
    )


@login_required
def card_detail(request: HttpRequest, card_id: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        card = selectors.get_card(viewer=viewer, card_id=card_id)
    except NotFound:
        raise Http404("监察牌不存在") from None
    unit_side = viewer.pk == card.responsible_id or (
        viewer.role == Role.CHIEF_REP and viewer.unit_id == card.unit_id
    )
    overdue_red = (
        card.trigger == Trigger.DEADLINE
        and card.colour == Colour.RED
        and card.case.is_open
        and viewer.role in DECIDERS
    )
    return render(
        request,
        "supervision/card.html",
        {
            "card": card,
            "can_reply": unit_side and card.status == CardStatus.OPEN,
            "can_appeal": unit_side and card.status in (CardStatus.OPEN, CardStatus.REPLIED),
            "can_decide": viewer.role in DECIDERS
            and card.status not in (CardStatus.UPHELD, CardStatus.WITHDRAWN),
            "can_urge": overdue_red,
            "can_default": overdue_red and card.case.item.default_approval,
            "evidence": sorted(card.evidence.items()),
        },
    )


@login_required
@require_POST
def card_act(request: HttpRequest, card_id: int) -> HttpResponse:
    viewer = _viewer(request)
    try:
        card = selectors.get_card(viewer=viewer, card_id=card_id)
    except NotFound:
        raise Http404("监察牌不存在") from None
    action, text = request.POST.get("action", ""), request.POST.get("text", "")
    try:
        if action == "reply":
            services.reply_to_card(card_id=card.pk, actor=viewer, text=text)
            messages.success(request, "已提交书面回复")
        elif action == "appeal":
            services.appeal_card(card_id=card.pk, actor=viewer, reason=text)
            messages.success(request, "已提交申诉")
        elif action in ("uphold", "withdraw"):
            services.decide_card(card_id=card.pk, actor=viewer, uphold=action == "uphold", note=text)
            messages.success(request, "已维持" if action == "uphold" else "已撤销，该牌不再计入考核")
        elif action == "urge":
            services.urge_overdue_case(case_id=card.case_id, actor=viewer, note=text)
            messages.success(request, "已督促窗口立即办理")
        elif action == "default_approve":
            services.approve_overdue_by_default(case_id=card.case_id, actor=viewer, note=text)
            messages.success(request, "已超时默认办结并对单位立案调查")
        else:
            raise InputError("action", "未知操作")
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("supervision:card", card_id=card.pk)


def _period(request: HttpRequest):
    raw = request.GET.get("period") or f"{timezone.localdate():%Y-%m}"
    try:
        return parse_period(raw)
    except InputError:
        return parse_period(f"{timezone.localdate():%Y-%m}")


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """/supervision/ranking/?period=2025-10 or 2025-Q4: unit and window scores with a chart (SVG)."""
    viewer = _viewer(request, OFFICE)
    period = _period(request)
    data = selectors.unit_ranking(centre_id=viewer.centre_id, period=period)
    rows = data["units"]
    chart = bar_chart(
        f"单位考核得分 {period.label}",
        [r.name for r in rows],
        {"得分": [r.score for r in rows], "黄牌": [r.yellow for r in rows], "红牌": [r.red for r in rows]},
        height=320,
    )
    return render(
        request,
        "supervision/ranking.html",
        {
            **data,
            "chart": chart,
            "period_text": request.GET.get("period") or f"{period.first:%Y-%m}",
            "units_all": Unit.objects.filter(centre_id=viewer.centre_id),
            "can_record": viewer.role in DECIDERS,
            "today": timezone.localdate(),
        },
    )


@login_required
def ranking_xlsx(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, OFFICE)
    period = _period(request)
    data = selectors.unit_ranking(centre_id=viewer.centre_id, period=period)
    response = HttpResponse(
        export.ranking_workbook(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ranking-{period.first:%Y-%m}-{period.kind}.xlsx"'
    )
    return response


@login_required
def rectification_pdf(request: HttpRequest, unit_id: int) -> HttpResponse:
    viewer = _viewer(request, OFFICE)
    unit = Unit.objects.filter(pk=unit_id, centre_id=viewer.centre_id).first()
    if unit is None:
        raise Http404("单位不存在")
    period = _period(request)
    data = selectors.unit_ranking(centre_id=viewer.centre_id, period=period)
    row = next(r for r in data["units"] if r.key == unit.pk)
    start, end = selectors.day_bounds(period.first, period.last)
    cards = list(
        selectors.cards_visible_to(viewer=viewer).filter(
            unit=unit, raised_at__gte=start, raised_at__lt=end, status__in=COUNTING_STATUSES
        )
    )
    pdf = export.rectification_notice(
        centre_name=viewer.centre.name,
        unit_name=unit.name,
        row=row,
        period_label=period.label,
        policy_ref=data["policy"],
        cards=cards,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rectification-{unit.pk}-{period.first:%Y-%m}.pdf"'
    return response


@login_required
@require_POST
def leader_day(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, DECIDERS)
    try:
        services.record_leader_office_day(
            unit_id=int(request.POST.get("unit") or 0),
            actor=viewer,
            leader_name=request.POST.get("leader_name", ""),
            on=date.fromisoformat(request.POST.get("on", "")),
            note=request.POST.get("note", ""),
        )
        messages.success(request, "已登记单位领导到中心办公")
    except DomainError as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, "日期格式应为 YYYY-MM-DD")
    return redirect(f"/supervision/ranking/?period={request.POST.get('period', '')}")


@login_required
def fees(request: HttpRequest) -> HttpResponse:
    """/supervision/fees/?day=YYYY-MM-DD: the day's fee ledger per window and unit (篇1 §七.7, SUP-2)."""
    viewer = _viewer(request, {*OFFICE, Role.CHIEF_REP})
    day = _day(request.GET.get("day"))
    return render(request, "supervision/fees.html", selectors.fee_ledger(viewer=viewer, day=day))


@login_required
def fees_xlsx(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, {*OFFICE, Role.CHIEF_REP})
    day = _day(request.GET.get("day"))
    ledger = selectors.fee_ledger(viewer=viewer, day=day)
    response = HttpResponse(
        export.fee_ledger_workbook(ledger, centre_name=viewer.centre.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="fees-{day:%Y-%m-%d}.xlsx"'
    return response
