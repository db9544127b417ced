"""Working-day arithmetic over HTTP, for kiosks and other systems (read-only, public)."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema

from servicehall.workdays import selectors

router = Router(tags=["workdays 工作日历"])


class DayOut(Schema):
    date: date
    kind: str
    is_workday: bool


@router.get("/days/{day}", response=DayOut, summary="Kind of one date")
def day_kind(request, day: date):
    calendar = selectors.load_calendar()
    return {"date": day, "kind": calendar.kind(day).value, "is_workday": calendar.is_workday(day)}


@router.get("/add", summary="The N-th working day after a date")
def add(request, date: date, n: int):
    return {"date": date, "n": n, "result": selectors.add_working_days(date, n)}


@router.get("/between", summary="Working days after START up to and including END")
def between(request, start: date, end: date):
    return {"start": start, "end": end, "working_days": selectors.working_days_between(start, end)}
