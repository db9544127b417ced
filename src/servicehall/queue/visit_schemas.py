"""Ninja schemas of the 帮办代办 / 上门服务 API (/api/queue/visits..., Q-2, CASE-9)."""

from __future__ import annotations

from datetime import date, datetime, time

from ninja import Field, Schema


class HomeVisitIn(Schema):
    item_id: int
    day: date
    name: str = Field(max_length=40)
    phone: str = Field(max_length=20)
    address: str = Field(max_length=200)
    ground: str = Field(description="sick | immobile | elderly | disabled (as the policy allows)")
    reason: str = Field(max_length=300)


class AssistedIn(Schema):
    line_id: int
    day: date
    slot_start: time
    name: str = Field(max_length=40)
    phone: str = Field(max_length=20)
    item_id: int | None = None


class AssistedOut(Schema):
    code: str
    kind: str
    line: str
    day: date
    slot_start: time
    status: str


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=300)
    assigned_staff_id: int | None = None
    visit_day: date | None = None


class RecordIn(Schema):
    work_done: str = Field(max_length=2000)
    materials_collected: str = Field("", max_length=2000)
    signature_name: str = Field(max_length=60)
    result: str = Field(description="done | accepted | correction | not_done")
    case_number: str = Field("", max_length=40)


class HomeVisitOut(Schema):
    id: int
    code: str
    status: str
    item: str
    day: date
    ground: str
    approver_role: str
    assigned_staff: str | None
    visit_day: date | None
    result: str
    case_number: str | None
    policy_ref: str


class AssistRecordIn(Schema):
    case_number: str = Field(max_length=40)
    forms: str = Field(max_length=300)
    note: str = Field("", max_length=300)
    appointment_code: str = Field("", max_length=8)


class AssistRecordOut(Schema):
    id: int
    case_number: str
    helper: str
    forms: str
    at: datetime
