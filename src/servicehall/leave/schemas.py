"""Ninja schemas of the leave API (/api/leave/)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class StepOut(Schema):
    id: int
    order: int
    approver_role: str
    status: str
    signer_name: str
    signed_on: date | None
    decided_at: datetime | None
    note: str


class CoverOut(Schema):
    id: int
    cover_name: str
    cover_staff_id: int | None
    window: str
    start_date: date
    end_date: date
    badge_name: str
    badge_window: str
    badge_valid_from: date
    badge_valid_until: date
    checked_in_at: datetime | None


class LeaveOut(Schema):
    id: int
    staff_id: int
    staff_name: str
    kind: str
    original_kind: str
    start_date: date
    start_half: str
    end_date: date
    end_half: str
    days: float
    status: str
    policy_ref: str
    requires: list[str]
    files_with: list[str]
    cover_required: str
    filed_late: bool
    certificate_provided: bool
    steps: list[StepOut]
    covers: list[CoverOut]


class CoverIn(Schema):
    start_date: date
    end_date: date
    staff_id: int | None = None
    name: str = ""
    phone: str = ""
    window_id: int | None = None


class LeaveIn(Schema):
    kind: str
    start_date: date
    end_date: date
    start_half: str = "am"
    end_half: str = "pm"
    reason: str = ""
    certificate_provided: bool = False
    certificate_date: date | None = None
    training_document_ref: str = ""
    cover: CoverIn | None = None


class DecisionIn(Schema):
    note: str = ""
    signer_name: str = ""
    signed_on: date | None = None


class ReturnIn(Schema):
    certificate_provided: bool | None = None
    certificate_date: date | None = None


class CheckInIn(Schema):
    at: datetime | None = None


class FeedRow(Schema):
    staff_id: int
    kind: str
    start: str
    end: str
    status: str
    certificate: str


class GapRow(Schema):
    staff_id: int
    leave_id: int
    start: str
    end: str
    rule: str


class FeedOut(Schema):
    leaves: list[FeedRow]
    unauthorised_gaps: list[GapRow]
