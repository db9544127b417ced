"""Pages of the citizens' voice.

Public (no login, phone-first, no rule IDs): the rating pad at a window (/pad/<hall>/<window>/), online
rating of a case from the notice's QR code (/rate/), complaint form and progress (/complaints/...),
suggestion box (/suggestions/<hall>/), monthly figures (/satisfaction/<hall>/).
Staff (/evaluation/...): overview and ranking, ratings, rectification, complaints, flags, suggestions,
call-backs. No staff page shows who rated.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from servicehall.cases.ratelimit import check_progress_rate
from servicehall.core.charts import bar_chart
from servicehall.core.errors import DomainError, Forbidden, NotFound
from servicehall.core.roles import CENTRE_WIDE, Role, role_of, staff_of
from servicehall.evaluation import selectors, services
from servicehall.evaluation.models import (
    CallbackLog,
    Complaint,
    ManipulationFlag,
    Rating,
    RatingAppeal,
    Rectification,
    Suggestion,
    UnservedCallback,
)
from servicehall.org.models import Centre, Staff, Unit, Window
from servicehall.policy_versions.selectors import policy_for_centre

PAD_COOKIE = "servicehall_pad"
NOT_FOUND_COMPLAINT = "未查询到匹配的投诉。请核对查询码和登记的手机号码后四位。"
NOT_FOUND_CASE = "未查询到可评价的办件。请核对办件编号和申请人手机号或证件号码后四位。"


def _hall(code: str) -> Centre:
    return get_object_or_404(Centre, code=code)


def _staff(request: HttpRequest) -> Staff:
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied("需要工作人员账号")
    return staff


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        today = timezone.localdate()
        return today.replace(day=1)


def _levels(centre_id: int) -> list:
    return policy_for_centre(centre_id=centre_id).evaluation.rating_levels


REASONS_GOOD = ["态度热情", "办事高效", "一次办好", "解答清楚"]
REASONS_BAD = ["态度不好", "等候太久", "多次跑腿", "解答不清", "系统故障"]


# -- the rating pad at a window (EVAL-1) --------------------------------------------------------------------


def _pad_window(hall: str, number: str) -> Window:
    centre = _hall(hall)
    return get_object_or_404(Window.objects.select_related("unit", "centre"), centre=centre, number=number)


def pad(request: HttpRequest, hall: str, number: str) -> HttpResponse:
    """The tablet at the window: waits for a finished service, then asks for a rating."""
    window = _pad_window(hall, number)
    response = render(request, "evaluation/pad.html", _pad_context(request, window))
    if PAD_COOKIE not in request.COOKIES:
        response.set_cookie(
            PAD_COOKIE, secrets.token_hex(8), max_age=3600 * 24 * 365, httponly=True, samesite="Lax"
        )
    return response


def pad_panel(request: HttpRequest, hall: str, number: str) -> HttpResponse:
    """htmx poll: the current service to rate, or the waiting screen."""
    window = _pad_window(hall, number)
    context = _pad_context(request, window)
    edit = request.GET.get("edit", "")
    if edit:  # 修改评价: the same service again, while the replace window lasts (the service decides)
        kind, _, pk = edit.partition("-")
        service = selectors.pad_service_for(window=window, kind=kind, pk=int(pk) if pk.isdigit() else 0)
        if service is not None:
            context.update({"service": service, "current": f"edit-{edit}", "editing": True})
            return render(request, "evaluation/_pad_panel.html", context)
    current = request.GET.get("current", "")
    waiting = current.startswith(("thanks", "edit")) and context["service"] is None
    if current == context["current"] or waiting:
        return HttpResponse(status=204)  # nothing new: htmx keeps what is on the screen
    return render(request, "evaluation/_pad_panel.html", context)


def _pad_context(request: HttpRequest, window: Window) -> dict:
    service = selectors.pad_service(window=window)
    return {
        "window": window,
        "centre": window.centre,
        "service": service,
        "current": f"{service.kind}-{service.pk}" if service else "idle",
        "replace_minutes": policy_for_centre(centre_id=window.centre_id).evaluation.ratings.replace_minutes,
        "levels": _levels(window.centre_id),
        "reasons_good": REASONS_GOOD,
        "reasons_bad": REASONS_BAD,
    }


@require_POST
def pad_rate(request: HttpRequest, hall: str, number: str) -> HttpResponse:
    window = _pad_window(hall, number)
    kind, pk = request.POST.get("kind", ""), request.POST.get("pk", "")
    context = _pad_context(request, window)
    try:
        service_id = int(pk)
    except ValueError:
        service_id = 0
    offered = kind in ("ticket", "case") and selectors.pad_service_for(
        window=window, kind=kind, pk=service_id
    )
    if not offered:
        context["error"] = "该服务已不在评价时间内，谢谢您的支持。"
        return render(request, "evaluation/_pad_panel.html", context, status=409)
    try:
        result = services.submit_rating(
            centre_id=window.centre_id,
            level=request.POST.get("level", ""),
            ticket_id=service_id if kind == "ticket" else None,
            case_id=service_id if kind == "case" else None,
            reasons=request.POST.getlist("reason"),
            comment=request.POST.get("comment", "")[:500],
            channel=Rating.Channel.DEVICE,
            source=Rating.Source.PAD,
            device=request.COOKIES.get(PAD_COOKIE, "")[:64] or f"window-{window.pk}",
            phone=request.POST.get("phone", "")[:20],
        )
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "evaluation/_pad_panel.html", context, status=exc.status)
    context.update(
        {
            "thanks": result.rating,
            "service": None,
            "current": f"thanks-{kind}-{service_id}",
            "edit": f"{kind}-{service_id}",
        }
    )
    return render(request, "evaluation/_pad_panel.html", context)


# -- online rating of a case from the notice (EVAL-1) ------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rate_case(request: HttpRequest) -> HttpResponse:
    """QR code on the acceptance / result notice: case number + last four of phone or ID, then the scale."""
    context: dict = {"number": request.GET.get("n", "")[:40], "step": "find"}
    status = 200
    if request.method == "POST":
        number = request.POST.get("number", "")[:40].strip()
        code = request.POST.get("code", "")[:8].strip()
        context["number"] = number
        limited = check_progress_rate(request)  # the rating step re-checks the code, so it counts too
        if limited:
            context["error"], status = "查询过于频繁，请稍后再试。", 429
        else:
            case = selectors.case_for_rating(number=number, code=code)
            if case is None:
                context["error"], status = NOT_FOUND_CASE, 200
            elif "level" not in request.POST:
                context.update(
                    {"step": "rate", "case": case, "code": code, "levels": _levels(case.centre_id)}
                )
                context.update({"reasons_good": REASONS_GOOD, "reasons_bad": REASONS_BAD})
            else:
                try:
                    result = services.submit_rating(
                        centre_id=case.centre_id,
                        level=request.POST.get("level", ""),
                        case_id=case.pk,
                        reasons=request.POST.getlist("reason"),
                        comment=request.POST.get("comment", "")[:500],
                        channel=Rating.Channel.WEB,
                        source=Rating.Source.WEB,
                        phone=case.applicant_phone,
                    )
                    context.update({"step": "done", "rating": result.rating, "replaced": result.replaced})
                except DomainError as exc:
                    context["error"], status = exc.message, exc.status
    return render(request, "evaluation/rate_case.html", context, status=status)


# -- public complaints, suggestions, figures ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, hall: str) -> HttpResponse:
    """Public complaint form without login (EVAL-2): returns a tracking code."""
    centre = _hall(hall)
    policy = policy_for_centre(centre_id=centre.pk)
    open_ = "web" in policy.evaluation.complaint_channels
    context: dict = {"centre": centre, "open": open_, "form": {}}
    status = 200
    if request.method == "POST" and open_:
        form = {k: request.POST.get(k, "")[:4000] for k in ("name", "phone", "about", "content")}
        context["form"] = form
        if check_progress_rate(request):  # an open form: the same per-address limit as the progress query
            context["error"] = "提交过于频繁，请稍后再试。"
            return render(request, "evaluation/complaint_new.html", context, status=429)
        try:
            complaint = services.file_complaint(
                centre_id=centre.pk,
                channel="web",
                content=form["content"],
                name=form["name"][:40],
                phone=form["phone"][:20],
                about=form["about"][:200],
            )
            context["filed"] = complaint
        except DomainError as exc:
            context["error"], status = exc.message, 400
    return render(request, "evaluation/complaint_new.html", context, status=status)


@require_http_methods(["GET", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    """Progress by tracking code + last four of the phone (same masking and rate limit as case progress)."""
    context: dict = {"code": request.GET.get("code", "")[:12]}
    status = 200
    if request.method == "POST":
        tracking = request.POST.get("tracking_code", "")[:12].strip()
        context["code"] = tracking
        limited = check_progress_rate(request)
        if limited:
            context["error"], status = "查询过于频繁，请稍后再试。", 429
        else:
            found = selectors.complaint_progress(
                tracking_code=tracking, code=request.POST.get("phone4", "")[:4]
            )
            if found is None:
                context["not_found"] = NOT_FOUND_COMPLAINT
            else:
                context["progress"] = found
    return render(request, "evaluation/complaint_track.html", context, status=status)


@require_http_methods(["GET", "POST"])
def suggestion_new(request: HttpRequest, hall: str) -> HttpResponse:
    centre = _hall(hall)
    context: dict = {"centre": centre, "form": {}}
    status = 200
    if request.method == "POST":
        form = {k: request.POST.get(k, "")[:4000] for k in ("name", "phone", "content")}
        context["form"] = form
        if check_progress_rate(request):
            context["error"] = "提交过于频繁，请稍后再试。"
            return render(request, "evaluation/suggestion_new.html", context, status=429)
        try:
            context["filed"] = services.submit_suggestion(
                centre_id=centre.pk,
                channel=Suggestion.Channel.WEB,
                content=form["content"],
                name=form["name"][:40],
                phone=form["phone"][:20],
            )
        except DomainError as exc:
            context["error"], status = exc.message, 400
    return render(request, "evaluation/suggestion_new.html", context, status=status)


def satisfaction(request: HttpRequest, hall: str) -> HttpResponse:
    """Public monthly satisfaction and complaint figures per unit, with an offline SVG chart."""
    centre = _hall(hall)
    month = _month(request)
    figures = selectors.month_figures(centre=centre, month=month)
    rated = [u for u in figures.units if u.counted]
    chart = ""
    if rated:
        chart = bar_chart(
            f"{month:%Y年%m月} 各单位满意度(%)",
            [u.unit for u in rated],
            {"满意度": [float(u.satisfaction_rate * 100) for u in rated]},
            height=300,
        )
    prev = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "evaluation/satisfaction.html",
        {"centre": centre, "figures": figures, "month": month, "chart": chart, "prev": prev},
    )


# -- staff pages -----------------------------------------------------------------------------------------


def _handle(request: HttpRequest, action, ok: str) -> bool:
    try:
        action()
    except (Forbidden, NotFound) as exc:
        raise PermissionDenied(exc.message) from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, ok)
    return True


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    month = _month(request)
    ranking = selectors.window_ranking(centre_id=staff.centre_id, month=month)
    talk = selectors.talk_windows(centre_id=staff.centre_id, month=month)
    figures = selectors.month_figures(centre=staff.centre, month=month)
    if role_of(request.user) not in CENTRE_WIDE:
        ranking_rows = [r for r in ranking if r.window.unit_id == staff.unit_id]
    else:
        ranking_rows = ranking
    return render(
        request,
        "evaluation/overview.html",
        {
            "month": month,
            "figures": figures,
            "ranking": ranking_rows,
            "talk": talk,
            "open_tasks": selectors.open_rectifications(viewer=request.user).count(),
            "overdue": selectors.overdue_rectifications(viewer=request.user).count(),
            "is_office": role_of(request.user) in CENTRE_WIDE,
        },
    )


@login_required
def rating_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = selectors.ratings_for(viewer=request.user)
    if request.GET.get("bad"):
        qs = qs.filter(satisfied=False)
    return render(
        request,
        "evaluation/ratings.html",
        {"ratings": qs[:300], "bad_only": bool(request.GET.get("bad")), "today": timezone.localdate()},
    )


@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    qs = selectors.rectifications_for(viewer=request.user)
    if request.GET.get("overdue"):
        qs = selectors.overdue_rectifications(viewer=request.user)
    return render(
        request,
        "evaluation/rectifications.html",
        {"tasks": qs[:300], "today": timezone.localdate(), "overdue_only": bool(request.GET.get("overdue"))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    _staff(request)
    task = selectors.rectifications_for(viewer=request.user).filter(pk=task_id).first()
    if task is None:
        raise Http404("整改任务不存在")
    contact = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        p = request.POST
        if action == "reveal":
            try:
                contact = services.reveal_rater_contact(task_id=task.pk, actor=request.user)
            except (Forbidden, NotFound) as exc:
                raise PermissionDenied(exc.message) from None
        else:
            steps = {
                "answer": (
                    lambda: services.answer_rectification(
                        task_id=task.pk,
                        actor=request.user,
                        category=p.get("category", ""),
                        cause=p.get("cause", ""),
                        measures=p.get("measures", ""),
                    ),
                    "已提交整改情况",
                ),
                "callback": (
                    lambda: services.log_rating_callback(
                        task_id=task.pk,
                        actor=request.user,
                        outcome=p.get("outcome", ""),
                        note=p.get("note", ""),
                    ),
                    "已登记回访",
                ),
                "review": (
                    lambda: services.review_anonymous(
                        task_id=task.pk, actor=request.user, note=p.get("note", "")
                    ),
                    "已登记核查",
                ),
                "close": (
                    lambda: services.close_rectification(
                        task_id=task.pk, actor=request.user, note=p.get("note", "")
                    ),
                    "整改任务已办结",
                ),
                "appeal": (
                    lambda: services.file_appeal(
                        rating_id=task.rating_id, actor=request.user, reason=p.get("reason", "")
                    ),
                    "已提交申诉复核",
                ),
            }
            if action == "decide":
                appeal_id = int(p.get("appeal_id", "0") or 0)
                steps["decide"] = (
                    lambda: services.decide_appeal(
                        appeal_id=appeal_id,
                        actor=request.user,
                        overturn=p.get("overturn") == "1",
                        note=p.get("note", ""),
                    ),
                    "已复核申诉",
                )
            if action not in steps:
                messages.error(request, "未知的操作")
            else:
                fn, ok = steps[action]
                _handle(request, fn, ok)
            return redirect("evaluation:rectification", task_id=task.pk)
    task.refresh_from_db()
    role = role_of(request.user)
    staff = staff_of(request.user)
    return render(
        request,
        "evaluation/rectification.html",
        {
            "task": task,
            "rating": task.rating,
            "callbacks": task.callbacks.select_related("by"),
            "appeals": task.rating.appeals.select_related("filed_by", "decided_by"),
            "categories": [c for c in Rectification.Category.choices if c[0]],
            "outcomes": CallbackLog.Outcome.choices,
            "is_office": role in (Role.SUPERVISOR, Role.CENTRE_ADMIN),
            "is_unit": role == Role.CHIEF_REP and staff.unit_id == task.unit_id,  # type: ignore[union-attr]  # staff-only page
            "contact": contact,
            "today": timezone.localdate(),
            "pending_appeal": task.rating.appeals.filter(status=RatingAppeal.Status.PENDING).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        qs = selectors.complaints_for(viewer=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    if request.method == "POST":
        p = request.POST
        created = {}

        def intake() -> None:
            created["c"] = services.file_complaint(
                centre_id=staff.centre_id,
                channel=p.get("channel", ""),
                content=p.get("content", ""),
                name=p.get("name", "")[:40],
                phone=p.get("phone", "")[:20],
                about=p.get("about", "")[:200],
                hotline_ref=p.get("hotline_ref", "")[:40],
                actor=request.user,
            )

        if role_of(request.user) == Role.AUDITOR:
            raise PermissionDenied("只读账号")
        if _handle(request, intake, "已受理投诉"):
            return redirect("evaluation:complaint", complaint_id=created["c"].pk)
    policy = policy_for_centre(centre_id=staff.centre_id)
    channels = [c for c in Complaint.Channel.choices if c[0] in policy.evaluation.complaint_channels]
    return render(
        request,
        "evaluation/complaints.html",
        {"complaints": qs[:300], "channels": channels, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request: HttpRequest, complaint_id: int) -> HttpResponse:
    staff = _staff(request)
    try:
        complaint = selectors.complaints_for(viewer=request.user).filter(pk=complaint_id).first()
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    if complaint is None:
        raise Http404("投诉不存在")
    if request.method == "POST":
        p = request.POST

        def num(name: str) -> int | None:
            v = p.get(name, "")
            return int(v) if v.isdigit() else None

        _handle(
            request,
            lambda: services.advance_complaint(
                complaint_id=complaint.pk,
                actor=request.user,
                note=p.get("note", ""),
                findings=p.get("findings", ""),
                unit_id=num("unit_id"),
                window_id=num("window_id"),
                staff_id=num("staff_id"),
                outcome=p.get("outcome", ""),
                outcome_reason=p.get("outcome_reason", ""),
                measures=p.get("measures", ""),
                feedback=p.get("feedback", ""),
            ),
            "已进入下一环节",
        )
        return redirect("evaluation:complaint", complaint_id=complaint.pk)
    return render(
        request,
        "evaluation/complaint.html",
        {
            "c": complaint,
            "steps": complaint.steps.select_related("by"),
            "units": Unit.objects.filter(centre_id=staff.centre_id),
            "windows": Window.objects.filter(centre_id=staff.centre_id).select_related("unit"),
            "staff_list": Staff.objects.filter(centre_id=staff.centre_id, is_active=True, unit__isnull=False),
            "can_act": role_of(request.user) in (Role.SUPERVISOR, Role.CENTRE_ADMIN),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        qs = selectors.flags_for(viewer=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "scan":
            if role_of(request.user) not in (Role.SUPERVISOR, Role.CENTRE_ADMIN):
                raise PermissionDenied("仅效能监察室可以进行此操作")
            month = _month(request) if request.GET.get("month") else timezone.localdate().replace(day=1)
            _handle(
                request,
                lambda: services.scan_ratings(centre_id=staff.centre_id, month=month, actor=request.user),
                "已完成本月异常评价筛查",
            )
        else:
            flag_id = int(p.get("flag_id", "0") or 0)
            _handle(
                request,
                lambda: services.review_flag(
                    flag_id=flag_id,
                    actor=request.user,
                    confirmed=p.get("confirmed") == "1",
                    note=p.get("note", ""),
                ),
                "已登记核查结果",
            )
        return redirect("evaluation:flags")
    return render(request, "evaluation/flags.html", {"flags": qs[:300], "kinds": ManipulationFlag.Kind})


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    try:
        qs = selectors.suggestions_for(viewer=request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    if request.method == "POST":
        p = request.POST
        if role_of(request.user) not in (Role.SUPERVISOR, Role.CENTRE_ADMIN):
            raise PermissionDenied("仅效能监察室可以进行此操作")
        if p.get("action") == "intake":  # a card from the box in the hall, typed in by the office
            _handle(
                request,
                lambda: services.submit_suggestion(
                    centre_id=staff.centre_id,
                    channel=Suggestion.Channel.ON_SITE,
                    content=p.get("content", ""),
                    name=p.get("name", "")[:40],
                    phone=p.get("phone", "")[:20],
                ),
                "已登记",
            )
            return redirect("evaluation:suggestions")
        sid = int(p.get("suggestion_id", "0") or 0)
        _handle(
            request,
            lambda: services.reply_suggestion(
                suggestion_id=sid,
                actor=request.user,
                reply=p.get("reply", ""),
                adopted=p.get("adopted") == "1",
            ),
            "已答复",
        )
        return redirect("evaluation:suggestions")
    return render(request, "evaluation/suggestions.html", {"suggestions": qs[:300]})


@login_required
@require_http_methods(["GET", "POST"])
def unserved_list(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if request.method == "POST":
        if role_of(request.user) == Role.AUDITOR:
            raise PermissionDenied("只读账号")
        p = request.POST
        if p.get("action") == "outcome":
            eid = int(p.get("entry_id", "0") or 0)
            _handle(
                request,
                lambda: services.record_unserved_outcome(
                    entry_id=eid, actor=request.user, outcome=p.get("outcome", ""), note=p.get("note", "")
                ),
                "已登记回访结果",
            )
        else:
            wid = p.get("window_id", "")
            _handle(
                request,
                lambda: services.record_unserved(
                    actor=request.user,
                    window_id=int(wid) if wid.isdigit() else None,
                    reason=p.get("reason", ""),
                    business=p.get("business", ""),
                    name=p.get("name", ""),
                    phone=p.get("phone", ""),
                ),
                "已登记，将按时回访",
            )
        return redirect("evaluation:unserved")
    return render(
        request,
        "evaluation/unserved.html",
        {
            "entries": selectors.unserved_for(viewer=request.user)[:300],
            "windows": staff.windows.all()
            if staff.windows.exists()
            else Window.objects.filter(centre_id=staff.centre_id),
            "reasons": UnservedCallback.Reason.choices,
            "outcomes": [o for o in UnservedCallback.Outcome.choices if o[0]],
            "today": timezone.localdate(),
        },
    )


def pad_url(window: Window) -> str:
    return reverse("evaluation:pad", args=[window.centre.code, window.number])
