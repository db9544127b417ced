"""/api/evaluation/: ratings, rectification, complaints and the public monthly figures (EVAL-1, EVAL-2)."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status
from ninja.security import django_auth

from servicehall.cases.ratelimit import check_progress_rate
from servicehall.core.errors import DomainError, InputError
from servicehall.evaluation import selectors, services
from servicehall.evaluation.models import Rating, Rectification
from servicehall.evaluation.schemas import (
    ComplaintFiled,
    ComplaintIn,
    ComplaintOut,
    RatingOut,
    RectificationOut,
    UnitFiguresOut,
)
from servicehall.org.models import Centre

router = Router(tags=["evaluation 评价与投诉"])


class TooManyRequests(DomainError):
    status = 429
    code = "rate_limited"


def _rating_out(r: Rating) -> dict:
    return {
        "id": r.pk,
        "rated_on": timezone.localtime(r.rated_at).date(),
        "unit": str(r.unit) if r.unit else None,
        "window": f"{r.window.number}号窗口" if r.window else None,
        "staff": r.staff.name if r.staff else None,
        "level": r.level,
        "level_label": r.level_label,
        "satisfied": r.satisfied,
        "reasons": list(r.reasons or []),
        "comment": r.comment,
        "channel": r.channel,
        "overturned": r.overturned,
    }


@router.get(
    "/ratings", response=list[RatingOut], auth=django_auth, summary="评价记录 (EVAL-1; no rater data)"
)
def ratings(request: HttpRequest, bad: bool = False, limit: int = 200):
    qs = selectors.ratings_for(viewer=request.user)
    if bad:
        qs = qs.filter(satisfied=False)
    return [_rating_out(r) for r in qs[: max(1, min(limit, 1000))]]


@router.get("/rectifications", response=list[RectificationOut], auth=django_auth, summary="差评整改 (EVAL-1)")
def rectifications(request: HttpRequest, overdue: bool = False):
    today = timezone.localdate()
    qs = (
        selectors.overdue_rectifications(viewer=request.user, today=today)
        if overdue
        else selectors.rectifications_for(viewer=request.user)
    )
    return [
        {
            "id": t.pk,
            "rating_id": t.rating_id,
            "unit": str(t.unit) if t.unit else None,
            "category": t.category,
            "status": t.status,
            "opened_on": t.opened_on,
            "due_on": t.due_on,
            "overdue": t.status in (Rectification.Status.OPEN, Rectification.Status.ANSWERED)
            and t.due_on < today,
        }
        for t in qs[:500]
    ]


@router.get(
    "/complaints", response=list[ComplaintOut], auth=django_auth, summary="投诉 (EVAL-2, supervision office)"
)
def complaints(request: HttpRequest):
    return list(selectors.complaints_for(viewer=request.user)[:500])


@router.post(
    "/centres/{code}/complaints", response={201: ComplaintFiled}, summary="网上投诉 (EVAL-2, no login)"
)
def file_complaint(request: HttpRequest, code: str, payload: ComplaintIn):
    centre = get_object_or_404(Centre, code=code)
    if check_progress_rate(request):
        raise TooManyRequests("提交过于频繁，请稍后再试。")
    complaint = services.file_complaint(
        centre_id=centre.pk,
        channel="web",
        content=payload.content,
        name=payload.name[:40],
        phone=payload.phone[:20],
        about=payload.about[:200],
    )
    return Status(201, {"tracking_code": complaint.tracking_code})


@router.get("/centres/{code}/figures", response=list[UnitFiguresOut], summary="月度满意度与投诉公示 (public)")
def figures(request: HttpRequest, code: str, month: str):
    centre = get_object_or_404(Centre, code=code)
    try:
        year, mon = (int(p) for p in month.split("-"))
        first = date(year, mon, 1)
    except (ValueError, TypeError):
        raise InputError("month", f"{month!r} is not a month like 2026-03") from None
    data = selectors.month_figures(centre=centre, month=first)
    return [
        {
            "unit": u.unit,
            "counted": u.counted,
            "good": u.good,
            "bad": u.bad,
            "satisfaction_rate": float(u.satisfaction_rate),
            "complaints": u.complaints,
            "valid_complaints": u.valid_complaints,
        }
        for u in data.units
    ]
