"""API shapes of the evaluation domain. `RatingOut` has no field for who rated, by construction."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class RatingOut(Schema):
    id: int
    rated_on: date
    unit: str | None
    window: str | None
    staff: str | None
    level: str
    level_label: str
    satisfied: bool
    reasons: list[str]
    comment: str
    channel: str
    overturned: bool


class RectificationOut(Schema):
    id: int
    rating_id: int
    unit: str | None
    category: str
    status: str
    opened_on: date
    due_on: date
    overdue: bool


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    channel: str
    received_at: datetime
    step: str
    step_due_on: date | None
    outcome: str


class ComplaintIn(Schema):
    content: str
    name: str = ""
    phone: str = ""
    about: str = ""


class ComplaintFiled(Schema):
    tracking_code: str


class UnitFiguresOut(Schema):
    unit: str
    counted: int
    good: int
    bad: int
    satisfaction_rate: float
    complaints: int
    valid_complaints: int
