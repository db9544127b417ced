"""Attendance API (/api/attendance/): months (kept results, re-evaluated when stale), weekly notice, punch import.

Same JSON shape as `servicehall attendance evaluate --detail-zh`, with `staff_id` = 工号 plus name and unit:
every event has its English `detail` and its Chinese `detail_zh`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, UploadedFile
from ninja.security import django_auth

from servicehall.attendance import selectors, services
from servicehall.core.limits import upload_limits
from servicehall.core.uploads import check_size
from servicehall.org.models import Centre

router = Router(tags=["attendance 考勤"])


@router.get("/month", auth=django_auth)
def month(request: HttpRequest, month: str, unit_id: int | None = None) -> dict[str, Any]:
    """Everyone the viewer may see (self / unit / centre) for `month` (YYYY-MM), with events."""
    return selectors.month_report(viewer=request.user, month=month, unit_id=unit_id).as_dict()


@router.get("/staff/{staff_id}", auth=django_auth)
def staff_month(request: HttpRequest, staff_id: int, month: str) -> dict[str, Any]:
    _staff, _result, report = selectors.staff_month(viewer=request.user, staff_id=staff_id, month=month)
    return report.as_dict()["staff"][0]


@router.get("/weekly", auth=django_auth)
def weekly(request: HttpRequest, week: date) -> dict[str, Any]:
    """ATT-10 weekly notice: findings dated in the week (Monday–Sunday) containing `week`."""
    notice = selectors.weekly_notice(viewer=request.user, week_start=week)
    return {
        "week_start": notice["week_start"].isoformat(),
        "week_end": notice["week_end"].isoformat(),
        "policy": notice["policy"],
        "staff": [
            {"staff_id": s.staff_no, "name": s.name, "events": [e.as_dict(zh=True) for e in events]}
            for s, events in notice["rows"]
        ],
    }


@router.post("/imports", auth=django_auth, response={201: dict, 200: dict})
def import_file(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008 - django-ninja declares uploads this way
) -> tuple[int, dict[str, Any]]:
    """Import a punch file (ATT-2). The same file again returns 200 with `duplicate_file: true`."""
    centre = Centre.objects.get(pk=selectors.viewer_centre_id(request.user))
    check_size(file.size or 0, file.name or "file", upload_limits())  # before reading it into memory
    batch = services.import_punch_file(
        centre=centre, data=file.read(), filename=file.name or "punches.csv", actor=request.user
    )
    body = {
        "import": batch.pk,
        "rows": batch.rows,
        "created": batch.created if not batch.reused else 0,
        "duplicate_file": batch.reused,
    }
    return (200 if batch.reused else 201), body
