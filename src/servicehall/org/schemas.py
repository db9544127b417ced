"""Ninja in/out schemas of the organisation API. Public shapes never carry phone, staff_no or badge_no."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class RedirectOut(Schema):
    number: str
    name: str
    floor: str
    location: str


class BadgeOut(Schema):
    name: str
    title: str
    post: str


class PublicWindowOut(Schema):
    """One window as the public board shows it (ORG-4 badge, ORG-6 pause sign)."""

    id: int
    number: str
    name: str
    unit: str
    business_scope: str
    floor: str
    location: str
    status: str
    status_label: str
    paused_message: str
    redirect: RedirectOut | None
    resume_at: dt.datetime | None
    badges: list[BadgeOut]


class PublicBoardOut(Schema):
    centre_code: str
    centre_name: str
    complaint_phone: str
    windows: list[PublicWindowOut]


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    phone: str
    chief_rep_id: int | None
    chief_rep_name: str


class StaffOut(Schema):
    """Private: only for viewers who may see this person (own record, own unit, or centre office)."""

    id: int
    name: str
    staff_no: str
    badge_no: str
    title: str
    post_title: str
    phone: str
    role: str
    unit_id: int | None
    unit: str
    window_ids: list[int]
    posted_from: dt.date | None
    posted_until: dt.date | None
    posting_note: str
    is_active: bool


class WindowStateOut(Schema):
    id: int
    number: str
    status: str
    paused_message: str
    redirect_window_id: int | None
    resume_at: dt.datetime | None


class PauseIn(Schema):
    message: str = Field("", max_length=200)
    redirect_window_id: int | None = None
    resume_at: dt.datetime | None = None


class PostIn(Schema):
    unit_id: int
    name: str = Field(min_length=1, max_length=80)
    a_holder_id: int
    b_holder_id: int
    window_id: int | None = None


class PostOut(Schema):
    id: int
    name: str
    unit_id: int
    window_id: int | None
    a_holder_id: int
    b_holder_id: int
