"""Staff pages (my cases, register at the window, case detail with timeline) and the public progress query (/progress/, CASE-10). Views parse input, call one service or selector, render."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.cases import selectors, services
from servicehall.cases.actions import ActionInput, apply_action
from servicehall.cases.enums import (
    PROBLEM_STATES,
    Action,
    CaseStatus,
    DeliveryMethod,
    MaterialState,
    Outcome,
    PauseKind,
    RefusalKind,
)
from servicehall.cases.lifecycle import allowed_actions
from servicehall.cases.models import Case, UnitStep
from servicehall.cases.pdf import KINDS, notice_pdf
from servicehall.cases.policies import policies_for
from servicehall.cases.ratelimit import PROGRESS_NOT_FOUND, check_progress_rate
from servicehall.cases.services import MaterialCheck
from servicehall.catalog.models import CaseType, Item
from servicehall.catalog.selectors import published_items
from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.identity import ID_KIND_CHOICES
from servicehall.core.paging import paginate
from servicehall.core.roles import CENTRE_WIDE, WRITERS, require_role, role_of, staff_of
from servicehall.org.models import Staff


def _staff(request: HttpRequest) -> Staff:
    try:
        staff = require_role(request.user, *WRITERS)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from None
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


def _reader(request: HttpRequest) -> Staff:
    """Any staff role may read; auditors read only (they never reach `_staff`)."""
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


def _case(request: HttpRequest, case_id: int) -> Case:
    try:
        return selectors.get_case(viewer=request.user, case_id=case_id)
    except NotFound:
        raise Http404("办件不存在") from None


# -- public progress query ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def progress(request: HttpRequest) -> HttpResponse:
    """CASE-10: case number + query code (or last 4 of a validated phone/ID); a wrong code and an
    unknown case look the same."""
    context: dict[str, object] = {"number": "", "not_found": False}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "")[:40].strip()
        code = request.POST.get("code", "")[:16].strip()
        context["number"] = number
        limited = check_progress_rate(request)
        if limited:
            context["error"], status = limited, 429
        else:
            found = selectors.progress_lookup(number=number, code=code)
            if found is None:
                context["not_found"], context["message"] = True, PROGRESS_NOT_FOUND
            else:
                context["progress"] = found
    return render(request, "cases/progress.html", context, status=status)


# -- staff pages ------------------------------------------------------------------------------------------


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    """Cases in every state, searchable by number or applicant, filtered, 25 a page (CASE-9 history)."""
    staff = _reader(request)
    today = timezone.localdate()
    filters = {
        "q": request.GET.get("q", "")[:60],
        "status": request.GET.get("status", ""),
        "flag": request.GET.get("flag", ""),
    }
    cases = selectors.case_list(viewer=request.user, today=today, **filters)
    paging = paginate(request, cases)
    rows = [{"case": c, "overdue": selectors.is_overdue(c, today=today)} for c in paging["page_rows"]]
    role = role_of(request.user)
    return render(
        request,
        "cases/my_cases.html",
        {
            "rows": rows,
            "staff": staff,
            "today": today,
            "filters": filters,
            "statuses": CaseStatus.choices,
            "flags": selectors.CASE_FILTERS,
            "centre_wide": role in CENTRE_WIDE,
            "can_write": role in WRITERS,
            **paging,
        },
    )


@login_required
def item_search(request: HttpRequest) -> HttpResponse:
    """htmx: items matching the query (name, code, pinyin initials) for the registration form."""
    staff = _staff(request)
    q = request.GET.get("q", "").strip()
    items = published_items(centre_id=staff.centre_id, q=q)[:12] if q else []
    return render(request, "cases/_item_results.html", {"items": items, "q": q})


@login_required
def checklist(request: HttpRequest, item_id: int) -> HttpResponse:
    """htmx: the item's materials checklist (CASE-2), every line ticked by default."""
    staff = _staff(request)
    item = Item.objects.filter(pk=item_id, centre_id=staff.centre_id, status=Item.Status.PUBLISHED).first()
    if item is None:
        raise Http404("事项不存在")
    return render(
        request,
        "cases/_checklist.html",
        {"item": item, "materials": item.materials.all(), "states": MaterialState},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Register a case at the window (CASE-1): item, applicant, checklist → accept or one-time notice."""
    staff = _staff(request)
    if request.method == "POST":
        item = Item.objects.filter(pk=request.POST.get("item_id") or 0, centre_id=staff.centre_id).first()
        if item is None:
            messages.error(request, "请先选择事项")
            return render(
                request,
                "cases/register.html",
                {"form": request.POST, "id_kinds": ID_KIND_CHOICES},
                status=400,
            )
        checks = {}
        for m in item.materials.all():
            state = request.POST.get(f"m{m.pk}_state", MaterialState.OK)
            checks[m.pk] = MaterialCheck(state, request.POST.get(f"m{m.pk}_note", ""))
        try:
            case = services.register_case(
                actor=staff, item=item, applicant_name=request.POST.get("applicant_name", ""),
                applicant_id_no=request.POST.get("applicant_id_no", ""),
                applicant_id_kind=request.POST.get("applicant_id_kind", "resident_id"),
                applicant_phone=request.POST.get("applicant_phone", ""),
                applicant_address=request.POST.get("applicant_address", ""), checks=checks,
                urgent_reason=request.POST.get("urgent_reason", ""),
            )  # fmt: skip
            problems = [c for c in checks.values() if MaterialState(c.state) in PROBLEM_STATES]
            if problems:
                services.issue_one_time_notice(case_id=case.pk, actor=staff)
                messages.warning(request, f"已登记 {case.number}，并出具一次性告知书（CASE-2）")
            elif item.case_type == CaseType.IMMEDIATE and request.POST.get("on_spot"):
                services.complete_on_the_spot(case_id=case.pk, actor=staff)
                messages.success(request, f"即办件 {case.number} 已当场办结")
            else:
                services.accept_case(case_id=case.pk, actor=staff)
                services.start_processing(case_id=case.pk, actor=staff)
                messages.success(request, f"已受理 {case.number}，请打印受理通知书")
        except DomainError as exc:
            messages.error(request, str(exc))
            return render(
                request,
                "cases/register.html",
                {"form": request.POST, "item": item, "id_kinds": ID_KIND_CHOICES},
                status=400,
            )
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/register.html", {"form": {}, "id_kinds": ID_KIND_CHOICES})


@login_required
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    staff = staff_of(request.user)
    actions = [t.action.value for t in allowed_actions(case.status)]
    if case.status == CaseStatus.CORRECTION:
        actions = [a for a in actions if a != Action.REQUEST_CORRECTION]  # the notice was given once (CASE-2)
    notices = []
    for kind, label in KINDS.items():
        try:
            notice_pdf_available = _notice_available(case, kind)
        except LookupError:
            notice_pdf_available = False
        if notice_pdf_available:
            notices.append((kind, label))
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "staff": staff,
            "applicant_contact": selectors.applicant_contact(viewer=request.user, case=case),
            "overdue": selectors.is_overdue(case),
            "materials": case.materials.all(),
            "steps": case.steps.select_related("unit", "done_by"),
            "events": _labelled_events(case),
            "reports": case.refusal_reports.all(),
            "pauses": case.pauses.all(),
            "extensions": case.extensions.all(),
            "actions": actions,
            "next_action": _next_action(case, actions),
            "stages": _stages(case),
            "notices": notices,
            "staff_choices": selectors.staff_choices(viewer=request.user),
            "outcomes": Outcome,
            "methods": DeliveryMethod,
            "pause_kinds": [PauseKind(k) for k in policies_for(case.centre).cases.pause_kinds],
            "refusal_kinds": RefusalKind,
            "problem_states": MaterialState,
        },
    )


STAGES = ("申报登记", "受理", "办理", "办结", "送达")
STAGE_OF = {
    CaseStatus.REGISTERED: 0,
    CaseStatus.CORRECTION: 0,
    CaseStatus.ACCEPTED: 1,
    CaseStatus.IN_PROGRESS: 2,
    CaseStatus.REPORTED: 2,
    CaseStatus.DONE: 3,
    CaseStatus.DELIVERED: 4,
}


def _stages(case: Case) -> list[dict[str, str]]:
    """The stepper above a case: each stage done, current or to come; refused and returned cases end early."""
    current = STAGE_OF.get(case.status)  # type: ignore[call-overload]  # status is a Case.Status value
    if current is None:  # refused / returned: the path stops where it stopped
        return [{"label": STAGES[0], "state": "done"}, {"label": case.get_status_display(), "state": "ended"}]
    stages = []
    for i, label in enumerate(STAGES):
        state = (
            "done"
            if i < current or case.status == CaseStatus.DELIVERED
            else ("current" if i == current else "todo")
        )
        if i == current and case.status == CaseStatus.CORRECTION:
            label = "补正材料"
        stages.append({"label": label, "state": state})
    return stages


def _next_action(case: Case, actions: list[str]) -> str:
    """The one action the clerk most likely takes next; the page shows it as the primary button."""
    if case.status == CaseStatus.REGISTERED:
        incomplete = case.materials.filter(state__in=PROBLEM_STATES).exists()
        return (
            Action.REQUEST_CORRECTION
            if incomplete and Action.REQUEST_CORRECTION in actions
            else Action.ACCEPT
        )
    if case.status == CaseStatus.CORRECTION:
        return "second_visit"
    for candidate in (Action.START, Action.CONCLUDE, Action.DELIVER):
        if candidate in actions:
            return candidate
    return ""


def _labelled_events(case: Case) -> list:
    """Timeline entries with Chinese labels for their action and statuses (CASE-9 台账 is read by people)."""
    actions, statuses = dict(Action.choices), dict(CaseStatus.choices)
    events: list[Any] = list(case.events.select_related("actor"))
    for e in events:
        e.action_label = actions.get(e.action, e.action)
        e.from_label = statuses.get(e.from_status, e.from_status)
        e.to_label = statuses.get(e.to_status, e.to_status)
    return events


def _notice_available(case: Case, kind: str) -> bool:
    if kind == "acceptance":
        return case.accepted_at is not None
    if kind == "correction":
        return case.notices.exists()
    if kind == "refusal":
        return case.refusal_reports.filter(issued_at__isnull=False).exists()
    return case.concluded_at is not None and bool(case.outcome)


@login_required
def notice(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    case = _case(request, case_id)
    try:
        name, data = notice_pdf(case, kind)
    except LookupError:
        raise Http404("该告知书尚不能出具") from None
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _date(value: str) -> date:
    return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - only the date is kept


@login_required
@require_POST
def act(request: HttpRequest, case_id: int) -> HttpResponse:
    """One form post per action on the case page; rule violations come back as messages."""
    staff = _staff(request)
    case = _case(request, case_id)
    action = request.POST.get("action", "")
    post = request.POST
    kwargs: dict[str, Any] = {"case_id": case.pk, "actor": staff}
    try:
        given = ActionInput(
            reason=post.get("reason", ""), outcome=post.get("outcome", ""), method=post.get("method", ""),
            postal_address=post.get("postal_address", ""), tracking_no=post.get("tracking_no", ""),
        )  # fmt: skip
        if apply_action(action, case_id=case.pk, actor=staff, given=given):
            pass  # a lifecycle action, done; the page-only actions follow
        elif action == "second_visit":
            fixed = [int(v) for v in post.getlist("fixed") if v.isdigit()]
            services.record_materials(fixed=fixed, second_visit=True, **kwargs)
        elif action == "complete_step":
            step = UnitStep.objects.filter(pk=post.get("step_id") or 0, case=case).first()
            if step is None:
                raise NotFound("办理环节不存在")
            services.complete_unit_step(step_id=step.pk, actor=staff, note=post.get("reason", ""))
        elif action == "report_refusal":
            services.report_refusal(
                kind=post.get("kind", ""), reasons=post.get("reasons", ""), legal_basis=post.get("legal_basis", ""),
                **kwargs,
            )  # fmt: skip
        elif action == "acknowledge":
            services.acknowledge_refusal_report(report_id=int(post.get("report_id") or 0), actor=staff)
        elif action == "reassign":
            new = Staff.objects.filter(pk=post.get("staff_id") or 0, centre_id=staff.centre_id).first()
            if new is None:
                raise NotFound("人员不存在")
            services.reassign_case(new_responsible=new, reason=post.get("reason", ""), **kwargs)
        elif action == "urgent":
            services.flag_urgent(reason=post.get("reason", ""), **kwargs)
        elif action == "pause":
            services.pause_clock(
                kind=post.get("kind", ""), starts_on=_date(post.get("starts_on", "")), reason=post.get("reason", ""),
                **kwargs,
            )  # fmt: skip
        elif action == "resume":
            services.resume_clock(ends_on=_date(post.get("ends_on", "")), **kwargs)
        elif action == "extend":
            services.extend_deadline(
                working_days=int(post.get("working_days") or 0), reason=post.get("reason", ""),
                consent_note=post.get("consent_note", ""), **kwargs,
            )  # fmt: skip
        else:
            messages.error(request, f"未知操作: {action}")
            return redirect("cases:detail", case_id=case.pk)
        case.refresh_from_db()
        done = ACTION_DONE.get(action, "已完成")
        messages.success(request, f"{done}。当前状态：{case.get_status_display()}")
    except DomainError as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, "日期或数字格式不正确（日期: YYYY-MM-DD）")
    return redirect("cases:detail", case_id=case.pk)


# What the clerk reads after each action: what happened and what to hand the applicant.
ACTION_DONE = {
    Action.ACCEPT: "已受理，请打印受理通知书交给申请人",
    Action.REQUEST_CORRECTION: "已出具一次性告知书，请打印交申请人签收",
    Action.REFUSE: "已出具不予受理决定书，请打印交给申请人",
    Action.START: "已开始办理",
    Action.REPORT_UP: "已上报上级决定",
    Action.CONCLUDE: "已办结，请通知申请人领取结果",
    Action.COMPLETE_ON_SPOT: "即办件已当场办结",
    Action.DELIVER: "已送达，办件完结",
    Action.RETURN: "已退件",
    "second_visit": "已记录补正的材料",
    "complete_step": "本单位办理环节已完成",
    "report_refusal": "已报备，待中心确认后出具决定书",
    "acknowledge": "中心已确认报备",
    "reassign": "已更换第一责任人",
    "urgent": "已标记为急办件",
    "pause": "已暂停计时",
    "resume": "已恢复计时",
    "extend": "已延长办理期限",
}
