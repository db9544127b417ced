"""Ninja schemas of the queue API (/api/queue/)."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema


class TicketIn(Schema):
    item_ids: list[int] = Field(default_factory=list)
    line_id: int | None = None
    hall: str | None = None
    priority: str = ""
    id_number: str = ""


class TicketOut(Schema):
    id: int
    number: str
    line_id: int
    line: str
    items: list[str]
    status: str
    priority: str
    issued_at: datetime
    people_ahead: int
    estimated_wait_minutes: int | None
    window: str | None
    print_url: str
    escpos_url: str


class CallOut(Schema):
    ticket: TicketOut | None
    detail: str


class FinishIn(Schema):
    case_id: int | None = None


class TransferIn(Schema):
    to_line_id: int | None = None
    to_window_id: int | None = None


class PauseIn(Schema):
    message: str = ""
    redirect_window_id: int | None = None
    resume_at: datetime | None = None


class PriorityIn(Schema):
    group: str


class WindowOut(Schema):
    id: int
    number: str
    status: str
    sign: str


class BookingIn(Schema):
    line_id: int
    day: date
    slot_start: time
    name: str
    phone: str = ""
    item_id: int | None = None


class BookingOut(Schema):
    code: str
    line: str
    day: date
    slot_start: time
    status: str


class CheckInIn(Schema):
    code: str
