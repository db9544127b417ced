"""Ninja schemas of the case API (/api/cases/)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class MaterialCheckIn(Schema):
    material_id: int
    state: str = Field(description="ok | missing | defective | fixed_on_spot")
    note: str = ""


class RegisterIn(Schema):
    item_id: int
    applicant_name: str = Field(min_length=1, max_length=100)
    applicant_id_kind: str = Field(
        "resident_id",
        description="resident_id | passport | hk_macao_permit | taiwan_permit | hmt_residence | "
        "foreign_permanent | credit_code | other",
    )
    applicant_id_no: str = Field("", max_length=40)
    applicant_phone: str = Field("", max_length=40)
    applicant_address: str = ""
    checks: list[MaterialCheckIn] = Field(default_factory=list)
    window_id: int | None = None
    urgent_reason: str = ""


class TransitionIn(Schema):
    action: str = Field(description="accept | request_correction | refuse | start | report_up | conclude | "
                                    "complete_on_spot | deliver | return")  # fmt: skip
    reason: str = ""
    outcome: str = Field("", description="conclude: approved | not_approved")
    method: str = Field("", description="deliver: window | post")
    postal_address: str = ""
    tracking_no: str = ""


class MaterialsIn(Schema):
    fixed: list[int] = Field([], description="CaseMaterial ids brought / fixed")
    problems: list[MaterialCheckIn] = Field([], description="material_id here is the CaseMaterial id")
    second_visit: bool = False


class RefusalReportIn(Schema):
    kind: str = Field(description="not_accepted | not_approved")
    reasons: str
    legal_basis: str


class ExtensionIn(Schema):
    working_days: int
    reason: str
    consent_note: str


class ProgressIn(Schema):
    number: str = Field(max_length=40)
    code: str = Field(
        max_length=16,
        description="the query code on the acceptance notice, or the last 4 characters of the "
        "applicant's phone or ID number",
    )


class MaterialOut(Schema):
    id: int
    position: int
    name: str
    state: str
    problem: str


class EventOut(Schema):
    at: datetime
    actor: str
    kind: str
    action: str
    from_status: str
    to_status: str
    rule_id: str
    reason: str


class StepOut(Schema):
    id: int
    unit: str
    done: bool


class CaseOut(Schema):
    id: int
    number: str
    item: str
    case_type: str
    status: str
    status_label: str
    outcome: str
    responsible: str
    window: str
    registered_at: datetime
    accepted_at: datetime | None
    due_on: date | None
    due_provisional: bool = False  # counted over a year whose calendar is not loaded (CASE-5)
    overdue: bool
    urgent: bool
    current_step: str
    policy_ref: str
    materials: list[MaterialOut] = Field(default_factory=list)
    steps: list[StepOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)


class StageOut(Schema):
    """One stage of the progress timeline: done, current, pending or stopped (CASE-10)."""

    name: str
    state: str
    on: date | None = None
    note: str = ""
    provisional: bool = False


class ProgressOut(Schema):
    found: bool
    message: str
    number: str = ""
    item: str = ""
    status: str = ""
    current_step: str = ""
    due_on: date | None = None
    due_provisional: bool = False
    applicant: str = ""
    window: str = ""
    window_location: str = ""
    responsible: str = ""
    stages: list[StageOut] = Field(default_factory=list)
