"""JSON shapes of the supervision API (SUP-1)."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class CardOut(Schema):
    id: int
    case_number: str
    colour: str
    trigger: str
    rule_id: str
    policy_ref: str
    unit: str
    window: str | None
    responsible: str | None
    due_date: date | None
    due_at: datetime
    raised_at: datetime
    status: str
    reply_due_on: date | None
    provisional: bool
    evidence: dict


class TextIn(Schema):
    text: str


class DecisionIn(Schema):
    uphold: bool
    note: str
